// How deliveries reach the bot, behind one interface: over HTTP (the webhook routes on the bot's
// own server) or over the SDK's long connection. Each hands what it receives to the same accept
// step; nothing past this file asks which one is in use.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Connection } from '../config/schema.js';
import type { Logger } from '../obs/log.js';
import type { Clock } from '../resilience/clock.js';
import type { Accept } from './accept.js';
import { LongConnection, type LongConnectionStatus } from './longConnection.js';
import type { IntakeSecrets } from './verify.js';
import { webhookIntake, webhookRoute } from './webhook.js';

/** What /healthz (and the metrics) say about how events arrive. */
export type IntakeStatus = { mode: 'webhook' } | LongConnectionStatus;

export interface Intake {
  readonly mode: Connection;
  /**
   * Answers a request on the bot's HTTP server if it is a delivery for this intake (a POST to a
   * webhook route); false, untouched, for anything else.
   */
  serve(req: IncomingMessage, res: ServerResponse): boolean;
  /** Starts receiving (the long connection connects; the webhook is served once the server listens). */
  start(): void;
  /**
   * Stops receiving. Called once the bot refuses new deliveries: lets the acknowledgements under
   * way go out, then closes.
   */
  stop(): Promise<void>;
  status(): IntakeStatus;
}

/** Events can arrive: always over the webhook, only while connected over the long connection. */
export const isReceiving = (status: IntakeStatus): boolean => status.mode === 'webhook' || status.state === 'connected';

export interface IntakeOptions {
  connection: Connection;
  appId: string;
  appSecret: string;
  /** Base URL of the Open Platform. */
  domain: string;
  secrets: IntakeSecrets;
  bodyLimitBytes: number;
  longConnection: { pingTimeoutSeconds: number; handshakeTimeoutMs: number };
  /** Tells the bot's own mention from everyone else's. */
  botOpenId: string;
  accept: Accept;
  clock: Clock;
  log: Logger;
  /** Told of every webhook refusal before it is answered, by status and a short reason (for metrics). */
  onRefused(status: number, reason: string): void;
  /** The platform refused the long connection for good: the bot can receive nothing until fixed. */
  onFatal(message: string): void;
}

/** The intake for the configured connection mode: the one place that tells them apart. */
export function createIntake(options: IntakeOptions): Intake {
  return options.connection === 'long-connection' ? longConnectionIntake(options) : httpIntake(options);
}

function httpIntake(options: IntakeOptions): Intake {
  const webhook = webhookIntake({
    secrets: options.secrets,
    bodyLimitBytes: options.bodyLimitBytes,
    botOpenId: options.botOpenId,
    clock: options.clock,
    log: options.log,
    accept: options.accept,
    onRefused: options.onRefused,
  });
  return {
    mode: 'webhook',
    serve(req, res) {
      const route = webhookRoute(req);
      if (!route) return false;
      webhook(req, res, route);
      return true;
    },
    start() {},
    async stop() {},
    status: () => ({ mode: 'webhook' }),
  };
}

function longConnectionIntake(options: IntakeOptions): Intake {
  // Over the long connection nothing arrives by HTTP: the webhook routes are not served (404).
  const connection = new LongConnection({
    appId: options.appId,
    appSecret: options.appSecret,
    domain: options.domain,
    encryptKey: options.secrets.encryptKey,
    pingTimeoutSeconds: options.longConnection.pingTimeoutSeconds,
    handshakeTimeoutMs: options.longConnection.handshakeTimeoutMs,
    botOpenId: options.botOpenId,
    accept: options.accept,
    log: options.log,
    onFatal: options.onFatal,
  });
  return {
    mode: 'long-connection',
    serve: () => false,
    start: () => connection.start(),
    stop: () => connection.close(),
    status: () => connection.status(),
  };
}
