// The sandbox API over real HTTP: the whole sandbox in-process (real bot, real stand-in), and the
// console's callback handling against a scripted bot, to show each kind of callback answer is
// applied as Feishu applies it.
import { readFileSync } from 'node:fs';
import { request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AESCipher } from '@larksuiteoapi/node-sdk';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../../src/obs/log.js';
import { consoleApi } from '../../../src/sandbox/console/api.js';
import { webhookTransport } from '@helpdesk-bot/feishu-standin/transport';
import { addressMessage } from '../../../src/sandbox/console/mentions.js';
import { sign } from '@helpdesk-bot/feishu-standin/deliveries';
import { startSandbox, type Sandbox } from '../../../src/sandbox/mode.js';
import { FIRST_TICKET_ID } from '../../../src/sandbox/seed.js';
import { StandIn } from '@helpdesk-bot/feishu-standin';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../../fixtures/cards/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
const everyElement = fixture('every-element.json');

type Item = { from: string; id: string; at: number; updatedAt: number; updates?: number; card?: unknown; text?: string; replyTo?: string };

async function call(base: string, path: string, body?: unknown, headers: Record<string, string> = { 'Content-Type': 'application/json' }) {
  const res = await fetch(base + path, body === undefined ? {} : { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    /* not JSON */
  }
  return { status: res.status, json, headers: res.headers, text };
}

async function waitFor<T>(what: string, get: () => Promise<T | undefined>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await get();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 30));
  }
}

const messages = async (base: string, chat: string, after = 0) => (await call(base, `/sandbox/api/chats/${chat}/messages?after=${after}`)).json as { cursor: number; messages: Item[] };

