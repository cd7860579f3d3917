// A webhook delivery's checks before anything reads it: JSON shape, signature over the raw bytes,
// timestamp window, decryption and the verification token, in constant time.
import { AESCipher } from '@larksuiteoapi/node-sdk';
import { describe, expect, it } from 'vitest';
import { createVerifier, verifyDelivery, type IntakeSecrets } from '../../../src/intake/verify.js';
import { delivery, encrypt, messageEvent, sign, urlVerification } from '@helpdesk-bot/feishu-standin/deliveries';

const secrets: IntakeSecrets = { encryptKey: 'test-encrypt-key', verificationToken: 'test-verification-token', toleranceSeconds: 300 };
const now = 1_763_800_000_000;
const nowSec = now / 1000;
const event = messageEvent({ token: secrets.verificationToken, appId: 'cli_x', chatType: 'p2p', senderOpenId: 'ou_sender', text: '/ticket 1' });

function check(d: { body: string; headers: Record<string, string> }, s = secrets) {
  const h = Object.fromEntries(Object.entries(d.headers).map(([k, v]) => [k.toLowerCase(), v]));
  return verifyDelivery(Buffer.from(d.body), { timestamp: h['x-lark-request-timestamp'], nonce: h['x-lark-request-nonce'], signature: h['x-lark-signature'] }, s, now);
}

