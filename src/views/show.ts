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
import { valueFor, type Audience } from './audience.js';
import { listingOf, readListPage, type ListPage } from './listing.js';
import type { Person } from '../helpdesk/types.js';
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
  /** The view as shown, when it differs from the one asked for (a list's page and anchor). */
  view?: PageView;
  /** A list page: as it was read, to be drawn again once its questions have come. */
  read?: ReadPage;
  /** Tickets on the list whose questions are not at hand yet: the card is updated when they are. */
  pendingQuestions?: PendingQuestion[];
}

/** A ticket whose question (the guest's first message) is still to be fetched. */
export interface PendingQuestion {
  id: string;
  guestId?: string;
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

async function showList(asked: ListState, audience: Audience, call: CallOptions, deps: ViewDeps): Promise<Outcome> {
  const now = deps.clock();
  const listing = listingOf(asked, now, deps.timezone);
  if (!listing) return problem({ kind: 'upstream', what: 'list' });
  try {
    const result = await readListPage(deps.helpdesk, listing, asked.page, deps.pageSize, call);
    // Its pages are the pages as of its first (a version 1 value has fixed ranges instead).
    const legacy = asked.filter.created !== undefined || asked.filter.updated !== undefined;
    const list: ListState = { ...asked, page: result.page, ...(legacy ? {} : { anchor: listing.anchor }) };
    return await drawList({ list, page: { ...result, tickets: result.tickets.map(rowOf) }, asked: asked.page, at: now }, audience, deps);
  } catch (error) {
    return problem(problemFor(error, 'list'));
  }
}

/** A list page as it was read: drawn again, as it was, once its questions have come. */
export interface ReadPage {
  /** The list as shown: anchored, at the page shown. */
  list: ListState;
  page: ListPage;
  /** The page asked for (past the end, another was shown). */
  asked: number;
  /** When it was read. */
  at: number;
}

/**
 * What a list row shows of a ticket, and no more: the page is kept (for its questions, see
 * watch/questions.ts) and drawn again from it.
 */
function rowOf(t: Ticket): Ticket {
  const person = (p: Person): Person => ({ ...(p.id !== undefined ? { id: p.id } : {}), ...(p.name !== undefined ? { name: p.name } : {}) });
  const times = { ...(t.createdAt !== undefined ? { createdAt: t.createdAt } : {}), ...(t.closedAt !== undefined ? { closedAt: t.closedAt } : {}) };
  return {
    id: t.id,
    ...(t.status !== undefined ? { status: t.status } : {}),
    ...(t.guest ? { guest: person(t.guest) } : {}),
    ...(t.agentOwner ? { agentOwner: person(t.agentOwner) } : {}),
    agents: t.agents.map(person),
    collaborators: t.collaborators.map(person),
    ...times,
    tags: t.tags.map((tag) => ({ name: tag.name })),
    durations: {},
    customFields: [],
    comments: [],
  };
}

/** Draws a list page that was read, with the questions at hand (the others come later, see watch/questions.ts). */
export async function drawList(read: ReadPage, audience: Audience, deps: ViewDeps): Promise<Outcome> {
  const { list, page: result } = read;
  const { pageSize, timezone } = deps;
  const listing = listingOf(list, read.at, timezone);
  if (!listing) return problem({ kind: 'upstream', what: 'list' });
  const at = (page: number) => deps.values.encode({ view: { kind: 'list', list: { ...list, page } }, fresh: false, chatId: audience.chatId, chatType: audience.chatType });
  const { anchor: _anchor, ...unanchored } = list;
  const paged = result.lastPage > 1;
  const also = listWords(list);
  const asking = !audience.hide.includes('conversation');
  const questions = asking ? await deps.helpdesk.knownFirstMessages(result.tickets.map((t) => t.id)) : new Map<string, string>();
  const card = listCard({
    query: describeQuery(listing.shown, list.names, timezone, { mine: list.mine === true, times: listing.specs, unassigned: list.unassigned === true, ...(list.scores ? { scores: list.scores } : {}) }),
    used: filtersUsed(listing.shown),
    page: list.page,
    pageSize,
    total: result.total,
    lastPage: result.lastPage,
    capped: result.capped,
    ...(result.read ? { read: result.read } : {}),
    tickets: result.tickets,
    ...(asking ? { questions } : {}),
    ...(list.filter.agentId ? { agentId: list.filter.agentId, agentName: list.names[list.filter.agentId] } : {}),
    timezone,
    now: read.at,
    ...(read.asked !== list.page ? { pastEnd: read.asked } : {}),
    hideGuestName: audience.hide.includes('name'),
    ...(also !== undefined ? { also } : {}),
    actions: {
      open: (ticketId) => deps.values.encode({ view: { kind: 'ticket', ticketId, back: list }, fresh: false, chatId: audience.chatId, chatType: audience.chatType }),
      ...(paged && list.page > 1 ? { prev: at(Math.min(list.page - 1, result.lastPage)) } : {}),
      ...(paged && list.page < result.lastPage ? { next: at(list.page + 1) } : {}),
      paged,
      // Refresh means now: the list anchored again, at the click.
      refresh: deps.values.encode({ view: { kind: 'list', list: unanchored }, fresh: true, chatId: audience.chatId, chatType: audience.chatType }),
      // The form filled in with this list's filters, for a list of now.
      filter: deps.values.encode({ view: { kind: 'filter', list: { ...unanchored, page: 1 } }, fresh: false, chatId: audience.chatId, chatType: audience.chatType }),
    },
  });
  const pending = result.tickets.filter((t) => asking && !questions.has(t.id)).map((t) => ({ id: t.id, ...(t.guest?.id ? { guestId: t.guest.id } : {}) }));
  return { card, outcome: 'ok', ticketIds: result.tickets.map((t) => t.id), view: { kind: 'list', list }, read, ...(pending.length ? { pendingQuestions: pending } : {}) };
}
