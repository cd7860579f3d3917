// Agents' tokens at rest: AES-256-GCM under a key derived from sign_in.token_key (USER_TOKEN_KEY),
// each sealed value bound to the record it is kept under (its additional data), so a value copied
// to another person's record does not open there. A key that changed opens nothing: those agents
// simply sign in again.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** A key for one purpose, derived from the operator's secret: tokens and sign-in states never share one. */
export function deriveKey(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'helpdesk-bot', purpose, 32));
}

export class Sealer {
  private readonly key: Buffer;

  constructor(secret: string) {
    this.key = deriveKey(secret, 'user-tokens/v1');
  }

  /** "v1." then base64url of nonce, tag and ciphertext. */
  seal(plain: string, boundTo: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv).setAAD(Buffer.from(boundTo));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${VERSION}.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url')}`;
  }

  /** The plain text, or undefined for a value sealed under another key, for another record, or tampered with. */
  open(sealed: string, boundTo: string): string | undefined {
    if (!sealed.startsWith(`${VERSION}.`)) return undefined;
    const raw = Buffer.from(sealed.slice(VERSION.length + 1), 'base64url');
    if (raw.length < IV_BYTES + TAG_BYTES) return undefined;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, IV_BYTES)).setAAD(Buffer.from(boundTo));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  }
}
