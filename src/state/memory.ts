// The embedded default: all state in this process, as one instance needs it. No Redis, nothing
// to set up; each process limits itself alone. With a state file, the records and the work
// outlive the process (the file, and the work journal beside it); without one, all is lost with it.
import { randomBytes } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../resilience/clock.js';
import type { Job } from '../jobs/job.js';
import type { Logger } from '../obs/log.js';
import { acquire, SlidingWindow } from '../resilience/limiter.js';
import type { Sleep } from '../resilience/timing.js';
import { FileRecords } from './fileRecords.js';
import { WorkJournal, type JournaledJob } from './journal.js';
import { SeenKeys } from './seenKeys.js';
import {
  retryDelayMs,
  WORK_RETRY,
  type AddOptions,
  type CacheStore,
  type Claims,
  type Health,
  type JobRunner,
  type LimitKey,
  type Limiter,
  type Locks,
  type RecordChecks,
  type RetryPolicy,
  type State,
  type WorkQueue,
} from './types.js';

export interface MemoryStateOptions {
  clock: Clock;
  sleep: Sleep;
  log: Logger;
  /** Keys remembered for de-duplication (the oldest half is forgotten at once when full). */
  dedupeMaxEntries: number;
  /** Jobs held at once (waiting, running, or with a reply waiting); more are refused. */
  workMaxPending: number;
  /** Where watches, live cards and boards are kept across restarts; undefined: memory only. */
  recordsFile?: string;
  /** The setting that names the file, for messages to the operator. */
  recordsSetting?: string;
  /** What the records read from the file must look like (see FileRecords). */
  recordChecks?: RecordChecks;
  /** How a job that rejects is tried again (tests shorten it); WORK_RETRY otherwise, as on Redis. */
  workRetry?: RetryPolicy;
  /** Where accepted jobs are written down until they are run, so a crash loses none; undefined: memory only. */
  workJournal?: string;
}

/** Windows remembered (one per chat, plus the app's and the helpdesk's); far more than are active. */
const TRACKED_WINDOWS = 10_000;

export function memoryState(options: MemoryStateOptions): State {
  const journal = options.workJournal ? new WorkJournal(options.workJournal, options.log) : undefined;
  const work = new MemoryWork(options.workMaxPending, options.log, options.workRetry, journal);
  const caches = new Map<string, MemoryCache<unknown>>();
  const records = new FileRecords({
    ...(options.recordsFile ? { file: options.recordsFile } : {}),
    setting: options.recordsSetting ?? 'state.file',
    clock: options.clock,
    log: options.log,
    ...(options.recordChecks ? { checks: options.recordChecks } : {}),
  });
  return {
    backend: 'memory',
    claims: new MemoryClaims(options.dedupeMaxEntries, options.clock),
    work,
    limiter: new MemoryLimiter(options.clock, options.sleep),
    // One store per name, as on Redis, where every store of a name sees the same values.
    cache: <V>(name: string, limit: { ttlMs: number; maxEntries: number }) => {
      let cache = caches.get(name);
      if (!cache) caches.set(name, (cache = new MemoryCache<unknown>(limit, options.clock)));
      return cache as CacheStore<V>;
    },
    // Only the files can fail: while one cannot be written, what changes would not survive a restart.
    health: (): Health => {
      const kept = records.health();
      return kept.ok && journal ? journal.health() : kept;
    },
    records,
    locks: new MemoryLocks(options.clock),
    async ready() {
      await records.load();
      // What the last process accepted and did not run: run now (once the queue starts).
      if (journal) work.restore(journal.open());
    },
    // What cannot be written now was said in the log when it first failed.
    close: () =>
      records
        .sync()
        .catch(() => undefined)
        .finally(() => {
          records.close();
          journal?.close();
        }),
  };
}

/**
 * Handled keys in SeenKeys (two generations of Maps: flat memory once full), one per TTL settled
 * with (the bot uses one); keys being taken right now in a small Map, each until its hold ends
 * (settled or released long before, normally).
 */
class MemoryClaims implements Claims {
  private readonly done = new Map<number, SeenKeys>();
  private readonly held = new Map<string, number>();

