// The queue board's numbers. Counts by status are the list API's `total` for that status with
// page_size 1 (one call each, exact whatever the size of the helpdesk). The API has no filter for
// "unassigned" or "by agent", so those, and the oldest open ticket, come from reading the open
// tickets themselves, 200 a page, at most READ_PAGES pages: past that the board says how many
// it read. Every call goes through the resilient helpdesk (its cache, rate limit and budget).
import type { CallOptions, Helpdesk } from '../helpdesk/api.js';
import type { Ticket, TicketFilter } from '../helpdesk/types.js';

export const OPEN_STATUSES = [1, 2, 3, 4, 5] as const;
export const OPEN: TicketFilter = { statuses: [...OPEN_STATUSES] };
/** The list API's largest page. */
export const READ_PAGE_SIZE = 200;
/** Pages of open tickets read for the unassigned, per-agent and oldest figures. */
export const READ_PAGES = 5;

export interface BoardCounts {
  /** Each open status with the number of tickets in it. */
  byStatus: { status: number; count: number }[];
  /** Open tickets in all (the API's total). */
  open: number;
  /** How many open tickets were read for the figures below (all of them, unless capped). */
  read: number;
  unassigned: number;
  /** Agents with open tickets (any agent on a ticket, as the list API's agent filter counts). */
  agents: { id: string; name: string; count: number }[];
  oldest?: { id: string; createdAt: number };
}

/** A ticket no agent has taken. */
export const isUnassigned = (t: Ticket): boolean => t.agents.length === 0 && t.agentOwner === undefined;

/** Reads the tickets matching `filter`, up to READ_PAGES pages; with the API's total. */
export async function readTickets(helpdesk: Helpdesk, filter: TicketFilter, call: CallOptions): Promise<{ total: number; tickets: Ticket[] }> {
  const first = await helpdesk.listTickets(filter, 1, READ_PAGE_SIZE, call);
  const pages = Math.min(READ_PAGES, Math.ceil(first.total / READ_PAGE_SIZE));
  const rest = await Promise.all(Array.from({ length: Math.max(0, pages - 1) }, (_, i) => helpdesk.listTickets(filter, i + 2, READ_PAGE_SIZE, call)));
  const seen = new Set<string>();
  const tickets = [first, ...rest].flatMap((p) => p.tickets).filter((t) => !seen.has(t.id) && !!seen.add(t.id));
  return { total: first.total, tickets };
}

export async function countBoard(helpdesk: Helpdesk, call: CallOptions): Promise<BoardCounts> {
  const [byStatus, open] = await Promise.all([
    Promise.all(OPEN_STATUSES.map(async (status) => ({ status, count: (await helpdesk.listTickets({ statuses: [status] }, 1, 1, call)).total }))),
    readTickets(helpdesk, OPEN, call),
  ]);
  const agents = new Map<string, { id: string; name: string; count: number }>();
  for (const t of open.tickets) {
    const people = [...(t.agentOwner ? [t.agentOwner] : []), ...t.agents];
    const ids = new Set(people.map((p) => p.id).filter((id): id is string => id !== undefined));
    for (const id of ids) {
      const name = people.find((p) => p.id === id)?.name ?? id;
      const entry = agents.get(id) ?? { id, name, count: 0 };
      entry.count += 1;
      agents.set(id, entry);
    }
  }
  const oldest = open.tickets.filter((t) => t.createdAt !== undefined).sort((a, b) => a.createdAt! - b.createdAt!)[0];
  return {
    byStatus,
    open: open.total,
    read: open.tickets.length,
    unassigned: open.tickets.filter(isUnassigned).length,
    agents: [...agents.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
    ...(oldest ? { oldest: { id: oldest.id, createdAt: oldest.createdAt! } } : {}),
  };
}
