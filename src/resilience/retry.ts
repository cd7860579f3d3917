// Attempts of one upstream call within a deadline: wait for a rate-limit slot, race the call
// against the time left, and retry what is worth retrying after a backoff with full jitter.
// Nothing (slot wait, call, backoff sleep) is started that would end after the deadline.
import { inSlot, LATE_MS, LateForSlot } from './slot.js';
import { within, type Sleep, type Timing } from './timing.js';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** The first retry waits up to this long; each further retry doubles the cap. */
  baseDelayMs: number;
  /** Cap of any one backoff delay. */
  maxDelayMs: number;
  /** One attempt's time limit (the remaining budget may cut it shorter); Infinity: none of its own. */
  timeoutMs: number;
  /** A call is started only if at least this much of the budget is left for it. */
  minAttemptMs: number;
}

export interface Verdict {
  retry: boolean;
  /** The platform said when to come back (x-ogw-ratelimit-reset). */
  afterMs?: number;
}

export interface Attempts<T> {
  /**
   * Waits for a rate-limit slot starting no later than `latest`; false if there is none in time.
   * Without it the call has no rate limit, so no slot to keep either.
   */
  admit?(latest: number): Promise<boolean>;
  call(): Promise<T>;
  classify(error: unknown): Verdict;
  /** Thrown when not even a first call could be started in time. */
  busy(): Error;
  /** Thrown for a call that did not answer within its time. */
  timedOut(): Error;
  /** Told before each backoff sleep, for the log. */
  onRetry?(error: unknown, attempt: number, delayMs: number): void;
  /** Told of every attempt's end: undefined if it succeeded, else its error (timeouts included). */
  onAttempt?(error: unknown): void;
  /** Told when a call was about to leave too late for its slot and is given another. */
  onLate?(): void;
  /** Told why it stopped trying, just before the error is thrown. */
  onGiveUp?(why: GiveUp): void;
}

/** final: not worth retrying; attempts: all used; deadline: no time left; no-slot: no rate-limit slot in time. */
export type GiveUp = 'final' | 'attempts' | 'deadline' | 'no-slot';

/** Full jitter: uniform in [0, min(max, base * 2^retry)), so clients that failed together spread out. */
export function backoffDelay(retry: number, policy: Pick<RetryPolicy, 'baseDelayMs' | 'maxDelayMs'>, random: () => number): number {
  return Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry));
}

/** `deadline` is read before each step, so a shutdown can still shorten a call under way. */
export async function withRetries<T>(job: Attempts<T>, policy: RetryPolicy, deadline: () => number, time: Timing): Promise<T> {
  const latestStart = () => deadline() - policy.minAttemptMs;
  let failure: { error: unknown } | undefined;
  const giveUp = (why: GiveUp) => {
    job.onGiveUp?.(why);
    return failure ? failure.error : job.busy();
  };
  let late = false;
  for (let attempt = 0; attempt < policy.maxAttempts; attempt++) {
    if (failure && !late) {
      const verdict = job.classify(failure.error);
      if (!verdict.retry) throw giveUp('final');
      const wait = Math.max(verdict.afterMs ?? 0, backoffDelay(attempt - 1, policy, time.random));
      if (time.clock() + wait > latestStart()) throw giveUp('deadline');
      job.onRetry?.(failure.error, attempt, wait);
      await time.sleep(wait);
    }
    late = false;
    if (time.clock() > latestStart()) throw giveUp('deadline');
    if (job.admit && !(await job.admit(latestStart()))) throw giveUp('no-slot');
    const admitted = time.clock();
    try {
      const call = job.admit ? inSlot(() => time.clock() - admitted > LATE_MS, job.call) : job.call();
      const limit = Math.min(policy.timeoutMs, deadline() - time.clock());
      // Without a limit (a call with a timeout of its own and no deadline), the call is simply awaited.
      const result = Number.isFinite(limit) ? await within(call, limit, time.sleep, () => job.timedOut()) : await call;
      job.onAttempt?.(undefined);
      return result;
    } catch (error) {
      if (error instanceof LateForSlot) {
        // Nothing was sent: not an attempt. Wait for another slot (within the deadline, as ever).
        job.onLate?.();
        late = true;
        attempt--;
        continue;
      }
      job.onAttempt?.(error);
      failure = { error };
    }
  }
  throw giveUp(failure && !job.classify(failure.error).retry ? 'final' : 'attempts');
}

/**
 * A call made once at start-up (the bot's open_id, the ticket-event subscription): up to three
 * attempts, a second or so apart, while `classify` says trying again may help. The same loop as
 * every other call, without rate limits or a deadline.
 */
export function startupRetries<T>(call: () => Promise<T>, classify: (error: unknown) => Verdict, sleep: Sleep, waits: { attempts: number; delayMs: number } = { attempts: 3, delayMs: 1000 }): Promise<T> {
  const time: Timing = { clock: Date.now, sleep, random: Math.random };
  // The HTTP client's own timeout bounds each attempt.
  const policy: RetryPolicy = { maxAttempts: waits.attempts, baseDelayMs: waits.delayMs, maxDelayMs: waits.delayMs * 4, timeoutMs: Infinity, minAttemptMs: 0 };
  return withRetries(
    {
      call,
      classify,
      busy: () => new Error('not started'),
      timedOut: () => new Error('no answer in time'),
    },
    policy,
    () => Infinity,
    time,
  );
}
