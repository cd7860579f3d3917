// Counting a /stats card's figures from the helpdesk list API, part by part, each told to the
// caller as it settles. Counts are the API's `total` at page size 1 (exact, one call each);
// durations and closing times need tickets, read 200 a page and at most READ_PAGES pages (a
// sample, said so on the card when it is not all of them). Every call goes through the resilient
// helpdesk (its caches, rate limit, retries and the deadline in `call`), and at most CONCURRENCY
// at a time, cheapest parts first: a /stats never fills the list API's queue, so commands asked
// meanwhile still get their turn.
import { setMaxListeners } from 'node:events';
import PQueue from 'p-queue';
import { OPEN_STATUSES, CLOSED_STATUSES } from '../commands/filters/vocabulary.js';
import { PlatformError } from '../feishu/errors.js';
import type { CallOptions, Helpdesk } from '../helpdesk/api.js';
import { readTickets } from '../helpdesk/read.js';
import type { TicketFilter } from '../helpdesk/types.js';
import type { Part, PartFailure, PartName, StatsParts } from '../cards/stats.js';
import { durationsOf, perBucket } from './figures.js';
import type { Period } from './request.js';

/** List calls of one /stats in flight at once. */
export const CONCURRENCY = 2;

export interface StatsRun {
  filter: TicketFilter;
  period: Period;
  /** When the figures were asked for: closed tickets are looked for up to then. */
  asOf: number;
  targetMs: number;
}

/** Told each part as it settles (never twice for one part, never after `signal` aborted). */
export type OnPart = <K extends PartName>(name: K, part: StatsParts[K]) => void;

const failure = (error: unknown): PartFailure => {
  const kind = error instanceof PlatformError ? error.kind : 'upstream';
  return kind === 'busy' || kind === 'rate-limited' || kind === 'timeout' || kind === 'unauthorized' ? kind : 'upstream';
};

/** Only the statuses of `of` the filter allows (all of them when it names none). */
const allowed = (filter: TicketFilter, of: readonly number[]): number[] => (filter.statuses ? of.filter((s) => filter.statuses!.includes(s)) : [...of]);

/**
 * Counts every part; resolves once all have settled. Aborting `signal` stops starting calls (those
 * under way finish and are cached, for whoever counts next) and no part is told after it.
 */
export async function countStats(run: StatsRun, helpdesk: Helpdesk, call: CallOptions, onPart: OnPart, signal?: AbortSignal): Promise<void> {
  const queue = new PQueue({ concurrency: CONCURRENCY });
  // Every queued call listens to the signal until it starts: dozens at once is expected.
  if (signal) setMaxListeners(0, signal);
  // Lower numbers wait: the parts are queued in the order they are most worth having early.
  const gated = (priority: number): Helpdesk => ({
    ...helpdesk,
    listTickets: (filter, page, pageSize, options) => queue.add(() => helpdesk.listTickets(filter, page, pageSize, options), { priority, ...(signal ? { signal } : {}) }),
  });
  const count = (filter: TicketFilter, priority: number) =>
    gated(priority)
      .listTickets(filter, 1, 1, call)
      .then((page) => page.total);
  const { filter, period } = run;

  const parts: { [K in PartName]: () => Promise<Exclude<StatsParts[K], { state: 'loading' | 'failed' }>['value']> } = {
    open: () => Promise.all(allowed(filter, OPEN_STATUSES).map(async (status) => ({ status, count: await count({ ...filter, statuses: [status] }, 5) }))),
    satisfaction: async () => {
      const inPeriod = { ...filter, created: period.range };
      // A score the filter already fixes leaves the other two at nought, without asking.
      const scored = (score: number) => (filter.score !== undefined && filter.score !== score ? Promise.resolve(0) : count({ ...inPeriod, score }, 4));
      const [total, one, two, three] = await Promise.all([count(inPeriod, 4), scored(1), scored(2), scored(3)]);
      return { scores: [one, two, three] as [number, number, number], total };
    },
    created: () => Promise.all(period.buckets.map((bucket) => count({ ...filter, created: bucket }, 3))),
    responses: async () => {
      const read = await readTickets(gated(2), { ...filter, created: period.range }, call);
      const durations = durationsOf(read.tickets, (t) => t.durations.agentFirstResponse);
      const metTarget = read.tickets.filter((t) => t.durations.agentFirstResponse !== undefined && t.durations.agentFirstResponse <= run.targetMs).length;
      return { total: read.total, read: read.tickets.length, ...durations, metTarget };
    },
    resolved: async () => {
      const statuses = allowed(filter, CLOSED_STATUSES);
      if (statuses.length === 0) return { total: 0, read: 0, closed: period.buckets.map(() => 0), agents: [] };
      // No filter on closing time: a ticket closed in the period was last updated in it or since.
      const read = await readTickets(gated(1), { ...filter, statuses, updated: { start: period.range.start, end: Math.max(run.asOf, period.range.end) } }, call);
      const closed = read.tickets.filter((t) => t.closedAt !== undefined && t.closedAt >= period.range.start && t.closedAt <= period.range.end);
      return {
        total: read.total,
        read: read.tickets.length,
        closed: perBucket(
          closed.map((t) => t.closedAt!),
          period.buckets,
        ),
        ...durationsOf(closed, (t) => t.durations.agentResolution),
      };
    },
  };

  await Promise.all(
    (Object.keys(parts) as PartName[]).map(async (name) => {
      let part: Part<unknown>;
      try {
        part = { state: 'ok', value: await parts[name]() };
      } catch (error) {
        if (signal?.aborted) return;
        part = { state: 'failed', why: failure(error) };
      }
      if (!signal?.aborted) onPart(name, part as StatsParts[typeof name]);
    }),
  );
}

/** Every part still loading. */
export const loadingParts = (): StatsParts => ({ created: { state: 'loading' }, open: { state: 'loading' }, satisfaction: { state: 'loading' }, responses: { state: 'loading' }, resolved: { state: 'loading' } });
