// The queue board's numbers. Counts by status are the list API's `total` for that status with
// page_size 1 (one call each, exact whatever the size of the helpdesk). The API has no filter for
// "unassigned" or "by agent", so those, and the oldest open ticket, come from reading the open
// tickets themselves, 200 a page, at most READ_PAGES pages: past that the board says how many
// it read. Every call goes through the resilient helpdesk (its cache, rate limit and budget).
import type { CallOptions, Helpdesk } from '../helpdesk/api.js';
import type { TicketFilter } from '../helpdesk/types.js';
import type { BoardCounts } from '../cards/board.js';
import { isUnassigned, readTickets } from '../helpdesk/read.js';
import { todayByHour } from '../stats/today.js';

export const OPEN_STATUSES = [1, 2, 3, 4, 5] as const;
export const OPEN: TicketFilter = { statuses: [...OPEN_STATUSES] };

/** The counts, and the day so far by hour (`now` and `timezone` say which day; without it, no chart). */
export async function countBoard(helpdesk: Helpdesk, call: CallOptions, day?: { now: number; timezone: string }): Promise<BoardCounts> {
  const [byStatus, open, today] = await Promise.all([
    Promise.all(OPEN_STATUSES.map(async (status) => ({ status, count: (await helpdesk.listTickets({ statuses: [status] }, 1, 1, call)).total }))),
    readTickets(helpdesk, OPEN, call),
    // The chart is extra: the counts show without it.
    day ? todayByHour(helpdesk, day.now, day.timezone, call).catch(() => undefined) : undefined,
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
    ...(today ? { today } : {}),
  };
}
