// Two bots on one real redis-server and one stand-in, as two instances behind a load balancer: an
// agent signs in through one, their sealed token is in Redis for both, and once it has expired a
// burst of their clicks spread over both instances makes exactly one refresh (the refresh token
// works once: a second refresh would lose the sign-in), every change going through.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { CALLBACK_PATH } from '../../../src/feishu/signIn.js';
import { memoryLogger } from '../../../src/obs/log.js';
import { startBot, type RunningBot } from '../../../src/runtime/start.js';
import { cardActionEvent, delivery, messageEvent } from '@helpdesk-bot/feishu-standin/deliveries';
import { StandIn } from '@helpdesk-bot/feishu-standin';
import { buttons } from '../../support/harness.js';
import { freePort } from '../../support/process.js';
import { startRedis, type RedisServer } from '../../support/redis.js';
import { credentialsFor, SECRETS } from '../../support/secrets.js';
import { callback, consent, linkOf } from '../../support/signIn.js';
import { ticket } from '../../support/standin.js';
import { systemProgram } from '../../support/system.js';
import { until } from '../../support/wait.js';

const redisServer = systemProgram('redis');
const CHEN = { id: 'ou_agent_chen', name: '陈静' };
const BURST = 12;
const TICKETS = Array.from({ length: BURST + 1 }, (_, i) => ticket(String(7300000000000000001n + BigInt(i)), { status: 2 }));

describe.skipIf(!redisServer)('two instances on one Redis: one refresh for a burst', () => {
  let redis: RedisServer;
  let standin: StandIn;
  let bots: RunningBot[];
  let offset = 0;
  const clock = () => Date.now() + offset;

  beforeAll(async () => {
    redis = await startRedis(redisServer!);
    standin = await StandIn.start({ ...SECRETS, tickets: TICKETS, people: [CHEN], agents: [CHEN.id] });
    standin.userAuth.setBrowserUser(CHEN.id);
    // The address browsers reach: the first instance's (a load balancer's, in production).
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    standin.userAuth.registerRedirectUri(publicUrl + CALLBACK_PATH);
    const env = { ...credentialsFor(standin.url), REDIS_URL: redis.url, BOT_PUBLIC_URL: publicUrl, USER_TOKEN_KEY: 'the-same-key-on-every-instance-0123456789' };
    const config = (p: number) => {
      const loaded = loadConfig(`access: { agents: [${CHEN.id}] }\ncache: { ticket_ttl_ms: 1 }`, { ...env, PORT: String(p) });
      if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
      return loaded.config;
    };
    bots = [await startBot(config(port), { log: memoryLogger('debug'), host: '127.0.0.1', clock }), await startBot(config(0), { log: memoryLogger('debug'), host: '127.0.0.1', clock })];
  });
  afterAll(async () => {
    await Promise.all((bots ?? []).map((b) => b.stop(2000)));
    await standin?.close();
    await redis?.close();
  });

  let n = 0;
  const post = (bot: RunningBot, route: string, payload: object) => {
    const d = delivery(payload, { encryptKey: SECRETS.encryptKey, timestamp: Math.floor(clock() / 1000) });
    return fetch(bot.url + route, { method: 'POST', headers: d.headers, body: d.body }).then(async (r) => ({ status: r.status, body: (await r.json()) as unknown }));
  };
  async function card(bot: RunningBot, ticketId: string) {
    const messageId = `om_inst_action_${++n}`;
    standin.registerIncoming(messageId, 'oc_agents');
    await post(
      bot,
      '/webhook/event',
      messageEvent({
        token: SECRETS.verificationToken,
        appId: SECRETS.appId,
        chatType: 'group',
        chatId: 'oc_agents',
        senderOpenId: CHEN.id,
        messageId,
        text: `@_user_1 /ticket ${ticketId}`,
        mentions: [{ key: '@_user_1', openId: SECRETS.botOpenId, name: 'Helpdesk Bot' }],
      }),
    );
    const reply = await until('the card', () => [...standin.messages.values()].find((m) => m.replyTo === messageId));
    const close = buttons(JSON.parse(reply.content)).find((b) => b.text === 'Close as solved')!.value;
    return { messageId: reply.messageId, close };
  }
  const click = (bot: RunningBot, on: { messageId: string; close: unknown }) =>
    post(
      bot,
      '/webhook/card',
      cardActionEvent({ token: SECRETS.verificationToken, operatorOpenId: CHEN.id, value: on.close, messageId: on.messageId, chatId: 'oc_agents', cardToken: standin.issueCardToken(on.messageId) }),
    );
  const refreshes = () => standin.callsTo('oauth_token').filter((c) => (c.body as { grant_type?: string }).grant_type === 'refresh_token');

  it('signs in through one instance, and after expiry a burst over both makes one refresh', async () => {
    const first = await card(bots[1]!, TICKETS[0]!.ticket_id);
    const asked = await click(bots[1]!, first);
    const link = linkOf((asked.body as { card: { data: unknown } }).card.data, 'Sign in to act');
    expect((await callback(await consent(link))).status).toBe(200);
    await until('the first close', () => standin.callsTo('ticket_update').length === 1);

    const cards = await Promise.all(TICKETS.slice(1).map((t, i) => card(bots[i % 2]!, t.ticket_id)));
    // Two hours on, for both instances and the platform: the access token has expired.
    offset += 2 * 3600_000 + 60_000;
    standin.userAuth.expireAccessTokens(CHEN.id);
    standin.clearCalls();
    const answers = await Promise.all(cards.map((c, i) => click(bots[i % 2]!, c)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    await until('every close', () => standin.callsTo('ticket_update').length >= BURST, 20_000);
    expect(refreshes()).toHaveLength(1);
    expect(refreshes()[0]!.responseCode).toBe(0);
    const puts = standin.callsTo('ticket_update');
    expect(puts).toHaveLength(BURST);
    expect(puts.every((p) => p.responseCode === 0)).toBe(true);
    // Every change went with the one new token.
    expect(new Set(puts.map((p) => p.headers.authorization)).size).toBe(1);
    for (const t of TICKETS.slice(1)) expect(standin.ticket(t.ticket_id)!.status).toBe(51);
  });
});
