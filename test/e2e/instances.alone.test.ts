// Many instances, one bot: a real redis-server and three bot processes started with `npm start`
// (the same REDIS_URL, the documented environment variables), all pointed at one stand-in in this
// process, which plays the platform: it delivers each command to a random instance and delivers
// again whatever was not acknowledged with 200, as Feishu does.
//   1. 300 commands for 20 tickets, a third delivered a second time to a different instance:
//      one reply per message, at most 20 ticket gets, no second with > 10 gets or > 50 replies;
//   2. one instance SIGKILLed in the middle of a burst: every command that got a 200 is answered
//      exactly once, by the others, within 30 s of the kill;
//   3. Redis stopped for a few seconds: no instance exits, deliveries meanwhile get 5xx, and
//      commands sent after Redis is back are answered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { delivery, messageEvent } from '@helpdesk-bot/feishu-standin/deliveries';
import { StandIn } from '@helpdesk-bot/feishu-standin';
import { busiestSecond, ticketsFrom } from '../support/load.js';
import { credentialsFor, freePort, npmStart, type Started } from '../support/process.js';
import { startRedis, type RedisServer } from '../support/redis.js';
import { SECRETS } from '../support/secrets.js';
import { systemProgram } from '../support/system.js';

const redisServer = systemProgram('redis');
const BASE = 7800000000000000000n;
const TICKETS = 20;
/**
 * Deliveries in flight at once. Few enough that this process, which is also the platform and
 * timestamps every call it receives, is not starved of CPU on a 2-core machine running three bots
 * (a stalled event loop would stamp calls that arrived apart as arriving together); still more
 * commands a second than the limits let through, so the limits are what shape the replies.
 */
const SENDERS = 4;
/** Chats the commands come from (at 5 replies a second per chat, 60 chats keep the app limit the bound). */
const CHATS = 60;

interface Instance {
  url: string;
  proc: Started;
}

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const limit = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > limit) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

