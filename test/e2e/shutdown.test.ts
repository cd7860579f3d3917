// SIGTERM during a burst, with the real process: `node --import tsx src/main.ts` pointed at a
// stand-in. Deliveries accepted (200) before the signal must all get their reply; later ones get
// 503 (the platform redelivers them) or find the port closed; the process exits 0.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { delivery, messageEvent } from '@helpdesk-bot/feishu-standin/deliveries';
import { StandIn } from '@helpdesk-bot/feishu-standin';
import { SECRETS } from '../support/harness.js';
import { credentialsFor, freePort, mainProcess, type Started } from '../support/process.js';
import { ticketsFrom } from '../support/load.js';

const BASE = 7500000000000000000n;
let standin: StandIn;
let bot: Started | undefined;
beforeAll(async () => {
  standin = await StandIn.start({ ...SECRETS, tickets: ticketsFrom(BASE, 60) });
});
afterAll(async () => {
  await bot?.stop();
  await standin.close();
});

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check().catch(() => false))) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Posts one signed, encrypted message; the HTTP status, or 0 when the port no longer answers. */
async function send(url: string, messageId: string, text: string): Promise<number> {
  const event = messageEvent({ token: SECRETS.verificationToken, appId: SECRETS.appId, chatType: 'p2p', chatId: `oc_${messageId}`, senderOpenId: 'ou_u', messageId, text });
  const d = delivery(event, { encryptKey: SECRETS.encryptKey });
  return fetch(url + '/webhook/event', { method: 'POST', headers: d.headers, body: d.body }).then(
    (r) => r.status,
    () => 0,
  );
}

it('loses no reply to a SIGTERM in the middle of a burst, and exits 0', async () => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc = mainProcess({ ...credentialsFor(standin.url), PORT: String(port) });
  bot = proc;
  await waitFor(async () => (await fetch(url + '/healthz')).status === 200, 'the bot to start');

  // Each lookup takes 300 ms, and 40 distinct tickets at 10 gets/s take about 4 s: plenty of work
  // is queued or running when the signal comes.
  standin.inject('ticket_get', { delayMs: 300 });
  const results: { messageId: string; status: number }[] = [];
  const burst = (async () => {
    for (let i = 0; i < 40; i++) {
      const messageId = `om_shutdown_${i}`;
      results.push({ messageId, status: await send(url, messageId, `/ticket ${BASE + BigInt(i)}`) });
      await new Promise((r) => setTimeout(r, 15));
    }
  })();
  await waitFor(async () => results.length >= 15, 'part of the burst');
  proc.child.kill('SIGTERM');
  // While it drains, it refuses new deliveries and says so on /healthz.
  await waitFor(async () => (await fetch(url + '/healthz')).status === 503, '/healthz to say 503', 5000);
  await burst;
  expect(await proc.exited).toBe(0);

  const accepted = results.filter((r) => r.status === 200);
  const refused = results.filter((r) => r.status !== 200);
  expect(accepted.length).toBeGreaterThanOrEqual(15);
  expect(refused.length).toBeGreaterThan(0);
  expect(refused.every((r) => r.status === 503 || r.status === 0)).toBe(true);
  const repliedTo = new Set([...standin.messages.values()].map((m) => m.replyTo));
  expect(accepted.filter((r) => !repliedTo.has(r.messageId))).toEqual([]);
  for (const r of accepted) {
    const reply = [...standin.messages.values()].find((m) => m.replyTo === r.messageId)!;
    expect(reply.content).toContain('王小明');
  }
  expect(proc.lines.join('\n')).toMatch(/"event":"stopped","finished_all_work":true/);
});
