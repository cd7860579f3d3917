// People signing in to the app as themselves, as the platform's accounts host serves it: the
// authorization page (authorization code flow), the device flow (a code typed or confirmed on a
// page while the app polls), the v3 token endpoint with real expiry and single-use, rotating
// refresh tokens, user_info, and the user tokens the user-only APIs check.
//
// Who is at the browser: the platform knows from its session; the stand-in is told
// (`setBrowserUser`), and its pages let the person pick another account of the directory, so a
// test or a sandbox user can sign in as someone else on purpose.
import { randomBytes } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { bodyOf } from './body.js';
import { E } from './codes.js';
import { idsForOpenId, randomHex } from './ids.js';
import { isObject, tryParse } from './json.js';
import { dropWhile } from './retention.js';
import { sendError, sendJson } from './respond.js';
import type { RawTicketUser } from './types.js';

export interface UserTokenLifetimes {
  /** The access token's life: 2 hours on the platform. */
  accessSeconds: number;
  /** The refresh token's life (it is answered as refresh_token_expires_in). */
  refreshSeconds: number;
}

export const PLATFORM_LIFETIMES: UserTokenLifetimes = { accessSeconds: 7200, refreshSeconds: 7 * 24 * 3600 };
/** An authorization code lives 5 minutes and works once. */
const CODE_MS = 5 * 60_000;
/** The device flow: the code shown lives 240 s; the app polls every 5 s at most. */
const DEVICE_SECONDS = 240;
const DEVICE_INTERVAL_SECONDS = 5;

interface Grant {
  openId: string;
  scope: string;
}
interface AccessToken extends Grant {
  expiresAt: number;
}
interface RefreshToken extends Grant {
  expiresAt: number;
  used: boolean;
}
interface Code extends Grant {
  redirectUri: string;
  expiresAt: number;
}
interface DeviceFlow {
  deviceCode: string;
  userCode: string;
  scope: string;
  expiresAt: number;
  lastPoll: number;
  decision?: { allow: true; openId: string } | { allow: false };
  done: boolean;
}

/** The token endpoint's refusals, as {code, error, error_description} with HTTP 400. */
const REFUSED = {
  // guess: the codes for a bad client and a bad code; the refresh codes are the CLI's (lark_errors.go).
  badClient: { code: 20002, error: 'invalid_client', error_description: 'client_id or client_secret is invalid' },
  badCode: { code: 20003, error: 'invalid_grant', error_description: 'the authorization code is invalid or has been used' },
  codeExpired: { code: 20004, error: 'invalid_grant', error_description: 'the authorization code has expired' },
  badRedirect: { code: 20003, error: 'invalid_grant', error_description: 'redirect_uri does not match the one the code was issued for' },
  refreshInvalid: { code: 20026, error: 'invalid_grant', error_description: 'the refresh token is invalid' },
  refreshExpired: { code: 20037, error: 'invalid_grant', error_description: 'the refresh token has expired' },
  refreshRevoked: { code: 20064, error: 'invalid_grant', error_description: 'the refresh token has been revoked' },
  refreshUsed: { code: 20073, error: 'invalid_grant', error_description: 'the refresh token has already been used' },
  badGrantType: { code: 20001, error: 'unsupported_grant_type', error_description: 'grant_type is not supported' },
  // The device flow's answers are RFC 8628's, named by `error` (the vendor CLI reads nothing else).
  pending: { error: 'authorization_pending', error_description: 'the user has not answered yet' },
  slowDown: { error: 'slow_down', error_description: 'polling too often' },
  denied: { error: 'access_denied', error_description: 'the user refused' },
  deviceExpired: { error: 'expired_token', error_description: 'the device code has expired' },
  badDevice: { error: 'invalid_grant', error_description: 'the device code is invalid or has been used' },
} as const;

export interface UserAuthOptions {
  appId: string;
  appSecret: string;
  appName: string;
  tenantKey: string;
  now: () => number;
  /** The stand-in's own address (verification URLs), once it listens. */
  baseUrl: () => string;
  lifetimes?: Partial<UserTokenLifetimes>;
}

