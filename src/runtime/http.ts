// The bot's HTTP server's routes: deliveries first, to the intake (the webhook's routes, when that
// is how events arrive); everything else (health, the sandbox console) is an Express app behind it.
// No listening, no environment: start.ts does that.
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import type { Mode } from '../config/schema.js';
import { isReceiving, type Intake } from '../intake/intake.js';
import type { State } from '../state/types.js';
import type { SignInOutcome } from '../bot/index.js';
import { CALLBACK_PATH } from '../feishu/signIn.js';
import { signInPage } from './signInPage.js';

export interface HttpDeps {
  mode: Mode;
  /** For /healthz: whether the shared state can be reached, and the work queued. */
  state: State;
  intake: Intake;
  /** False once the bot is stopping (deliveries then get 503). */
  accepting(): boolean;
  /** GET /oauth/callback: the end of an agent's sign-in. */
  signIn?: (query: Record<string, unknown>) => Promise<SignInOutcome>;
  /** Extra routes (the sandbox console); mounted before the 404 handler. */
  routes?: (app: express.Express) => void;
}

export interface BotHttp {
  /** The server's request handler: deliveries to the intake, then the Express app. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  app: express.Express;
}

export function createHttp(deps: HttpDeps): BotHttp {
  const { state, intake } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  // A load balancer stops sending to an instance that says 503: while it stops, while the long
  // connection is down, or while the shared state is out of reach (deliveries would get 503 there).
  app.get('/healthz', (_req, res) => {
    const health = state.health();
    const accepting = deps.accepting();
    const connection = intake.status();
    const status = !accepting ? 'stopping' : !health.ok ? 'unavailable' : !isReceiving(connection) ? 'not-connected' : 'ok';
    res.status(status === 'ok' ? 200 : 503).json({
      status,
      mode: deps.mode,
      state: state.backend,
      ...(health.reason && accepting ? { reason: health.reason } : {}),
      queued: state.work.depth,
      connection,
    });
  });
  app.get(CALLBACK_PATH, async (req, res) => {
    const outcome = deps.signIn ? await deps.signIn(req.query as Record<string, unknown>).catch(() => ({ ok: false as const, reason: 'unavailable' as const })) : { ok: false as const, reason: 'off' as const };
    const page = signInPage(outcome);
    // The URL holds the code and the state: no referrer carries them anywhere, nothing keeps the page.
    res
      .status(page.status)
      .set({
        'Cache-Control': 'no-store',
        'Referrer-Policy': 'no-referrer',
        'X-Content-Type-Options': 'nosniff',
        'X-Frame-Options': 'DENY',
        'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'",
      })
      .type('html')
      .send(page.html);
  });
  deps.routes?.(app);
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });

  return {
    handle(req, res) {
      if (!intake.serve(req, res)) app(req, res);
    },
    app,
  };
}
