// Checks a webhook delivery before anything else looks at it: JSON shape, signature over the raw
// bytes, timestamp window, decryption and verification token. Pure: no I/O, time passed in.
//
// Order matters. Malformed JSON and structurally impossible ciphertext are refused (400) before the
// signature check because that reveals nothing. Decryption only happens after the signature is
// good, so a forger cannot use our 400-vs-401 answers as a padding oracle. The one exception is the
// url_verification challenge, which the platform may send unsigned: an unsigned body is decrypted
// only to look for a challenge with the right token, and every failure there answers the same 401.
import { createDecipheriv, createHash, timingSafeEqual } from 'node:crypto';

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

export type Verified = { ok: true; payload: Record<string, unknown> } | { ok: false; status: 400 | 401; reason: string };

export type Verifier = (raw: Buffer, headers: SignatureHeaders, nowMs: number) => Verified;

/**
 * The check of every delivery, with the secrets prepared once: the AES key (SHA-256 of the encrypt
 * key, as the platform derives it) and the hash of the expected token are computed here, not per
 * delivery.
 */
export function createVerifier(secrets: IntakeSecrets): Verifier {
  const aesKey = createHash('sha256').update(secrets.encryptKey).digest();
  const tokenHash = secrets.verificationToken === '' ? undefined : sha256(secrets.verificationToken);

  /** The decrypted JSON, whatever it is; undefined when it does not decrypt to JSON at all. */
  const decrypt = (bytes: Buffer): { json: unknown } | undefined => {
    try {
      const decipher = createDecipheriv('aes-256-cbc', aesKey, bytes.subarray(0, 16));
      return { json: JSON.parse(Buffer.concat([decipher.update(bytes.subarray(16)), decipher.final()]).toString('utf8')) as unknown };
    } catch {
      return undefined;
    }
  };

  /** Constant-time comparison of the verification token (hashed first so lengths never leak). */
  const checkToken = (payload: Record<string, unknown>): Verified => {
    const header = payload.header;
    const token = header && typeof header === 'object' ? (header as Record<string, unknown>).token : payload.token;
    if (typeof token !== 'string' || !tokenHash || !timingSafeEqual(sha256(token), tokenHash)) return refuse(401, 'wrong verification token');
    return { ok: true, payload };
  };

  const unsignedChallenge = (bytes: Buffer): Verified => {
    const inner = asObject(decrypt(bytes)?.json);
    if (inner?.type !== 'url_verification' || !checkToken(inner).ok) return refuse(401, 'missing signature');
    return { ok: true, payload: inner };
  };

  return (raw, headers, nowMs) => {
    const outer = parseObject(raw.toString('utf8'));
    if (!outer) return refuse(400, 'body is not a JSON object');

    const encrypted = 'encrypt' in outer;
    const ciphertext = encrypted ? ciphertextBytes(outer.encrypt) : undefined;
    if (encrypted && !ciphertext) return refuse(400, 'encrypt is not AES-CBC ciphertext');

    if (secrets.encryptKey === '') {
      if (encrypted) return refuse(400, 'body is encrypted but no encrypt key is configured');
      return checkToken(outer);
    }

    if (!headers.signature) {
      if (!ciphertext) return refuse(401, 'missing signature');
      return unsignedChallenge(ciphertext);
    }

    const timestamp = Number(headers.timestamp);
    if (!headers.timestamp || !Number.isInteger(timestamp)) return refuse(401, 'missing or malformed timestamp');
    if (Math.abs(nowMs / 1000 - timestamp) > secrets.toleranceSeconds) return refuse(401, 'timestamp outside the allowed window');

    const expected = createHash('sha256')
      .update(headers.timestamp + (headers.nonce ?? '') + secrets.encryptKey)
      .update(raw)
      .digest();
    if (!equalHex(headers.signature, expected)) return refuse(401, 'bad signature');

    if (!ciphertext) return checkToken(outer);
    const decrypted = decrypt(ciphertext);
    if (!decrypted) return refuse(400, 'body does not decrypt with the configured encrypt key');
    // It decrypts, so the key is right: what it holds is simply not an event ([1,2], "x", null).
    const inner = asObject(decrypted.json);
    if (!inner) return refuse(400, 'decrypted body is not an event (not a JSON object)');
    return checkToken(inner);
  };
}

/** One delivery checked with secrets prepared for it alone (tests); the intake keeps a verifier. */
export function verifyDelivery(raw: Buffer, headers: SignatureHeaders, secrets: IntakeSecrets, nowMs: number): Verified {
  return createVerifier(secrets)(raw, headers, nowMs);
}

const sha256 = (text: string) => createHash('sha256').update(text).digest();

function equalHex(given: string, expected: Buffer): boolean {
  if (!/^[0-9a-fA-F]{64}$/.test(given)) return false;
  return timingSafeEqual(Buffer.from(given, 'hex'), expected);
}

/**
 * The ciphertext's bytes if it is canonical base64 of an IV (16 bytes) plus at least one whole AES
 * block; anything else can never decrypt. Decoded once, here, for the decryption later. (Node's
 * decoder skips characters outside the alphabet, so encoding the bytes back must give the text.)
 */
function ciphertextBytes(value: unknown): Buffer | undefined {
  if (typeof value !== 'string' || value.length === 0) return undefined;
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length < 32 || bytes.length % 16 !== 0 || bytes.toString('base64') !== value) return undefined;
  return bytes;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    return asObject(JSON.parse(text));
  } catch {
    return undefined;
  }
}

const asObject = (value: unknown): Record<string, unknown> | undefined => (value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined);

function refuse(status: 400 | 401, reason: string): Verified {
  return { ok: false, status, reason };
}
