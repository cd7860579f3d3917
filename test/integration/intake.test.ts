// The intake, through real HTTP: it refuses what it must, accepts what it must,
// and a /ticket command gets exactly one reply card built from the stand-in's ticket.
import { connect } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { delivery, messageEvent, sign, urlVerification } from '@helpdesk-bot/feishu-standin/deliveries';
import { fullTicket } from '../fixtures/tickets.js';
import { SECRETS, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ tickets: [fullTicket] });
});
afterAll(() => h.close());
beforeEach(() => {
  h.standin.clearCalls();
  h.standin.clearFaults();
});

const apiCalls = () => h.standin.calls.filter((c) => c.route !== 'tenant_token');
const settle = () => new Promise((r) => setTimeout(r, 300));
const event = (text = '/ticket 6626871355780366331') => messageEvent({ token: SECRETS.verificationToken, appId: SECRETS.appId, chatType: 'p2p', senderOpenId: 'ou_u', text });

describe('url verification', () => {
  it('answers an encrypted challenge, signed or not', async () => {
    const challenge = urlVerification({ token: SECRETS.verificationToken, challenge: 'chal-123' });
    expect(await h.post(challenge)).toEqual({ status: 200, body: { challenge: 'chal-123' } });
    expect(await h.post(challenge, { sign: false })).toEqual({ status: 200, body: { challenge: 'chal-123' } });
  });
  it('refuses a challenge with the wrong token', async () => {
    expect((await h.post(urlVerification({ token: 'wrong' }))).status).toBe(401);
  });
});

describe('refused deliveries cause no API call', () => {
  const cases: [string, () => Promise<{ status: number }>][] = [
    ['a bad signature', () => h.post(event(), { headers: { 'X-Lark-Signature': '0'.repeat(64) } })],
    ['a timestamp an hour old', () => h.post(event(), { timestamp: Math.floor(Date.now() / 1000) - 3600 })],
    ['a wrong verification token', () => h.post({ ...event(), header: { ...event().header, token: 'nope' } })],
    ['a wrong encrypt key', () => h.post(event(), { encryptKey: 'not-the-key' })],
    ['an unsigned plain body', () => h.post(event(), { encrypt: false, sign: false })],
  ];
  it.each(cases)('%s gets 401', async (_name, send) => {
    const res = await send();
    expect(res.status).toBe(401);
    await settle();
    expect(apiCalls()).toEqual([]);
  });

  it('truncated JSON and an undecryptable body get 400; 3 MiB gets 413; the bot stays healthy', async () => {
    const d = delivery(event(), { encryptKey: SECRETS.encryptKey });
    const truncated = d.body.slice(0, d.body.length - 5);
    expect((await h.post(event(), { rawBody: truncated })).status).toBe(400);
    const junk = JSON.stringify({ encrypt: Buffer.alloc(64, 1).toString('base64') });
    expect((await h.post(event(), { rawBody: junk, headers: signed(junk) })).status).toBe(400);
    expect((await h.post(event(), { rawBody: JSON.stringify({ encrypt: 'x'.repeat(3 * 1024 * 1024) }) })).status).toBe(413);
    const health = await fetch(h.bot.url + '/healthz');
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    await settle();
    expect(apiCalls()).toEqual([]);
  });
});

describe('the webhook routes', () => {
  it('match as Express matched them: any case, a trailing slash, a query string; card callbacks on both', async () => {
    const challenge = urlVerification({ token: SECRETS.verificationToken, challenge: 'c' });
    const d = delivery(challenge, { encryptKey: SECRETS.encryptKey });
    for (const path of ['/webhook/event', '/webhook/card', '/Webhook/Event/', '/webhook/event?from=lb']) {
      const res = await fetch(h.bot.url + path, { method: 'POST', headers: d.headers, body: d.body });
      expect([path, res.status, await res.json()]).toEqual([path, 200, { challenge: 'c' }]);
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
    }
  });

  it('answers anything but a POST there, and other paths, with the JSON 404', async () => {
    for (const [method, path] of [
      ['GET', '/webhook/event'],
      ['PUT', '/webhook/card'],
      ['POST', '/webhook/events'],
      ['POST', '/webhook'],
    ]) {
      const res = await fetch(h.bot.url + path!, { method: method!, ...(method === 'GET' ? {} : { body: '{}' }) });
      expect([method, path, res.status, await res.json()]).toEqual([method, path, 404, { error: 'not found' }]);
    }
  });

  it('refuses a compressed body (415) and a body shorter than its Content-Length (400), and keeps serving', async () => {
    const d = delivery(event(), { encryptKey: SECRETS.encryptKey });
    const gzipped = await fetch(h.bot.url + '/webhook/event', { method: 'POST', headers: { ...d.headers, 'Content-Encoding': 'gzip' }, body: d.body });
    expect([gzipped.status, await gzipped.json()]).toEqual([415, { error: 'content-encoding is not supported' }]);
    const short = await rawRequest(h.bot.url, `POST /webhook/event HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"encrypt":"`);
    expect(short).toMatch(/^HTTP\/1\.1 400 /);
    const refusals = h.log.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === 'delivery.refused');
    expect(refusals.map((l) => l.status)).toEqual(expect.arrayContaining([415, 400]));
    expect((await h.post(urlVerification({ token: SECRETS.verificationToken, challenge: 'still here' }))).body).toEqual({ challenge: 'still here' });
  });
});

