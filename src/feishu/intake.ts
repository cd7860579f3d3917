// The webhook endpoint: raw body -> verify -> interpret -> de-duplicate -> hand off.
// Nothing on this path waits for an API call: messages are queued and acknowledged at once; card
// callbacks are answered by onCardAction, which is responsible for its own deadline.
import express, { type Request, type Response } from 'express';
import { LRUCache } from 'lru-cache';
import type { Json } from '../../cards/kit.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { interpret } from './events.js';
import type { CardAction, IncomingMessage } from './types.js';
import { verifyDelivery, type IntakeSecrets } from './verify.js';

export interface IntakeOptions {
  secrets: IntakeSecrets;
  bodyLimitBytes: number;
  dedupe: { ttlMs: number; max: number };
  /** Tells the bot's own mention from everyone else's. */
  botOpenId: string;
  clock: Clock;
  log: Logger;
  /** Queue the message; false means the queue is full (the platform will redeliver). */
  onMessage(message: IncomingMessage): boolean;
  /** Answer a card callback: the JSON body of the HTTP response. */
  onCardAction(action: CardAction): Promise<Json>;
  /** While false (shutting down), deliveries get 503 so the platform redelivers elsewhere. */
  accepting(): boolean;
}

export function webhookHandler(options: IntakeOptions): express.RequestHandler[] {
  const seen = new LRUCache<string, true>({ max: options.dedupe.max, ttl: options.dedupe.ttlMs, ttlAutopurge: false });
  const { log } = options;

  const handle = async (req: Request, res: Response) => {
    if (!options.accepting()) return void res.status(503).json({ error: 'shutting down' });
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const verified = verifyDelivery(
      raw,
      {
        timestamp: req.get('x-lark-request-timestamp'),
        nonce: req.get('x-lark-request-nonce'),
        signature: req.get('x-lark-signature'),
      },
      options.secrets,
      options.clock(),
    );
    if (!verified.ok) {
      log.warn('delivery.refused', { route: req.path, status: verified.status, reason: verified.reason, ip: req.ip });
      return void res.status(verified.status).json({ error: verified.reason });
    }

    const delivery = interpret(verified.payload, options.botOpenId);
    switch (delivery.kind) {
      case 'challenge':
        return void res.json({ challenge: delivery.challenge });
      case 'invalid':
        log.warn('delivery.invalid', { route: req.path, reason: delivery.reason });
        return void res.status(400).json({ error: delivery.reason });
      case 'ignored':
        if (delivery.dedupeKey) seen.set(delivery.dedupeKey, true);
        log.debug('delivery.ignored', { why: delivery.why });
        return void res.json({});
      case 'message': {
        if (seen.has(delivery.dedupeKey)) {
          log.info('delivery.duplicate', { key: delivery.dedupeKey });
          return void res.json({});
        }
        if (!delivery.message.addressedToBot) {
          seen.set(delivery.dedupeKey, true);
          return void res.json({});
        }
        if (!options.onMessage(delivery.message)) {
          // Not marked as seen: the redelivery must be handled.
          log.warn('delivery.queue_full', { key: delivery.dedupeKey });
          return void res.status(503).json({ error: 'busy, retry later' });
        }
        seen.set(delivery.dedupeKey, true);
        return void res.json({});
      }
      case 'card-action': {
        if (seen.has(delivery.dedupeKey)) return void res.json({});
        seen.set(delivery.dedupeKey, true);
        return void res.json(await options.onCardAction(delivery.action));
      }
    }
  };

  return [
    express.raw({ type: () => true, limit: options.bodyLimitBytes }),
    (req, res, next) => {
      handle(req, res).catch(next);
    },
  ];
}

/** Turns body-parser's errors into the answers the intake rules ask for. */
export function intakeErrors(log: Logger): express.ErrorRequestHandler {
  return (err: { type?: string; status?: number }, req, res, next) => {
    if (res.headersSent) return next(err);
    if (err.type === 'entity.too.large' || err.status === 413) {
      log.warn('delivery.refused', { route: req.path, status: 413, reason: 'body too large' });
      return void res.status(413).json({ error: 'body too large' });
    }
    if (err.status && err.status >= 400 && err.status < 500) {
      log.warn('delivery.refused', { route: req.path, status: 400, reason: err.type ?? 'unreadable body' });
      return void res.status(400).json({ error: 'unreadable body' });
    }
    log.error('delivery.failed', { route: req.path, error: String((err as Error).message ?? err) });
    return void res.status(500).json({ error: 'internal error' });
  };
}
