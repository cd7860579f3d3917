// Shows a View (a list page or a ticket) as a card. Typed commands and button clicks both end
// here, so a page reached by "Next" looks exactly like the same page typed as a command. Time
// words ("today", "7d") are resolved here, at every showing, so a refresh always means now.
import { describeQuery, filtersUsed } from '../cards/describe.js';
import type { Json } from '../cards/kit.js';
import { listCard } from '../cards/list.js';
import { problemCard } from '../cards/problem.js';
import type { Problem } from '../commands/problems.js';
import { ticketCard, type ConversationState } from '../cards/ticket.js';
import type { ActionArea, ActionButtons, Panel } from '../cards/ticketActions.js';
import type { Ticket } from '../helpdesk/types.js';
import type { TicketAct } from './act.js';
import type { LastActions } from './lastAction.js';
import type { ButtonValues } from './buttons.js';
import type { ListState, PageView, View } from './view.js';
import type { Clock } from '../resilience/clock.js';
import type { CallOptions, Helpdesk } from '../helpdesk/api.js';
import { lastReachablePage, pages } from '../helpdesk/paging.js';
import type { TicketFilter, TicketPage } from '../helpdesk/types.js';
import { valueFor, type Audience } from './audience.js';
import { isUnassigned, readTickets } from '../helpdesk/read.js';
import { readTimeWords, resolveTime, type TimeSpec } from '../commands/filters/time.js';
import { problemFor } from '../commands/problems.js';
import { listWords } from './listWords.js';

export interface ViewDeps {
  helpdesk: Helpdesk;
  values: ButtonValues;
  timezone: string;
  pageSize: number;
  clock: Clock;
  /** What ticket cards offer agents to do; without it they only show. */
  acting?: Acting;
}

export interface Acting {
  /** access.agents names the agents: Reply and Suggest are offered. */
  replies: boolean;
  /** sign_in.token_key is set: the actions taken as the agent are offered. */
  signIn: boolean;
  last: LastActions;
}

export interface Outcome {
  card: Json;
  /** For the log line: "ok" or the problem's kind. */
  outcome: string;
  /** Ticket ids shown, for the log line. */
  ticketIds: string[];
  /** A part that could not be loaded although the card was sent (e.g. "conversation"). */
  degraded?: string;
}

/** What a typed command adds (words after a ticket id that were not used), or a click (the part of the card it opened). */
export interface Hints {
  ignored?: string;
  panel?: Panel;
}

export function showView(view: PageView, audience: Audience, call: CallOptions, deps: ViewDeps, hints: Hints = {}): Promise<Outcome> {
  return view.kind === 'list' ? showList(view.list, audience, call, deps) : showTicket(view.ticketId, view.back, audience, call, deps, hints);
}

const problem = (p: Problem, ticketIds: string[] = []): Outcome => ({ card: problemCard(p), outcome: p.kind, ticketIds });

async function showTicket(id: string, back: ListState | undefined, audience: Audience, call: CallOptions, deps: ViewDeps, hints: Hints): Promise<Outcome> {
  const value = (v: View, fresh = false) => deps.values.encode({ view: v, fresh, chatId: audience.chatId, chatType: audience.chatType });
  // A conversation hidden from this chat is not even fetched.
  const wanted = !audience.hide.includes('conversation');
  const [ticket, conversation] = await Promise.allSettled([deps.helpdesk.getTicket(id, call), wanted ? deps.helpdesk.getConversation(id, call) : Promise.resolve(undefined)]);
  if (ticket.status === 'rejected') {
    const p = problemFor(ticket.reason, 'ticket', id);
    return problem(p.kind === 'ticket-not-found' && hints.ignored ? { ...p, ignored: hints.ignored } : p, [id]);
  }
  const state: ConversationState = !wanted ? 'hidden' : conversation.status === 'fulfilled' && conversation.value ? conversation.value : 'failed';
  const actions = {
    refresh: value({ kind: 'ticket', ticketId: id, ...(back ? { back } : {}) }, true),
    ...(back ? { back: value({ kind: 'list', list: back }) } : {}),
  };
  const acting = deps.acting && (await actionAreaOf(ticket.value, back, audience, deps.acting, deps.values, hints.panel));
  const card = ticketCard(ticket.value, {
    timezone: deps.timezone,
    now: deps.clock(),
    hide: audience.hide,
    conversation: state,
    actions,
    ...(hints.ignored ? { ignored: hints.ignored } : {}),
    ...(acting ? { acting } : {}),
  });
  return { card, outcome: 'ok', ticketIds: [id], ...(state === 'failed' ? { degraded: 'conversation' } : {}) };
}

