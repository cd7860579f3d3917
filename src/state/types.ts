// The state the bot shares between deliveries, jobs and instances, behind one small interface with
// two implementations: memory (one process, the embedded default; its records optionally kept in a
// file) and Redis (many instances). Nothing above this layer knows which one it is talking to.
//
// Both keep one contract (test/integration/state/contract.test.ts runs the same cases against memory, the file
// and Redis). Where they cannot agree, because one process holds what Redis shares, the doc
// comments below say what each backend does, under "Memory:" and "Redis:", and the contract checks
// it. Everywhere: a TTL is in ms and need not be whole (it is rounded up, to 1 ms at least); memory
// reads time from the state's clock, Redis from its own (the work queue's delays are real time on
// both).
import type { Job } from '../jobs/job.js';
import type { CacheStore } from '../resilience/cache.js';
import type { QueueLimit, WindowLimit } from '../resilience/limiter.js';

/** Declared beside SharedLoads, which keeps its answers in one (resilience/cache.ts); each backend has its own. */
export type { CacheStore };

/**
 * De-duplication in two steps, so a delivery that cannot be taken is never remembered as done:
 * `claim` holds the key briefly while the work is being stored, then `settle` remembers it for
 * the whole dedupe window, or `release` lets a redelivery have it.
 *
 * Memory: claims are this process's alone and start empty after a restart; past the configured
 * number of keys (server.dedupe_max_entries, per TTL used) the older half is forgotten early.
 * Redis: every instance sees the same claims, and they outlive a restart.
 */
