// What happens to a delivery once an intake has verified and interpreted it, whichever intake
// brought it (webhook or long connection): drop duplicates, hand messages and chat events to the
// work queue, answer card callbacks. The answer is what the intake sends back: for the webhook the
// HTTP status and body; over the long connection a 200 body travels in the acknowledgement and a
// refusal makes the platform push the event again.
// Nothing here waits for a helpdesk call: messages are queued; a card callback is answered by
// onCardAction, which keeps to its own deadline.
import { LRUCache } from 'lru-cache';
import type { Json } from '../cards/kit.js';
import type { Delivery } from './feishu/events.js';
import type { CardAction } from './feishu/types.js';
import type { Job } from './jobs.js';
import type { Logger } from './log.js';

/** 200 with the body to send, or a refusal the platform will redeliver (503) or reject (400). */
export type Answer = { status: 200; body: Json } | { status: 400 | 503; body: { error: string } };

export interface AcceptOptions {
  dedupe: { ttlMs: number; max: number };
  log: Logger;
  /** Queue the work; false means it could not be taken (full): the platform will redeliver. */
  enqueue(job: Job): Promise<boolean>;
  /** Answer a card callback: the body the platform applies (a card, a toast, or nothing). */
  onCardAction(action: CardAction): Promise<Json>;
  /** While false (shutting down), deliveries are refused so the platform redelivers elsewhere. */
  accepting(): boolean;
}

export type Accept = (delivery: Delivery, from: string) => Promise<Answer>;

export function createAccept(options: AcceptOptions): Accept {
  const seen = new LRUCache<string, true>({ max: options.dedupe.max, ttl: options.dedupe.ttlMs, ttlAutopurge: false });
  const { log } = options;
  const ok = (body: Json = {}): Answer => ({ status: 200, body });

  /** Queues the work once per key; a full queue refuses, so the platform delivers it again. */
  const queue = async (dedupeKey: string, job: Job): Promise<Answer> => {
    if (seen.has(dedupeKey)) {
      log.info('delivery.duplicate', { key: dedupeKey });
      return ok();
    }
    if (!(await options.enqueue(job))) {
      // Not marked as seen: the redelivery must be handled.
      log.warn('delivery.queue_full', { key: dedupeKey });
      return { status: 503, body: { error: 'busy, retry later' } };
    }
    seen.set(dedupeKey, true);
    return ok();
  };

  return async (delivery, from) => {
    if (!options.accepting()) return { status: 503, body: { error: 'shutting down' } };
    switch (delivery.kind) {
      case 'challenge':
        return ok({ challenge: delivery.challenge });
      case 'invalid':
        log.warn('delivery.invalid', { from, reason: delivery.reason });
        return { status: 400, body: { error: delivery.reason } };
      case 'ignored':
        if (delivery.dedupeKey) seen.set(delivery.dedupeKey, true);
        log.debug('delivery.ignored', { why: delivery.why });
        return ok();
      case 'message':
        if (!delivery.message.addressedToBot) {
          seen.set(delivery.dedupeKey, true);
          return ok();
        }
        return queue(delivery.dedupeKey, { kind: 'message', message: delivery.message });
      case 'event':
        return queue(delivery.dedupeKey, delivery.event);
      case 'card-action': {
        if (seen.has(delivery.dedupeKey)) return ok();
        seen.set(delivery.dedupeKey, true);
        return ok(await options.onCardAction(delivery.action));
      }
    }
  };
}
