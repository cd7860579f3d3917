// Client-side rate limits as sliding windows, so a burst queues here instead of earning 99991400.
// Grants are also paced one window/rate apart: a burst granted all at once would reach the
// platform bunched with the previous window's stragglers, and one second there would see more
// than the rate.
// A request reserves the earliest time at which every window it is subject to (say its chat's and
// the app's) still has room, then sleeps until then. Knowing the wait up front is what lets a
// request that could not be served in time fail fast with "busy" instead of queueing in vain.
import type { Clock } from './clock.js';
import { LATE_MS } from './slot.js';
import type { Sleep } from './timing.js';

export interface WindowLimit {
  /** Requests allowed in any window. */
  rate: number;
  /** Window length: the platform's 1 s plus a margin, because requests arrive a little after they leave. */
  windowMs: number;
}

/** The grants (past and reserved) of one limit, sorted by time; grants older than a window are dropped. */
export class SlidingWindow {
  private readonly grants: number[] = [];

  constructor(private readonly limit: WindowLimit) {}

  /** Reservations still in the future: the requests waiting for this limit. */
  waiting(now: number): number {
    return this.grants.length - upperBound(this.grants, now);
  }

  /** Grants are at least this far apart (whole ms), so a burst is paced evenly over its window. */
  private get gap(): number {
    return Math.ceil(this.limit.windowMs / this.limit.rate);
  }

  /** The earliest time ≥ `from` at which one more grant keeps every window within the rate. */
  earliest(from: number): number {
    if (this.fits(from)) return from;
    // Room only appears one gap or one window after an earlier grant.
    let best = Infinity;
    for (const grant of this.grants) {
      for (const t of [grant + this.gap, grant + this.limit.windowMs]) {
        if (t > from && t < best && this.fits(t)) best = t;
      }
    }
    // Never Infinity: one window after the last grant, no grant is left in any window containing t.
    return Number.isFinite(best) ? best : this.grants[this.grants.length - 1]! + this.limit.windowMs;
  }

  record(at: number): void {
    this.grants.splice(upperBound(this.grants, at), 0, at);
  }

  /** Takes back one grant at `at` (a request that woke too late to use it). */
  release(at: number): void {
    const i = upperBound(this.grants, at) - 1;
    if (i >= 0 && this.grants[i] === at) this.grants.splice(i, 1);
  }

  /**
   * Whether every window [s, s + W) containing t holds fewer than `rate` grants. Those windows start
   * in (t - W, t]; the fullest start just after t - W or just after g - W for a grant g in (t, t + W),
   * and a window starting just after x holds the grants in (x, x + W].
   */
  private fits(t: number): boolean {
    const { rate, windowMs: w } = this.limit;
    // Pacing: no other grant closer than one gap (grants never sit in the same instant).
    const near = upperBound(this.grants, t - this.gap);
    if (near < this.grants.length && this.grants[near]! < t + this.gap) return false;
    if (this.countIn(t - w, t) >= rate) return false;
    for (let i = upperBound(this.grants, t); i < this.grants.length && this.grants[i]! < t + w; i++) {
      const x = this.grants[i]! - w;
      if (this.countIn(x, x + w) >= rate) return false;
    }
    return true;
  }

  /** Grants in (lo, hi]. */
  private countIn(lo: number, hi: number): number {
    return upperBound(this.grants, hi) - upperBound(this.grants, lo);
  }

  /** Forgets grants at or before now - W: they share no window with any time from now on. */
  prune(now: number): void {
    const stale = upperBound(this.grants, now - this.limit.windowMs);
    if (stale > 0) this.grants.splice(0, stale);
  }
}

/** The earliest time ≥ now at which all windows have room (none is changed). */
export function earliestSlot(windows: readonly SlidingWindow[], now: number): number {
  for (const w of windows) w.prune(now);
  for (let t = now; ; ) {
    const next = Math.max(...windows.map((w) => w.earliest(t)));
    if (next === t) return t;
    t = next;
  }
}

export interface QueueLimit {
  /** Requests that may wait for one window at a time; more are refused. */
  maxQueue: number;
  /** The longest a request may wait for its slot. */
  maxWaitMs: number;
}

/**
 * Waits for a slot in every window. Resolves false at once, without taking a slot, if a window's
 * queue is full or the slot would come later than `latest` or than the longest allowed wait.
 */
export async function acquire(windows: readonly SlidingWindow[], latest: number, queue: QueueLimit, clock: Clock, sleep: Sleep): Promise<boolean> {
  const asked = clock();
  if (windows.some((w) => w.waiting(asked) >= queue.maxQueue)) return false;
  for (let now = asked; ; now = clock()) {
    const at = earliestSlot(windows, now);
    if (at > latest || at - asked > queue.maxWaitMs) return false;
    for (const w of windows) w.record(at);
    if (at > now) await sleep(at - now);
    // A busy event loop can wake many sleepers at once, long after their slots: sending then would
    // bunch them into one second. A late sleeper gives its slot back and books the next free one.
    if (clock() - at <= LATE_MS) return true;
    for (const w of windows) w.release(at);
  }
}

/** Index of the first element greater than `value` in a sorted array. */
function upperBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