describe('sandbox mode, in-process', () => {
  let sandbox: Sandbox;
  let base: string;
  const log = memoryLogger('info');

  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, log, host: '127.0.0.1' });
    base = sandbox.bot.url;
  });
  afterAll(() => sandbox.stop(2000));

  /** Sends a message and waits for the bot's reply to it. */
  async function say(text: string, chat = 'dm'): Promise<Item> {
    const sent = await call(base, '/sandbox/api/messages', { chat, text });
    expect(sent.status, sent.text).toBe(200);
    const id = sent.json['id'] as string;
    return waitFor(`a reply to ${text}`, async () => (await messages(base, chat)).messages.find((m) => m.replyTo === id));
  }

  it('says on its first log line that this is the sandbox and where the console is; the next says how to connect a real app', () => {
    const [first, second] = log.lines.slice(0, 2).map((l) => JSON.parse(l) as Record<string, string>);
    expect(first!['event']).toBe('sandbox');
    expect(first!['message']).toBe(`Sandbox console: http://localhost:${sandbox.bot.port}/console`);
    expect(first!['console']).toBe(`http://localhost:${sandbox.bot.port}/console`);
    for (const name of ['FEISHU_APP_ID', 'FEISHU_APP_SECRET', 'FEISHU_VERIFICATION_TOKEN', 'FEISHU_ENCRYPT_KEY', 'FEISHU_HELPDESK_ID', 'FEISHU_HELPDESK_TOKEN', 'README']) {
      expect(second!['message']).toContain(name);
    }
    expect(sandbox.consoleUrl).toBe(`http://localhost:${sandbox.bot.port}/console`);
  });

  it('builds the bot from a production Config: the stand-in as the domain, random credentials', () => {
    expect(sandbox.config.feishu.domain).toBe(sandbox.standin.url);
    expect(sandbox.config.feishu.encrypt_key.length).toBeGreaterThanOrEqual(24);
    expect(sandbox.config.feishu.app_id).toMatch(/^cli_[0-9a-f]{16}$/);
  });

  it('serves the console as files under a strict Content-Security-Policy, and nothing else under /console', async () => {
    const page = await call(base, '/console');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    // No inline script or style: every script is a file, no style attribute or element.
    expect(page.text).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
    expect(page.text).not.toMatch(/\sstyle=|<style/);
    for (const [path, type] of [
      ['/console/console.js', 'text/javascript'],
      ['/console/card.js', 'text/javascript'],
      ['/console/card-dom.js', 'text/javascript'],
      ['/console/card-form.js', 'text/javascript'],
      ['/console/card-chart.js', 'text/javascript'],
      ['/console/vchart.js', 'text/javascript'],
      ['/console/console.css', 'text/css'],
    ] as const) {
      const res = await call(base, path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toContain(type);
      expect(res.headers.get('content-security-policy')).toBe(csp);
    }
    for (const path of ['/console/nope.js', '/console/..%2Fmode.ts', '/console/page/card.js', '/sandbox/api/nope']) {
      expect((await call(base, path)).status, path).toBe(404);
    }
  });

  it('answers only to the names of this machine: a page elsewhere cannot drive it through DNS rebinding', async () => {
    const { port } = new URL(base);
    const status = (path: string, host: string, method = 'GET') =>
      new Promise<number>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port, path, method, headers: { Host: host, 'Content-Type': 'application/json' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', reject);
        req.end(method === 'POST' ? JSON.stringify({ chat: 'dm', text: '/help' }) : undefined);
      });
    for (const host of ['evil.example', `evil.example:${port}`, `localhost.evil.example:${port}`, `127.0.0.1.nip.io:${port}`]) {
      expect(await status('/console', host), host).toBe(403);
      expect(await status('/sandbox/api/chats/dm/messages', host), host).toBe(403);
      expect(await status('/sandbox/api/messages', host, 'POST'), host).toBe(403);
    }
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `192.168.1.5:${port}`, 'localhost']) {
      expect(await status('/console', host), host).toBe(200);
    }
    // Only the console: health is for anyone who asks.
    expect(await status('/healthz', 'evil.example')).toBe(200);
  });

  it("offers the bot's menu, and a tap is answered in the DM (a new message, its buttons then bound)", async () => {
    const info = (await call(base, '/sandbox/api/info')).json;
    expect(info['menu']).toEqual([
      { key: 'help', command: '/help' },
      { key: 'my_open', command: '/tickets mine open' },
    ]);
    expect(info['connection']).toBe('webhook');
    const before = Date.now();
    expect((await call(base, '/sandbox/api/menu', { key: 'my_open' })).status).toBe(200);
    const answer = await waitFor('the menu answer', async () => (await messages(base, 'dm')).messages.find((m) => m.from === 'bot' && m.at >= before && m.replyTo === undefined && (m.updates ?? 0) > 0));
    // The menu's my_open runs `/tickets mine open`: the list card's title names that query.
    expect((answer.card as { header: { title: { content: string } } }).header.title.content).toMatch(/^Open · mine\b/);
    expect((await call(base, '/sandbox/api/menu', { key: 'nope' })).status).toBe(404);
    expect((await call(base, '/sandbox/api/menu', { key: '' })).status).toBe(400);
  });

  it('delivers a typed message over the real path and shows the reply in the conversation', async () => {
    const reply = await say(`/ticket ${FIRST_TICKET_ID}`);
    expect(reply.from).toBe('bot');
    expect(JSON.stringify(reply.card)).toContain(FIRST_TICKET_ID);
    const { messages: all } = await messages(base, 'dm');
    const mine = all.find((m) => m.id === reply.replyTo)!;
    expect(mine).toMatchObject({ from: 'user', text: `/ticket ${FIRST_TICKET_ID}` });
    expect(all.indexOf(mine)).toBeLessThan(all.indexOf(all.find((m) => m.id === reply.id)!));
    // The bot looked the ticket up and replied through the SDK, to the stand-in.
    expect(sandbox.standin.callsTo('ticket_get').some((c) => c.path.endsWith(FIRST_TICKET_ID))).toBe(true);
    expect(sandbox.standin.callsTo('reply').some((c) => c.path.includes(reply.replyTo!))).toBe(true);
    // The group is another conversation.
    expect((await messages(base, 'group')).messages.some((m) => m.id === reply.id)).toBe(false);
  });

  it('answers in a group when the message mentions the bot, as the console sends it', async () => {
    const reply = await say('/help', 'group');
    expect(reply.card).toBeTruthy();
  });

  it('polls only what changed since the cursor', async () => {
    const first = await messages(base, 'dm');
    const again = await messages(base, 'dm', first.cursor);
    expect(again.messages).toEqual([]);
    const reply = await say('/help');
    const later = await messages(base, 'dm', again.cursor);
    expect(later.messages.map((m) => m.id)).toEqual([reply.replyTo, reply.id]);
  });

  it('refuses bad input with 4xx', async () => {
    const json = { 'Content-Type': 'application/json' };
    const cases: [string, string, unknown, Record<string, string>, number][] = [
      ['text/plain', '/sandbox/api/messages', JSON.stringify({ chat: 'dm', text: '/help' }), { 'Content-Type': 'text/plain' }, 415],
      ['a form', '/sandbox/api/messages', 'chat=dm&text=hi', { 'Content-Type': 'application/x-www-form-urlencoded' }, 415],
      ['broken JSON', '/sandbox/api/messages', '{"chat":', json, 400],
      ['a JSON array', '/sandbox/api/messages', '[1]', json, 400],
      ['an unknown chat', '/sandbox/api/messages', { chat: 'other', text: 'hi' }, json, 400],
      ['empty text', '/sandbox/api/messages', { chat: 'dm', text: '   ' }, json, 400],
      ['text that is not a string', '/sandbox/api/messages', { chat: 'dm', text: 42 }, json, 400],
      ['text over Feishu’s 150 KB', '/sandbox/api/messages', { chat: 'dm', text: 'x'.repeat(150 * 1024) }, json, 400],
      ['an extra field', '/sandbox/api/messages', { chat: 'dm', text: 'hi', sender: 'ou_x' }, json, 400],
      ['a body over 512 KiB', '/sandbox/api/messages', { chat: 'dm', text: 'x'.repeat(600_000) }, json, 413],
      ['a click on no message', '/sandbox/api/actions', { messageId: 'om_nope', value: { a: 1 } }, json, 404],
      ['a malformed message id', '/sandbox/api/actions', { messageId: '../x', value: { a: 1 } }, json, 400],
      ['a value that is not an object', '/sandbox/api/actions', { messageId: 'om_nope', value: 'x' }, json, 400],
    ];
    for (const [name, path, body, headers, status] of cases) {
      const res = await call(base, path, body, headers);
      expect(res.status, name).toBe(status);
      expect(typeof res.json['error'], name).toBe('string');
    }
    expect((await call(base, '/sandbox/api/chats/other/messages')).status).toBe(404);
    expect((await call(base, '/sandbox/api/chats/dm/messages?after=-1')).status).toBe(400);
    expect((await call(base, '/sandbox/api/chats/dm/messages?after=x')).status).toBe(400);
  });

  it('sends a click as a card.action.trigger callback only for a live button on the current card, and returns the toast', async () => {
    const reply = await say('/help');
    expect(sandbox.standin.replaceCard(reply.id, everyElement)).toEqual({ ok: true });
    const click = (value: unknown) => call(base, '/sandbox/api/actions', { messageId: reply.id, value });
    expect((await click({ fixture: 'nope' })).status).toBe(409);
    expect((await click({ fixture: 'disabled' })).status).toBe(409);
    const user = (await messages(base, 'dm')).messages.find((m) => m.from === 'user')!;
    expect((await call(base, '/sandbox/api/actions', { messageId: user.id, value: { fixture: 'primary' } })).status).toBe(404);
    // The bot does not know this value: it answers with an error toast, in both languages.
    const answer = await click({ fixture: 'primary' });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json).toMatchObject({ updated: false, toast: { type: 'error', i18n: { zh_cn: expect.any(String), en_us: expect.any(String) } } });
  });
});

