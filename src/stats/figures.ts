// The figures a sample of tickets gives: the median and 90th percentile of a duration, overall and
// for the agents with the most tickets, how many met a target, and tickets per bucket of time.
// Pure: the tickets in, the numbers out.
import { ownerOf } from '../helpdesk/read.js';
import type { Ticket } from '../helpdesk/types.js';
import type { AgentDurations, Durations } from '../cards/stats.js';
import type { TimeRange } from '../commands/filters/time.js';

/** Agents shown per duration chart: the ones with the most tickets. */
export const TOP_AGENTS = 5;

/** The q-quantile of sorted values, interpolating between the two nearest ranks (the median of 1, 2 is 1.5). */
export function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const high = Math.ceil(at);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (at - low);
}

/** Median and 90th percentile of the values, or undefined for none. */
export function summarize(values: readonly number[]): Durations | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return { count: sorted.length, median: quantile(sorted, 0.5), p90: quantile(sorted, 0.9) };
}

/** A duration of each ticket that has it, summarized overall and for the TOP_AGENTS agents with the most. */
export function durationsOf(tickets: readonly Ticket[], pick: (t: Ticket) => number | undefined): { overall?: Durations; agents: AgentDurations[] } {
  const all: number[] = [];
  const byAgent = new Map<string, { name: string; values: number[] }>();
  for (const ticket of tickets) {
    const value = pick(ticket);
    if (value === undefined) continue;
    all.push(value);
    const owner = ownerOf(ticket);
    if (!owner) continue;
    const entry = byAgent.get(owner.id) ?? { name: owner.name, values: [] };
    entry.values.push(value);
    byAgent.set(owner.id, entry);
  }
  const agents = [...byAgent.values()]
    .sort((a, b) => b.values.length - a.values.length || a.name.localeCompare(b.name))
    .slice(0, TOP_AGENTS)
    .map(({ name, values }) => ({ name, ...summarize(values)! }));
  const overall = summarize(all);
  return { ...(overall ? { overall } : {}), agents };
}

/** How many of the times fall in each bucket (buckets are sorted and do not overlap). */
export function perBucket(times: readonly number[], buckets: readonly TimeRange[]): number[] {
  const counts = buckets.map(() => 0);
  for (const time of times) {
    const i = buckets.findIndex((b) => time >= b.start && time <= b.end);
    if (i >= 0) counts[i]! += 1;
  }
  return counts;
}
