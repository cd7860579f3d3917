// The webhook endpoint: raw body -> verify -> interpret -> accept (shared with every intake).
//
// It is a plain Node request handler that the HTTP intake (intake.ts) puts in front of Express: a delivery needs none of
// Express's routing, and answering it directly (one write of a small JSON body, no ETag) costs far
// less than the framework's route, so the intake's CPU per delivery stays close to a bare JSON
// route's although it checks a signature and decrypts. The body is read by raw-body, the reader
// Express's own body parsers use, with the same limit and error kinds.
import type { IncomingMessage, ServerResponse } from 'node:http';
import getRawBody from 'raw-body';
import type { Accept } from './accept.js';
import type { Clock } from '../resilience/clock.js';
import type { Logger } from '../obs/log.js';
import { interpret } from './interpret.js';
import { createVerifier, type IntakeSecrets } from './verify.js';
import { messageOf } from '../obs/errors.js';

export interface WebhookOptions {
  secrets: IntakeSecrets;
  bodyLimitBytes: number;
  /** Tells the bot's own mention from everyone else's. */
  botOpenId: string;
  clock: Clock;
  log: Logger;
  accept: Accept;
  /** Told of every refusal before it is answered, by status and a short reason (for metrics). */
  onRefused?(status: number, reason: string): void;
}

/** The routes deliveries come to: events, and card callbacks (the event route takes both). */
export const WEBHOOK_ROUTES = ['/webhook/event', '/webhook/card'] as const;

/**
 * The webhook route a request is for, if it is a POST to one: matched as Express would (case and a
 * trailing slash ignored, query string ignored), so moving the routes out of Express changed no URL.
 */
export function webhookRoute(req: IncomingMessage): string | undefined {
  if (req.method !== 'POST' || !req.url) return undefined;
  const end = req.url.indexOf('?');
  let path = (end === -1 ? req.url : req.url.slice(0, end)).toLowerCase();
  if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  return (WEBHOOK_ROUTES as readonly string[]).includes(path) ? path : undefined;
}

export function webhookIntake(options: WebhookOptions): (req: IncomingMessage, res: ServerResponse, route: string) => void {
  const { log } = options;
  const verify = createVerifier(options.secrets);

  const refuse = (req: IncomingMessage, res: ServerResponse, route: string, status: number, reason: string) => {
    options.onRefused?.(status, reason);
    log.warn('delivery.refused', { route, status, reason, ip: req.socket.remoteAddress });
    answer(res, status, { error: reason });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse, route: string) => {
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return refuse(req, res, route, 415, 'content-encoding is not supported');
    let raw: Buffer;
    try {
      raw = await getRawBody(req, { limit: options.bodyLimitBytes, length: req.headers['content-length'] });
    } catch (error) {
      // Too large, aborted, or not the length it said: the rest is not read, and the connection
      // is closed once answered, since what comes next on it cannot be told from the body.
      req.resume();
      res.setHeader('Connection', 'close');
      if ((error as { type?: string }).type === 'entity.too.large') return refuse(req, res, route, 413, 'body too large');
      return refuse(req, res, route, 400, 'unreadable body');
    }
    const verified = verify(
      raw,
      {
        timestamp: header(req, 'x-lark-request-timestamp'),
        nonce: header(req, 'x-lark-request-nonce'),
        signature: header(req, 'x-lark-signature'),
      },
      options.clock(),
    );
    if (!verified.ok) return refuse(req, res, route, verified.status, verified.reason);
    const accepted = await options.accept(interpret(verified.payload, options.botOpenId), route);
    answer(res, accepted.status, accepted.body);
  };

  return (req, res, route) => {
    handle(req, res, route).catch((error: unknown) => {
      log.error('delivery.failed', { route, error: messageOf(error) });
      if (!res.headersSent) answer(res, 500, { error: 'internal error' });
    });
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** A JSON answer in one write, headers and body together. */
function answer(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}
