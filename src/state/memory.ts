// The embedded default: all state in this process, as one instance needs it. No Redis, nothing
// to set up; what it remembers is lost with the process, and each process limits itself alone.
import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';
import type { Job } from '../jobs.js';
import type { Logger } from '../log.js';
import { acquire, SlidingWindow } from '../resilience/limiter.js';
import type { Sleep } from '../resilience/timing.js';
import { FileRecords } from './fileRecords.js';
import { SeenKeys } from './seenKeys.js';
import type { AddOptions, CacheStore, Claims, Health, JobRunner, LimitKey, Limiter, State, WorkQueue } from './types.js';

export interface MemoryStateOptions {
  clock: Clock;
  sleep: Sleep;
  log: Logger;
  /** Keys remembered for de-duplication (the oldest half is forgotten at once when full). */
  dedupeMaxEntries: number;
  /** Unused: each settle() names how long its key is remembered. Still accepted from older callers. */
  dedupeTtlMs?: number;
  /** Jobs held at once (waiting, running, or with a reply waiting); more are refused. */
  workMaxPending: number;
  /** Where watches, live cards and boards are kept across restarts; undefined: memory only. */
  recordsFile?: string;
  /** The setting that names the file, for messages to the operator. */
  recordsSetting?: string;
}

/** Windows remembered (one per chat, plus the app's and the helpdesk's); far more than are active. */
const TRACKED_WINDOWS = 10_000;

export function memoryState(options: MemoryStateOptions): State {
  const work = new MemoryWork(options.workMaxPending, options.log);
  const records = new FileRecords({
    ...(options.recordsFile ? { file: options.recordsFile } : {}),
    setting: options.recordsSetting ?? 'state.file',
    clock: options.clock,
    log: options.log,
  });
  return {
    backend: 'memory',
    claims: new MemoryClaims(options.dedupeMaxEntries, options.clock),
    work,
    limiter: new MemoryLimiter(options.clock, options.sleep),
    cache: <V>(_name: string, limit: { ttlMs: number; maxEntries: number }) => new MemoryCache<V>(limit, options.clock),
    health: (): Health => ({ ok: true }),
    records,
    ready: () => records.load(),
    close: () => records.sync(),
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

/**
 * Jobs run as soon as they are added (delayed ones when their time comes); the bot bounds its own
 * lookups (server.work_concurrency).
 */
export class MemoryWork implements WorkQueue {
  private readonly held = new Map<string, Promise<void>>();
  private readonly waiting: { id: string; job: Job }[] = [];
  private readonly delayed = new Map<string, { job: Job; timer: NodeJS.Timeout }>();
  private run: JobRunner | undefined;
  private stopped = false;

  constructor(
    private readonly maxPending: number,
    private readonly log: Logger,
  ) {}

  async add(id: string, job: Job, options: AddOptions = {}): Promise<boolean> {
    if (this.held.has(id) || this.delayed.has(id) || this.waiting.some((w) => w.id === id)) return true;
    if (this.depth >= this.maxPending) return false;
    // While draining, follow-up work of the jobs still running (a coalesced post) runs at once:
    // nothing delayed may be left behind when the process ends.
    if (!this.stopped && options.delayMs !== undefined && options.delayMs > 0) {
      const timer = setTimeout(() => this.due(id), options.delayMs);
      this.delayed.set(id, { job, timer });
    } else {
      this.begin(id, job);
    }
    return true;
  }

  start(run: JobRunner): void {
    this.run = run;
    for (const { id, job } of this.waiting.splice(0)) this.launch(id, job, run);
  }

  get depth(): number {
    return this.held.size + this.waiting.length + this.delayed.size;
  }

  async drain(timeoutMs: number): Promise<boolean> {
    this.stopped = true;
    // Delayed jobs were accepted: they run now rather than being lost with the process.
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

  private due(id: string): void {
    const entry = this.delayed.get(id);
    if (!entry) return;
    this.delayed.delete(id);
    this.begin(id, entry.job);
  }

  private begin(id: string, job: Job): void {
    if (this.run) this.launch(id, job, this.run);
    else this.waiting.push({ id, job });
  }

  private launch(id: string, job: Job, run: JobRunner): void {
    // A job that rejects asks to be run again later; in one process there is nothing that could
    // have become available meanwhile, so the failure is logged instead.
    const task = run(job)
      .catch((error: unknown) => this.log.error('work.failed', { job: job.kind, error: error instanceof Error ? error.message : String(error) }))
      .finally(() => this.held.delete(id));
    this.held.set(id, task);
  }
}

class MemoryLimiter implements Limiter {
  private readonly windows = new LRUCache<string, SlidingWindow>({ max: TRACKED_WINDOWS });

  constructor(
    private readonly clock: Clock,
    private readonly sleep: Sleep,
  ) {}

  acquire(keys: readonly LimitKey[], latest: number, queue: { maxQueue: number; maxWaitMs: number }): Promise<boolean> {
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
    this.values = new LRUCache({ max: limit.maxEntries, ttl: limit.ttlMs, ttlResolution: 0, perf: { now: clock } });
  }

  async get(key: string) {
    return this.values.get(key)?.value;
  }

  async set(key: string, value: V) {
    this.values.set(key, { value });
  }

  /** Concurrent loads in one process already share one call (resilience/cache.ts). */
  async lease() {
    return true;
  }

  async unlease() {}
}
