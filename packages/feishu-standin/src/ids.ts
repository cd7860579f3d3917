// Identifiers in the platform's formats. Shared with ./deliveries.ts so that stand-in replies and
// simulated deliveries look alike.
import { createHash, randomBytes } from 'node:crypto';

const ALNUM_UPPER = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

export function randomHex(length: number): string {
  return randomBytes(Math.ceil(length / 2))
    .toString('hex')
    .slice(0, length);
}

function randomFrom(alphabet: string, length: number): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const byte of bytes) out += alphabet[byte % alphabet.length];
  return out;
}

/** The same seed always gives the same hex, so derived ids stay stable across events. */
export function stableHex(seed: string, length: number): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, length);
}

export const newMessageId = (): string => `om_${randomHex(32)}`;
export const newChatId = (): string => `oc_${randomHex(32)}`;
export const newThreadId = (): string => `omt_${randomHex(12)}`;
/** Event ids are 32 lower-case hex characters. */
export const newEventId = (): string => randomHex(32);
export const newTenantToken = (): string => `t-g104${randomFrom(ALNUM_UPPER, 34)}`;
export const newCardToken = (): string => `c-${randomHex(40)}`;

/** The union_id and user_id the platform would show alongside an open_id. */
export function idsForOpenId(openId: string): { open_id: string; union_id: string; user_id: string } {
  return { open_id: openId, union_id: `on_${stableHex(openId, 32)}`, user_id: stableHex(`user:${openId}`, 8) };
}

/** A tenant key derived from the app id, like the 16-hex keys the platform sends. */
export const tenantKeyFor = (appId: string): string => stableHex(`tenant:${appId}`, 16);

/** Log ids are the UTC time as YYYYMMDDHHmmss followed by 20 upper-case hex characters. */
export function newLogId(nowMs: number): string {
  const stamp = new Date(nowMs).toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return stamp + randomHex(20).toUpperCase();
}
