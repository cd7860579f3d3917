// The day so far by hour, for the board's small chart: tickets created and closed in each hour
// since midnight (the configured zone). The list API counts neither by hour in one call, so both
// come from reading the day's tickets (created today; closed ones changed today, kept if they were
// closed today), 200 a page and at most READ_PAGES pages each; past that the chart says it is partial.
import { CLOSED_STATUSES } from '../commands/filters/vocabulary.js';
import type { CallOptions, Helpdesk } from '../helpdesk/api.js';
import { readTickets } from '../helpdesk/read.js';
import type { DayByHour } from '../cards/board.js';
import { periodOf } from './request.js';
import { perBucket } from './figures.js';

export async function todayByHour(helpdesk: Helpdesk, now: number, timezone: string, call: CallOptions): Promise<DayByHour> {
  // As /stats today: the same queries within a minute, so the caches serve a board counted again.
  const { range, buckets } = periodOf({ filter: {}, names: {}, period: 'today' }, now, timezone)!;
  const [created, closed] = await Promise.all([readTickets(helpdesk, { created: range }, call), readTickets(helpdesk, { statuses: [...CLOSED_STATUSES], updated: range }, call)]);
  const closedToday = closed.tickets.flatMap((t) => (t.closedAt !== undefined && t.closedAt >= range.start && t.closedAt <= range.end ? [t.closedAt] : []));
  return {
    hours: buckets.map((b) => b.start),
    created: perBucket(
      created.tickets.flatMap((t) => (t.createdAt === undefined ? [] : [t.createdAt])),
      buckets,
    ),
    closed: perBucket(closedToday, buckets),
    partial: created.tickets.length < created.total || closed.tickets.length < closed.total,
  };
}
