// Backoff with full jitter, and the deadline rules: no attempt, slot wait or backoff sleep may end
// after the deadline, and an attempt is raced against the time left.
import { describe, expect, it } from 'vitest';
import { backoffDelay, withRetries, type Attempts, type RetryPolicy } from '../../../src/resilience/retry.js';
import { checkSlot, LATE_MS, LateForSlot } from '../../../src/resilience/slot.js';
import { fakeTime } from '../../support/fakeTime.js';

const policy: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000, timeoutMs: 5000, minAttemptMs: 50 };

class Failure extends Error {
  constructor(
    readonly retry: boolean,
    readonly afterMs?: number,
  ) {
    super(retry ? 'transient' : 'final');
  }
}

/** A job whose calls follow `script` (an error to throw, or a value), then hang forever. */
function job(script: (Failure | string)[], admit: (latest: number) => Promise<boolean> = async () => true) {
  const calls: number[] = [];
  let i = 0;
  const j: Attempts<string> & { calls: number[] } = {
    calls,
    admit,
    call: () => {
      const step = script[i++];
      calls.push(i);
      if (step === undefined) return new Promise<string>(() => {});
      return step instanceof Failure ? Promise.reject(step) : Promise.resolve(step);
    },
    classify: (e) => (e instanceof Failure ? { retry: e.retry, ...(e.afterMs !== undefined ? { afterMs: e.afterMs } : {}) } : { retry: false }),
    busy: () => new Error('busy'),
    timedOut: () => new Failure(true),
  };
  return j;
}

describe('backoffDelay', () => {
  it('stays within [0, min(max, base * 2^n)) for any random value', () => {
    for (const r of [0, 0.25, 0.5, 0.999999]) {
      for (let n = 0; n < 12; n++) {
        const d = backoffDelay(n, policy, () => r);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThan(Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** n));
      }
    }
    expect(backoffDelay(0, policy, () => 0)).toBe(0);
    expect(backoffDelay(20, policy, () => 0.999999)).toBe(999);
  });
});

describe('withRetries', () => {
  it('retries transient failures with growing jittered delays, then succeeds', async () => {
    const time = fakeTime(0, () => 0.5);
    const j = job([new Failure(true), new Failure(true), 'ok']);
    expect(await time.run(withRetries(j, policy, () => 10_000, time))).toBe('ok');
    expect(j.calls).toHaveLength(3);
    // Two backoff sleeps (0.5 * 100, 0.5 * 200); the other sleeps are the attempts' timers.
    expect(time.slept.filter((ms) => ms < 1000)).toEqual([50, 100]);
  });

  it('never retries a final (business) failure', async () => {
    const time = fakeTime(0);
    const j = job([new Failure(false), 'never']);
    await expect(time.run(withRetries(j, policy, () => 10_000, time))).rejects.toThrow('final');
    expect(j.calls).toHaveLength(1);
  });

  it('gives up after maxAttempts with the last failure', async () => {
    const time = fakeTime(0);
    const j = job(Array.from({ length: 10 }, () => new Failure(true)));
    await expect(time.run(withRetries(j, policy, () => 60_000, time))).rejects.toThrow('transient');
    expect(j.calls).toHaveLength(policy.maxAttempts);
  });

  it('waits at least what the platform asked for (x-ogw-ratelimit-reset)', async () => {
    const time = fakeTime(0, () => 0.5);
    const j = job([new Failure(true, 1500), 'ok']);
    expect(await time.run(withRetries(j, policy, () => 10_000, time))).toBe('ok');
    expect(time.clock()).toBe(1500);
  });

  it('does not sleep when the backoff would end too close to the deadline: it fails at once', async () => {
    const time = fakeTime(0);
    const j = job([new Failure(true, 2000), 'too late']);
    await expect(time.run(withRetries(j, policy, () => 1000, time))).rejects.toThrow('transient');
    expect(j.calls).toHaveLength(1);
    expect(time.clock()).toBe(0);
  });

  it('cuts an attempt that outlives the time left, and ends by the deadline', async () => {
    const time = fakeTime(0);
    const j = job([]); // hangs
    await expect(time.run(withRetries(j, policy, () => 800, time))).rejects.toThrow('transient');
    expect(time.clock()).toBeLessThanOrEqual(800);
  });

  it('does not start a call with less than minAttemptMs left, and says busy if none was made', async () => {
    const time = fakeTime(0);
    const j = job(['never']);
    await expect(time.run(withRetries(j, policy, () => policy.minAttemptMs - 1, time))).rejects.toThrow('busy');
    expect(j.calls).toEqual([]);
  });

  it('asks for a slot no later than the deadline less minAttemptMs; refused, it says busy', async () => {
    const time = fakeTime(0);
    const latest: number[] = [];
    const j = job(['never'], async (l) => (latest.push(l), false));
    await expect(time.run(withRetries(j, policy, () => 3000, time))).rejects.toThrow('busy');
    expect(latest).toEqual([3000 - policy.minAttemptMs]);
    expect(j.calls).toEqual([]);
  });

  it('after a failure, a refused slot ends with that failure rather than busy', async () => {
    const time = fakeTime(0);
    let first = true;
    const j = job([new Failure(true)], async () => (first ? !(first = false) : false));
    await expect(time.run(withRetries(j, policy, () => 3000, time))).rejects.toThrow('transient');
  });
});