export class UserAuth {
  private readonly people = new Map<string, RawTicketUser>();
  private browserUser: string | undefined;
  private readonly redirectUris = new Set<string>();
  private readonly codes = new Map<string, Code>();
  private readonly access = new Map<string, AccessToken>();
  private readonly refresh = new Map<string, RefreshToken>();
  private readonly devices = new Map<string, DeviceFlow>();
  private readonly revoked = new Set<string>();
  /** Every code and token handed out, so a test can look for them where they must never be. */
  readonly issued: string[] = [];
  private readonly lifetimes: UserTokenLifetimes;

  constructor(private readonly opts: UserAuthOptions) {
    this.lifetimes = { ...PLATFORM_LIFETIMES, ...opts.lifetimes };
  }

  /** People of the tenant: who can sign in, and what user_info says of them. */
  addPeople(people: readonly RawTicketUser[]): void {
    for (const p of people) if (p.id) this.people.set(p.id, p);
  }

  /** The person signed in to Feishu in the browser: the pages act as them unless told otherwise. */
  setBrowserUser(openId: string): void {
    this.browserUser = openId;
  }

  /** A redirect URL added under Security settings in the developer console; no other is taken. */
  registerRedirectUri(uri: string): void {
    this.redirectUris.add(uri);
  }

  /** The person removes the app's access: their refresh tokens stop working (20064), their access tokens too. */
  revoke(openId: string): void {
    this.revoked.add(openId);
    for (const [token, t] of this.access) if (t.openId === openId) this.access.delete(token);
  }

  /** Every access token handed out so far (to this person) ends now, as if their two hours were over. */
  expireAccessTokens(openId?: string): void {
    const now = this.opts.now();
    for (const t of this.access.values()) if (openId === undefined || t.openId === openId) t.expiresAt = Math.min(t.expiresAt, now);
  }

  /** The open_id a user access token belongs to, or why the gateway refuses it. */
  check(token: string): { ok: true; openId: string } | { ok: false; error: typeof E.userTokenInvalid | typeof E.userTokenExpired } {
    const found = this.access.get(token);
    if (!found) return { ok: false, error: E.userTokenInvalid };
    if (found.expiresAt <= this.opts.now()) return { ok: false, error: E.userTokenExpired };
    return { ok: true, openId: found.openId };
  }

  person(openId: string): RawTicketUser | undefined {
    return this.people.get(openId);
  }

  // ---- the authorization code flow ----

  /** GET /open-apis/authen/v1/authorize: the consent page. */
  authorizePage(): RequestHandler {
    return (req, res) => {
      const q = stringsOf(req.query);
      const problem = this.authorizeProblem(q);
      if (problem) return void page(res, 400, 'Cannot sign in', `<p class="error">${html(problem)}</p>`);
      const scopes = (q['scope'] ?? '').split(' ').filter(Boolean);
      const hidden = ['client_id', 'redirect_uri', 'scope', 'state'].map((k) => `<input type="hidden" name="${k}" value="${html(q[k] ?? '')}">`).join('');
      page(
        res,
        200,
        `Sign in to ${this.opts.appName}`,
        `<form method="post" action="/open-apis/authen/v1/authorize">${hidden}
        <h1>${html(this.opts.appName)} 请求使用你的身份 · wants to act as you</h1>
        ${this.accountPicker()}
        <p>它将可以 · It will be able to:</p><ul>${scopes.map((s) => `<li>${html(SCOPE_WORDS[s] ?? s)} <code>${html(s)}</code></li>`).join('')}</ul>
        <p><button type="submit" name="decision" value="allow" class="primary">授权 · Authorize</button>
        <button type="submit" name="decision" value="deny">拒绝 · Cancel</button></p></form>`,
      );
    };
  }

