// The webhook endpoint: raw body -> verify -> interpret -> accept (shared with every intake).
import express, { type Request, type Response } from 'express';
import type { Accept } from '../accept.js';
import type { Clock } from '../clock.js';
import type { Logger } from '../log.js';
import { interpret } from './events.js';
import { verifyDelivery, type IntakeSecrets } from './verify.js';

export interface IntakeOptions {
  secrets: IntakeSecrets;
  bodyLimitBytes: number;
  /** Tells the bot's own mention from everyone else's. */
  botOpenId: string;
  clock: Clock;
  log: Logger;
  accept: Accept;
}

export function webhookHandler(options: IntakeOptions): express.RequestHandler[] {
  const { log } = options;

  const handle = async (req: Request, res: Response) => {
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
    const answer = await options.accept(interpret(verified.payload, options.botOpenId), req.path);
    res.status(answer.status).json(answer.body);
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
