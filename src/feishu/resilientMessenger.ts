// Sending cards under the platform's message limits: per app and per chat sliding windows, retries
// of what may succeed later, and the command's deadline. Replies carry a uuid, so a retried reply
// whose first attempt did land is not shown twice.
import type { QueueLimit, WindowLimit } from '../resilience/limiter.js';
import { withRetries, type RetryPolicy } from '../resilience/retry.js';
import type { Timing } from '../resilience/timing.js';
import type { Logger } from '../obs/log.js';
import type { Metrics } from '../obs/metrics.js';
import type { LimitKey, State } from '../state/types.js';
import { PlatformError, retryVerdict } from './errors.js';
import type { Messenger, SendOptions } from './messenger.js';
import { messageOf } from '../obs/errors.js';

export interface ResilientMessengerOptions {
  retry: RetryPolicy;
  limits: { perApp: WindowLimit; perChat: WindowLimit; queue: QueueLimit };
  /** The budget of a send that brings no deadline of its own. */
  budgetMs: number;
  /** Nothing may run past this time (the shutdown deadline); Infinity while running normally. */
  cutoff: () => number;
  /** Counts sends, retries and slot waits, and shows how many wait for their turn. */
  metrics?: Metrics;
}

/** The messages API's "too frequent" (to one chat), told apart in the metrics. */
const TOO_FREQUENT = 230020;

/**
 * The limits live in the state (this process's, or shared by every instance). A send that cannot
 * reach them fails with StateUnavailable, which the bot treats as "run the job again later".
 */
export function resilientMessenger(inner: Messenger, options: ResilientMessengerOptions, state: Pick<State, 'limiter'>, time: Timing, log: Logger): Messenger {
  const { metrics } = options;
  const app: LimitKey = { key: 'messages', limit: options.limits.perApp };
  // Sends of this instance waiting for a slot under the message limits (their chat's or the app's).
  let waiting = 0;
  metrics?.gauge('replies_waiting', "Messages (replies, patches, card updates) waiting for their chat's or the app's turn under the message limits.", () => waiting);
  const windowsFor = (chatId: string | undefined): LimitKey[] => (chatId === undefined ? [app] : [{ key: `messages:${chatId}`, limit: options.limits.perChat }, app]);

  function send<T>(op: 'reply' | 'send' | 'patch' | 'card_update', call: () => Promise<T>, o: SendOptions | undefined, messageId?: string): Promise<T> {
    const own = o?.deadline ?? time.clock() + options.budgetMs;
    const deadline = () => Math.min(own, options.cutoff());
    const windows = windowsFor(o?.chatId);
    return withRetries<T>(
      {
        admit: async (latest) => {
          const asked = time.clock();
          waiting++;
          try {
            const admitted = await state.limiter.acquire(windows, latest, options.limits.queue);
            metrics?.slot(op, admitted ? (time.clock() - asked) / 1000 : undefined);
            return admitted;
          } finally {
            waiting--;
          }
        },
        call,
        classify: retryVerdict,
        onLate: () => metrics?.late(op),
        busy: () => new PlatformError('busy', `send failed: no ${op} slot within the time budget`),
        timedOut: () => new PlatformError('timeout', 'send failed: no answer in time'),
        onAttempt: (error) => metrics?.upstream(op, sendResult(error)),
        onRetry: (error, attempt, delayMs) => {
          metrics?.retry(op);
          log.debug('send.retry', { op, attempt, delay_ms: delayMs, error: messageOf(error) });
        },
        onGiveUp: (why) => {
          if (why === 'deadline' || why === 'no-slot') log.warn('send.deadline_passed', { op, why, ...(messageId ? { message_id: messageId } : {}) });
        },
      },
      options.retry,
      deadline,
      time,
    );
  }

  return {
    reply: (messageId, card, o) => send('reply', () => inner.reply(messageId, card, o), o, messageId),
    // A message to a person counts against that person's window (5 a second to one user).
    send: (to, card, uuid, o) => send('send', () => inner.send(to, card, uuid, o), { ...o, chatId: o?.chatId ?? ('chatId' in to ? to.chatId : `user:${to.openId}`) }),
    // Asked after waiting for its turn (which may take seconds), so a click meanwhile wins.
    patch: (messageId, card, o) => send('patch', async () => ((await (o?.stillWanted?.() ?? true)) ? inner.patch(messageId, card, o) : undefined), o, messageId),
    // The update token is a credential: it is never logged.
    updateByToken: (token, card, o) => send('card_update', () => inner.updateByToken(token, card, o), o),
  };
}

/** An attempt's result as a metric label: a small fixed set, never the platform's message text. */
function sendResult(error: unknown): string {
  if (error === undefined) return 'ok';
  if (!(error instanceof PlatformError)) return 'error';
  if (error.details.code === TOO_FREQUENT) return 'too-frequent';
  switch (error.kind) {
    case 'rate-limited':
    case 'upstream':
      return error.kind;
    case 'network':
    case 'timeout':
      return 'no-answer';
    default:
      return 'rejected';
  }
}
