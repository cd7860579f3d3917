// The embedded default: all state in this process, as one instance needs it. No Redis, nothing
// to set up; what it remembers is lost with the process, and each process limits itself alone.
import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';
import type { Job } from '../jobs.js';
import type { Logger } from '../log.js';
import { acquire, SlidingWindow } from '../resilience/limiter.js';
import type { Sleep } from '../resilience/timing.js';
import type { CacheStore, Claims, Health, JobRunner, LimitKey, Limiter, State, WorkQueue } from './types.js';

export interface MemoryStateOptions {
  clock: Clock;
  sleep: Sleep;
  log: Logger;
  /** Keys remembered for de-duplication (the oldest are forgotten first). */
  dedupeMaxEntries: number;
  /** Jobs held at once (waiting, running, or with a reply waiting); more are refused. */
  workMaxPending: number;
}

/** Windows remembered (one per chat, plus the app's and the helpdesk's); far more than are active. */
const TRACKED_WINDOWS = 10_000;

export function memoryState(options: MemoryStateOptions): State {
  const work = new MemoryWork(options.workMaxPending, options.log);
  return {
    backend: 'memory',
    claims: new MemoryClaims(options.dedupeMaxEntries, options.clock),
    work,
    limiter: new MemoryLimiter(options.clock, options.sleep),
    cache: <V>(_name: string, limit: { ttlMs: number; maxEntries: number }) => new MemoryCache<V>(limit, options.clock),
    health: (): Health => ({ ok: true }),
    ready: async () => undefined,
    close: async () => undefined,
  };
}

class MemoryClaims implements Claims {
  private readonly keys: LRUCache<string, 'held' | 'done'>;

  constructor(max: number, clock: Clock) {
    this.keys = new LRUCache({ max, ttlAutopurge: false, ttlResolution: 0, perf: { now: clock } });
  }

  async claim(key: string, holdMs: number) {
    const seen = this.keys.get(key);
    if (seen) return seen;
    this.keys.set(key, 'held', { ttl: holdMs });
    return 'mine' as const;
  }

  async settle(key: string, ttlMs: number) {
    this.keys.set(key, 'done', { ttl: ttlMs });
  }

  async release(key: string) {
    this.keys.delete(key);
  }
}

/** Jobs run as soon as they are added; the bot bounds its own lookups (server.work_concurrency). */
export class MemoryWork implements WorkQueue {
  private readonly held = new Map<string, Promise<void>>();
  private readonly waiting: { id: string; job: Job }[] = [];
  private run: JobRunner | undefined;
  private stopped = false;

  constructor(
    private readonly maxPending: number,
    private readonly log: Logger,
  ) {}

  async add(id: string, job: Job): Promise<boolean> {
    if (this.held.has(id) || this.waiting.some((w) => w.id === id)) return true;
    if (this.stopped || this.depth >= this.maxPending) return false;
    if (this.run) this.launch(id, job, this.run);
    else this.waiting.push({ id, job });
    return true;
  }

  start(run: JobRunner): void {
    this.run = run;
    for (const { id, job } of this.waiting.splice(0)) this.launch(id, job, run);
  }

  get depth(): number {
    return this.held.size + this.waiting.length;
  }

  async drain(timeoutMs: number): Promise<boolean> {
    this.stopped = true;
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
