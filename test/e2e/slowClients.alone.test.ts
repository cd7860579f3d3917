// Slow and idle connections against `npm start` (webhook mode, its default timeouts): 200 sockets
// that send one byte every 5 s, and a few that send nothing, are closed by the bot within 60 s,
// while a real delivery meanwhile is acknowledged within 1 s. Alone: it measures times.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { delivery, messageEvent } from '@helpdesk-bot/feishu-standin/deliveries';
import { StandIn } from '@helpdesk-bot/feishu-standin';
import { credentialsFor, freePort, npmStart, type Started } from '../support/process.js';
import { SECRETS } from '../support/secrets.js';
import { until } from '../support/wait.js';

const SLOW = 200;
const SILENT = 10;
const REQUEST = 'POST /webhook/event HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n';

describe('npm start: slow and idle connections', { timeout: 120_000 }, () => {
  let standin: StandIn;
  let bot: Started;
  let port = 0;

  beforeAll(async () => {
    standin = await StandIn.start(SECRETS);
    port = await freePort();
    bot = npmStart({ ...credentialsFor(standin.url), PORT: String(port) });
    await bot.waitFor(/"event":"started"/, 60_000);
  }, 90_000);
  afterAll(async () => {
    await bot?.stop();
    await standin?.close();
  });

  /** A signed, encrypted delivery of a command; resolves with its status and how long the 200 took. */
  async function deliver(n: number): Promise<{ status: number; ms: number }> {
    const messageId = `om_slow_${n}`;
    standin.registerIncoming(messageId, 'oc_dm_slow');
    const event = messageEvent({ token: SECRETS.verificationToken, appId: SECRETS.appId, chatType: 'p2p', chatId: 'oc_dm_slow', senderOpenId: 'ou_slow', messageId, text: '/help' });
    const d = delivery(event, { encryptKey: SECRETS.encryptKey });
    const started = performance.now();
    const res = await fetch(`http://127.0.0.1:${port}/webhook/event`, { method: 'POST', headers: d.headers, body: d.body });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - started };
  }

  it('closes 200 sockets that send a byte every 5 s within 60 s, and acknowledges a real delivery within 1 s meanwhile', async () => {
    const opened = Date.now();
    const closedAt: number[] = [];
    const sockets: Socket[] = [];
    const timers: NodeJS.Timeout[] = [];
    const open = (dribble: boolean) => {
      const socket = connect(port, '127.0.0.1');
      socket.on('error', () => {});
      socket.on('close', () => closedAt.push(Date.now() - opened));
      sockets.push(socket);
      if (!dribble) return;
      let sent = 0;
      const next = () => {
        if (socket.destroyed || sent >= REQUEST.length) return;
        socket.write(REQUEST[sent++]!);
      };
      // Half of them are in the headers, half (having sent the headers first) in the body.
      if (sockets.length % 2 === 0) {
        socket.write(REQUEST);
        sent = REQUEST.length;
        timers.push(setInterval(() => !socket.destroyed && socket.write('x'), 5000));
      } else {
        next();
        timers.push(setInterval(next, 5000));
      }
    };
    try {
      for (let i = 0; i < SLOW; i++) open(true);
      for (let i = 0; i < SILENT; i++) open(false);
      await until('every socket connected', () => sockets.every((s) => !s.connecting), 10_000);

      // While they are held: real deliveries, each acknowledged at once.
      const acks: { status: number; ms: number }[] = [];
      for (let i = 0; i < 5; i++) {
        acks.push(await deliver(i));
        await new Promise((r) => setTimeout(r, 2000));
      }
      expect(acks.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
      expect(Math.max(...acks.map((a) => a.ms))).toBeLessThan(1000);

      await until('every slow or idle socket closed by the bot', () => closedAt.length === SLOW + SILENT, 60_000);
      expect(Math.max(...closedAt)).toBeLessThan(60_000);
      // And the deliveries were answered.
      await until('the replies', () => standin.callsTo('reply').length >= 5, 30_000);
    } finally {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
    }
  });
});