describe('why withRetries gives up', () => {
  const cases: [string, (Failure | string)[], number, string][] = [
    ['a final failure', [new Failure(false)], 10_000, 'final'],
    ['all attempts used', Array.from({ length: 4 }, () => new Failure(true)), 60_000, 'attempts'],
    ['no time for the backoff', [new Failure(true, 5000)], 3000, 'deadline'],
  ];
  it.each(cases)('%s', async (_name, script, deadline, why) => {
    const time = fakeTime(0);
    const told: string[] = [];
    const j = { ...job(script), onGiveUp: (w: string) => told.push(w) };
    await expect(time.run(withRetries(j, policy, () => deadline, time))).rejects.toThrow();
    expect(told).toEqual([why]);
  });
});

describe('a request that would leave too late for its slot', () => {
  it('is not sent: it takes another slot, and does not count as an attempt', async () => {
    const time = fakeTime();
    const admitted: number[] = [];
    const sent: number[] = [];
    const attempts: unknown[] = [];
    let late = 0;
    // The first call is held up (a busy event loop) for longer than a slot allows before its
    // request would leave; the HTTP client's check (checkSlot) stops it there.
    const delays = [LATE_MS + 1, 0];
    const result = await time.run(
      withRetries(
        {
          admit: async () => (admitted.push(time.clock()), true),
          call: async () => {
            await time.sleep(delays.shift() ?? 0);
            checkSlot();
            sent.push(time.clock());
            return 'ok';
          },
          classify: () => ({ retry: true }),
          busy: () => new Error('busy'),
          timedOut: () => new Error('timeout'),
          onAttempt: (error) => attempts.push(error),
          onLate: () => late++,
        },
        { ...policy, maxAttempts: 1 },
        () => time.clock() + 10_000,
        time,
      ),
    );
    expect(result).toBe('ok');
    expect(admitted).toHaveLength(2);
    expect(sent).toEqual([admitted[1]]);
    expect(late).toBe(1);
    // One attempt in all, even with maxAttempts 1: the late one was never sent.
    expect(attempts).toEqual([undefined]);
    // No backoff sleep came between: only the calls' own delays (and each attempt's time limit).
    expect(time.slept.filter((ms) => ms !== policy.timeoutMs)).toEqual([LATE_MS + 1, 0]);
  });

  it('goes at a call made within LATE_MS of its admission, and outside any slot', async () => {
    const time = fakeTime();
    const sent = await time.run(
      withRetries(
        {
          admit: async () => true,
          call: async () => {
            await time.sleep(LATE_MS);
            checkSlot();
            return time.clock();
          },
          classify: () => ({ retry: false }),
          busy: () => new Error('busy'),
          timedOut: () => new Error('timeout'),
        },
        policy,
        () => time.clock() + 10_000,
        time,
      ),
    );
    expect(sent).toBeGreaterThan(0);
    expect(() => checkSlot()).not.toThrow();
    expect(new LateForSlot()).toBeInstanceOf(Error);
  });
});
