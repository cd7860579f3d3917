// Checks a webhook delivery before anything else looks at it: JSON shape, signature over the raw
// bytes, timestamp window, decryption and verification token. Pure: no I/O, time passed in.
//
// Order matters. Malformed JSON and structurally impossible ciphertext are refused (400) before the
// signature check because that reveals nothing. Decryption only happens after the signature is
// good, so a forger cannot use our 400-vs-401 answers as a padding oracle. The one exception is the
// url_verification challenge, which the platform may send unsigned: an unsigned body is decrypted
// only to look for a challenge with the right token, and every failure there answers the same 401.
import { createHash, timingSafeEqual } from 'node:crypto';
import { AESCipher } from '@larksuiteoapi/node-sdk';

export interface IntakeSecrets {
  encryptKey: string;
  verificationToken: string;
  toleranceSeconds: number;
}

export interface SignatureHeaders {
  timestamp?: string;
  nonce?: string;
  signature?: string;
}

export type Verified =
  | { ok: true; payload: Record<string, unknown> }
  | { ok: false; status: 400 | 401; reason: string };

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

export function verifyDelivery(raw: Buffer, headers: SignatureHeaders, secrets: IntakeSecrets, nowMs: number): Verified {
  const outer = parseObject(raw.toString('utf8'));
  if (!outer) return refuse(400, 'body is not a JSON object');

  const encrypted = 'encrypt' in outer;
  if (encrypted && !plausibleCiphertext(outer.encrypt)) return refuse(400, 'encrypt is not AES-CBC ciphertext');

  if (secrets.encryptKey === '') {
    if (encrypted) return refuse(400, 'body is encrypted but no encrypt key is configured');
    return checkToken(outer, secrets.verificationToken);
  }

  if (!headers.signature) {
    if (!encrypted) return refuse(401, 'missing signature');
    return unsignedChallenge(outer.encrypt as string, secrets);
  }

  const timestamp = Number(headers.timestamp);
  if (!headers.timestamp || !Number.isInteger(timestamp)) return refuse(401, 'missing or malformed timestamp');
  if (Math.abs(nowMs / 1000 - timestamp) > secrets.toleranceSeconds) return refuse(401, 'timestamp outside the allowed window');

  const expected = createHash('sha256')
    .update(headers.timestamp + (headers.nonce ?? '') + secrets.encryptKey)
    .update(raw)
    .digest();
  if (!equalHex(headers.signature, expected)) return refuse(401, 'bad signature');

  if (!encrypted) return checkToken(outer, secrets.verificationToken);
  const inner = decrypt(outer.encrypt as string, secrets.encryptKey);
  if (!inner) return refuse(400, 'body does not decrypt with the configured encrypt key');
  return checkToken(inner, secrets.verificationToken);
}

function unsignedChallenge(ciphertext: string, secrets: IntakeSecrets): Verified {
  const inner = decrypt(ciphertext, secrets.encryptKey);
  if (!inner || inner.type !== 'url_verification' || !tokenMatches(inner.token, secrets.verificationToken)) {
    return refuse(401, 'missing signature');
  }
  return { ok: true, payload: inner };
}

function checkToken(payload: Record<string, unknown>, expected: string): Verified {
  const header = payload.header;
  const token = header && typeof header === 'object' ? (header as Record<string, unknown>).token : payload.token;
  if (!tokenMatches(token, expected)) return refuse(401, 'wrong verification token');
  return { ok: true, payload };
}

/** Constant-time comparison of the verification token (hashed first so lengths never leak). */
function tokenMatches(actual: unknown, expected: string): boolean {
  if (typeof actual !== 'string' || expected === '') return false;
  const a = createHash('sha256').update(actual).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

function equalHex(given: string, expected: Buffer): boolean {
  if (!/^[0-9a-fA-F]{64}$/.test(given)) return false;
  return timingSafeEqual(Buffer.from(given.toLowerCase(), 'hex'), expected);
}

/** IV (16 bytes) plus at least one whole AES block; anything else can never decrypt. */
function plausibleCiphertext(value: unknown): value is string {
  if (typeof value !== 'string' || !BASE64.test(value)) return false;
  const bytes = Buffer.byteLength(value, 'base64');
  return bytes >= 32 && bytes % 16 === 0;
}

function decrypt(ciphertext: string, key: string): Record<string, unknown> | undefined {
  try {
    return parseObject(new AESCipher(key).decrypt(ciphertext));
  } catch {
    return undefined;
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function refuse(status: 400 | 401, reason: string): Verified {
  return { ok: false, status, reason };
}
