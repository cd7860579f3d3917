// Sandbox mode over the long connection: the console's messages and clicks are pushed to the bot
// as frames through the stand-in's WebSocket (the SDK's WSClient on the bot's side) instead of
// webhook POSTs; everything else looks the same to the person at the console.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../src/obs/log.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/mode.js';
import { FIRST_TICKET_ID } from '../../src/sandbox/seed.js';
import { freePort, npmStart, type Started } from '../support/process.js';

type Item = { from: string; id: string; card?: unknown; replyTo?: string; updates?: number };

async function post(base: string, path: string, body: unknown) {
  const res = await fetch(base + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function replyTo(base: string, id: string, chat = 'dm'): Promise<Item> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { messages } = (await (await fetch(`${base}/sandbox/api/chats/${chat}/messages`)).json()) as { messages: Item[] };
    const found = messages.find((m) => m.replyTo === id);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no reply to ${id}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}

/** The callback value of a button, by its English text. */
function buttonValue(card: unknown, text: string): unknown {
  const all = JSON.stringify(card);
  const at = all.indexOf(`"content":"${text}"`);
  if (at < 0) throw new Error(`no button ${text}`);
  const rest = JSON.parse(`[${all.slice(all.indexOf('"behaviors":', at) + '"behaviors":'.length).match(/^\[.*?\}\}\]/)![0]}]`) as { value: unknown }[][];
  return rest[0]![0]!.value;
}

describe('sandbox mode over the long connection, in-process', () => {
  let sandbox: Sandbox;
  let base: string;
  const log = memoryLogger('info');
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, log, host: '127.0.0.1', connection: 'long-connection' });
    base = sandbox.bot.url;
  });
  afterAll(() => sandbox.stop(2000));

  it('runs the bot with no encrypt key or token, connected over the stand-in WebSocket', async () => {
    expect(sandbox.config.feishu).toMatchObject({ connection: 'long-connection', encrypt_key: '', verification_token: '' });
    expect(JSON.parse(log.lines[0]!)).toMatchObject({ event: 'sandbox', connection: 'long-connection' });
    expect(await (await fetch(base + '/healthz')).json()).toEqual({ status: 'ok' });
    expect(sandbox.bot.health()).toMatchObject({ status: 'ok', mode: 'sandbox', connection: { mode: 'long-connection', state: 'connected' } });
    expect((await fetch(base + '/webhook/event', { method: 'POST', body: '{}' })).status).toBe(404);
  });

  it('pushes typed messages as frames and shows the reply; clicks come back in the acknowledgement', async () => {
    const sent = await post(base, '/sandbox/api/messages', { chat: 'dm', text: '/tickets page 1' });
    expect(sent.status).toBe(200);
    const reply = await replyTo(base, sent.json['id'] as string);
    expect(JSON.stringify(reply.card)).toContain('page 1 of');
    expect(sandbox.standin.ws.pushes.length).toBeGreaterThan(0);
    expect(sandbox.standin.callsTo('reply')).toHaveLength(1);

    const clicked = await post(base, '/sandbox/api/actions', { messageId: reply.id, value: buttonValue(reply.card, 'Next') });
    expect(clicked).toMatchObject({ status: 200, json: { updated: true } });
    expect(JSON.stringify(sandbox.standin.messages.get(reply.id)!.content)).toContain('page 2 of');
    const callback = sandbox.standin.ws.pushes.at(-1)!;
    expect(callback.acked?.data).toMatchObject({ card: { type: 'raw' } });
  });

  it('answers a bare ticket id in the group chat', async () => {
    const sent = await post(base, '/sandbox/api/messages', { chat: 'group', text: FIRST_TICKET_ID });
    const reply = await replyTo(base, sent.json['id'] as string, 'group');
    expect(JSON.stringify(reply.card)).toContain(`Ticket ${FIRST_TICKET_ID}`);
  });
});

describe('FEISHU_CONNECTION=long-connection npm start, with no credentials', () => {
  let bot: Started;
  let base: string;
  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    bot = npmStart({ FEISHU_CONNECTION: 'long-connection', PORT: String(port) });
    await bot.waitFor(/"event":"started"/);
  }, 60_000);
  afterAll(() => bot?.stop());

  it('runs the console over a long connection', async () => {
    const first = bot.logs()[0]!;
    expect(first).toMatchObject({ event: 'sandbox', connection: 'long-connection' });
    const why = bot.logs().find((line) => line['event'] === 'sandbox.why')!;
    expect(String(why['message'])).toContain('receiving events over a long connection');
    const sent = await post(base, '/sandbox/api/messages', { chat: 'dm', text: `/ticket ${FIRST_TICKET_ID}` });
    expect(sent.status).toBe(200);
    const reply = await replyTo(base, sent.json['id'] as string);
    expect(JSON.stringify(reply.card)).toContain(`Ticket ${FIRST_TICKET_ID}`);
  });
});
