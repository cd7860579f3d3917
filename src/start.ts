// Builds the whole bot from a validated Config and starts listening. Used by main.ts, by the
// sandbox and by tests, so all of them run exactly the same wiring.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createApp, type BotApp } from './app.js';
import { createBot } from './bot.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { fetchBotOpenId } from './feishu/botInfo.js';
import { createLarkClient } from './feishu/client.js';
import { sdkMessenger } from './feishu/messenger.js';
import { sdkHelpdesk } from './helpdesk/api.js';
import type { Logger } from './log.js';

export interface RunningBot {
  url: string;
  port: number;
  botOpenId: string;
  app: BotApp;
  /** Graceful stop: refuse new deliveries, finish queued work (up to the deadline), close. */
  stop(deadlineMs?: number): Promise<boolean>;
}

export interface StartOptions {
  log: Logger;
  clock?: Clock;
  host?: string;
  /** Extra routes on the bot's own server (sandbox mode only). */
  routes?: (app: BotApp['app']) => void;
}

const UPSTREAM_TIMEOUT_MS = 5000;

export async function startBot(config: Config, options: StartOptions): Promise<RunningBot> {
  const { log } = options;
  const clock = options.clock ?? systemClock;
  const client = createLarkClient(
    {
      appId: config.feishu.appId,
      appSecret: config.feishu.appSecret,
      domain: config.feishu.domain,
      helpdeskId: config.helpdesk.id,
      helpdeskToken: config.helpdesk.token,
      timeoutMs: UPSTREAM_TIMEOUT_MS,
    },
    log,
  );
  const botOpenId = config.feishu.botOpenId ?? (await fetchBotOpenId(client));
  const bot = createBot({
    helpdesk: sdkHelpdesk(client),
    messenger: sdkMessenger(client),
    log,
    clock,
    timezone: config.display.timezone,
  });
  const app = createApp({ config, bot, botOpenId, log, clock, ...(options.routes ? { routes: options.routes } : {}) });
  const server = await listen(app.app, config.server.port, options.host ?? '0.0.0.0');
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    botOpenId,
    app,
    async stop(deadlineMs = 10_000) {
      const finished = await app.stop(deadlineMs);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      return finished;
    },
  };
}

function listen(app: BotApp['app'], port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, () => resolve(server));
    server.once('error', reject);
  });
}
