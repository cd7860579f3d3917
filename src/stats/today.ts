// The day so far, for the board's small chart: the tickets created and closed since midnight (the
// configured zone), by id, so that a ticket event adds its ticket once however often it comes. A
// count reads them (created today; closed ones changed today, kept if they were closed today),
// 200 a page and at most READ_PAGES pages each, past which the chart says it is partial; each
// ticket event then notes its ticket with no call, and at midnight the day starts afresh.
import { DateTime } from 'luxon';
import { CLOSED_STATUSES } from '../commands/filters/statuses.js';
import type { CallOptions, Helpdesk } from '../helpdesk/api.js';
import { readTickets } from '../helpdesk/read.js';
import type { Ticket } from '../helpdesk/types.js';
import type { DayByHour } from '../cards/board.js';
import { periodOf } from './request.js';
import { perBucket } from './figures.js';

export interface DayTickets {
  /** Midnight, in the zone, of the day these are of (epoch ms). */
  start: number;
  /** Ticket id -> when it was created, or closed, that day. */
  created: Record<string, number>;
  closed: Record<string, number>;
  /** More tickets than were read: the chart counts those read (and those noted since). */
  partial: boolean;
}

const midnight = (now: number, timezone: string) => DateTime.fromMillis(now, { zone: timezone }).startOf('day').toMillis();

export async function readDay(helpdesk: Helpdesk, now: number, timezone: string, call: CallOptions): Promise<DayTickets> {
  // As /stats today: the same queries within a minute, so the caches serve a count done again.
  const { range } = periodOf({ filter: {}, names: {}, period: 'today' }, now, timezone)!;
  const [created, closed] = await Promise.all([readTickets(helpdesk, { created: range }, call), readTickets(helpdesk, { statuses: [...CLOSED_STATUSES], updated: range }, call)]);
  const day: DayTickets = { start: range.start, created: {}, closed: {}, partial: created.tickets.length < created.total || closed.tickets.length < closed.total };
  return [...created.tickets, ...closed.tickets].reduce((d, t) => note(d, t), day);
}

/** The day with this ticket as it is now (a new day begins empty); undefined if there is no day yet. */
export function noteDay(day: DayTickets | undefined, ticket: Ticket, now: number, timezone: string): DayTickets | undefined {
  if (!day) return undefined;
  const today = midnight(now, timezone);
  return note(day.start === today ? day : { start: today, created: {}, closed: {}, partial: false }, ticket);
}

function note(day: DayTickets, t: Ticket): DayTickets {
  const created = t.createdAt !== undefined && t.createdAt >= day.start ? { ...day.created, [t.id]: t.createdAt } : day.created;
  // A ticket closed today counts while it stays closed (as /stats counts closed tickets).
  const closedToday = (t.status ?? 0) >= 50 && t.closedAt !== undefined && t.closedAt >= day.start;
  const { [t.id]: _was, ...others } = day.closed;
  return { ...day, created, closed: closedToday ? { ...others, [t.id]: t.closedAt! } : others };
}

/** Created and closed per hour, from midnight to now (nothing for a day that is over). */
export function dayByHour(day: DayTickets, now: number, timezone: string): DayByHour {
  const { range, buckets } = periodOf({ filter: {}, names: {}, period: 'today' }, now, timezone)!;
  const current = day.start === range.start;
  const count = (times: Record<string, number>) => perBucket(current ? Object.values(times) : [], buckets);
  return { hours: buckets.map((b) => b.start), created: count(day.created), closed: count(day.closed), partial: current && day.partial };
}
