// Tenant access tokens: issuing them at the token endpoint and checking them on every other call.
import type { RequestHandler } from 'express';
import { bodyOf } from './body.js';
import { E } from './codes.js';
import { newTenantToken } from './ids.js';
import { isObject } from './json.js';
import { dropWhile } from './retention.js';
import { sendJson } from './respond.js';

const LIFETIME_MS = 7200_000;
/** The platform hands out the same token until less than 30 minutes of it remain. */
const REISSUE_BELOW_MS = 1800_000;

export class TenantTokens {
  private readonly expiries = new Map<string, number>();
  private latest: string | undefined;

  constructor(private readonly now: () => number) {}

  /** Returns the token and its remaining life in whole seconds, as the endpoint reports it. */
  issue(): { token: string; expire: number } {
    const now = this.now();
    const latestExpiry = this.latest === undefined ? undefined : this.expiries.get(this.latest);
    if (this.latest !== undefined && latestExpiry !== undefined && latestExpiry - now >= REISSUE_BELOW_MS) {
      return { token: this.latest, expire: Math.floor((latestExpiry - now) / 1000) };
    }
    const token = newTenantToken();
    // Tokens are issued in order of expiry: the expired ones are at the start.
    dropWhile(this.expiries, (expiry) => expiry <= now);
    this.expiries.set(token, now + LIFETIME_MS);
    this.latest = token;
    return { token, expire: LIFETIME_MS / 1000 };
  }

  /**
   * The platform stops taking every token issued so far (a rotated secret, a revoked grant, the
   * platform's own hiccup), while the token endpoint goes on working: the next exchange issues a
   * new token.
   */
  revokeAll(): void {
    this.expiries.clear();
    this.latest = undefined;
  }

  isValid(token: string): boolean {
    const expiry = this.expiries.get(token);
    return expiry !== undefined && expiry > this.now();
  }
}

/** POST /open-apis/auth/v3/tenant_access_token/internal */
export function tokenEndpoint(tokens: TenantTokens, appId: string, appSecret: string): RequestHandler {
  return (req, res) => {
    const body = bodyOf(req).json;
    const given = isObject(body) ? body : {};
    // A failed exchange is HTTP 200 with a non-zero code and an empty data object.
    const fail = (error: { code: number; msg: string }) => sendJson(res, 200, { code: error.code, data: {}, msg: error.msg });
    if (given['app_id'] !== appId) return fail(E.tokenInvalidParam);
    if (given['app_secret'] !== appSecret) return fail(E.tokenBadSecret);
    const { token, expire } = tokens.issue();
    sendJson(res, 200, { code: 0, expire, msg: 'ok', tenant_access_token: token });
  };
}
