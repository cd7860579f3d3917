// An agent signing in as themselves, from a click to a kept token. Two ways, by what the agents'
// browsers can reach:
// - a link (server.public_url set): Feishu's authorization page, back to GET /oauth/callback with
//   a code and the `state` minted for the click: signed, bound to the clicker, single use, 10
//   minutes. The code is exchanged through the SDK and the token's owner (user_info) must be the
//   clicker;
// - a device code (no public URL, e.g. on the long connection): the code and a link are shown on
//   the card while the bot polls the token endpoint (the flow Feishu's own CLI uses; the SDK has
//   none, so these two requests go through the SDK's HTTP client).
// What the click was (the pending action) is kept sealed until then, and handed back exactly once.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type * as lark from '@larksuiteoapi/node-sdk';
import type { Logger } from '../obs/log.js';
import type { Clock } from '../resilience/clock.js';
import type { Records } from '../state/types.js';
import { deriveKey, type Sealer } from './sealed.js';
import { sdk } from './sdk.js';
import { refusal, type TokenAnswer, type UserTokens } from './userTokens.js';

/** What the ticket actions need, and staying signed in (a refresh token). */
export const USER_SCOPES = ['helpdesk:all', 'offline_access'] as const;
/** A sign-in link works this long after the click that asked for it. */
export const SIGN_IN_MS = 10 * 60_000;
export const CALLBACK_PATH = '/oauth/callback';
/** The user outside the app's availability (the exchange's refusal). */
const OUTSIDE = 20010;

export type Begun = { kind: 'link'; url: string; expiresAt: number } | { kind: 'device'; nonce: string; userCode: string; url: string; expiresAt: number; intervalMs: number };

export type Failure = 'invalid' | 'expired' | 'used' | 'denied' | 'mismatch' | 'outside' | 'failed';
/** How a sign-in ended: the person and their pending click, or why not (with the click when it is known). */
export type Finished = { ok: true; openId: string; name: string; pending: unknown } | { ok: false; reason: Failure; openId?: string; pending?: unknown };

interface Kept {
  openId: string;
  pending: unknown;
  device?: { code: string; intervalMs: number; expiresAt: number };
}

export interface SignInDeps {
  client: lark.Client;
  /** The SDK's HTTP client (for the device flow's two requests). */
  http: lark.HttpInstance;
  appId: string;
  appSecret: string;
  /** The accounts host (feishu.oauth_url). */
  oauthUrl: string;
  /** The bot's address as browsers reach it; empty: the device flow. */
  publicUrl: () => string;
  tokenKey: string;
  records: Records;
  sealer: Sealer;
  tokens: UserTokens;
  clock: Clock;
  log: Logger;
}

export class SignIn {
  private readonly stateKey: Buffer;

  constructor(private readonly deps: SignInDeps) {
    this.stateKey = deriveKey(deps.tokenKey, 'sign-in-state/v1');
  }

  get how(): 'link' | 'device' {
    return this.deps.publicUrl() ? 'link' : 'device';
  }

  redirectUri(): string {
    return this.deps.publicUrl() + CALLBACK_PATH;
  }

  /** Starts a sign-in for the clicker, keeping their click to hand back once they are signed in. */
  async begin(openId: string, pending: unknown): Promise<Begun> {
    const nonce = randomBytes(12).toString('base64url');
    const now = this.deps.clock();
    if (this.how === 'link') {
      const expiresAt = now + SIGN_IN_MS;
      await this.keep(nonce, { openId, pending }, SIGN_IN_MS);
      const query = new URLSearchParams({ client_id: this.deps.appId, redirect_uri: this.redirectUri(), scope: USER_SCOPES.join(' '), state: this.mintState(openId, nonce, expiresAt) });
      return { kind: 'link', url: `${this.deps.oauthUrl}/open-apis/authen/v1/authorize?${query}`, expiresAt };
    }
    const started = (await this.deps.http.request({
      method: 'post',
      url: `${this.deps.oauthUrl}/oauth/v1/device_authorization`,
      headers: { Authorization: `Basic ${Buffer.from(`${this.deps.appId}:${this.deps.appSecret}`).toString('base64')}` },
      data: new URLSearchParams({ client_id: this.deps.appId, scope: USER_SCOPES.join(' ') }),
    })) as { device_code?: string; user_code?: string; verification_uri?: string; verification_uri_complete?: string; expires_in?: number; interval?: number };
    if (!started?.device_code || !started.user_code) throw new Error('the device authorization answered without a code');
    const lifeMs = Math.min((started.expires_in ?? 240) * 1000, SIGN_IN_MS);
    const intervalMs = Math.max(started.interval ?? 5, 1) * 1000;
    await this.keep(nonce, { openId, pending, device: { code: started.device_code, intervalMs, expiresAt: now + lifeMs } }, lifeMs);
    return { kind: 'device', nonce, userCode: started.user_code, url: started.verification_uri_complete ?? started.verification_uri ?? '', expiresAt: now + lifeMs, intervalMs };
  }

