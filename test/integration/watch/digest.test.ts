// The daily digest end to end: the real bot against the stand-in holding the demo helpdesk, its
// clock moved (forward only, advancing with real time) so that a digest's minute comes a few
// seconds after it is set. Asserts on what the stand-in received: one post at that minute, none
// again (after a restart either), one after a restart that missed the minute, none once it is off,
// and none once the bot has left the chat.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { botRemovedEvent, delivery, messageEvent } from '@helpdesk-bot/feishu-standin/deliveries';
import { StandIn } from '@helpdesk-bot/feishu-standin';
import { loadConfig } from '../../../src/config/load.js';
import { memoryLogger } from '../../../src/obs/log.js';
import { startBot, type RunningBot } from '../../../src/runtime/start.js';
import { seedTickets } from '../../../src/sandbox/seed.js';
import { WatchStore } from '../../../src/watch/store.js';
import { SECRETS, startHarness, type Harness } from '../../support/harness.js';
import { startRedis, type RedisServer } from '../../support/redis.js';
import { credentialsFor } from '../../support/secrets.js';
import { systemProgram } from '../../support/system.js';
import { until } from '../../support/wait.js';
import { logged } from '../../support/watch.js';

const tz = 'Asia/Shanghai';
const YAML = `
upstream:
  limits: { ticket_get_per_second: 1000, ticket_list_per_second: 1000, messages_per_second: 1000, messages_per_chat_per_second: 1000 }
`;
const redisServer = systemProgram('redis');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let h: Harness;
let offset = 0;
const clock = () => Date.now() + offset;
beforeAll(async () => {
  h = await startHarness({ tickets: seedTickets(Date.now()), yaml: YAML, clock });
});
afterAll(() => h.close());

/** Moves the bot's clock forward so that a minute starts `ms` from now; that minute, as /digest takes it. */
function minuteIn(ms: number): { time: string; slot: number } {
  const slot = DateTime.fromMillis(clock() + ms, { zone: tz })
    .plus({ minutes: 1 })
    .startOf('minute');
  offset = slot.toMillis() - ms - Date.now();
  return { time: slot.toFormat('HH:mm'), slot: slot.toMillis() };
}

/** The digests the bot posted in a chat (new messages, not replies). */
const digestsIn = (chatId: string) => [...h.standin.messages.values()].filter((m) => m.chatId === chatId && m.replyTo === undefined && m.content.includes('Daily digest: '));

async function setDigest(chatId: string, words: string): Promise<string> {
  const said = await h.say(`/digest ${words}`, { chatType: 'group', chatId });
  return (await h.replies(said.messageId))[0]!.content;
}

describe('/digest HH:MM', () => {
  const chat = 'oc_digest_minute';
  let slot: number;
  beforeAll(async () => {
    const minute = minuteIn(4000);
    slot = minute.slot;
    const reply = await setDigest(chat, minute.time);
    expect(reply).toContain('Daily digest set.');
    expect(reply).toContain(`Every day at ${minute.time} (Asia/Shanghai UTC+8)`);
  });

  it('posts one digest in the chat at that minute, with the figures of the day before', async () => {
    expect(digestsIn(chat)).toHaveLength(0);
    await until('the digest', () => digestsIn(chat).length > 0, 15_000);
    const [post] = digestsIn(chat);
    expect(post!.createdAt).toBeGreaterThanOrEqual(slot - offset - 1000);
    const yesterday = DateTime.fromMillis(slot, { zone: tz }).minus({ days: 1 });
    expect(post!.content).toContain(`Daily digest: ${yesterday.toFormat('yyyy-MM-dd')}`);
    const opened = h.standin.tickets.filter((t) => t.created_at! >= yesterday.startOf('day').toMillis() && t.created_at! <= yesterday.endOf('day').toMillis()).length;
    expect(post!.content).toContain(`**${opened}** tickets opened`);
    const card = JSON.parse(post!.content) as { body: { elements: { tag: string }[] } };
    expect(card.body.elements.filter((e) => e.tag === 'chart').length).toBeGreaterThanOrEqual(3);
  });

  it('posts none again, not even after a restart (the minute it owes is noted as posted)', async () => {
    await sleep(1500);
    expect(digestsIn(chat)).toHaveLength(1);
    await h.restart();
    await until('the owed digest to be looked at again', () => logged(h, 'digest.skipped').some((l) => l.chat_id === chat));
    await sleep(1000);
    expect(digestsIn(chat)).toHaveLength(1);
    expect(logged(h, 'digest.posted').filter((l) => l.chat_id === chat)).toHaveLength(1);
    // The next one is tomorrow's.
    expect((await setDigest(chat, '')).replace(/\\n/g, ' ')).toContain(`Next: ${DateTime.fromMillis(slot, { zone: tz }).plus({ days: 1 }).toFormat('MM-dd HH:mm')}`);
  });
});

describe('a digest whose day another run still holds (it died posting)', () => {
  it('is posted once the hold lapses, by this run tried again, not never', async () => {
    const chat = 'oc_digest_held';
    const minute = minuteIn(3000);
    expect(await setDigest(chat, minute.time)).toContain('Daily digest set.');
    const day = DateTime.fromMillis(minute.slot, { zone: tz }).toFormat('yyyy-MM-dd');
    // As a run that took the day and then died would have left it (its hold lapses in 5 s here).
    await h.bot.state.records.add(`digest-posting:${chat}`, [day], 5000);
    await sleep(4000);
    expect(digestsIn(chat)).toHaveLength(0);
    await until('the digest after the hold', () => digestsIn(chat).length > 0, 30_000);
    await sleep(1500);
    expect(digestsIn(chat)).toHaveLength(1);
  }, 45_000);
});

