// Agents' own tokens (user access tokens), one record per app and person, sealed in the state's
// records (this process and its file, or Redis). An access token lives about 2 hours; it is
// refreshed shortly before it ends, by one caller among every instance at a time, because a refresh
// token works once: two instances spending the same one would lose the sign-in. The new refresh
// token is kept; a refresh the platform refuses forgets the sign-in, and the person signs in again.
import type * as lark from '@larksuiteoapi/node-sdk';
import type { Logger } from '../obs/log.js';
import type { Clock } from '../resilience/clock.js';
import type { Sleep } from '../resilience/timing.js';
import type { Locks, Records } from '../state/types.js';
import { PlatformError } from './errors.js';
import type { Sealer } from './sealed.js';

/** Refreshed when less than this is left (the vendor's CLI does the same). */
export const REFRESH_BEFORE_MS = 5 * 60_000;
/** How long one refresh may hold the lock; another caller waits at most this long for it. */
const LOCK_MS = 15_000;
const WAIT_STEP_MS = 100;

/** What the token endpoint answered, as the SDK gives it (accessToken.retrieveByAuthorizationCode, refresh). */
export interface TokenAnswer {
  accessToken: string;
  expiresIn?: number;
  refreshToken?: string;
  refreshTokenExpiresIn?: number;
  scope?: string;
}

interface TokenRecord {
  access: string;
  expiresAt: number;
  refresh?: string;
  refreshExpiresAt?: number;
  scope: string;
  /** The person's name, from user_info when they signed in: what cards call them. */
  name: string;
}

/** Why the person must sign in (again): never signed in, or the sign-in ran out or was revoked. */
export class SignInNeeded extends Error {
  constructor(readonly reason: 'none' | 'expired') {
    super(reason === 'none' ? 'not signed in' : 'the sign-in ended; sign in again');
    this.name = 'SignInNeeded';
  }
}

/** Refresh refusals that mean the refresh token is gone for good (the CLI's table). */
const GONE = new Set([20026, 20037, 20064]);
const ALREADY_USED = 20073;
const SERVER_ERROR = 20050;

export interface UserTokensDeps {
  client: lark.Client;
  records: Records;
  locks: Locks;
  sealer: Sealer;
  appId: string;
  clock: Clock;
  sleep: Sleep;
  log: Logger;
}

export class UserTokens {
  constructor(private readonly deps: UserTokensDeps) {}

  private key = (openId: string) => `user-token:${this.deps.appId}:${openId}`;

  /** Keeps a fresh sign-in's tokens (the person checked by the caller); resolves once it would survive a restart. */
  async save(openId: string, answer: TokenAnswer, name: string): Promise<void> {
    const now = this.deps.clock();
    const record: TokenRecord = {
      access: answer.accessToken,
      expiresAt: now + (answer.expiresIn ?? 7200) * 1000,
      ...(answer.refreshToken ? { refresh: answer.refreshToken, refreshExpiresAt: now + (answer.refreshTokenExpiresIn ?? 7 * 24 * 3600) * 1000 } : {}),
      scope: answer.scope ?? '',
      name,
    };
    await this.write(openId, record);
  }

  /** Who is signed in as this person: their name, or undefined. */
  async nameOf(openId: string): Promise<string | undefined> {
    return (await this.read(openId))?.name;
  }

  /** /signout: the person's tokens are forgotten. */
  async forget(openId: string): Promise<boolean> {
    const had = (await this.deps.records.get(this.key(openId))) !== undefined;
    await this.deps.records.delete(this.key(openId));
    await this.deps.records.sync();
    return had;
  }

  /**
   * The person's access token, refreshed first when it ends within REFRESH_BEFORE_MS (or when
   * `stale`: the platform just refused it). Throws SignInNeeded when there is none any more.
   */
  async accessFor(openId: string, stale?: string): Promise<string> {
    const current = await this.read(openId);
    if (!current) throw new SignInNeeded('none');
    if (current.access !== stale && current.expiresAt - this.deps.clock() > REFRESH_BEFORE_MS) return current.access;
    return this.refreshed(openId, current.access);
  }

