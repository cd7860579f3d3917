// SIGTERM during a burst, with the real process: `node --import tsx src/main.ts` pointed at a
// stand-in. Deliveries accepted (200) before the signal must all get their reply; later ones get
// 503 (the platform redelivers them) or find the port closed; the process exits 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { delivery, messageEvent } from '../../src/sandbox/deliveries.js';
import { StandIn } from '../../src/sandbox/standin/index.js';
import { SECRETS } from '../integration/harness.js';
import { ticketsFrom } from './helpers.js';

const BASE = 7500000000000000000n;
let standin: StandIn;
let child: ChildProcess | undefined;
beforeAll(async () => {
  standin = await StandIn.start({ ...SECRETS, tickets: ticketsFrom(BASE, 60) });
});
afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  await standin.close();
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

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
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: process.cwd(),
    env: {
      PATH: process.env.PATH,
      FEISHU_APP_ID: SECRETS.appId,
      FEISHU_APP_SECRET: SECRETS.appSecret,
      FEISHU_VERIFICATION_TOKEN: SECRETS.verificationToken,
      FEISHU_ENCRYPT_KEY: SECRETS.encryptKey,
      FEISHU_HELPDESK_ID: SECRETS.helpdeskId,
      FEISHU_HELPDESK_TOKEN: SECRETS.helpdeskToken,
      FEISHU_DOMAIN: standin.url,
      PORT: String(port),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = proc;
  let output = '';
  proc.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  proc.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
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
  proc.kill('SIGTERM');
  // While it drains, it refuses new deliveries and says so on /healthz.
  await waitFor(async () => (await fetch(url + '/healthz')).status === 503, '/healthz to say 503', 5000);
  await burst;
  expect(await exited).toBe(0);

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
  expect(output).toMatch(/"event":"stopped","finished_all_work":true/);
});