/** The ticket card's action buttons, each bound to the chat as the card's others are; the last action from chat. */
async function actionAreaOf(t: Ticket, back: ListState | undefined, audience: Audience, acting: Acting, values: ButtonValues, panel: Panel | undefined): Promise<ActionArea> {
  const view: View = { kind: 'ticket', ticketId: t.id, ...(back ? { back } : {}) };
  const act = (a: TicketAct) => valueFor({ values }, audience, view, { act: a });
  const open = (t.status ?? 0) < 50;
  const buttons: ActionButtons = {
    ...(acting.replies ? { reply: act({ op: 'reply' }), suggest: act({ op: 'suggest' }) } : {}),
    ...(acting.signIn
      ? { status: act({ op: 'status' }), ...(open ? { closeSolved: act({ op: 'close', solved: 2 }), closeUnsolved: act({ op: 'close', solved: 1 }) } : {}), tags: act({ op: 'tags' }), note: act({ op: 'note' }) }
      : {}),
  };
  // A card still shows without it: the last action is a nicety, not worth a failed card.
  const last = await acting.last.of(t.id).catch(() => undefined);
  return {
    ticket: { id: t.id, ...(t.status !== undefined ? { status: t.status } : {}), tags: t.tags.map((tag) => tag.name) },
    buttons,
    off: [...(acting.replies ? [] : (['replies'] as const)), ...(acting.signIn ? [] : (['sign-in'] as const))],
    ...(last ? { last } : {}),
    ...(panel ? { panel } : {}),
  };
}

/** The filter to ask the API for now: the list's words resolved at `now`. */
function resolveList(list: ListState, now: number, timezone: string): { filter: TicketFilter; specs: { created?: TimeSpec; updated?: TimeSpec } } | undefined {
  const filter: TicketFilter = { ...list.filter };
  const specs: { created?: TimeSpec; updated?: TimeSpec } = {};
  for (const field of ['created', 'updated'] as const) {
    const words = list.times?.[field];
    if (words === undefined) continue;
    const spec = readTimeWords(words);
    const range = spec && resolveTime(spec, now, timezone);
    if (!spec || !range?.ok) return undefined;
    filter[field] = range.range;
    specs[field] = spec;
  }
  return { filter, specs };
}

async function showList(asked: ListState, audience: Audience, call: CallOptions, deps: ViewDeps): Promise<Outcome> {
  const { pageSize, timezone } = deps;
  const lastPage = lastReachablePage(pageSize);
  // The API refuses pages past 10,000 rows: never ask it.
  if (asked.page > lastPage) return problem({ kind: 'page-out-of-reach', page: asked.page, lastPage });
  const now = deps.clock();
  const resolved = resolveList(asked, now, timezone);
  if (!resolved) return problem({ kind: 'upstream', what: 'list' });
  const { filter, specs } = resolved;
  try {
    let list = asked;
    const page = (n: number) => (list.unassigned ? unassignedPage(deps.helpdesk, filter, n, pageSize, call) : deps.helpdesk.listTickets(filter, n, pageSize, call));
    let result = await page(list.page);
    let p = pages(result.total, pageSize);
    // Past the end: show the last page, and say so.
    const pastEnd = result.total > 0 && list.page > p.total ? list.page : undefined;
    if (pastEnd !== undefined) {
      list = { ...list, page: p.lastReachable };
      result = await page(list.page);
      p = pages(result.total, pageSize);
    }
    const at = (page: number, fresh = false) => deps.values.encode({ view: { kind: 'list', list: { ...list, page } }, fresh, chatId: audience.chatId, chatType: audience.chatType });
    const paged = p.total > 1;
    const also = listWords(list);
    const card = listCard({
      query: describeQuery(filter, list.names, timezone, { mine: list.mine === true, times: specs, unassigned: list.unassigned === true }),
      used: filtersUsed(filter),
      page: list.page,
      pageSize,
      total: result.total,
      tickets: result.tickets,
      timezone,
      now,
      ...(pastEnd !== undefined ? { pastEnd } : {}),
      hideGuestName: audience.hide.includes('name'),
      ...(also !== undefined ? { also } : {}),
      actions: {
        open: (ticketId) => deps.values.encode({ view: { kind: 'ticket', ticketId, back: list }, fresh: false, chatId: audience.chatId, chatType: audience.chatType }),
        ...(paged && list.page > 1 ? { prev: at(Math.min(list.page - 1, p.lastReachable)) } : {}),
        ...(paged && list.page < p.lastReachable ? { next: at(list.page + 1) } : {}),
        paged,
        refresh: at(list.page, true),
        filter: deps.values.encode({ view: { kind: 'filter', list }, fresh: false, chatId: audience.chatId, chatType: audience.chatType }),
      },
    });
    return { card, outcome: 'ok', ticketIds: result.tickets.map((t) => t.id) };
  } catch (error) {
    return problem(problemFor(error, 'list'));
  }
}

/**
 * A page of the matching tickets no agent has. The list API cannot filter by that, so the bot
 * reads the matches (at most READ_PAGES pages of 200, from the same cache as the board) and pages
 * through those with no agent.
 */
async function unassignedPage(helpdesk: Helpdesk, filter: TicketFilter, page: number, pageSize: number, call: CallOptions): Promise<TicketPage> {
  const read = await readTickets(helpdesk, filter, call);
  const unassigned = read.tickets.filter(isUnassigned);
  return { total: unassigned.length, tickets: unassigned.slice((page - 1) * pageSize, page * pageSize) };
}