/** Sends bytes as they are and half-closes; resolves with whatever the server answered. */
function rawRequest(url: string, text: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(text));
    let answer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => resolve(answer)).on('error', reject);
  });
}

function signed(body: string) {
  // Re-sign an arbitrary body with the right key, as a platform-side bug or a key holder could.
  const d = delivery({}, { encryptKey: SECRETS.encryptKey });
  const ts = d.headers['X-Lark-Request-Timestamp']!;
  const nonce = d.headers['X-Lark-Request-Nonce']!;
  return { 'X-Lark-Request-Timestamp': ts, 'X-Lark-Request-Nonce': nonce, 'X-Lark-Signature': signOf(ts, nonce, body) };
}
const signOf = (ts: string, nonce: string, body: string) => sign(SECRETS.encryptKey, ts, nonce, body);

describe('/ticket round trip', () => {
  it('answers a DM with exactly one card carrying the ticket', async () => {
    const { status, messageId } = await h.say('/ticket 6626871355780366331');
    expect(status).toBe(200);
    const [reply] = await h.replies(messageId);
    const text = reply!.content;
    for (const s of ['6626871355780366331', '王小明', 'Li Lei', '韩梅梅', '报销', 'VIP', 'Expense system', 'P2', '无法提交']) expect(text).toContain(s);
    await settle();
    expect(h.standin.callsTo('reply')).toHaveLength(1);
    const call = h.standin.callsTo('ticket_get')[0]!;
    expect(call.path).toBe('/open-apis/helpdesk/v1/tickets/6626871355780366331');
    expect(call.headers['x-lark-helpdesk-authorization']).toBe('Bearer ' + Buffer.from(`${SECRETS.helpdeskId}:${SECRETS.helpdeskToken}`).toString('base64'));
    const replyBody = h.standin.callsTo('reply')[0]!.body as { msg_type: string; uuid: string };
    expect(replyBody.msg_type).toBe('interactive');
    expect(replyBody.uuid.length).toBeLessThanOrEqual(50);
  });

  it('answers @bot /ticket in a group, with the bot mentioned second', async () => {
    const other = { key: '@_user_1', openId: 'ou_other', name: 'Other' };
    const { messageId } = await h.say('@_user_1 @_user_2 /ticket 6626871355780366331', { chatType: 'group', botKey: '@_user_2', mentions: [other] });
    const [reply] = await h.replies(messageId);
    expect(reply!.content).toContain('6626871355780366331');
  });

  it('ignores a group message that does not mention the bot', async () => {
    const res = await h.post(messageEvent({ token: SECRETS.verificationToken, appId: SECRETS.appId, chatType: 'group', senderOpenId: 'ou_u', text: '/ticket 6626871355780366331' }));
    expect(res.status).toBe(200);
    await settle();
    expect(apiCalls()).toEqual([]);
  });

  it('replies once to a message delivered twice', async () => {
    const e = event();
    expect((await h.post(e)).status).toBe(200);
    expect((await h.post(e)).status).toBe(200);
    await h.replies(e.event.message.message_id);
    await settle();
    expect(h.standin.callsTo('reply')).toHaveLength(1);
    expect(h.standin.callsTo('ticket_get')).toHaveLength(1);
  });

  it('acknowledges in well under 1 s even when the helpdesk takes 4 s', async () => {
    h.standin.inject('ticket_get', { delayMs: 4000, times: 1 });
    const started = Date.now();
    const { status, messageId } = await h.say('/ticket 6626871355780366331');
    const ackMs = Date.now() - started;
    expect(status).toBe(200);
    // The acknowledgement came back before the helpdesk answered, so before any reply.
    expect(h.standin.callsTo('reply')).toHaveLength(0);
    expect(ackMs).toBeLessThan(1000);
    const [reply] = await h.replies(messageId, 1, 10_000);
    expect(reply!.content).toContain('6626871355780366331');
  });

  it('names an unknown ticket id', async () => {
    const { messageId } = await h.say('/ticket 1234567890');
    const [reply] = await h.replies(messageId);
    expect(reply!.content).toContain('1234567890');
    expect(reply!.content).toContain('Ticket not found');
  });

  it('says the lookup failed on a helpdesk 500, then answers the next command normally', async () => {
    h.standin.inject('ticket_get', { status: 500, code: 155000 });
    const first = await h.say('/ticket 6626871355780366331');
    const [failed] = await h.replies(first.messageId, 1, 15_000);
    expect(failed!.content).toContain('Ticket lookup failed');
    h.standin.clearFaults();
    const second = await h.say('/ticket 6626871355780366331');
    const [ok] = await h.replies(second.messageId);
    expect(ok!.content).toContain('王小明');
  });

  it('explains what an unauthorised helpdesk means for the operator', async () => {
    h.standin.inject('ticket_get', { status: 401, code: 154001, times: 1 });
    const { messageId } = await h.say('/ticket 6626871355780366331');
    const [reply] = await h.replies(messageId);
    expect(reply!.content).toContain('helpdesk:all:readonly');
  });

  it('asks for a missing id and refuses a non-id without calling the helpdesk', async () => {
    const a = await h.say('/ticket');
    expect((await h.replies(a.messageId))[0]!.content).toContain('Which ticket?');
    const b = await h.say('/ticket hello');
    expect((await h.replies(b.messageId))[0]!.content).toContain('not a ticket id');
    expect(h.standin.callsTo('ticket_get')).toEqual([]);
  });
});