  /** GET /oauth/callback: the state checked and spent, the code exchanged, the token's owner checked. */
  async finish(query: Record<string, unknown>): Promise<Finished> {
    const state = typeof query['state'] === 'string' ? this.readState(query['state']) : undefined;
    if (!state) return { ok: false, reason: 'invalid' };
    if (state.expiresAt <= this.deps.clock()) return { ok: false, reason: 'expired', openId: state.openId };
    const kept = await this.take(state.nonce);
    if (!kept || kept.openId !== state.openId) return { ok: false, reason: 'used', openId: state.openId };
    const failed = (reason: Failure): Finished => ({ ok: false, reason, openId: kept.openId, pending: kept.pending });
    if (typeof query['error'] === 'string') return failed('denied');
    if (typeof query['code'] !== 'string' || query['code'] === '') return failed('invalid');
    let answer: TokenAnswer;
    try {
      answer = await this.deps.client.accessToken.retrieveByAuthorizationCode({ code: query['code'], redirectUri: this.redirectUri() });
    } catch (error) {
      const r = refusal(error);
      this.deps.log.warn('sign_in.exchange_failed', { user: kept.openId, status: r.status ?? null, code: r.code ?? null });
      return failed(r.code === OUTSIDE ? 'outside' : 'failed');
    }
    return this.accept(kept, answer);
  }

