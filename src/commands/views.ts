// Shows a View (a list page or a ticket) as a card. Typed commands and button clicks both end
// here, so a page reached by "Next" looks exactly like the same page typed as a command.
import { describeFilter } from '../../cards/describe.js';
import type { Json } from '../../cards/kit.js';
import { listCard } from '../../cards/list.js';
import { problemCard } from '../../cards/problem.js';
import { ticketCard, type GuestField } from '../../cards/ticket.js';
import type { ButtonValues, ListState, View } from '../actions/values.js';
import type { ChatType } from '../feishu/types.js';
import type { CallOptions, Helpdesk } from '../helpdesk/api.js';
import { lastReachablePage, pages } from '../helpdesk/paging.js';
import { problemFor } from './problems.js';

export interface ViewDeps {
  helpdesk: Helpdesk;
  values: ButtonValues;
  timezone: string;
  pageSize: number;
}

/** Where the card goes: decides the buttons' bound chat and which guest details are hidden. */
export interface Audience {
  chatId: string;
  chatType: ChatType;
  hide: readonly GuestField[];
}

export interface Outcome {
  card: Json;
  /** For the log line: "ok" or the problem's kind. */
  outcome: string;
  /** Ticket ids shown, for the log line. */
  ticketIds: string[];
}

export function showView(view: View, audience: Audience, call: CallOptions, deps: ViewDeps): Promise<Outcome> {
  return view.kind === 'list' ? showList(view.list, audience, call, deps) : showTicket(view.ticketId, view.back, audience, call, deps);
}

async function showTicket(id: string, back: ListState | undefined, audience: Audience, call: CallOptions, deps: ViewDeps): Promise<Outcome> {
  const value = (v: View, fresh = false) => deps.values.encode({ view: v, fresh, chatId: audience.chatId, chatType: audience.chatType });
  try {
    const ticket = await deps.helpdesk.getTicket(id, call);
    const actions = {
      refresh: value({ kind: 'ticket', ticketId: id, ...(back ? { back } : {}) }, true),
      ...(back ? { back: value({ kind: 'list', list: back }) } : {}),
    };
    return { card: ticketCard(ticket, { timezone: deps.timezone, hide: audience.hide, actions }), outcome: 'ok', ticketIds: [id] };
  } catch (error) {
    const problem = problemFor(error, 'ticket', id);
    return { card: problemCard(problem), outcome: problem.kind, ticketIds: [id] };
  }
}

async function showList(list: ListState, audience: Audience, call: CallOptions, deps: ViewDeps): Promise<Outcome> {
  const { pageSize } = deps;
  const lastPage = lastReachablePage(pageSize);
  if (list.page > lastPage) {
    // The API refuses pages past 10,000 rows: never ask it.
    const problem = { kind: 'page-out-of-reach' as const, page: list.page, lastPage };
    return { card: problemCard(problem), outcome: problem.kind, ticketIds: [] };
  }
  const at = (page: number, fresh = false) =>
    deps.values.encode({ view: { kind: 'list', list: { ...list, page } }, fresh, chatId: audience.chatId, chatType: audience.chatType });
  try {
    const result = await deps.helpdesk.listTickets(list.filter, list.page, pageSize, call);
    const p = pages(result.total, pageSize);
    const card = listCard({
      description: describeFilter(list.filter, list.names, deps.timezone, list.mine),
      page: list.page,
      pageSize,
      total: result.total,
      tickets: result.tickets,
      timezone: deps.timezone,
      actions: {
        open: (ticketId) => deps.values.encode({ view: { kind: 'ticket', ticketId, back: list }, fresh: false, chatId: audience.chatId, chatType: audience.chatType }),
        ...(list.page > 1 ? { prev: at(Math.min(list.page - 1, p.lastReachable)) } : {}),
        ...(list.page < p.lastReachable ? { next: at(list.page + 1) } : {}),
        refresh: at(list.page, true),
      },
    });
    return { card, outcome: 'ok', ticketIds: result.tickets.map((t) => t.id) };
  } catch (error) {
    const problem = problemFor(error, 'list');
    return { card: problemCard(problem), outcome: problem.kind, ticketIds: [] };
  }
}