describe('a digest whose minute passed while the bot was down', () => {
  it('is posted once when the bot starts again', async () => {
    const chat = 'oc_digest_missed';
    const minute = minuteIn(3000);
    expect(await setDigest(chat, minute.time)).toContain('Daily digest set.');
    // Down across the minute: stopping runs what the queue held, which must not post early.
    await h.restart(5000);
    expect(clock()).toBeGreaterThan(minute.slot);
    await until('the missed digest', () => digestsIn(chat).length > 0, 15_000);
    await sleep(2000);
    expect(digestsIn(chat)).toHaveLength(1);
  });
});

describe('/digest off and /digest', () => {
  it('shows the setting, and posts nothing once it is off', async () => {
    const chat = 'oc_digest_off';
    const minute = minuteIn(3000);
    await setDigest(chat, minute.time);
    expect(await setDigest(chat, '')).toContain(`**Daily digest**: every day at ${minute.time}`);
    expect(await setDigest(chat, 'off')).toContain('Daily digest stopped');
    await sleep(4000);
    expect(digestsIn(chat)).toHaveLength(0);
    expect(await setDigest(chat, '')).toContain('This chat has no daily digest.');
  });

  it('answers a word that is not a time with what to type', async () => {
    expect(await setDigest('oc_digest_bad', 'tomorrow')).toContain('The digest needs a time of day');
  });
});

describe('a chat the bot left', () => {
  it('drops its digest, as it drops its watches', async () => {
    const chat = 'oc_digest_left';
    const minute = minuteIn(3000);
    await setDigest(chat, minute.time);
    const store = new WatchStore(h.bot.state.records);
    expect(await store.getDigest(chat)).toMatchObject({ time: minute.time });
    h.standin.removeBot(chat);
    expect((await h.deliver(botRemovedEvent({ token: h.token, appId: SECRETS.appId, chatId: chat, operatorOpenId: 'ou_owner' }))).status).toBe(200);
    const forgotten = () => logged(h, 'chat.forgotten').filter((l) => l.chat_id === chat);
    const [line] = await until('the chat to be forgotten', () => forgotten().length > 0 && forgotten());
    expect(line).toMatchObject({ digests: 1 });
    expect(await store.getDigest(chat)).toBeUndefined();
    await sleep(4000);
    expect(digestsIn(chat)).toHaveLength(0);
  });
});

describe.skipIf(!redisServer)('two instances on one Redis (real redis-server)', () => {
  let redis: RedisServer;
  let standin: StandIn;
  let bots: RunningBot[];
  const logs = [memoryLogger('debug'), memoryLogger('debug')];
  let skew = 0;
  const shared = () => Date.now() + skew;

  beforeAll(async () => {
    redis = await startRedis(redisServer!);
    standin = await StandIn.start({ ...SECRETS, tickets: seedTickets(Date.now()) });
    const loaded = loadConfig(YAML, { ...credentialsFor(standin.url), PORT: '0', REDIS_URL: redis.url });
    if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
    bots = await Promise.all(logs.map((log) => startBot(loaded.config, { log, host: '127.0.0.1', clock: shared })));
  });
  afterAll(async () => {
    await Promise.all((bots ?? []).map((b) => b.stop(2000)));
    await standin?.close();
    await redis?.close();
  });

  it('posts the digest once, however many runs of its minute there are on either instance', async () => {
    const chat = 'oc_digest_redis';
    const slot = DateTime.fromMillis(shared() + 4000, { zone: tz })
      .plus({ minutes: 1 })
      .startOf('minute');
    skew = slot.toMillis() - 4000 - Date.now();
    const messageId = 'om_digest_redis';
    standin.registerIncoming(messageId, chat);
    const text = `@_user_1 /digest ${slot.toFormat('HH:mm')}`;
    const event = messageEvent({
      token: SECRETS.verificationToken,
      appId: SECRETS.appId,
      chatType: 'group',
      chatId: chat,
      senderOpenId: 'ou_user',
      messageId,
      text,
      mentions: [{ key: '@_user_1', openId: SECRETS.botOpenId, name: 'Helpdesk Bot' }],
    });
    const d = delivery(event, { encryptKey: SECRETS.encryptKey });
    expect((await fetch(bots[0]!.url + '/webhook/event', { method: 'POST', headers: d.headers, body: d.body })).status).toBe(200);
    await until('the confirmation', () => [...standin.messages.values()].some((m) => m.replyTo === messageId));
    // Both instances queue the same minute again (as at a start-up), under ids of their own.
    const job = { kind: 'daily-digest' as const, chatId: chat, slot: slot.toMillis() };
    await Promise.all(bots.map((b, i) => b.state.work.add(`extra-${i}`, job, { delayMs: slot.toMillis() - shared() })));
    const posts = () => [...standin.messages.values()].filter((m) => m.chatId === chat && m.replyTo === undefined);
    await until('the digest', () => posts().length > 0, 15_000);
    await sleep(3000);
    expect(posts()).toHaveLength(1);
    expect(standin.callsTo('send').filter((c) => (c.body as { receive_id?: string }).receive_id === chat)).toHaveLength(1);
    const skipped = logs.flatMap((l) => l.lines).filter((l) => l.includes('"digest.skipped"'));
    expect(skipped.length).toBe(2);
  });
});
