// createApp: the HTTP routes wired to the parts. No listening, no environment: start.ts does that.
// Deliveries go straight to the webhook intake; everything else (health, the sandbox console) is
// an Express app behind it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { createAccept, type Accept } from '../intake/accept.js';
import type { Bot } from '../bot/index.js';
import type { Clock } from '../resilience/clock.js';
import type { Config } from '../config/schema.js';
import { webhookIntake, webhookRoute } from '../intake/webhook.js';
import { isReceiving, type ConnectionStatus } from '../intake/longConnection.js';
import { jobId } from '../jobs/job.js';
import type { Logger } from '../obs/log.js';
import type { Metrics } from '../obs/metrics.js';
import type { State } from '../state/types.js';

export interface AppDeps {
  config: Config;
  bot: Bot;
  /** De-duplication and the work queue where accepted messages wait for a worker. */
  state: State;
  botOpenId: string;
  log: Logger;
  metrics: Metrics;
  clock: Clock;
  /** Extra routes (the sandbox console); mounted before the 404 handler. */
  routes?: (app: express.Express) => void;
  /** How events arrive right now, for /healthz; the webhook when not given. */
  connection?: () => ConnectionStatus;
}

export interface BotApp {
  /** The server's request handler: webhook deliveries, then the Express app. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  app: express.Express;
  state: State;
  /** The step after every intake: the webhook routes use it, and so does the long connection. */
  accept: Accept;
  /** Stop taking deliveries (503) and wait up to `deadlineMs` for queued work; true if all finished. */
  stop(deadlineMs: number): Promise<boolean>;
}

export function createApp(deps: AppDeps): BotApp {
  const { config, log, bot, state, metrics } = deps;
  let accepting = true;

  const accept = createAccept({
    claims: state.claims,
    dedupeTtlMs: config.server.dedupe_ttl_seconds * 1000,
    log,
    metrics,
    clock: deps.clock,
    accepting: () => accepting,
    enqueue: (job) => state.work.add(jobId(job), job),
    onCardAction: (action) => bot.onCardAction(action),
  });
  const webhook = webhookIntake({
    secrets: {
      encryptKey: config.feishu.encrypt_key,
      verificationToken: config.feishu.verification_token,
      toleranceSeconds: config.server.timestamp_tolerance_seconds,
    },
    bodyLimitBytes: config.server.body_limit_bytes,
    botOpenId: deps.botOpenId,
    clock: deps.clock,
    log,
    accept,
    onRefused(status, reason) {
      metrics.refused(status, reason);
      metrics.delivery('refused');
    },
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  // A load balancer stops sending to an instance that says 503: while it stops, while the long
  // connection is down, or while the shared state is out of reach (deliveries would get 503 there).
  app.get('/healthz', (_req, res) => {
    const health = state.health();
    const connection = deps.connection?.() ?? { mode: 'webhook' as const };
    const status = !accepting ? 'stopping' : !health.ok ? 'unavailable' : !isReceiving(connection) ? 'not-connected' : 'ok';
    res.status(status === 'ok' ? 200 : 503).json({
      status,
      mode: config.mode,
      state: state.backend,
      ...(health.reason && accepting ? { reason: health.reason } : {}),
      queued: state.work.depth,
      connection,
    });
  });
  deps.routes?.(app);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });

  return {
    handle(req, res) {
      // Over the long connection nothing arrives by HTTP: the webhook routes are not served (404).
      const route = config.feishu.connection === 'webhook' ? webhookRoute(req) : undefined;
      if (route) webhook(req, res, route);
      else app(req, res);
    },
    app,
    state,
    accept,
    async stop(deadlineMs) {
      accepting = false;
      return state.work.drain(deadlineMs);
    },
  };
}
