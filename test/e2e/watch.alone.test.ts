// Watches, live cards and the board, checked from outside as an operator would: `npm run standin` plays the
// platform (it pushes helpdesk ticket events once subscribed), `npm start` runs the bot with the
// documented environment variables (BOT_CONFIG names a config whose state.file is this test's),
// and calls to the stand-in's control API play the people and the helpdesk. Then the watch path
// with REDIS_URL: two instances on a real redis-server, an event delivered to either posts once.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { delivery, messageEvent } from '@helpdesk-bot/feishu-standin/deliveries';
import { StandIn } from '@helpdesk-bot/feishu-standin';
import { credentialsFor, freePort, npmScript, npmStart, type Started } from '../support/process.js';
import { startRedis, type RedisServer } from '../support/redis.js';
import { SECRETS } from '../support/secrets.js';
import { systemProgram } from '../support/system.js';
import { until as waitUntil } from '../support/wait.js';
import { newTicket } from '../support/watch.js';

const APP = {
  FEISHU_APP_ID: 'cli_9f8e7d6c5b4a3a12',
  FEISHU_APP_SECRET: 'watch-process-secret',
  FEISHU_HELPDESK_ID: '7400',
  FEISHU_HELPDESK_TOKEN: 'watch-process-helpdesk-token',
};
const GROUP = 'oc_standin_group';

type Json = Record<string, unknown>;
/** The other process tests run at the same time (three bots and a burst): be patient, not quick. */
const until = <T>(what: string, check: () => T | Promise<T>, timeoutMs = 45_000) => waitUntil(what, check, timeoutMs);