  /** A token newer than `seen`: refreshed here under the lock, or by whoever holds it. */
  private async refreshed(openId: string, seen: string): Promise<string> {
    const { locks, clock, sleep } = this.deps;
    const lockKey = `refresh:${this.key(openId)}`;
    const giveUpAt = clock() + LOCK_MS;
    for (;;) {
      const lease = await locks.take(lockKey, LOCK_MS);
      if (lease) {
        try {
          // Re-read under the lock: another instance may have refreshed just before we took it.
          const latest = await this.read(openId);
          if (!latest) throw new SignInNeeded('expired');
          if (latest.access !== seen) return latest.access;
          return await this.refreshNow(openId, latest);
        } finally {
          await locks.give(lockKey, lease);
        }
      }
      await sleep(WAIT_STEP_MS);
      const latest = await this.read(openId);
      if (!latest) throw new SignInNeeded('expired');
      if (latest.access !== seen) return latest.access;
      if (clock() > giveUpAt) throw new PlatformError('busy', 'another refresh of this sign-in did not finish in time');
    }
  }

  private async refreshNow(openId: string, record: TokenRecord): Promise<string> {
    const { clock, log } = this.deps;
    if (!record.refresh || (record.refreshExpiresAt !== undefined && record.refreshExpiresAt <= clock())) return this.ended(openId, 'no refresh token left');
    const attempt = () => this.deps.client.accessToken.refresh({ refreshToken: record.refresh! });
    let answer: TokenAnswer;
    try {
      // A server error, or no answer (the server may or may not have spent the token), is tried once more.
      answer = await attempt().catch((error: unknown) => (refusal(error).retryOnce ? attempt() : Promise.reject(error)));
    } catch (error) {
      const r = refusal(error);
      if (r.code === ALREADY_USED) {
        // Spent by another refresh: its result is in the store, or the sign-in is lost.
        const latest = await this.read(openId);
        if (latest && latest.access !== record.access) return latest.access;
      }
      if (r.code === ALREADY_USED || (r.code !== undefined && GONE.has(r.code)) || r.retryOnce || r.status === 400) return this.ended(openId, `refresh refused (code ${r.code ?? r.status ?? 'none'})`);
      throw new PlatformError(r.status === 429 ? 'rate-limited' : 'upstream', `token refresh failed (HTTP ${r.status ?? 'none'}, code ${r.code ?? 'none'})`);
    }
    await this.write(openId, { ...record, access: answer.accessToken, expiresAt: clock() + (answer.expiresIn ?? 7200) * 1000, ...refreshPart(answer, record, clock()) });
    log.info('sign_in.refreshed', { user: openId });
    return answer.accessToken;
  }

  private async ended(openId: string, why: string): Promise<never> {
    this.deps.log.info('sign_in.ended', { user: openId, why });
    await this.forget(openId);
    throw new SignInNeeded('expired');
  }

  private async read(openId: string): Promise<TokenRecord | undefined> {
    const sealed = await this.deps.records.get<string>(this.key(openId));
    if (sealed === undefined) return undefined;
    const plain = this.deps.sealer.open(sealed, this.key(openId));
    // Sealed under another key (it was changed): as good as none.
    return plain === undefined ? undefined : (JSON.parse(plain) as TokenRecord);
  }

  private async write(openId: string, record: TokenRecord): Promise<void> {
    const keepUntil = record.refreshExpiresAt ?? record.expiresAt;
    await this.deps.records.put(this.key(openId), this.deps.sealer.seal(JSON.stringify(record), this.key(openId)), Math.max(1, keepUntil - this.deps.clock()));
    await this.deps.records.sync();
  }
}

/** The rotated refresh token (the old one is spent), or none if the answer gave none. */
function refreshPart(answer: TokenAnswer, record: TokenRecord, now: number): Pick<TokenRecord, 'refresh' | 'refreshExpiresAt'> {
  if (!answer.refreshToken) return {};
  return { refresh: answer.refreshToken, refreshExpiresAt: answer.refreshTokenExpiresIn ? now + answer.refreshTokenExpiresIn * 1000 : record.refreshExpiresAt };
}

/** What the SDK's AccessTokenError says: the HTTP status (0: no answer) and the platform's code. */
export function refusal(error: unknown): { status?: number; code?: number; retryOnce: boolean } {
  const e = error as { statusCode?: unknown; code?: unknown };
  const status = typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  const code = typeof e?.code === 'number' && e.code !== 0 ? e.code : undefined;
  return { ...(status !== undefined ? { status } : {}), ...(code !== undefined ? { code } : {}), retryOnce: status === 0 || code === SERVER_ERROR || (status !== undefined && status >= 500) };
}