  /** POST /open-apis/authen/v1/authorize: the person's answer; back to redirect_uri with a code (or an error). */
  consent(): RequestHandler {
    return (req, res) => {
      const form = formOf(req);
      const problem = this.authorizeProblem(form);
      if (problem) return void page(res, 400, 'Cannot sign in', `<p class="error">${html(problem)}</p>`);
      const back = new URL(form['redirect_uri']!);
      if (form['state'] !== undefined) back.searchParams.set('state', form['state']);
      const openId = form['open_id'];
      if (form['decision'] !== 'allow' || !openId || !this.people.has(openId)) {
        back.searchParams.set('error', 'access_denied');
        return void res.redirect(302, back.toString());
      }
      const code = randomHex(32);
      this.issued.push(code);
      dropWhile(this.codes, (c) => c.expiresAt <= this.opts.now());
      this.codes.set(code, { openId, scope: form['scope'] ?? '', redirectUri: form['redirect_uri']!, expiresAt: this.opts.now() + CODE_MS });
      back.searchParams.set('code', code);
      res.redirect(302, back.toString());
    };
  }

  private authorizeProblem(q: Record<string, string>): string | undefined {
    if (q['client_id'] !== this.opts.appId) return `client_id "${q['client_id'] ?? ''}" is not an app of this tenant (20002)`;
    const uri = q['redirect_uri'];
    if (!uri || !this.redirectUris.has(uri)) return `redirect_uri "${uri ?? ''}" is not one of the app's redirect URLs (Security settings in the developer console)`;
    if (!q['scope']) return 'scope is required';
    return undefined;
  }

  private accountPicker(): string {
    const people = [...this.people.values()];
    const chosen = this.browserUser ?? people[0]?.id;
    const options = people.map((p) => `<option value="${html(p.id!)}"${p.id === chosen ? ' selected' : ''}>${html(p.name ?? p.id!)}</option>`).join('');
    return `<p><label>飞书账号 · Signed in to Feishu as <select name="open_id">${options}</select></label></p>`;
  }

  // ---- the device flow ----

  /** POST /oauth/v1/device_authorization: HTTP Basic app_id:app_secret, form client_id and scope. */
  deviceAuthorization(): RequestHandler {
    return (req, res) => {
      const form = formOf(req);
      if (!this.basicAuthOk(req) || form['client_id'] !== this.opts.appId) return void sendJson(res, 400, REFUSED.badClient);
      const now = this.opts.now();
      dropWhile(this.devices, (d) => d.expiresAt <= now);
      const deviceCode = randomBytes(24).toString('base64url');
      const userCode = `${randomLetters(4)}-${randomLetters(4)}`;
      this.issued.push(deviceCode);
      this.devices.set(deviceCode, { deviceCode, userCode, scope: form['scope'] ?? '', expiresAt: now + DEVICE_SECONDS * 1000, lastPoll: 0, done: false });
      const verify = `${this.opts.baseUrl()}/oauth/v1/device/verify`;
      sendJson(res, 200, {
        code: 0,
        device_code: deviceCode,
        user_code: userCode,
        verification_uri: verify,
        verification_uri_complete: `${verify}?user_code=${encodeURIComponent(userCode)}`,
        expires_in: DEVICE_SECONDS,
        interval: DEVICE_INTERVAL_SECONDS,
      });
    };
  }

  /** GET /oauth/v1/device/verify: the page where the person confirms the code shown in the chat. */
  devicePage(): RequestHandler {
    return (req, res) => {
      const userCode = stringsOf(req.query)['user_code'] ?? '';
      const flow = this.flowOf(userCode);
      page(
        res,
        200,
        `Sign in to ${this.opts.appName}`,
        `<form method="post" action="/oauth/v1/device/verify">
        <h1>${html(this.opts.appName)} 请求使用你的身份 · wants to act as you</h1>
        <p><label>聊天中显示的代码 · The code shown in the chat <input name="user_code" value="${html(userCode)}" autocomplete="off"></label></p>
        ${flow ? '' : userCode ? '<p class="error">这个代码无效或已过期 · This code is not valid or has expired.</p>' : ''}
        ${this.accountPicker()}
        <p><button type="submit" name="decision" value="allow" class="primary">授权 · Authorize</button>
        <button type="submit" name="decision" value="deny">拒绝 · Cancel</button></p></form>`,
      );
    };
  }