describe('addressMessage', () => {
  const bot = { openId: 'ou_bot', name: 'Helpdesk Bot' };
  const people = [
    { openId: 'ou_wang', name: '王磊' },
    { openId: 'ou_emily', name: 'Emily Zhang' },
    { openId: 'ou_emi', name: 'Emily' },
  ];

  it('puts the bot first in a group, as @_user_1, and numbers other mentions in order', () => {
    expect(addressMessage('/tickets agent @王磊', 'group', bot, people)).toEqual({
      text: '@_user_1 /tickets agent @_user_2',
      mentions: [
        { key: '@_user_1', openId: 'ou_bot', name: 'Helpdesk Bot' },
        { key: '@_user_2', openId: 'ou_wang', name: '王磊' },
      ],
    });
  });

  it('keeps the bot where the person mentioned it, prefers the longest name, and leaves unknown @words alone', () => {
    expect(addressMessage('@Emily Zhang hi @Helpdesk Bot /tickets closed-by @Emily x@nobody', 'group', bot, people)).toEqual({
      text: '@_user_1 hi @_user_2 /tickets closed-by @_user_3 x@nobody',
      mentions: [
        { key: '@_user_1', openId: 'ou_emily', name: 'Emily Zhang' },
        { key: '@_user_2', openId: 'ou_bot', name: 'Helpdesk Bot' },
        { key: '@_user_3', openId: 'ou_emi', name: 'Emily' },
      ],
    });
  });

  it('adds nothing in a DM', () => {
    expect(addressMessage('/help', 'p2p', bot, people)).toEqual({ text: '/help', mentions: [] });
    expect(addressMessage('/tickets agent @王磊', 'p2p', bot, people).mentions).toEqual([{ key: '@_user_1', openId: 'ou_wang', name: '王磊' }]);
  });
});

