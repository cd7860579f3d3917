// Starting up as an operator would: `npm start` on a port that is taken stops at once with one
// line naming the port and the PORT variable, in sandbox mode and in production.
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
  ])('%s: exits non-zero within 10 s with one line naming the port and PORT', async (_, env) => {
    const started = Date.now();
    const bot = npmStart({ ...env(), PORT: String(port) });
    const code = await bot.exited;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(code).not.toBe(0);
    const lines = bot.stderr().trim().split('\n').filter((l) => !l.startsWith('npm '));
    expect(lines).toEqual([`Cannot start the helpdesk bot: port ${port} is already in use; set PORT (or server.port in app.yaml) to a free port.`]);
    expect(bot.stderr()).not.toMatch(/TypeError/);
  }, 20_000);
});
