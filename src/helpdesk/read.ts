// Reading many tickets at once: the pages of a list, up to a bound, for what a single page cannot
// give (the board's unassigned and per-agent counts, a list the bot filters or merges itself, a
// watch's baseline). Every call goes through the resilient helpdesk (its cache, rate limit and budget).
import type { CallOptions, Helpdesk } from './api.js';
import type { Ticket, TicketFilter } from './types.js';

/** The list API's largest page. */
export const READ_PAGE_SIZE = 200;
/** Pages read at most (for the board: of open tickets, for its unassigned, per-agent and oldest figures). */
export const READ_PAGES = 5;

/** What a row or a post needs of a ticket, to be kept with it: its state, not its comment or custom fields. */
export const slim = ({ comments: _c, customFields: _f, ...rest }: Ticket): Ticket => ({ ...rest, comments: [], customFields: [] });

/** A ticket no agent has taken. */
export const isUnassigned = (t: Ticket): boolean => t.agents.length === 0 && t.agentOwner === undefined;

/** The agent a ticket is counted for: its owner, else the first agent on it. */
export function ownerOf(ticket: Ticket): { id: string; name: string } | undefined {
  const owner = ticket.agentOwner ?? ticket.agents[0];
  const id = owner?.id ?? owner?.name;
  return id === undefined ? undefined : { id, name: owner?.name ?? id };
}

/** Tickets read at most for one filter. */
export const READ_ROWS = READ_PAGES * READ_PAGE_SIZE;

/** Reads the tickets matching `filter`, up to `rows` (READ_ROWS at most); with the API's total. */
export async function readTickets(helpdesk: Helpdesk, filter: TicketFilter, call: CallOptions, rows = READ_ROWS): Promise<{ total: number; tickets: Ticket[] }> {
  const first = await helpdesk.listTickets(filter, 1, READ_PAGE_SIZE, call);
  const pages = Math.min(Math.ceil(Math.min(rows, READ_ROWS) / READ_PAGE_SIZE), Math.ceil(first.total / READ_PAGE_SIZE));
  const rest = await Promise.all(Array.from({ length: Math.max(0, pages - 1) }, (_, i) => helpdesk.listTickets(filter, i + 2, READ_PAGE_SIZE, call)));
  const seen = new Set<string>();
  const tickets = [first, ...rest].flatMap((p) => p.tickets).filter((t) => !seen.has(t.id) && !!seen.add(t.id));
  return { total: first.total, tickets };
}