  /** POST /oauth/v1/device/verify: the person's answer, for the app's next poll. */
  deviceConsent(): RequestHandler {
    return (req, res) => {
      const form = formOf(req);
      const flow = this.flowOf(form['user_code'] ?? '');
      if (!flow || flow.decision) return void page(res, 400, 'Cannot sign in', '<p class="error">这个代码无效或已过期 · This code is not valid or has expired.</p>');
      const openId = form['open_id'];
      flow.decision = form['decision'] === 'allow' && openId && this.people.has(openId) ? { allow: true, openId } : { allow: false };
      page(res, 200, 'Done', flow.decision.allow ? '<p>已授权，请回到飞书 · Authorized: go back to Feishu.</p>' : '<p>已拒绝 · You refused.</p>');
    };
  }

  private flowOf(userCode: string): DeviceFlow | undefined {
    const now = this.opts.now();
    return [...this.devices.values()].find((d) => d.userCode === userCode.trim().toUpperCase() && d.expiresAt > now && !d.done);
  }

  private basicAuthOk(req: Request): boolean {
    const match = /^Basic (.+)$/.exec(req.get('authorization') ?? '');
    return match !== null && Buffer.from(match[1]!, 'base64').toString('utf8') === `${this.opts.appId}:${this.opts.appSecret}`;
  }

  // ---- the token endpoint ----

  /** POST /oauth/v3/token: JSON (the SDK's) or a form (the device flow's poll). */
  token(): RequestHandler {
    return (req, res) => {
      const body = bodyOf(req);
      const json = body.json;
      const given = isObject(json) ? stringsOf(json) : formOf(req);
      const refuse = (r: { code?: number; error: string; error_description: string }) => sendJson(res, 400, { code: r.code ?? 20001, ...r });
      if (given['client_id'] !== this.opts.appId || given['client_secret'] !== this.opts.appSecret) return refuse(REFUSED.badClient);
      const now = this.opts.now();
      switch (given['grant_type']) {
        case 'authorization_code': {
          const code = this.codes.get(given['code'] ?? '');
          if (!code) return refuse(REFUSED.badCode);
          this.codes.delete(given['code']!);
          if (code.expiresAt <= now) return refuse(REFUSED.codeExpired);
          if (given['redirect_uri'] !== undefined && given['redirect_uri'] !== code.redirectUri) return refuse(REFUSED.badRedirect);
          return this.answer(res, code);
        }
        case 'refresh_token': {
          const token = given['refresh_token'] ?? '';
          const found = this.refresh.get(token);
          if (!found) return refuse(REFUSED.refreshInvalid);
          if (this.revoked.has(found.openId)) return refuse(REFUSED.refreshRevoked);
          if (found.used) return refuse(REFUSED.refreshUsed);
          if (found.expiresAt <= now) return refuse(REFUSED.refreshExpired);
          // Single use: the old refresh token dies at once, whatever becomes of the answer.
          found.used = true;
          return this.answer(res, found);
        }
        case 'urn:ietf:params:oauth:grant-type:device_code': {
          const flow = this.devices.get(given['device_code'] ?? '');
          if (!flow || flow.done) return refuse(REFUSED.badDevice);
          if (flow.expiresAt <= now) return refuse(REFUSED.deviceExpired);
          const tooSoon = now - flow.lastPoll < DEVICE_INTERVAL_SECONDS * 1000 - 250;
          flow.lastPoll = now;
          if (!flow.decision) return refuse(tooSoon ? REFUSED.slowDown : REFUSED.pending);
          flow.done = true;
          if (!flow.decision.allow) return refuse(REFUSED.denied);
          return this.answer(res, { openId: flow.decision.openId, scope: flow.scope });
        }
        default:
          return refuse(REFUSED.badGrantType);
      }
    };
  }

