// `/stats [time] [filters]` -> what to count: the /tickets filters (read by the same parser, so
// the same words mean the same tickets) over a period of creation time, the last 7 days unless a
// time is given. The period stays as words and is resolved at the moment the figures are asked
// for (`asOf`), so a card filled in later by another instance counts exactly the same period.
import { parseTicketQuery } from '../commands/filters/index.js';
import { readTimeWords, resolveTime, type TimeRange } from '../commands/filters/time.js';
import type { Problem, StatsRefusal } from '../commands/problems.js';
import type { Known } from '../commands/filters/types.js';
import type { TicketFilter } from '../helpdesk/types.js';
import type { Mention } from '../jobs/types.js';
import type { BucketUnit } from '../cards/stats.js';
import { bucketsOf } from './buckets.js';

/** What a /stats card counts: plain data, carried by the job that fills the card in. */
export interface StatsQuery {
  /** The /tickets filters, without a time. */
  filter: TicketFilter;
  /** open_id -> name, for people taken from mentions (the title names them). */
  names: Record<string, string>;
  /** The agent filter is the person who asked. */
  mine?: boolean;
  /** The period as time words ("7d", "today", "2026-11-01..2026-11-20"). */
  period: string;
}

export const DEFAULT_PERIOD = '7d';
/** Longer periods would need too many counts: a year is 13 months. */
const MAX_PERIOD_MS = 366 * 24 * 3_600_000;
/** Examples on a /stats error card; each finds tickets in the demo helpdesk (test/integration/examples.test.ts). */
export const STATS_EXAMPLES = ['7d', '30d tag VIP', 'today', 'mine 7d', '近30天', '近7天 标签 报销'];

/**
 * `known`: the helpdesk's tags and people (the directory's), so the words read as they do in
 * /tickets. What the list API cannot count (no agent, several scores) and a second time are
 * refused, saying why.
 */
export function parseStats(args: string, asker: { openId: string; mentions: Mention[] }, now: number, timezone: string, known?: Known): { query: StatsQuery } | { problem: Problem } {
  const parsed = parseTicketQuery(args, { now, timezone, askerOpenId: asker.openId, mentions: asker.mentions, ...(known ? { known } : {}) });
  if (!parsed.ok) return { problem: { kind: 'filter', error: parsed.error, examples: STATS_EXAMPLES, command: '/stats' } };
  const { filter, times, scores, unassigned, page, names } = parsed.query;
  const refuse = (word: string, why: StatsRefusal): { problem: Problem } => ({ problem: { kind: 'stats-filter', word, why } });
  if (times.updated !== undefined) return refuse(times.updated, 'updated');
  if (page !== 1) return refuse(String(page), 'page');
  if (unassigned) return refuse('unassigned', 'unassigned');
  if (scores) return refuse(`${Math.min(...scores)}-${Math.max(...scores)}`, 'scores');
  // `closed 7d` asks for the closed tickets of a period: that period.
  if (times.created !== undefined && times.closed !== undefined) return refuse(times.closed, 'two-times');
  const { created: _created, updated: _updated, ...rest } = filter;
  const period = times.created ?? times.closed ?? DEFAULT_PERIOD;
  const range = periodRange(period, now, timezone);
  if (range && range.end - range.start > MAX_PERIOD_MS) return refuse(period, 'too-long');
  const mine = rest.agentId === asker.openId && !names[asker.openId];
  return { query: { filter: rest, names, ...(mine ? { mine } : {}), period } };
}

/** The period's range at `asOf`, or undefined for words that are not a time (never from parseStats). */
export function periodRange(period: string, asOf: number, timezone: string): TimeRange | undefined {
  const spec = readTimeWords(period);
  const resolved = spec && resolveTime(spec, asOf, timezone);
  return resolved?.ok ? resolved.range : undefined;
}

export interface Period {
  range: TimeRange;
  unit: BucketUnit;
  buckets: TimeRange[];
}

/**
 * The period and its buckets, as the card and the counts use them. A period ending now ends at the
 * end of this minute: counts asked again within the minute (another /stats, a digest) are the same
 * queries, so the caches answer them.
 */
export function periodOf(query: StatsQuery, asOf: number, timezone: string): Period | undefined {
  const range = periodRange(query.period, Math.floor(asOf / 60_000) * 60_000 + 59_999, timezone);
  return range && { range, ...bucketsOf(range, timezone) };
}
