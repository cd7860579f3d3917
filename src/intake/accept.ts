// What happens to a delivery once an intake has verified and interpreted it, whichever intake
// brought it (webhook or long connection): drop duplicates, store messages and chat events as work,
// answer card callbacks. The answer is what the intake sends back: for the webhook the HTTP status
// and body; over the long connection a 200 body travels in the acknowledgement and a refusal makes
// the platform push the event again.
// Work is acknowledged only once its job is stored (in Redis, with shared state), so an
// acknowledged command survives this instance; if it cannot be stored, the platform redelivers.
// Nothing here waits for a helpdesk call: a card callback is answered by onCardAction, which
// keeps to its own deadline.
import type { Json } from '../cards/kit.js';
import type { Clock } from '../resilience/clock.js';
import type { Delivery } from './interpret.js';
import type { CardAction } from '../jobs/types.js';
import type { Job } from '../jobs/job.js';
import type { Logger } from '../obs/log.js';
import type { DeliveryOutcome, Metrics } from '../obs/metrics.js';
import { StateUnavailable, type Claims } from '../state/types.js';
import { messageOf } from '../obs/errors.js';

/** 200 with the body to send, or a refusal the platform will redeliver (503) or reject (400). */
export type Answer = { status: 200; body: Json } | { status: 400 | 503; body: { error: string } };

export interface AcceptOptions {
  /** Remembers what was handled (across instances with shared state). */
  claims: Claims;
  /** How long a handled message or event id is remembered: longer than the platform retries. */
  dedupeTtlMs: number;
  log: Logger;
  /** Counts each delivery's outcome (and invalid ones as refused). */
  metrics: Metrics;
  /** When a message is accepted: stamped on its job, so a command's latency counts its queue time. */
  clock: Clock;
  /** Stores the work; false means it could not be taken (full): the platform will redeliver. */
  enqueue(job: Job): Promise<boolean>;
  /** Answer a card callback: the body the platform applies (a card, a toast, or nothing). */
  onCardAction(action: CardAction): Promise<Json>;
  /** While false (shutting down), deliveries are refused so the platform redelivers elsewhere. */
  accepting(): boolean;
}

export type Accept = (delivery: Delivery, from: string) => Promise<Answer>;

/**
 * How long a message id is held while its job is stored. Far longer than storing takes; shorter
 * than the platform's first retry (15 s), so a delivery whose instance died mid-way is not lost.
 */
const HOLD_MS = 10_000;

export function createAccept(options: AcceptOptions): Accept {
  const { log, claims } = options;
  const ok = (body: Json = {}): Answer => ({ status: 200, body });
  const refuse = (error: string): Answer => ({ status: 503, body: { error } });

  /** Stores the work once per key; until it is stored, the delivery is not acknowledged. */
  const queue = async (key: string, job: Job, count: Count): Promise<Answer> => {
    const claim = await claims.claim(key, HOLD_MS);
    if (claim === 'done') {
      log.info('delivery.duplicate', { key });
      return count('duplicate', ok());
    }
    if (claim === 'held') {
      // Another delivery of it is being stored right now; if that fails, this one must not
      // have been acknowledged.
      log.info('delivery.in_progress', { key });
      return count('busy', refuse('being accepted, retry later'));
    }
    let queued: boolean;
    try {
      queued = await options.enqueue(job);
    } catch (error) {
      await claims.release(key).catch(() => undefined);
      throw error;
    }
    if (!queued) {
      // Not remembered: the redelivery must be handled.
      await claims.release(key).catch(() => undefined);
      log.warn('delivery.queue_full', { key });
      return count('busy', refuse('busy, retry later'));
    }
    // Stored: from here a failure to remember it only risks running it twice, which the
    // reply's uuid makes harmless, so the delivery is acknowledged either way.
    await claims.settle(key, options.dedupeTtlMs).catch((error: unknown) => log.warn('delivery.settle_failed', { key, error: messageOf(error) }));
    return count('accepted', ok());
  };

  const handle = async (delivery: Delivery, from: string, count: Count): Promise<Answer> => {
    if (!options.accepting()) return count('stopping', refuse('shutting down'));
    switch (delivery.kind) {
      case 'challenge':
        return count('accepted', ok({ challenge: delivery.challenge }));
      case 'invalid':
        log.warn('delivery.invalid', { from, reason: delivery.reason });
        options.metrics.refused(400, delivery.reason);
        return count('refused', { status: 400, body: { error: delivery.reason } });
      case 'ignored':
        // Nothing to do, so nothing to lose: remembering it only spares work on a redelivery.
        if (delivery.dedupeKey) await claims.settle(delivery.dedupeKey, options.dedupeTtlMs).catch(() => undefined);
        log.debug('delivery.ignored', { why: delivery.why });
        return count('ignored', ok());
      case 'message':
        if (!delivery.message.addressedToBot) {
          await claims.settle(delivery.dedupeKey, options.dedupeTtlMs);
          return count('ignored', ok());
        }
        return queue(delivery.dedupeKey, { kind: 'message', message: delivery.message, receivedAt: options.clock() }, count);
      case 'event':
        return queue(delivery.dedupeKey, delivery.event, count);
      case 'card-action': {
        if ((await claims.claim(delivery.dedupeKey, HOLD_MS)) !== 'mine') return count('duplicate', ok());
        await claims.settle(delivery.dedupeKey, options.dedupeTtlMs);
        return count('accepted', ok(await options.onCardAction(delivery.action)));
      }
    }
  };

  return async (delivery, from) => {
    let outcome: DeliveryOutcome = 'failed';
    const count: Count = (o, answer) => ((outcome = o), answer);
    try {
      return await handle(delivery, from, count);
    } catch (error) {
      if (!(error instanceof StateUnavailable)) throw error;
      // Nothing was stored: the platform redelivers later, here or to another instance. The
      // details (which Redis, what failed) are for the log and the metrics port's /healthz, not for the caller.
      log.warn('delivery.state_unavailable', { from, error: error.message });
      return count('busy', refuse('shared state unavailable, retry later'));
    } finally {
      options.metrics.delivery(outcome);
    }
  };
}

/** Notes what became of the delivery (for metrics) and passes its answer on. */
type Count = (outcome: DeliveryOutcome, answer: Answer) => Answer;
