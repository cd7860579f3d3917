// The queue board's numbers. The open tickets are read, 200 a page, at most READ_PAGES pages: when
// that is all of them (one call, for most helpdesks), every figure comes from them, and they are
// kept as the board's index, which each ticket event then brings up to date without a call. Past
// that many, the counts by status are the list API's totals (page_size 1, one call each) and the
// other figures count the tickets read (the board says how many). Recounts are background calls.
import type { CallOptions, Helpdesk } from '../helpdesk/api.js';
import { readTickets } from '../helpdesk/read.js';
import type { Ticket, TicketFilter } from '../helpdesk/types.js';
import type { BoardCounts } from '../cards/board.js';
import { OPEN_STATUSES } from '../commands/filters/statuses.js';
import { noteDay, readDay, type DayTickets } from '../stats/today.js';

export const OPEN: TicketFilter = { statuses: [...OPEN_STATUSES] };

/** What the board needs of an open ticket. */
export interface BoardTicket {
  id: string;
  status: number;
  createdAt?: number;
  guestId?: string;
  /** Its agents, its owner included. */
  agents: { id: string; name?: string }[];
}

/** The board's last count: its figures, and every open ticket when they could all be read. */
export interface BoardSnapshot {
  counts: BoardCounts;
  /** Every open ticket (absent when there were more than the board reads). */
  index?: BoardTicket[];
  /** When the figures were last brought up to date (a count, or a ticket event). */
  at: number;
  /** When the open tickets were last read. */
  countedAt: number;
  /** The day's tickets created and closed so far, for the chart of the day (absent if they could not be read). */
  day?: DayTickets;
}

const entryOf = (t: Ticket): BoardTicket => {
  const people = [...(t.agentOwner ? [t.agentOwner] : []), ...t.agents];
  const agents = [...new Map(people.flatMap((p) => (p.id ? [[p.id, { id: p.id, ...(p.name ? { name: p.name } : {}) }] as const] : []))).values()];
  return { id: t.id, status: t.status ?? 0, ...(t.createdAt !== undefined ? { createdAt: t.createdAt } : {}), ...(t.guest?.id ? { guestId: t.guest.id } : {}), agents };
};

/** Reads the open tickets and counts them, and the day's tickets in `timezone` (for the chart); `now` is the time of the count. */
export async function countBoard(helpdesk: Helpdesk, call: CallOptions, now: number, timezone?: string): Promise<BoardSnapshot> {
  const [open, day] = await Promise.all([
    readTickets(helpdesk, OPEN, call),
    // The chart is extra: the counts show without it.
    timezone ? readDay(helpdesk, now, timezone, call).catch(() => undefined) : undefined,
  ]);
  const entries = open.tickets.map(entryOf);
  const kept = { at: now, countedAt: now, ...(day ? { day } : {}) };
  if (open.tickets.length >= open.total) return { counts: countsOf(entries, entries.length), index: entries, ...kept };
  const byStatus = await Promise.all(OPEN_STATUSES.map(async (status) => ({ status, count: (await helpdesk.listTickets({ statuses: [status] }, 1, 1, call)).total })));
  return { counts: { ...countsOf(entries, open.total), byStatus }, ...kept };
}

/** The board's figures from the open tickets read; `open`: how many there are in all. */
export function countsOf(entries: readonly BoardTicket[], open: number): BoardCounts {
  const agents = new Map<string, { id: string; name: string; count: number }>();
  for (const t of entries) {
    for (const a of t.agents) {
      const entry = agents.get(a.id) ?? { id: a.id, name: a.name ?? a.id, count: 0 };
      entry.count += 1;
      agents.set(a.id, entry);
    }
  }
  const oldest = entries.filter((t) => t.createdAt !== undefined).sort((a, b) => a.createdAt! - b.createdAt! || (a.id < b.id ? -1 : 1))[0];
  return {
    byStatus: OPEN_STATUSES.map((status) => ({ status, count: entries.filter((t) => t.status === status).length })),
    open,
    read: entries.length,
    unassigned: entries.filter((t) => t.agents.length === 0).length,
    agents: [...agents.values()].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)),
    ...(oldest ? { oldest: { id: oldest.id, createdAt: oldest.createdAt!, ...(oldest.guestId ? { guestId: oldest.guestId } : {}) } } : {}),
  };
}

/**
 * The snapshot with a ticket as it is now (from its event), when the snapshot holds every open
 * ticket; undefined when it does not (a recount is needed). The day's tickets note it too.
 */
export function applyTicket(snapshot: BoardSnapshot, ticket: Ticket, now: number, timezone: string): BoardSnapshot | undefined {
  if (!snapshot.index) return undefined;
  const others = snapshot.index.filter((t) => t.id !== ticket.id);
  const open = (OPEN_STATUSES as readonly number[]).includes(ticket.status ?? 0);
  const index = open ? [...others, entryOf(ticket)] : others;
  const day = noteDay(snapshot.day, ticket, now, timezone);
  const counts = countsOf(index, index.length);
  // The oldest ticket's question, once found, stays while it is still the oldest.
  const question = snapshot.counts.oldest?.question;
  if (question !== undefined && counts.oldest && counts.oldest.id === snapshot.counts.oldest?.id) counts.oldest = { ...counts.oldest, question };
  return { ...snapshot, index, counts, at: now, ...(day ? { day } : {}) };
}