  constructor(
    /** Keys remembered per TTL; more and the older half is forgotten at once. */
    private readonly maxEntries: number,
    private readonly clock: Clock,
  ) {}

  async claim(key: string, holdMs: number) {
    for (const [ttl, seen] of this.done) {
      if (seen.has(key)) return 'done' as const;
      // A TTL no longer settled with goes once its keys have.
      if (seen.size === 0) this.done.delete(ttl);
    }
    const now = this.clock();
    const until = this.held.get(key);
    if (until !== undefined && until > now) return 'held' as const;
    if (this.held.size >= MAX_HELD) for (const [k, end] of this.held) if (end <= now) this.held.delete(k);
    this.held.set(key, now + holdMs);
    return 'mine' as const;
  }

  /** Remembered for `ttlMs` from now (settled again: from then, under the latest TTL only). */
  async settle(key: string, ttlMs: number) {
    this.held.delete(key);
    for (const [ttl, seen] of this.done) if (ttl !== ttlMs) seen.forget(key);
    let seen = this.done.get(ttlMs);
    if (!seen) this.done.set(ttlMs, (seen = new SeenKeys({ ttlMs, maxEntries: this.maxEntries }, this.clock)));
    seen.mark(key);
  }

  async release(key: string) {
    this.held.delete(key);
  }
}

/** Held keys beyond which expired holds are swept: deliveries in flight are far fewer. */
const MAX_HELD = 1000;

/** Each lock's lease and when its hold ends; ended holds are swept as new locks are taken. */
class MemoryLocks implements Locks {
  private readonly held = new Map<string, { lease: string; until: number }>();

  constructor(private readonly clock: Clock) {}

  async take(key: string, holdMs: number) {
    const now = this.clock();
    const current = this.held.get(key);
    if (current && current.until > now) return undefined;
    if (this.held.size >= MAX_HELD) for (const [k, { until }] of this.held) if (until <= now) this.held.delete(k);
    const lease = randomBytes(8).toString('hex');
    this.held.set(key, { lease, until: now + holdMs });
    return lease;
  }

  async give(key: string, lease: string) {
    if (this.held.get(key)?.lease === lease) this.held.delete(key);
  }
}

/**
 * Jobs run as soon as they are added (delayed ones when their time comes); the bot bounds its own
 * lookups (server.work_concurrency). A job whose run rejects is tried again as on Redis: after
 * 1 s, 2 s, 4 s, … (WORK_RETRY), then given up and logged. With a journal, a job is written down
 * before add() resolves (so before its delivery is acknowledged) and struck off once it has run
 * or been given up.
 */
export class MemoryWork implements WorkQueue {
  private readonly held = new Map<string, Promise<void>>();
  private readonly waiting: Pending[] = [];
  /** Delayed jobs, and jobs waiting to be tried again. */
  private readonly delayed = new Map<string, Pending & { timer: NodeJS.Timeout }>();
  private run: JobRunner | undefined;
  private stopped = false;

  constructor(
    private readonly maxPending: number,
    private readonly log: Logger,
    private readonly retry: RetryPolicy = WORK_RETRY,
    private readonly journal?: WorkJournal,
  ) {}

  async add(id: string, job: Job, options: AddOptions = {}): Promise<boolean> {
    if (this.held.has(id) || this.delayed.has(id) || this.waiting.some((w) => w.id === id)) return true;
    if (this.depth >= this.maxPending) return false;
    // While draining, follow-up work of the jobs still running (a coalesced post) runs at once:
    // nothing delayed may be left behind when the process ends.
    const delayMs = !this.stopped && options.delayMs !== undefined && options.delayMs > 0 ? options.delayMs : undefined;
    this.journal?.added(id, job, delayMs);
    this.enter({ id, job, attempt: 1 }, delayMs);
    return true;
  }

  /** Jobs the journal kept from the last process: queued as they were, without writing them again. */
  restore(jobs: readonly JournaledJob[]): void {
    const now = Date.now();
    for (const { id, job, due } of jobs) this.enter({ id, job, attempt: 1 }, due !== undefined && due > now ? due - now : undefined);
  }

  private enter(pending: Pending, delayMs: number | undefined): void {
    if (delayMs !== undefined) this.later(pending, delayMs);
    else this.begin(pending);
  }