describe('callback answers, applied as Feishu applies them (scripted bot)', () => {
  const secrets = { appId: 'cli_c0501e0000000001', verificationToken: 'vt-console', encryptKey: 'ek-console' };
  const appSecret = 'secret-console';
  let standin: StandIn;
  let botServer: Server;
  let consoleServer: Server;
  let base: string;
  let answer: { status?: number; body?: unknown; raw?: string; delayMs?: number } = {};
  const received: { path: string; headers: Record<string, string>; body: string }[] = [];
  let messageId = '';
  const original = {
    schema: '2.0',
    header: { title: { tag: 'plain_text', content: 'Before' } },
    body: { elements: [{ tag: 'button', text: { tag: 'plain_text', content: 'Go' }, behaviors: [{ type: 'callback', value: { go: 1 } }] }] },
  };
  const replacement = { ...original, header: { title: { tag: 'plain_text', content: 'After' } } };

  const listen = (app: express.Express) =>
    new Promise<Server>((resolve) => {
      const server = app.listen(0, '127.0.0.1', () => resolve(server));
    });
  const urlOf = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  beforeAll(async () => {
    standin = await StandIn.start({ appId: secrets.appId, appSecret, helpdeskId: '1', helpdeskToken: 'h', botOpenId: 'ou_bot' });
    const bot = express();
    bot.post('/webhook/:route', express.text({ type: () => true }), async (req, res) => {
      received.push({ path: req.path, headers: req.headers as Record<string, string>, body: req.body as string });
      if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
      if (req.path === '/webhook/event') return void res.json({});
      res
        .status(answer.status ?? 200)
        .type('application/json')
        .send(answer.raw ?? JSON.stringify(answer.body ?? {}));
    });
    botServer = await listen(bot);
    const app = express();
    app.use(
      '/sandbox/api',
      consoleApi({
        standin,
        appId: secrets.appId,
        transport: webhookTransport({ botUrl: () => urlOf(botServer), encryptKey: secrets.encryptKey, verificationToken: secrets.verificationToken }),
        bot: { openId: 'ou_bot', name: 'Helpdesk Bot' },
        you: { openId: 'ou_you', name: 'You' },
        people: [],
        log: memoryLogger(),
        examples: { en_us: [], zh_cn: [] },
        callbackDeadlineMs: 300,
      }).router,
    );
    consoleServer = await listen(app);
    base = urlOf(consoleServer);

    // A message from the console, and the "bot" replying to it through the stand-in's IM API.
    const sent = await call(base, '/sandbox/api/messages', { chat: 'dm', text: 'hello' });
    const token = (await call(standin.url, '/open-apis/auth/v3/tenant_access_token/internal', { app_id: secrets.appId, app_secret: appSecret })).json['tenant_access_token'] as string;
    const reply = await call(
      standin.url,
      `/open-apis/im/v1/messages/${sent.json['id'] as string}/reply`,
      { msg_type: 'interactive', content: JSON.stringify(original) },
      {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${token}`,
      },
    );
    messageId = (reply.json['data'] as { message_id: string }).message_id;
  });
  afterAll(async () => {
    await new Promise((r) => consoleServer.close(r));
    await new Promise((r) => botServer.close(r));
    await standin.close();
  });

  const click = () => call(base, '/sandbox/api/actions', { messageId, value: { go: 1 } });
  const content = () => JSON.parse(standin.messages.get(messageId)!.content) as typeof original;

  it('delivered the typed message encrypted and signed to /webhook/event', () => {
    const [event] = received;
    expect(event!.path).toBe('/webhook/event');
    const h = event!.headers;
    expect(h['x-lark-signature']).toBe(sign(secrets.encryptKey, h['x-lark-request-timestamp']!, h['x-lark-request-nonce']!, event!.body));
    const payload = JSON.parse(new AESCipher(secrets.encryptKey).decrypt(JSON.parse(event!.body).encrypt)) as {
      header: { event_type: string; token: string };
      event: { message: { content: string; chat_type: string } };
    };
    expect(payload.header).toMatchObject({ event_type: 'im.message.receive_v1', token: secrets.verificationToken });
    expect(payload.event.message).toMatchObject({ chat_type: 'p2p', content: JSON.stringify({ text: 'hello' }) });
  });

  it('replaces the card with {card: {type: raw, data}}, returns the toast, and sends a signed card.action.trigger with an update token', async () => {
    answer = { body: { card: { type: 'raw', data: replacement }, toast: { type: 'success', content: 'Done', i18n: { zh_cn: '好了', en_us: 'Done' } } } };
    const res = await click();
    expect(res.status, res.text).toBe(200);
    expect(res.json).toEqual({ updated: true, toast: { type: 'success', content: 'Done', i18n: { zh_cn: '好了', en_us: 'Done' } } });
    expect(content().header.title.content).toBe('After');
    expect(standin.messages.get(messageId)!.updates).toBe(1);

    const callback = received.at(-1)!;
    expect(callback.path).toBe('/webhook/card');
    const h = callback.headers;
    expect(h['x-lark-signature']).toBe(sign(secrets.encryptKey, h['x-lark-request-timestamp']!, h['x-lark-request-nonce']!, callback.body));
    const payload = JSON.parse(new AESCipher(secrets.encryptKey).decrypt(JSON.parse(callback.body).encrypt)) as {
      header: { event_type: string; token: string };
      event: { token: string; action: { value: unknown }; operator: { open_id: string }; context: { open_message_id: string } };
    };
    expect(payload.header).toMatchObject({ event_type: 'card.action.trigger', token: secrets.verificationToken });
    expect(payload.event).toMatchObject({ action: { value: { go: 1 } }, operator: { open_id: 'ou_you' }, context: { open_message_id: messageId } });
    expect(payload.event.token).toMatch(/^c-/);
  });

  it('changes nothing for {}', async () => {
    answer = { body: {} };
    expect((await click()).json).toEqual({ updated: false });
    expect(standin.messages.get(messageId)!.updates).toBe(1);
  });

  it.each([
    ['an HTTP error', { status: 500, body: {} }, /HTTP 500/],
    ['a body that is not JSON', { raw: 'oops' }, /200672/],
    ['a template card', { body: { card: { type: 'template', data: { template_id: 'x' } } } }, /200672/],
    ['a 1.0 card for a 2.0 card', { body: { card: { type: 'raw', data: { elements: [] } } } }, /200673/],
    ['a malformed toast', { body: { toast: { type: 'boom', content: 'x' } } }, /toast/],
    ['an answer after the deadline', { delayMs: 600, body: {} }, /200341/],
  ])('treats %s as a failed callback (502) and keeps the card', async (_name, scripted, message) => {
    answer = scripted;
    const res = await click();
    expect(res.status).toBe(502);
    expect(res.json['error']).toMatch(message);
    expect(content().header.title.content).toBe('After');
  });

  describe('on a card with a form and a select outside it', () => {
    const card = fixture('form-and-chart.json');
    (card['body'] as { elements: unknown[] }).elements.push({
      tag: 'select_static',
      name: 'view',
      options: [{ text: { tag: 'plain_text', content: 'Open' }, value: 'open' }],
      behaviors: [{ type: 'callback', value: { fixture: 'view' } }],
    });
    const save = { fixture: 'form-save' };
    const act = (body: Record<string, unknown>) => call(base, '/sandbox/api/actions', { messageId, ...body });
    const lastAction = () => {
      const callback = received.at(-1)!;
      return (JSON.parse(new AESCipher(secrets.encryptKey).decrypt(JSON.parse(callback.body).encrypt)) as { event: { action: unknown } }).event.action;
    };
    beforeAll(() => {
      expect(standin.replaceCard(messageId, card)).toEqual({ ok: true });
      answer = { body: {} };
    });

    it('sends a submission as the platform does: the button’s name and value, and form_value', async () => {
      const res = await act({ value: save, name: 'save', form: { note: 'hi', tags: ['vip'], due: '2026-11-01' } });
      expect(res.status, res.text).toBe(200);
      expect(lastAction()).toEqual({ tag: 'button', name: 'save', value: save, form_value: { note: 'hi', tags: ['vip'], due: '2026-11-01 +0800' } });
    });

    it('sends a select changed outside a form as action.option', async () => {
      const res = await act({ tag: 'select_static', name: 'view', value: { fixture: 'view' }, option: 'open' });
      expect(res.status, res.text).toBe(200);
      expect(lastAction()).toEqual({ tag: 'select_static', name: 'view', value: { fixture: 'view' }, option: 'open' });
    });

    it.each<[string, Record<string, unknown>, RegExp]>([
      ['a required field left empty', { value: save, name: 'save', form: { tags: ['vip'] } }, /note is required/],
      ['a field the form lacks', { value: save, name: 'save', form: { note: 'hi', owner: 'x' } }, /no field "owner"/],
      ['an option the select lacks', { value: save, name: 'save', form: { note: 'hi', status: '9' } }, /not one of its options/],
      ['a form without its button’s name', { value: save, form: { note: 'hi' } }, /give its value and name/],
      ['a submit button clicked without its form', { value: save }, /not on the card any more/],
      ['a select’s option it lacks', { tag: 'select_static', name: 'view', value: { fixture: 'view' }, option: 'closed' }, /not one of its options/],
      ['a select that is in the form', { tag: 'select_static', name: 'status', option: '2' }, /no select_static "status"/],
    ])('refuses %s (409) and sends nothing', async (_name, body, error) => {
      const before = received.length;
      const res = await act(body);
      expect(res.status, res.text).toBe(409);
      expect(res.json['error']).toMatch(error);
      expect(received.length).toBe(before);
    });
  });
});
