// The bot's HTTP server's routes: deliveries first, to the intake (the webhook's routes, when that
// is how events arrive); everything else (health, the sandbox console) is an Express app behind it.
// No listening, no environment: start.ts does that.
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import type { SignInOutcome } from '../bot/index.js';
import { CALLBACK_PATH } from '../feishu/signIn.js';
import type { Intake } from '../intake/intake.js';
import { publicHealth, type HealthReport } from './health.js';
import { signInPage } from './signInPage.js';

export interface HttpDeps {
  intake: Intake;
  /** What /healthz reports (see health.ts). */
  health(): HealthReport;
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
  const { intake } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  // A load balancer stops sending to an instance that says 503: while it stops, while the shared
  // state is out of reach (deliveries would get 503 there), while the long connection is down, or
  // while Feishu refuses the bot's token. Which part, and nothing more (see health.ts).
  app.get('/healthz', (_req, res) => {
    const report = deps.health();
    res.status(report.status === 'ok' ? 200 : 503).json(publicHealth(report));
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