  start(run: JobRunner): void {
    this.run = run;
    for (const pending of this.waiting.splice(0)) this.launch(pending, run);
  }

  get depth(): number {
    return this.held.size + this.waiting.length + this.delayed.size;
  }

  async drain(timeoutMs: number): Promise<boolean> {
    this.stopped = true;
    // Delayed jobs (and those waiting to be tried again) were accepted: they run now rather than
    // being lost with the process.
    for (const id of [...this.delayed.keys()]) {
      clearTimeout(this.delayed.get(id)!.timer);
      this.due(id);
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const idle = (async () => {
      while (this.held.size > 0) await Promise.all(this.held.values());
      return this.waiting.length === 0;
    })();
    try {
      return await Promise.race([idle, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private later(pending: Pending, ms: number): void {
    const timer = setTimeout(() => this.due(pending.id), ms);
    this.delayed.set(pending.id, { ...pending, timer });
  }

  private due(id: string): void {
    const entry = this.delayed.get(id);
    if (!entry) return;
    this.delayed.delete(id);
    this.begin({ id, job: entry.job, attempt: entry.attempt });
  }

  private begin(pending: Pending): void {
    if (this.run) this.launch(pending, this.run);
    else this.waiting.push(pending);
  }

  private launch(pending: Pending, run: JobRunner): void {
    const { id, job, attempt } = pending;
    let running: Promise<void>;
    try {
      running = run(job);
    } catch (error) {
      running = Promise.reject(error);
    }
    const task = running
      .then(
        () => this.journal?.done(id),
        (error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          // While draining nothing would be left to try it again: it is given up at once.
          if (attempt < this.retry.attempts && !this.stopped) {
            this.log.warn('work.retry', { job: job.kind, attempt, error: message });
            this.later({ id, job, attempt: attempt + 1 }, retryDelayMs(this.retry, attempt));
          } else {
            this.log.error('work.failed', { job: job.kind, attempt, error: message });
            this.journal?.done(id);
          }
        },
      )
      .finally(() => {
        if (this.held.get(id) === task) this.held.delete(id);
      });
    this.held.set(id, task);
  }
}

/** A job this queue holds, and which attempt at it is next. */
interface Pending {
  id: string;
  job: Job;
  attempt: number;
}

class MemoryLimiter implements Limiter {
  private readonly windows = new LRUCache<string, SlidingWindow>({ max: TRACKED_WINDOWS });

  constructor(
    private readonly clock: Clock,
    private readonly sleep: Sleep,
  ) {}

  acquire(keys: readonly LimitKey[], latest: number, queue: { maxQueue: number; maxWaitMs: number }): Promise<boolean> {
    // No window, nothing to wait for (the shared pacing would look for a slot forever).
    if (keys.length === 0) return Promise.resolve(true);
    const windows = keys.map(({ key, limit }) => {
      let window = this.windows.get(key);
      if (!window) this.windows.set(key, (window = new SlidingWindow(limit)));
      return window;
    });
    return acquire(windows, latest, queue, this.clock, this.sleep);
  }
}

class MemoryCache<V> implements CacheStore<V> {
  private readonly values: LRUCache<string, { value: V }>;
  readonly pollMs = 0;

  constructor(limit: { ttlMs: number; maxEntries: number }, clock: Clock) {
    // ttlResolution 0: read the (injected) clock on every check rather than a cached "now".
    // The TTL in whole ms, rounded up, as Redis keeps it (LRUCache takes nothing else).
    this.values = new LRUCache({ max: limit.maxEntries, ttl: Math.max(1, Math.ceil(limit.ttlMs)), ttlResolution: 0, perf: { now: clock } });
  }

  // Copies in and out, as a store outside the process would give: a caller that changes what it
  // stored or was given changes no one else's value.
  async get(key: string) {
    const entry = this.values.get(key);
    return entry && structuredClone(entry.value);
  }

  async set(key: string, value: V) {
    this.values.set(key, { value: structuredClone(value) });
  }

  /** Concurrent loads in one process already share one call (resilience/cache.ts). */
  async lease() {
    return true;
  }

  async unlease() {}
}