describe('npm start against npm run standin, with helpdesk events', { timeout: 120_000 }, () => {
  let standin: Started;
  let bot: Started;
  let control = '';
  let platform = '';
  let env: Record<string, string> = {};

  const call = async (path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<Json & { sent?: { messageId: string; card: unknown }[] }> => {
    const res = await fetch(control + path, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return (await res.json()) as never;
  };
  const calls = async (route: string) => (await call(`/calls?route=${route}`)) as unknown as { path: string; body: Json; status: number }[];
  const sendsTo = async (chatId: string) => (await calls('send')).filter((c) => c.body.receive_id === chatId);
  const botLine = (event: string, match: (l: Json) => boolean) => bot.logs().find((l) => l.event === event && match(l));
  const startBot = async () => {
    bot = npmStart(env);
    await bot.waitFor(/"event":"long_connection.connected"/, 60_000);
  };

  beforeAll(async () => {
    const standinPort = await freePort();
    standin = npmScript('standin', { ...APP, STANDIN_PORT: String(standinPort), STANDIN_RECONNECT_NONCE: '0.2', STANDIN_RECONNECT_INTERVAL: '1' });
    await standin.waitFor(/^Stand-in of the Feishu platform at/);
    platform = `http://127.0.0.1:${standinPort}`;
    control = `${platform}/standin`;
    const dir = mkdtempSync(join(tmpdir(), 'watch-process-'));
    writeFileSync(join(dir, 'app.yaml'), `state:\n  file: ${join(dir, 'state.json')}\n`);
    env = { ...APP, FEISHU_CONNECTION: 'long-connection', FEISHU_DOMAIN: platform, PORT: String(await freePort()), BOT_CONFIG: join(dir, 'app.yaml') };
    await startBot();
  }, 90_000);
  afterAll(async () => {
    await bot?.stop();
    await standin?.stop();
  });

  it('subscribes to the helpdesk ticket events at start-up', async () => {
    await until('the subscription', async () => ((await call('/subscriptions')) as unknown as string[]).length === 2);
    const [subscribe] = await calls('helpdesk_subscribe');
    expect(subscribe!.status).toBe(200);
    expect(subscribe!.body).toEqual({
      events: [
        { type: 'helpdesk.ticket', subtype: 'ticket.created_v1' },
        { type: 'helpdesk.ticket', subtype: 'ticket.updated_v1' },
      ],
    });
    expect(bot.logs().some((l) => l.event === 'helpdesk.subscribed')).toBe(true);
  });

  let vipEvent = '';
  it('after @bot /watch open tag VIP in a group, posts one card there for a matching new ticket, and nothing for one that does not match', async () => {
    const watch = await call('/say', { text: '/watch open tag VIP', chat: 'group' });
    expect(JSON.stringify(watch.sent)).toContain('Watching: Open · tag VIP');

    const other = (await call('/tickets', { status: 1, tags: ['Laptop'] })) as { ticket: { ticket_id: string }; event: { eventId: string; delivered: boolean } };
    expect(other.event.delivered).toBe(true);
    const skipped = await until('the bot to handle the other ticket', () => botLine('ticket_event', (l) => l.event_id === other.event.eventId));
    expect(skipped.posted_to).toEqual([]);

    const vip = (await call('/tickets', { status: 1, tags: ['VIP'] })) as { ticket: { ticket_id: string }; event: { eventId: string; delivered: boolean } };
    vipEvent = vip.event.eventId;
    await until('the post', async () => (await sendsTo(GROUP)).length === 1);
    const [post] = await sendsTo(GROUP);
    expect(String(post!.body.content)).toContain(`Ticket ${vip.ticket.ticket_id}`);
    expect(String(post!.body.content)).not.toContain(other.ticket.ticket_id);
  });

  it('posts once when the same event is delivered twice', async () => {
    const again = (await call('/redeliver', { eventId: vipEvent })) as { event: { delivered: boolean } };
    expect(again.event.delivered).toBe(true);
    await until('the duplicate to be dropped', () => bot.lines.some((l) => l.includes('"delivery.duplicate"') && l.includes(vipEvent)));
    expect(await sendsTo(GROUP)).toHaveLength(1);
  });

  it('still has the watch after the bot is restarted', async () => {
    await bot.stop();
    await startBot();
    const list = await call('/say', { text: '/watch', chat: 'group' });
    expect(JSON.stringify(list.sent)).toContain('**1.** Open · tag VIP');
    await until('the subscription after the restart', async () => (await calls('helpdesk_subscribe')).length === 2);
    await call('/tickets', { status: 3, tags: ['VIP'] });
    await until('a post after the restart', async () => (await sendsTo(GROUP)).length === 2);
  });

  it('updates a ticket card replied to /ticket <id> with the new status after an updated event', async () => {
    const created = (await call('/tickets', { status: 1 })) as { ticket: { ticket_id: string } };
    const id = created.ticket.ticket_id;
    const asked = await call('/say', { text: `/ticket ${id}` });
    const reply = asked.sent![0]!;
    expect(JSON.stringify(reply.card)).toContain('"New"');
    await until('the card to be live', () => bot.lines.some((l) => l.includes('"command":"ticket"') && l.includes(id)));
    const changed = (await call(`/tickets/${id}`, { status: 51, agent: '王磊' }, 'PATCH')) as { event: { delivered: boolean } };
    expect(changed.event.delivered).toBe(true);
    await until('the patch', async () => (await calls('patch')).some((c) => c.path.endsWith(`/${reply.messageId}`) && c.status === 200));
    const messages = (await call('/messages')) as unknown as { messageId: string; card: unknown; updates: number }[];
    const now = messages.find((m) => m.messageId === reply.messageId)!;
    expect(now.updates).toBeGreaterThan(0);
    expect(JSON.stringify(now.card)).toContain('Closed by agent');
  });

  it('answers /board with counts equal to what the list API reports for each status', async () => {
    const board = await call('/say', { text: '/board', chat: 'group' });
    const text = JSON.stringify(board.sent![0]!.card);
    const token = (
      (await (
        await fetch(`${platform}/open-apis/auth/v3/tenant_access_token/internal`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ app_id: APP.FEISHU_APP_ID, app_secret: APP.FEISHU_APP_SECRET }),
        })
      ).json()) as { tenant_access_token: string }
    ).tenant_access_token;
    const total = async (status: number) => {
      const res = await fetch(`${platform}/open-apis/helpdesk/v1/tickets?page=1&page_size=1&status_list=${status}`, {
        headers: { authorization: `Bearer ${token}`, 'x-lark-helpdesk-authorization': Buffer.from(`${APP.FEISHU_HELPDESK_ID}:${APP.FEISHU_HELPDESK_TOKEN}`).toString('base64') },
      });
      return ((await res.json()) as { data: { total: number } }).data.total;
    };
    for (const [status, label] of [
      [1, 'New'],
      [2, 'In progress'],
      [3, 'Queued'],
      [4, 'Pending'],
      [5, 'Waiting for customer'],
    ] as const) {
      expect(text).toContain(`"${label} · ${await total(status)}"`);
    }
  });
});

const redisServer = systemProgram('redis');