describe('verifyDelivery', () => {
  it('accepts an encrypted, signed v2 event and returns the decrypted payload', () => {
    const result = check(delivery(event, { encryptKey: secrets.encryptKey, timestamp: nowSec }));
    expect(result).toEqual({ ok: true, payload: event });
  });

  it('accepts a signed v1 url_verification, and an unsigned encrypted one with the right token', () => {
    const challenge = urlVerification({ token: secrets.verificationToken, challenge: 'abc' });
    expect(check(delivery(challenge, { encryptKey: secrets.encryptKey, timestamp: nowSec }))).toMatchObject({ ok: true, payload: challenge });
    const unsigned = delivery(challenge, { encryptKey: secrets.encryptKey, sign: false, timestamp: nowSec });
    expect(check(unsigned)).toMatchObject({ ok: true, payload: challenge });
  });

  it('refuses an unsigned challenge with a wrong token, and any other unsigned body, with 401', () => {
    const wrong = delivery(urlVerification({ token: 'nope' }), { encryptKey: secrets.encryptKey, sign: false });
    expect(check(wrong)).toMatchObject({ ok: false, status: 401 });
    expect(check(delivery(event, { encryptKey: secrets.encryptKey, sign: false }))).toMatchObject({ ok: false, status: 401 });
    expect(check({ body: JSON.stringify(event), headers: {} })).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses a bad signature', () => {
    const d = delivery(event, { encryptKey: secrets.encryptKey, timestamp: nowSec });
    d.headers['X-Lark-Signature'] = sign('another key', nowSec, d.headers['X-Lark-Request-Nonce']!, d.body);
    expect(check(d)).toMatchObject({ ok: false, status: 401, reason: 'bad signature' });
    d.headers['X-Lark-Signature'] = 'not hex';
    expect(check(d)).toMatchObject({ ok: false, status: 401 });
  });

  it('checks the signature over the raw bytes, not re-serialised JSON', () => {
    const d = delivery(event, { encryptKey: secrets.encryptKey, timestamp: nowSec });
    const spaced = d.body.replace('{', '{ ');
    expect(JSON.parse(spaced)).toEqual(JSON.parse(d.body));
    expect(check({ body: spaced, headers: d.headers })).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses timestamps outside the window either way', () => {
    for (const offset of [-3600, -301, 301]) {
      expect(check(delivery(event, { encryptKey: secrets.encryptKey, timestamp: nowSec + offset }))).toMatchObject({ ok: false, status: 401 });
    }
    expect(check(delivery(event, { encryptKey: secrets.encryptKey, timestamp: nowSec - 299 }))).toMatchObject({ ok: true });
  });

  it('refuses a wrong verification token, v1 and v2', () => {
    const v2 = messageEvent({ token: 'wrong', appId: 'cli_x', chatType: 'p2p', senderOpenId: 'ou_s', text: 'hi' });
    expect(check(delivery(v2, { encryptKey: secrets.encryptKey, timestamp: nowSec }))).toMatchObject({ ok: false, status: 401 });
    const v1 = { uuid: 'u', token: 'wrong', ts: '1', type: 'event_callback', event: {} };
    expect(check(delivery(v1, { encryptKey: secrets.encryptKey, timestamp: nowSec }))).toMatchObject({ ok: false, status: 401 });
    const v1ok = { ...v1, token: secrets.verificationToken };
    expect(check(delivery(v1ok, { encryptKey: secrets.encryptKey, timestamp: nowSec }))).toMatchObject({ ok: true });
  });

  it('refuses a body encrypted with another key: its signature cannot match', () => {
    expect(check(delivery(event, { encryptKey: 'someone elses key', timestamp: nowSec }))).toMatchObject({ ok: false, status: 401 });
  });

  it('answers 400 for malformed JSON and for ciphertext that cannot decrypt', () => {
    expect(check({ body: '{"encrypt": "abc', headers: {} })).toMatchObject({ ok: false, status: 400 });
    expect(check({ body: '[1,2]', headers: {} })).toMatchObject({ ok: false, status: 400 });
    expect(check({ body: JSON.stringify({ encrypt: 'not base64 at all!' }), headers: {} })).toMatchObject({ ok: false, status: 400 });
    // Well-formed ciphertext under the right key whose plaintext is not JSON; properly signed.
    const body = JSON.stringify({ encrypt: encrypt(secrets.encryptKey, 'not json') });
    const headers = { 'X-Lark-Request-Timestamp': String(nowSec), 'X-Lark-Request-Nonce': 'n', 'X-Lark-Signature': sign(secrets.encryptKey, nowSec, 'n', body) };
    expect(check({ body, headers })).toMatchObject({ ok: false, status: 400, reason: 'body does not decrypt with the configured encrypt key' });
    // Random bytes of a plausible length, properly signed: bad padding.
    const junk = JSON.stringify({ encrypt: Buffer.alloc(48, 7).toString('base64') });
    const junkHeaders = { ...headers, 'X-Lark-Signature': sign(secrets.encryptKey, nowSec, 'n', junk) };
    expect(check({ body: junk, headers: junkHeaders })).toMatchObject({ ok: false, status: 400 });
  });

  it('refuses what decrypts to valid JSON that is not an object as not an event, not as undecryptable', () => {
    for (const plaintext of ['[1,2,3]', '"an event"', '42', 'null', 'true']) {
      const body = JSON.stringify({ encrypt: encrypt(secrets.encryptKey, plaintext) });
      const headers = { 'X-Lark-Request-Timestamp': String(nowSec), 'X-Lark-Request-Nonce': 'n', 'X-Lark-Signature': sign(secrets.encryptKey, nowSec, 'n', body) };
      expect(check({ body, headers })).toEqual({ ok: false, status: 400, reason: 'decrypted body is not an event (not a JSON object)' });
    }
  });

  it('works without an encrypt key, checking the token only', () => {
    const plain = { ...secrets, encryptKey: '' };
    expect(check(delivery(event, {}), plain)).toMatchObject({ ok: true });
    expect(check(delivery({ ...event, header: { ...event.header, token: 'x' } }, {}), plain)).toMatchObject({ ok: false, status: 401 });
  });

  it("decrypts what the SDK's own AESCipher decrypts, with one verifier for many deliveries", () => {
    const verify = createVerifier(secrets);
    for (const text of ['/ticket 1', '中文 and emoji 🎫', 'x'.repeat(5000)]) {
      const e = messageEvent({ token: secrets.verificationToken, appId: 'cli_x', chatType: 'p2p', senderOpenId: 'ou_s', text });
      const d = delivery(e, { encryptKey: secrets.encryptKey, timestamp: nowSec });
      const fromSdk = JSON.parse(new AESCipher(secrets.encryptKey).decrypt((JSON.parse(d.body) as { encrypt: string }).encrypt)) as unknown;
      const h = Object.fromEntries(Object.entries(d.headers).map(([k, v]) => [k.toLowerCase(), v]));
      const ours = verify(Buffer.from(d.body), { timestamp: h['x-lark-request-timestamp'], nonce: h['x-lark-request-nonce'], signature: h['x-lark-signature'] }, now);
      expect(ours).toEqual({ ok: true, payload: fromSdk });
      expect(fromSdk).toEqual(e);
    }
  });

  it('refuses ciphertext that is not canonical base64 with 400, before looking at the signature', () => {
    const good = encrypt(secrets.encryptKey, JSON.stringify(event));
    for (const bad of [` ${good}`, `${good.slice(0, 20)}\n${good.slice(20)}`, `${good.slice(0, -4)}!!!!`, good.slice(0, 40), '', 42]) {
      expect(check({ body: JSON.stringify({ encrypt: bad }), headers: {} })).toMatchObject({ ok: false, status: 400 });
    }
  });
});