  private answer(res: Response, grant: Grant): void {
    const now = this.opts.now();
    this.revoked.delete(grant.openId);
    dropWhile(this.access, (t) => t.expiresAt <= now);
    dropWhile(this.refresh, (t) => t.expiresAt <= now);
    const access = `u-${randomBytes(30).toString('base64url')}`;
    this.access.set(access, { ...grant, expiresAt: now + this.lifetimes.accessSeconds * 1000 });
    this.issued.push(access);
    // A refresh token only for an app granted offline_access.
    const offline = grant.scope.split(' ').includes('offline_access');
    const refresh = offline ? `ur-${randomBytes(30).toString('base64url')}` : undefined;
    if (refresh) {
      this.refresh.set(refresh, { ...grant, expiresAt: now + this.lifetimes.refreshSeconds * 1000, used: false });
      this.issued.push(refresh);
    }
    sendJson(res, 200, {
      code: 0,
      access_token: access,
      expires_in: this.lifetimes.accessSeconds,
      ...(refresh ? { refresh_token: refresh, refresh_token_expires_in: this.lifetimes.refreshSeconds } : {}),
      scope: grant.scope,
      token_type: 'Bearer',
    });
  }

  // ---- who the token is ----

  /** GET /open-apis/authen/v1/user_info, with the user's own token. */
  userInfo(): RequestHandler {
    return (req, res) => {
      const checked = this.check(bearer(req));
      if (!checked.ok) return sendError(res, checked.error);
      const p = this.people.get(checked.openId);
      sendJson(res, 200, {
        code: 0,
        msg: 'success',
        data: {
          name: p?.name ?? '',
          en_name: p?.name ?? '',
          avatar_url: p?.avatar_url ?? '',
          ...idsForOpenId(checked.openId),
          tenant_key: this.opts.tenantKey,
          ...(p?.email ? { email: p.email } : {}),
        },
      });
    };
  }

  /** Checks the Authorization of a user-only API: a valid user token (a tenant token is refused with 99991668). */
  requireUserToken(): RequestHandler {
    return (req, res, next) => {
      const token = bearer(req);
      if (!token) return sendError(res, E.missingToken);
      const checked = this.check(token);
      if (!checked.ok) return sendError(res, checked.error);
      res.locals['openId'] = checked.openId;
      next();
    };
  }
}

/** What each scope lets the app do, in the consent page's words. */
const SCOPE_WORDS: Record<string, string> = {
  'helpdesk:all': '以你的身份查看和处理服务台工单 · read and change helpdesk tickets as you',
  offline_access: '保持登录，无需再次授权 · stay signed in without asking again',
};

const bearer = (req: Request): string => /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1]?.trim() ?? '';

const stringsOf = (obj: object): Record<string, string> => Object.fromEntries(Object.entries(obj).filter((e): e is [string, string] => typeof e[1] === 'string'));

/** An application/x-www-form-urlencoded body (a browser's form, the device flow's requests). */
function formOf(req: Request): Record<string, string> {
  const text = bodyOf(req).text;
  if (tryParse(text) !== undefined) return {};
  return Object.fromEntries(new URLSearchParams(text));
}

function randomLetters(n: number): string {
  const alphabet = 'BCDFGHJKLMNPQRSTVWXZ';
  return [...randomBytes(n)].map((b) => alphabet[b % alphabet.length]).join('');
}

export const html = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(res: Response, status: number, title: string, body: string): void {
  res
    .status(status)
    .set({ 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'" })
    .send(
      `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${html(title)}</title>` +
        '<style>body{font:16px system-ui,sans-serif;max-width:34em;margin:2em auto;padding:0 1em;color:#1f2329}button{font:inherit;padding:.5em 1.2em;margin-right:.5em;border-radius:6px;border:1px solid #bbb;background:#fff}.primary{background:#3370ff;border-color:#3370ff;color:#fff}.error{color:#d83931}h1{font-size:1.25em}</style>' +
        `</head><body><p><strong>飞书 · Feishu</strong> (stand-in)</p>${body}</body></html>`,
    );
}
