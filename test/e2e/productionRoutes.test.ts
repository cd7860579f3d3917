// Outside sandbox mode the console and the sandbox API do not exist: `npm start` with credentials
// (pointed at a stand-in) answers 404 for them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StandIn } from '@helpdesk-bot/feishu-standin';
import { credentialsFor, freePort, npmStart, type Started } from '../support/process.js';
import { SECRETS } from '../support/secrets.js';

describe('npm start with credentials', () => {
  let standin: StandIn;
  let bot: Started;
  let base: string;

  beforeAll(async () => {
    standin = await StandIn.start(SECRETS);
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    bot = npmStart({ ...credentialsFor(standin.url), PORT: String(port) });
    await bot.waitFor(/"event":"started"/);
  }, 60_000);
  afterAll(async () => {
    await bot?.stop();
    await standin?.close();
  });

  it('runs in production mode and says nothing about a sandbox', () => {
    const logs = bot.logs();
    expect(logs[0]).toMatchObject({ event: 'started', mode: 'production' });
    expect(JSON.stringify(logs)).not.toContain('/console');
  });

  it('has no console and no sandbox API (404)', async () => {
    for (const path of ['/console', '/console/console.js', '/console/card.js', '/sandbox/api/info', '/sandbox/api/chats/dm/messages']) {
      expect((await fetch(base + path)).status, path).toBe(404);
    }
    const post = await fetch(`${base}/sandbox/api/messages`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"chat":"dm","text":"/help"}' });
    expect(post.status).toBe(404);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});