export interface Claims {
  /**
   * "mine": this caller holds the key for `holdMs`; "done": handled before (a duplicate);
   * "held": another delivery of it is being taken right now, elsewhere or here.
   */
  claim(key: string, holdMs: number): Promise<'mine' | 'done' | 'held'>;
  /**
   * Remembers the key as handled for `ttlMs` from now, whether or not it was claimed; settled
   * again, for the latest `ttlMs` only.
   */
  settle(key: string, ttlMs: number): Promise<void>;
  /** Gives back the key this state holds (nothing if it holds none, or it is settled already). */
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

/**
 * Work accepted from the platform: stored before the acknowledgement, run by any instance.
 * Memory: the jobs are this process's (it runs what it can before it stops); with a state file
 * they are also written to its work journal before add() resolves, and a crash's leftovers run at
 * the next start (see journal.ts); without one they are lost if it dies.
 * Redis: the jobs are in Redis for whichever instance is free, and outlive any one of them.
 */
export interface WorkQueue {
  /**
   * Stores the job under `id`, any string. A second add of the same id is a no-op (resolving true)
   * while its job waits (for the start, for its delay, to be run again) or runs. After the job
   * finished, Memory: the id is forgotten at once, so the same id is a new job; Redis: an add is
   * still a no-op for an hour after it completed, a day after it was given up. (Nothing relies on
   * that: deliveries are de-duplicated by claims, and coalesced jobs name their window.)
   * Resolves false when full, Memory: when it holds `workMaxPending` jobs (see `depth`); Redis:
   * never, as Redis holds them and each instance takes `workMaxPending` at a time.
   */
  add(id: string, job: Job, options?: AddOptions): Promise<boolean>;
  /**
   * Starts taking jobs and running them with `run`. A run that rejects is run again as WORK_RETRY
   * says, logged as "work.retry", and after the last attempt given up, logged as "work.failed"
   * (each with the job's kind, the attempt and the error).
   */
  start(run: JobRunner): void;
  /**
   * Jobs this instance holds, at most `workMaxPending`. Memory: every job it has: running (or with
   * a reply still waiting its turn), waiting for the start, for its delay or to be run again.
   * Redis: the jobs running here (or with a reply still waiting its turn); the others wait in Redis.
   */
  readonly depth: number;
  /**
   * Stops taking jobs and waits for those running to finish; true if all did within `timeoutMs`.
   * Memory: nothing would be left to run what it holds once the process ends, so jobs waiting for
   * their delay or to be run again run at once, a job added while it drains (follow-up work of a
   * job still running) runs at once too, and a run that rejects now is given up. Redis: this
   * instance takes no more jobs; delayed, retried and newly added ones wait in Redis for another
   * instance or the next start.
   */
  drain(timeoutMs: number): Promise<boolean>;
}

/** One rate limit a request is subject to: the window shared under `key` by everyone using it. */
export interface LimitKey {
  key: string;
  limit: WindowLimit;
}

/**
 * Rate limits shared by everyone using the same keys. Memory: this process's; Redis: every
 * instance's, on Redis's clock. Every call for one key passes the same limit (memory keeps the
 * first it was given for a key).
 */
export interface Limiter {
  /**
   * Waits for a slot in every window, paced evenly (see resilience/limiter.ts). Resolves false at
   * once, without taking a slot, if a window's queue is full or the slot would come after `latest`
   * (on the bot's clock) or after `queue.maxWaitMs`. With no windows, true at once.
   */
  acquire(windows: readonly LimitKey[], latest: number, queue: QueueLimit): Promise<boolean>;
}

/**
 * Short locks, each held by one caller at a time: one refresh of an agent's token at once, since its
 * refresh token works only once. A lock ends when given back or when its hold runs out (a holder
 * that died frees it that way). Memory: among this process's callers. Redis: among every instance.
 */
export interface Locks {
  /** Takes the lock for `holdMs` if nobody holds it: resolves with the lease to give it back with, else undefined. */
  take(key: string, holdMs: number): Promise<string | undefined>;
  /** Gives the lock back, if this lease still holds it (a lease whose hold ran out may be another's now). */
  give(key: string, lease: string): Promise<void>;
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
  /**
   * The cache of this name: one store per name (the same one, with its values and leases, each
   * time it is asked for; the limit it was first asked with holds), and none sees another's values.
   */
  cache<V>(name: string, limit: { ttlMs: number; maxEntries: number }): CacheStore<V>;
  /** Memory: not while its file cannot be written. Redis: not while Redis cannot be reached. Saying why. */
  health(): Health;
  /** Watches, live cards, boards, agents' sealed tokens: small records that outlive a restart. */
  readonly records: Records;
  readonly locks: Locks;
  /** Resolves when the state can be used; rejects with a message for the operator if it cannot. */
  ready(): Promise<void>;
  /** Closes connections and writes out what is kept (after the work queue has drained). */
  close(): Promise<void>;
}

/**
 * Small records that must outlive a restart and be the same for every instance: the watches, which
 * messages show which ticket, the boards. Values are JSON-safe, and go in and come out as copies. A
 * set holds strings, each member with its own expiry, so "posted in the last 30 days" or "sent in
 * the last 14 days" is one set. Values and sets are apart: a key may name one of each. A set keeps
 * at most MAX_SET_MEMBERS (dropping its soonest-expiring members first).
 * Memory: kept in the file named by state.file, so they outlive a restart; without one, lost with
 * the process. All its values and members together are bounded too (those that expire soonest go
 * first). Redis: shared by every instance, kept across restarts.
 */
export interface Records {
  get<V>(key: string): Promise<V | undefined>;
  /** The values of the keys, in their order. */
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
  /**
   * The live members, in the order of a Redis sorted set scored by expiry: soonest to expire
   * first, those that never expire last, those with the same expiry in the byte order of their UTF-8.
   */
  members(set: string): Promise<string[]>;
  remove(set: string, members: readonly string[]): Promise<void>;
  /** Removes every member at once and resolves with them (in the order of `members`). */
  take(set: string): Promise<string[]>;
  /**
   * Resolves once every change made so far would survive a restart. Redis has them already; the
   * file is written a moment after a change, so what must not be lost (a new watch, a removed one)
   * waits for this before it is confirmed. Rejects with NotKept when the file cannot be written.
   */
  sync(): Promise<void>;
}

/**
 * By key prefix ("watch:"), whether a value kept under it can be used: a reason why not, or
 * undefined. The file checks what it reads with them (see FileRecords).
 */
export type RecordChecks = Record<string, (value: unknown) => string | undefined>;

/** The most members a set keeps; past it the soonest to expire are dropped. */
export const MAX_SET_MEMBERS = 5000;

/** The shared state could not be reached: nothing was stored, so the caller must not acknowledge. */
export class StateUnavailable extends Error {
  constructor(reason: string) {
    super(`shared state unavailable: ${reason}`);
    this.name = 'StateUnavailable';
  }
}

/**
 * What had to be kept could not be written (the state file): the change holds in this process but
 * would not survive a restart. `reason` says why, for the person and the operator.
 */
export class NotKept extends Error {
  constructor(readonly reason: string) {
    super(`not kept: ${reason}`);
    this.name = 'NotKept';
  }
}
