// The state the bot shares between deliveries, jobs and instances, behind one small interface with
// two implementations: memory (one process, the embedded default) and Redis (many instances).
// Nothing above this layer knows which one it is talking to.
import type { Job } from '../jobs.js';
import type { QueueLimit, WindowLimit } from '../resilience/limiter.js';

/**
 * De-duplication in two steps, so a delivery that cannot be taken is never remembered as done:
 * `claim` holds the key briefly while the work is being stored, then `settle` remembers it for
 * the whole dedupe window, or `release` lets a redelivery have it.
 */
export interface Claims {
  /**
   * "mine": this caller holds the key for `holdMs`; "done": handled before (a duplicate);
   * "held": another delivery of it is being taken right now, elsewhere or here.
   */
  claim(key: string, holdMs: number): Promise<'mine' | 'done' | 'held'>;
  /** Remembers the key as handled for `ttlMs`. */
  settle(key: string, ttlMs: number): Promise<void>;
  /** Gives a held key back. */
  release(key: string): Promise<void>;
}

/** Runs a job to the end (its reply sent or given up); rejects to have it run again later. */
export type JobRunner = (job: Job) => Promise<void>;

/** How a job whose run rejected is tried again: the same on every backend. */
export interface RetryPolicy {
  /** Runs in all, the first included; after the last, the job is given up ("work.failed"). */
  attempts: number;
  /** The wait before the second run; it doubles before each one after that. */
  delayMs: number;
}

/** After 1 s, 2 s, 4 s, …: 10 runs span about 17 minutes of an outage of the shared state. */
export const WORK_RETRY: RetryPolicy = { attempts: 10, delayMs: 1000 };

/** The wait before the next run, after `attemptsMade` runs that rejected (BullMQ's "exponential"). */
export const retryDelayMs = (policy: RetryPolicy, attemptsMade: number): number => Math.round(2 ** (attemptsMade - 1) * policy.delayMs);

export interface AddOptions {
  /**
   * Run it no sooner than this many ms from now. A delayed job keeps its id while it waits, so
   * adding the same id again meanwhile is a no-op: that is how bursts are coalesced (one job per
   * window, on one process or across instances).
   */
  delayMs?: number;
}

/** Work accepted from the platform: stored before the acknowledgement, run by any instance. */
export interface WorkQueue {
  /**
   * Stores the job under `id` (a second add of the same id is a no-op, for as long as the backend
   * remembers the id: while it waits or runs, and with Redis an hour after it completed); false
   * when full.
   */
  add(id: string, job: Job, options?: AddOptions): Promise<boolean>;
  /** Starts taking jobs and running them with `run`. */
  start(run: JobRunner): void;
  /** Jobs this instance holds: waiting for it, running, or with a reply still waiting its turn. */
  readonly depth: number;
  /** Stops taking jobs and waits for those held to finish; true if all did within `timeoutMs`. */
  drain(timeoutMs: number): Promise<boolean>;
}

/** One rate limit a request is subject to: the window shared under `key` by everyone using it. */
export interface LimitKey {
  key: string;
  limit: WindowLimit;
}

/** Rate limits shared by everyone using the same keys (every instance, with Redis). */
export interface Limiter {
  /**
   * Waits for a slot in every window, paced evenly (see resilience/limiter.ts). Resolves false at
   * once, without taking a slot, if a window's queue is full or the slot would come after `latest`
   * (on the bot's clock) or after `queue.maxWaitMs`.
   */
  acquire(windows: readonly LimitKey[], latest: number, queue: QueueLimit): Promise<boolean>;
}

/** A cache of JSON-safe values under string keys, with a TTL fixed per cache. */
export interface CacheStore<V> {
  get(key: string): Promise<V | undefined>;
  set(key: string, value: V): Promise<void>;
  /**
   * Takes the right to load `key` for `ttlMs`, so that only one instance calls upstream for it
   * while the others wait for the value. Always true in one process (single flight does it).
   */
  lease(key: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease back early (the load failed: let the next one try). */
  unlease(key: string): Promise<void>;
  /** How long to wait between looks while another instance holds the lease. */
  readonly pollMs: number;
}

export interface Health {
  ok: boolean;
  /** Why not, for /healthz and the log. Never contains secrets. */
  reason?: string;
}

export interface State {
  /** For /healthz and the log: "memory" or "redis". */
  readonly backend: 'memory' | 'redis';
  readonly claims: Claims;
  readonly work: WorkQueue;
  readonly limiter: Limiter;
  cache<V>(name: string, limit: { ttlMs: number; maxEntries: number }): CacheStore<V>;
  health(): Health;
  /** Watches, live cards, boards: small records that outlive a restart. */
  readonly records: Records;
  /** Resolves when the state can be used; rejects with a message for the operator if it cannot. */
  ready(): Promise<void>;
  /** Closes connections and writes out what is kept (after the work queue has drained). */
  close(): Promise<void>;
}

/**
 * Small records that must outlive a restart and be the same for every instance: the watches, which
 * messages show which ticket, the boards. Values are JSON-safe. A set holds strings, each member
 * with its own expiry, so "posted in the last 30 days" or "sent in the last 14 days" is one set.
 * Both backends bound what they keep (a set drops its soonest-expiring members first).
 */
export interface Records {
  get<V>(key: string): Promise<V | undefined>;
  getMany<V>(keys: readonly string[]): Promise<(V | undefined)[]>;
  /** Keeps the value for `ttlMs`, or until deleted when there is none. */
  put<V>(key: string, value: V, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Adds the members not yet in the set, each to expire `ttlMs` later (never, without one), and
   * resolves with those it added. Atomic: of two callers adding the same member, one gets it.
   * Members already there keep their expiry.
   */
  add(set: string, members: readonly string[], ttlMs?: number): Promise<string[]>;
  members(set: string): Promise<string[]>;
  remove(set: string, members: readonly string[]): Promise<void>;
  /** Removes every member at once and resolves with them. */
  take(set: string): Promise<string[]>;
  /**
   * Resolves once every change made so far would survive a restart. Redis has them already; the
   * file is written a moment after a change, so what must not be lost (a new watch, a removed one)
   * waits for this before it is confirmed.
   */
  sync(): Promise<void>;
}

/** The most members a set keeps; past it the soonest to expire are dropped. */
export const MAX_SET_MEMBERS = 5000;

/** The shared state could not be reached: nothing was stored, so the caller must not acknowledge. */
export class StateUnavailable extends Error {
  constructor(reason: string) {
    super(`shared state unavailable: ${reason}`);
    this.name = 'StateUnavailable';
  }
}
