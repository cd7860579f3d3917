// Two bots in this process (startBot, real Express, real SDK) sharing one real redis-server and one
// stand-in, as two instances behind a load balancer: duplicates across them, a shared cache, slow
// clicks as queued work, and a Redis outage (503s and /healthz, then recovery with nothing lost).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { memoryLogger } from '../../../src/obs/log.js';
import { cardActionEvent, delivery, messageEvent } from '@helpdesk-bot/feishu-standin/deliveries';
import { StandIn } from '@helpdesk-bot/feishu-standin';
import { startBot, type RunningBot } from '../../../src/runtime/start.js';
import { buttons } from '../../support/harness.js';
import { ticketsFrom } from '../../support/load.js';
import { startRedis, type RedisServer } from '../../support/redis.js';
import { credentialsFor, SECRETS } from '../../support/secrets.js';
import { systemProgram } from '../../support/system.js';

const redisServer = systemProgram('redis');
const BASE = 7700000000000000000n;

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const limit = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > limit) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(!redisServer)('two instances on one Redis (real redis-server)', () => {
  let redis: RedisServer;
  let standin: StandIn;
  let bots: RunningBot[];
  const logs = [memoryLogger('debug'), memoryLogger('debug')];

  beforeAll(async () => {
    redis = await startRedis(redisServer!);
    standin = await StandIn.start({ ...SECRETS, tickets: ticketsFrom(BASE, 20) });
    const loaded = loadConfig('', { ...credentialsFor(standin.url), PORT: '0', REDIS_URL: redis.url });
    if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
    bots = await Promise.all(logs.map((log) => startBot(loaded.config, { log, host: '127.0.0.1' })));
  });
  afterAll(async () => {
    await Promise.all((bots ?? []).map((b) => b.stop(2000)));
    await standin?.close();
    await redis?.close();
  });

  let sent = 0;
  const say = async (bot: RunningBot, text: string, messageId = `om_inst_${++sent}`) => {
    standin.registerIncoming(messageId, 'oc_inst');
    const event = messageEvent({ token: SECRETS.verificationToken, appId: SECRETS.appId, chatType: 'p2p', chatId: 'oc_inst', senderOpenId: 'ou_user', messageId, text });
    const d = delivery(event, { encryptKey: SECRETS.encryptKey });
    const res = await fetch(bot.url + '/webhook/event', { method: 'POST', headers: d.headers, body: d.body });
    return { status: res.status, body: (await res.json()) as Record<string, unknown>, messageId };
  };
  const repliesTo = (messageId: string) => [...standin.messages.values()].filter((m) => m.replyTo === messageId);
  const replyCalls = (messageId: string) => standin.callsTo('reply').filter((c) => c.path.includes(messageId));

  it('answers a message delivered to both instances once, with one reply call', async () => {
    const first = await say(bots[0]!, `/ticket ${BASE}`);
    const again = await say(bots[1]!, `/ticket ${BASE}`, first.messageId);
    expect([first.status, again.status]).toEqual([200, 200]);
    await until(() => repliesTo(first.messageId).length === 1, 'the reply');
    await new Promise((r) => setTimeout(r, 300));
    expect(replyCalls(first.messageId)).toHaveLength(1);
    expect(logs[1]!.lines.join('\n')).toContain(`"event":"delivery.duplicate","key":"msg:${first.messageId}"`);
  });

  it('serves a ticket one instance looked up to the other from the shared cache', async () => {
    standin.clearCalls();
    const one = await say(bots[0]!, `/ticket ${BASE + 1n}`);
    await until(() => repliesTo(one.messageId).length === 1, 'the first reply');
    const two = await say(bots[1]!, `/ticket ${BASE + 1n}`);
    await until(() => repliesTo(two.messageId).length === 1, 'the second reply');
    expect(standin.callsTo('ticket_get')).toHaveLength(1);
    expect(repliesTo(two.messageId)[0]!.content).toContain('王小明');
  });

  it('updates the card of a slow click through queued work', async () => {
    const asked = await say(bots[0]!, `/ticket ${BASE + 2n}`);
    await until(() => repliesTo(asked.messageId).length === 1, 'the reply');
    const reply = repliesTo(asked.messageId)[0]!;
    const refresh = buttons(JSON.parse(reply.content)).find((b) => b.text === 'Refresh');
    expect(refresh).toBeDefined();
    standin.inject('ticket_get', { delayMs: 3500, times: 1 });
    const click = cardActionEvent({
      token: SECRETS.verificationToken,
      operatorOpenId: 'ou_user',
      value: refresh!.value,
      messageId: reply.messageId,
      chatId: reply.chatId!,
      cardToken: standin.issueCardToken(reply.messageId),
    });
    const d = delivery(click, { encryptKey: SECRETS.encryptKey });
    const res = await fetch(bots[1]!.url + '/webhook/card', { method: 'POST', headers: d.headers, body: d.body });
    expect(await res.json()).toMatchObject({ toast: { type: 'info' } });
    await until(() => standin.callsTo('card_update').length === 1, 'the card update', 15_000);
    expect(standin.callsTo('card_update')[0]!.status).toBe(200);
  });

  it('refuses deliveries with 503 while Redis is away, says why on /healthz, and recovers by itself', async () => {
    // Accepted just before Redis goes: these must still be answered.
    const before = await Promise.all([say(bots[0]!, `/ticket ${BASE + 3n}`), say(bots[1]!, `/ticket ${BASE + 4n}`)]);
    expect(before.map((r) => r.status)).toEqual([200, 200]);
    await redis.stop();
    try {
      await until(async () => (await fetch(bots[0]!.url + '/healthz')).status === 503, '/healthz to say 503');
      // The public port says which part, never where Redis is; the whole report says why.
      expect(await (await fetch(bots[0]!.url + '/healthz')).json()).toEqual({ status: 'unavailable', part: 'redis' });
      const health = bots[0]!.health();
      expect(health).toMatchObject({ status: 'unavailable', part: 'redis', state: 'redis' });
      expect(String(health.reason)).toMatch(/^Redis at redis:\/\/127\.0\.0\.1:\d+ is unreachable/);
      const during = await say(bots[1]!, `/ticket ${BASE + 5n}`);
      expect(during.status).toBe(503);
      expect(String(during.body.error)).toContain('shared state unavailable');
    } finally {
      await redis.start();
    }
    await until(async () => (await fetch(bots[0]!.url + '/healthz')).status === 200 && (await fetch(bots[1]!.url + '/healthz')).status === 200, 'both to recover', 15_000);
    const after = await say(bots[0]!, `/ticket ${BASE + 6n}`);
    expect(after.status).toBe(200);
    await until(() => [...before, after].every((r) => repliesTo(r.messageId).length === 1), 'every accepted command to be answered', 20_000);
  });
});
