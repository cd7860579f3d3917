// Time as the resilience layers see it: a clock, a sleep and a random source, injected so tests of
// limits, backoff and deadlines run on a fake timeline instead of the wall clock.
import { setTimeout as delay } from 'node:timers/promises';
import type { Clock } from './clock.js';

/** Resolves after `ms`, or as soon as `signal` aborts (never rejects). */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface Timing {
  clock: Clock;
  sleep: Sleep;
  /** Uniform in [0, 1): the jitter of backoff delays. */
  random: () => number;
}

export const realSleep: Sleep = (ms, signal) => delay(Math.max(0, ms), undefined, signal ? { signal } : undefined).catch(() => undefined);

/** `work`, or `late()` thrown if it has not settled within `ms`. The timer is cleared either way. */
export async function within<T>(work: Promise<T>, ms: number, sleep: Sleep, late: () => Error): Promise<T> {
  const timer = new AbortController();
  const expired = sleep(ms, timer.signal).then(() => {
    throw late();
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    timer.abort();
  }
}
