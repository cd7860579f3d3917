// Starting up as an operator would: `npm start` on a port that is taken stops at once with one
// line naming the port and the PORT variable, in sandbox mode and in production; a production
// process without credentials stops instead of serving the sandbox; two sandboxes share a machine.
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StandIn } from '@helpdesk-bot/feishu-standin';
import { credentialsFor, freePort, npmStart } from '../support/process.js';
import { SECRETS } from '../support/secrets.js';

let busy: Server;
let port: number;
let standin: StandIn;
beforeAll(async () => {
  port = await freePort();
  busy = createServer();
  await new Promise<void>((resolve) => busy.listen(port, resolve));
  standin = await StandIn.start({ ...SECRETS, botOpenId: SECRETS.botOpenId });
});
afterAll(async () => {
  busy.close();
  await standin.close();
});

describe('a port already in use', () => {
  it.each([
    ['sandbox', () => ({})],
    ['production', () => credentialsFor(standin.url)],
  ])(
    '%s: exits non-zero within 10 s with one line naming the port and PORT',
    async (_, env) => {
      const started = Date.now();
      const bot = npmStart({ ...env(), PORT: String(port) });
      const code = await bot.exited;
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(code).not.toBe(0);
      const lines = bot
        .stderr()
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('npm '));
      expect(lines).toEqual([`Cannot start the helpdesk bot: port ${port} is already in use; set PORT (or server.port in app.yaml) to a free port.`]);
      expect(bot.stderr()).not.toMatch(/TypeError/);
    },
    20_000,
  );
});

describe('production without credentials', () => {
  it('NODE_ENV=production with no credentials exits non-zero within 10 s, naming every missing setting', async () => {
    const started = Date.now();
    const bot = npmStart({ NODE_ENV: 'production', PORT: String(await freePort()) });
    const code = await bot.exited;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(code).not.toBe(0);
    for (const name of ['FEISHU_APP_ID', 'FEISHU_APP_SECRET', 'FEISHU_VERIFICATION_TOKEN', 'FEISHU_ENCRYPT_KEY', 'FEISHU_HELPDESK_ID', 'FEISHU_HELPDESK_TOKEN', 'SANDBOX=1']) {
      expect(bot.stderr()).toContain(name);
    }
    // Nothing was served: no console, no sandbox line.
    expect(bot.lines.join('\n')).not.toContain('Sandbox console');
  }, 20_000);

  it('SANDBOX=1 runs the sandbox under NODE_ENV=production on purpose', async () => {
    const bot = npmStart({ NODE_ENV: 'production', SANDBOX: '1', PORT: String(await freePort()) });
    try {
      await bot.waitFor(/Sandbox console: http:\/\/localhost:\d+\/console/);
    } finally {
      await bot.stop();
    }
  }, 40_000);
});

describe('two sandboxes on one machine', () => {
  it('run side by side on different PORTs, the second taking a free metrics port when the first has it', async () => {
    const taken = createServer();
    const metricsPort = await freePort();
    await new Promise<void>((resolve) => taken.listen(metricsPort, resolve));
    const bots = [npmStart({ PORT: String(await freePort()), METRICS_PORT: String(metricsPort) }), npmStart({ PORT: String(await freePort()), METRICS_PORT: String(metricsPort) })];
    try {
      for (const bot of bots) {
        const line = JSON.parse(await bot.waitFor(/"event":"started"/)) as { port: number; metrics: string };
        expect(new URL(line.metrics).port).not.toBe(String(metricsPort));
        expect((await fetch(`http://127.0.0.1:${line.port}/healthz`)).status).toBe(200);
        expect((await fetch(line.metrics.replace('localhost', '127.0.0.1'))).status).toBe(200);
      }
    } finally {
      await Promise.all(bots.map((b) => b.stop()));
      taken.close();
    }
  }, 60_000);
});