describe.skipIf(!redisServer)('three instances started with npm start on one Redis (real redis-server)', () => {
  let redis: RedisServer;
  let standin: StandIn;
  const instances: Instance[] = [];
  let dead: Instance | undefined;

  const launch = async (): Promise<Instance> => {
    const port = await freePort();
    const proc = npmStart({ ...credentialsFor(standin.url), REDIS_URL: redis.url, PORT: String(port) });
    const url = `http://127.0.0.1:${port}`;
    await proc.waitFor(/"event":"started"/, 60_000);
    return { url, proc };
  };

  beforeAll(async () => {
    redis = await startRedis(redisServer!);
    standin = await StandIn.start({ ...SECRETS, tickets: ticketsFrom(BASE, TICKETS) });
    instances.push(...(await Promise.all([launch(), launch(), launch()])));
  }, 120_000);
  afterAll(async () => {
    await Promise.all(instances.map((i) => i.proc.stop()));
    await standin?.close();
    await redis?.close();
  });

  const live = () => instances.filter((i) => i !== dead);
  let sent = 0;

  /** One delivery of a command to an instance: the HTTP status, or 0 if nothing answered. */
  async function deliver(to: Instance, messageId: string, text: string, chat: string): Promise<number> {
    const event = messageEvent({ token: SECRETS.verificationToken, appId: SECRETS.appId, chatType: 'p2p', chatId: chat, senderOpenId: 'ou_asker', messageId, text });
    const d = delivery(event, { encryptKey: SECRETS.encryptKey });
    return fetch(to.url + '/webhook/event', { method: 'POST', headers: d.headers, body: d.body }).then(
      async (r) => {
        await r.arrayBuffer();
        return r.status;
      },
      () => 0,
    );
  }

  interface Command {
    messageId: string;
    text: string;
    chat: string;
    /** Status of every delivery, in order. */
    statuses: number[];
    /** The instance that first acknowledged it. */
    acceptedBy?: Instance;
  }

  const newCommand = (ticket: bigint): Command => {
    const n = ++sent;
    return { messageId: `om_many_${n}`, text: `/ticket ${ticket}`, chat: `oc_many_${n % CHATS}`, statuses: [] };
  };

  /**
   * Delivers each command to a random instance (and those in `twice` once more, to another),
   * SENDERS at a time, as the platform would; anything not acknowledged is delivered again until it is.
   */
  async function burst(commands: Command[], twice: Set<Command>, onProgress?: () => void): Promise<void> {
    const queue: { command: Command; avoid?: Instance; first: boolean }[] = commands.map((command) => ({ command, first: true }));
    let next = 0;
    const worker = async () => {
      while (next < queue.length) {
        const item = queue[next++]!;
        const to = pick(live().filter((i) => i !== item.avoid));
        const status = await deliver(to, item.command.messageId, item.command.text, item.command.chat);
        item.command.statuses.push(status);
        if (status === 200) item.command.acceptedBy ??= to;
        if (status !== 200) {
          // Not acknowledged: the platform delivers it again a little later.
          await new Promise((r) => setTimeout(r, 100));
          queue.push({ command: item.command, first: false });
        } else if (item.first && twice.has(item.command)) {
          // A duplicate, to a different instance, somewhere later in the burst.
          queue.splice(Math.min(queue.length, next + 1 + Math.floor(Math.random() * 40)), 0, { command: item.command, avoid: to, first: false });
        }
        onProgress?.();
      }
    };
    await Promise.all(Array.from({ length: SENDERS }, worker));
  }

  const shown = (messageId: string) => [...standin.messages.values()].filter((m) => m.replyTo === messageId);
  /**
   * Whether every command has a reply shown. One pass over the messages, looked at ten times a
   * second: this process is also the platform, and must not starve it of CPU while it measures.
   */
  const allAnswered = (commands: readonly Command[]) => {
    const answered = new Set([...standin.messages.values()].map((m) => m.replyTo));
    return commands.every((c) => answered.has(c.messageId));
  };
  const replyCalls = () => standin.callsTo('reply');

  it('answers 300 commands for 20 tickets once each, within the platform limits, even when a third arrive twice', async () => {
    standin.clearCalls();
    const commands = Array.from({ length: 300 }, () => newCommand(BASE + BigInt(Math.floor(Math.random() * TICKETS))));
    const twice = new Set(commands.filter((_, i) => i % 3 === 0));
    await burst(commands, twice);
    expect(commands.every((c) => c.statuses.includes(200))).toBe(true);
    await until(() => allAnswered(commands), 'a reply to every command', 60_000);
    // Let any late second answer show itself before counting.
    await new Promise((r) => setTimeout(r, 1000));

    for (const c of commands) {
      expect(shown(c.messageId), c.messageId).toHaveLength(1);
      expect(
        replyCalls().filter((call) => call.path.includes(`/${c.messageId}/`)),
        c.messageId,
      ).toHaveLength(1);
      expect(shown(c.messageId)[0]!.content).toContain('王小明');
    }
    const gets = standin.callsTo('ticket_get');
    expect(gets.length).toBeLessThanOrEqual(TICKETS);
    expect(busiestSecond(gets.map((g) => g.at))).toBeLessThanOrEqual(10);
    expect(busiestSecond(replyCalls().map((r) => r.at))).toBeLessThanOrEqual(50);
    // Every instance took part.
    for (const instance of instances) expect(instance.proc.lines.join('\n')).toContain('"event":"command"');
  }, 120_000);

  it('answers every acknowledged command exactly once within 30 s when an instance is SIGKILLed mid-burst', async () => {
    standin.clearCalls();
    const victim = instances[0]!;
    const commands = Array.from({ length: 200 }, (_, i) => newCommand(BASE + BigInt(i % TICKETS)));
    let killedAt = 0;
    await burst(commands, new Set(), () => {
      if (killedAt === 0 && commands.filter((c) => c.statuses.includes(200)).length >= 60) {
        killedAt = Date.now();
        process.kill(-victim.proc.child.pid!, 'SIGKILL');
        dead = victim;
      }
    });
    expect(killedAt).toBeGreaterThan(0);
    expect(await victim.proc.exited).toBeNull();
    const acknowledged = commands.filter((c) => c.statuses.includes(200));
    expect(acknowledged).toHaveLength(200);
    await until(() => allAnswered(acknowledged), 'a reply to every acknowledged command', 45_000);
    await new Promise((r) => setTimeout(r, 1000));
    for (const c of acknowledged) {
      const replies = shown(c.messageId);
      expect(replies, c.messageId).toHaveLength(1);
      expect(replies[0]!.createdAt - killedAt, c.messageId).toBeLessThanOrEqual(30_000);
    }
    // It had acknowledged commands it had not answered when it died: the others answered them.
    const orphans = acknowledged.filter((c) => c.acceptedBy === victim && shown(c.messageId)[0]!.createdAt > killedAt);
    expect(orphans.length).toBeGreaterThan(0);
    for (const instance of live()) expect(instance.proc.child.exitCode).toBeNull();
  }, 120_000);

  it('refuses deliveries (5xx) while Redis is stopped, keeps every instance running, and answers once it is back', async () => {
    // Bring the fleet back to three.
    const replacement = await launch();
    instances.push(replacement);
    await redis.stop();
    const during = Array.from({ length: 12 }, () => newCommand(BASE));
    try {
      await until(async () => (await Promise.all(live().map((i) => fetch(i.url + '/healthz').then((r) => r.status)))).every((s) => s === 503), 'every /healthz to say 503');
      for (const [n, c] of during.entries()) c.statuses.push(await deliver(live()[n % live().length]!, c.messageId, c.text, c.chat));
      await new Promise((r) => setTimeout(r, 2000));
    } finally {
      await redis.start();
    }
    expect(during.every((c) => c.statuses[0]! >= 500)).toBe(true);
    for (const instance of live()) expect(instance.proc.child.exitCode).toBeNull();

    await until(async () => (await Promise.all(live().map((i) => fetch(i.url + '/healthz').then((r) => r.status)))).every((s) => s === 200), 'every /healthz to say 200 again', 30_000);
    const after = Array.from({ length: 30 }, (_, i) => newCommand(BASE + BigInt(i % TICKETS)));
    // The refused ones come again too, as the platform redelivers them.
    await burst([...after, ...during], new Set());
    expect([...after, ...during].every((c) => c.statuses.at(-1) === 200)).toBe(true);
    await until(() => allAnswered([...after, ...during]), 'replies to the commands after the outage', 30_000);
    for (const c of [...after, ...during]) expect(shown(c.messageId), c.messageId).toHaveLength(1);
    for (const instance of live()) expect(instance.proc.child.exitCode).toBeNull();
  }, 120_000);
});