  /** One poll of a device sign-in: wait and poll again, or how it ended. */
  async poll(nonce: string): Promise<{ kind: 'wait'; afterMs: number } | ({ kind: 'done' } & Finished)> {
    const [sealed] = await this.deps.records.members(`sign-in:${nonce}`);
    const kept = sealed === undefined ? undefined : this.open(nonce, sealed);
    if (!kept?.device) return { kind: 'done', ok: false, reason: 'expired' };
    const { device } = kept;
    let answer: TokenAnswer;
    try {
      const res = (await this.deps.http.request({
        method: 'post',
        url: `${this.deps.oauthUrl}/oauth/v3/token`,
        data: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: device.code, client_id: this.deps.appId, client_secret: this.deps.appSecret }),
      })) as { access_token?: string; expires_in?: number; refresh_token?: string; refresh_token_expires_in?: number; scope?: string };
      if (!res?.access_token) throw new Error('no access_token');
      answer = { accessToken: res.access_token, ...optional(res) };
    } catch (error) {
      const why = (error as { response?: { data?: { error?: unknown } } })?.response?.data?.error;
      const ended = async (reason: Failure) => ({ kind: 'done' as const, ok: false as const, reason, openId: kept.openId, pending: (await this.take(nonce))?.pending ?? kept.pending });
      if (why === 'authorization_pending' || why === 'slow_down') {
        if (this.deps.clock() >= device.expiresAt) return ended('expired');
        return { kind: 'wait', afterMs: device.intervalMs + (why === 'slow_down' ? 5000 : 0) };
      }
      if (why === 'access_denied') return ended('denied');
      if (why === 'expired_token' || why === 'invalid_grant') return ended('expired');
      // No answer, or one we do not know: poll again while the code lives.
      if (this.deps.clock() < device.expiresAt) return { kind: 'wait', afterMs: device.intervalMs };
      return ended('failed');
    }
    // Whoever gets here first owns the sign-in; a second poll finds nothing to take.
    const owned = await this.take(nonce);
    if (!owned) return { kind: 'done', ok: false, reason: 'used', openId: kept.openId };
    return { kind: 'done', ...(await this.accept(owned, answer)) };
  }

  /** The token is kept only if it is the clicker's own (user_info), never anyone else's. */
  private async accept(kept: Kept, answer: TokenAnswer): Promise<Finished> {
    let info: { open_id?: string; name?: string } | undefined;
    try {
      info = (await this.deps.client.authen.v1.userInfo.get({}, sdk.withUserAccessToken(answer.accessToken))).data;
    } catch {
      info = undefined;
    }
    if (!info?.open_id) return { ok: false, reason: 'failed', openId: kept.openId, pending: kept.pending };
    if (info.open_id !== kept.openId) {
      this.deps.log.warn('sign_in.mismatch', { user: kept.openId, signed_in_as: info.open_id });
      return { ok: false, reason: 'mismatch', openId: kept.openId, pending: kept.pending };
    }
    const name = info.name ?? '';
    await this.deps.tokens.save(kept.openId, answer, name);
    this.deps.log.info('sign_in.done', { user: kept.openId, offline: answer.refreshToken !== undefined });
    return { ok: true, openId: kept.openId, name, pending: kept.pending };
  }

  // The pending click is one sealed member of a set of its own: taking it is atomic (Redis: one
  // script), so of two callbacks with the same state exactly one gets it.
  private async keep(nonce: string, kept: Kept, ttlMs: number): Promise<void> {
    await this.deps.records.add(`sign-in:${nonce}`, [this.deps.sealer.seal(JSON.stringify(kept), `sign-in:${nonce}`)], ttlMs);
  }

  private async take(nonce: string): Promise<Kept | undefined> {
    const [sealed] = await this.deps.records.take(`sign-in:${nonce}`);
    return sealed === undefined ? undefined : this.open(nonce, sealed);
  }

  private open(nonce: string, sealed: string): Kept | undefined {
    const plain = this.deps.sealer.open(sealed, `sign-in:${nonce}`);
    return plain === undefined ? undefined : (JSON.parse(plain) as Kept);
  }

  /** A finished sign-in's click, for the job that runs it: sealed, bound to its id. */
  sealPending(id: string, pending: unknown): string {
    return this.deps.sealer.seal(JSON.stringify(pending), `sign-in-done:${id}`);
  }

  /** The click sealed by sealPending for this id; undefined if it was not. */
  openPending(id: string, sealed: unknown): unknown {
    const plain = typeof sealed === 'string' ? this.deps.sealer.open(sealed, `sign-in-done:${id}`) : undefined;
    return plain === undefined ? undefined : (JSON.parse(plain) as unknown);
  }

  /** base64url of {o, n, e}, a dot, and its HMAC. */
  private mintState(openId: string, nonce: string, expiresAt: number): string {
    const body = Buffer.from(JSON.stringify({ o: openId, n: nonce, e: expiresAt })).toString('base64url');
    return `${body}.${this.sign(body)}`;
  }

  private readState(state: string): { openId: string; nonce: string; expiresAt: number } | undefined {
    const [body, mac, ...rest] = state.split('.');
    if (!body || !mac || rest.length > 0) return undefined;
    // Compared as bytes: a mac of the right length in characters but not in bytes (non-ASCII) is
    // simply wrong, never a throw.
    const given = Buffer.from(mac);
    const wanted = Buffer.from(this.sign(body));
    if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return undefined;
    try {
      const v = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as { o?: unknown; n?: unknown; e?: unknown };
      if (typeof v.o !== 'string' || typeof v.n !== 'string' || typeof v.e !== 'number') return undefined;
      return { openId: v.o, nonce: v.n, expiresAt: v.e };
    } catch {
      return undefined;
    }
  }

  private sign(body: string): string {
    return createHmac('sha256', this.stateKey).update(body).digest('base64url');
  }
}

const optional = (res: { expires_in?: number; refresh_token?: string; refresh_token_expires_in?: number; scope?: string }): Omit<TokenAnswer, 'accessToken'> => ({
  ...(res.expires_in ? { expiresIn: res.expires_in } : {}),
  ...(res.refresh_token ? { refreshToken: res.refresh_token } : {}),
  ...(res.refresh_token_expires_in ? { refreshTokenExpiresIn: res.refresh_token_expires_in } : {}),
  ...(res.scope ? { scope: res.scope } : {}),
});
