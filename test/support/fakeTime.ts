// A fake timeline for the resilience layers: time moves only when a test advances it, and every
// sleep resolves exactly when the timeline reaches its end. No wall-clock time is involved.
import type { Timing } from '../../src/resilience/timing.js';

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}

export interface FakeTime extends Timing {
  /** Durations of every sleep started, in order (including aborted ones). */
  slept: number[];
  /** Moves time forward by `ms`, waking each sleeper in time order. */
  advance(ms: number): Promise<void>;
  /** Advances from timer to timer until `work` settles; fails if it waits on nothing. */
  run<T>(work: Promise<T>): Promise<T>;
}

/** Lets every pending promise callback run (a macrotask comes after all microtasks). */
export const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

export function fakeTime(start = 1_000_000, random: () => number = () => 0.5): FakeTime {
  let now = start;
  let seq = 0;
  let timers: Timer[] = [];
  const slept: number[] = [];

  const next = () => timers.reduce<Timer | undefined>((a, t) => (!a || t.at < a.at || (t.at === a.at && t.seq < a.seq) ? t : a), undefined);
  const fire = (timer: Timer) => {
    timers = timers.filter((t) => t !== timer);
    now = Math.max(now, timer.at);
    timer.resolve();
  };

  return {
    clock: () => now,
    random,
    slept,
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        slept.push(ms);
        const timer = { at: now + Math.max(0, ms), seq: seq++, resolve };
        timers.push(timer);
        signal?.addEventListener(
          'abort',
          () => {
            timers = timers.filter((t) => t !== timer);
            resolve();
          },
          { once: true },
        );
      }),
    async advance(ms) {
      const target = now + ms;
      for (;;) {
        await settle();
        const t = next();
        if (!t || t.at > target) break;
        fire(t);
      }
      now = target;
      await settle();
    },
    async run(work) {
      let done = false;
      work.then(
        () => (done = true),
        () => (done = true),
      );
      for (;;) {
        await settle();
        if (done) return work;
        const t = next();
        if (!t) throw new Error('fakeTime.run: the work waits on nothing the timeline can wake');
        fire(t);
      }
    },
  };
}