describe.skipIf(!redisServer)('the watch path on Redis: two instances started with npm start (real redis-server)', () => {
  let redis: RedisServer;
  let standin: StandIn;
  const instances: { url: string; proc: Started }[] = [];
  const post = async (to: string, payload: object) => {
    const d = delivery(payload, { encryptKey: SECRETS.encryptKey });
    const res = await fetch(`${to}/webhook/event`, { method: 'POST', headers: d.headers, body: d.body });
    return res.status;
  };
  const sendsTo = (chatId: string) => standin.callsTo('send').filter((c) => (c.body as Json).receive_id === chatId);

  beforeAll(async () => {
    redis = await startRedis(redisServer!);
    standin = await StandIn.start({ ...SECRETS, tickets: [] });
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      const proc = npmStart({ ...credentialsFor(standin.url), REDIS_URL: redis.url, PORT: String(port) });
      instances.push({ url: `http://127.0.0.1:${port}`, proc });
    }
    await Promise.all(instances.map((i) => i.proc.waitFor(/"event":"started"/, 60_000)));
    // Ticket events come from the helpdesk to the first instance; the test delivers copies itself.
    standin.pushTicketEventsTo({ token: SECRETS.verificationToken, event: async (payload) => ((await post(instances[0]!.url, payload)) === 200 ? { ok: true, body: {} } : { ok: false, error: 'refused' }) });
    await until('the subscription', () => standin.subscriptions.length === 2, 30_000);
  }, 120_000);
  afterAll(async () => {
    await Promise.all(instances.map((i) => i.proc.stop()));
    await standin?.close();
    await redis?.close();
  });

  it('shares the watch: the same event delivered to both instances posts once, and either one posts', async () => {
    // The watch is started through the second instance.
    standin.registerIncoming('om_redis_watch', 'oc_redis_group');
    const watch = messageEvent({
      token: SECRETS.verificationToken,
      appId: SECRETS.appId,
      chatType: 'group',
      chatId: 'oc_redis_group',
      senderOpenId: 'ou_asker',
      messageId: 'om_redis_watch',
      text: '@_user_1 /watch tag VIP',
      mentions: [{ key: '@_user_1', openId: SECRETS.botOpenId, name: 'Helpdesk Bot' }],
    });
    expect(await post(instances[1]!.url, watch)).toBe(200);
    await until('the confirmation', () => [...standin.messages.values()].some((m) => m.replyTo === 'om_redis_watch' && m.content.includes('Watching: Tag VIP')));

    // Created in the helpdesk: pushed to the first instance, and the same delivery to the second at once.
    const ticket = newTicket({ tags: ['VIP'] });
    const pushed = standin.createTicket(ticket);
    await until('the event to exist', () => standin.ticketEvents.length === 1);
    const payload = standin.ticketEvents[0]!.payload;
    const copy = await post(instances[1]!.url, payload);
    const first = await pushed;
    // One of them stores it; the other acknowledges the duplicate, or (if it came while the first
    // was storing it) answers 503, and the platform delivers it again.
    expect(first?.delivered || copy === 200).toBe(true);
    if (!first?.delivered) expect(await post(instances[0]!.url, payload)).toBe(200);
    if (copy !== 200) expect(await post(instances[1]!.url, payload)).toBe(200);
    await until('the post', () => sendsTo('oc_redis_group').length >= 1);
    // Whichever instance took the job (any may run it) handled the event once and posted once.
    const eventId = standin.ticketEvents[0]!.eventId;
    const lines = () => instances.flatMap((i) => i.proc.logs());
    await until('the post round to be logged', () => lines().some((l) => l.event === 'watch.posted' && l.chat_id === 'oc_redis_group'));
    expect(lines().filter((l) => l.event === 'ticket_event' && l.event_id === eventId)).toHaveLength(1);
    expect(sendsTo('oc_redis_group')).toHaveLength(1);
    expect(String((sendsTo('oc_redis_group')[0]!.body as Json).content)).toContain(ticket.ticket_id);

    // The next one only through the second instance: it knows the watch too.
    const second = newTicket({ tags: ['VIP'] });
    standin.pushTicketEventsTo({ token: SECRETS.verificationToken, event: async (payload) => ((await post(instances[1]!.url, payload)) === 200 ? { ok: true, body: {} } : { ok: false, error: 'refused' }) });
    await standin.createTicket(second);
    await until('the second post', () => sendsTo('oc_redis_group').some((c) => String((c.body as Json).content).includes(second.ticket_id)));
    expect(sendsTo('oc_redis_group')).toHaveLength(2);
  }, 180_000);
});
