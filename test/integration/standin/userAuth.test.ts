// The stand-in's sign-in, through the real SDK where it has the call (the token exchange and
// refresh, user_info) and as a browser would otherwise: the authorization page and its answer,
// codes that work once for 5 minutes, single-use rotating refresh tokens with real expiry, a
// revoked grant, the device flow, and the user token the user-only APIs check.
import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StandIn } from '@helpdesk-bot/feishu-standin';
import { CREDS, freshCache, httpFailure, silentLogger, startStandIn } from '../../support/standin.js';

const CHEN = { id: 'ou_chen', name: '陈静' };
const WANG = { id: 'ou_wang', name: '王磊' };
const REDIRECT = 'http://127.0.0.1:1/oauth/callback';

let standIn: StandIn;
let clock: number;
beforeEach(async () => {
  clock = Date.now();
  standIn = await startStandIn({ people: [CHEN, WANG], now: () => clock });
  standIn.userAuth.registerRedirectUri(REDIRECT);
  standIn.userAuth.setBrowserUser(CHEN.id);
});
afterEach(() => standIn.close());

const client = () =>
  new lark.Client({
    appId: CREDS.appId,
    appSecret: CREDS.appSecret,
    domain: standIn.url,
    oauthBaseUrl: standIn.url,
    cache: freshCache(),
    logger: silentLogger,
  });

/** Opens the authorization page and answers it as a browser would; resolves with where it sends the browser back. */
async function consent(options: { scope?: string; as?: string; decision?: 'allow' | 'deny'; state?: string } = {}): Promise<URL> {
  const query = new URLSearchParams({ client_id: CREDS.appId, redirect_uri: REDIRECT, scope: options.scope ?? 'helpdesk:all offline_access', state: options.state ?? 's1' });
  const page = await fetch(`${standIn.url}/open-apis/authen/v1/authorize?${query}`);
  expect(page.status).toBe(200);
  const text = await page.text();
  // The person at the browser is preselected: one click consents.
  expect(text).toContain(`<option value="${CHEN.id}" selected>陈静</option>`);
  const form = new URLSearchParams({ client_id: CREDS.appId, redirect_uri: REDIRECT, scope: query.get('scope')!, state: query.get('state')!, open_id: options.as ?? CHEN.id, decision: options.decision ?? 'allow' });
  const answer = await fetch(`${standIn.url}/open-apis/authen/v1/authorize`, { method: 'POST', body: form, redirect: 'manual' });
  expect(answer.status).toBe(302);
  return new URL(answer.headers.get('location')!);
}

const exchange = (code: string) => client().accessToken.retrieveByAuthorizationCode({ code, redirectUri: REDIRECT });
const refused = (call: Promise<unknown>) =>
  call.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: { code?: number; statusCode?: number }) => ({ code: error.code, status: error.statusCode }),
  );

describe('the authorization code flow', () => {
  it('sends the browser back with a code and the state; the SDK exchanges it once, for a 2-hour token and a 7-day refresh token', async () => {
    const back = await consent();
    expect(`${back.origin}${back.pathname}`).toBe(REDIRECT);
    expect(back.searchParams.get('state')).toBe('s1');
    const code = back.searchParams.get('code')!;
    const token = await exchange(code);
    expect(token).toMatchObject({ accessToken: expect.stringMatching(/^u-/), refreshToken: expect.stringMatching(/^ur-/), expiresIn: 7200, refreshTokenExpiresIn: 604800 });
    const body = standIn.callsTo('oauth_token')[0]!.body as Record<string, string>;
    expect(body).toMatchObject({ grant_type: 'authorization_code', client_id: CREDS.appId, client_secret: CREDS.appSecret, code, redirect_uri: REDIRECT });
    // A code works once.
    expect(await refused(exchange(code))).toEqual({ code: 20003, status: 400 });
  });

  it('refuses a code after its 5 minutes, and gives no refresh token without offline_access', async () => {
    const late = (await consent()).searchParams.get('code')!;
    clock += 5 * 60_000 + 1;
    expect(await refused(exchange(late))).toEqual({ code: 20004, status: 400 });
    const online = await exchange((await consent({ scope: 'helpdesk:all' })).searchParams.get('code')!);
    expect(online.refreshToken).toBeUndefined();
  });

  it('says access_denied when the person cancels, and refuses an unregistered redirect URL or another app', async () => {
    const back = await consent({ decision: 'deny' });
    expect(back.searchParams.get('error')).toBe('access_denied');
    expect(back.searchParams.get('code')).toBeNull();
    const other = await fetch(`${standIn.url}/open-apis/authen/v1/authorize?${new URLSearchParams({ client_id: CREDS.appId, redirect_uri: 'https://evil.example/cb', scope: 'helpdesk:all', state: 'x' })}`);
    expect(other.status).toBe(400);
    expect(await other.text()).toContain('is not one of the app&#39;s redirect URLs');
    const app = await fetch(`${standIn.url}/open-apis/authen/v1/authorize?${new URLSearchParams({ client_id: 'cli_0000000000000000', redirect_uri: REDIRECT, scope: 'helpdesk:all' })}`);
    expect(app.status).toBe(400);
  });

  it('tells who the token is (user_info), through the SDK', async () => {
    const token = await exchange((await consent({ as: WANG.id })).searchParams.get('code')!);
    const info = await client().authen.v1.userInfo.get({}, lark.withUserAccessToken(token.accessToken));
    expect(info.data).toMatchObject({ open_id: WANG.id, name: '王磊', tenant_key: expect.stringMatching(/^[0-9a-f]{16}$/) });
    expect((await httpFailure(client().authen.v1.userInfo.get({}, lark.withUserAccessToken('u-forged')))).data.code).toBe(99991668);
  });
});

describe('refresh tokens', () => {
  it('rotate: each works once (20073 after), the new one works, and the access token expires for real (99991677)', async () => {
    const first = await exchange((await consent()).searchParams.get('code')!);
    clock += 7200_000;
    const expired = await httpFailure(client().authen.v1.userInfo.get({}, lark.withUserAccessToken(first.accessToken)));
    expect(expired.data.code).toBe(99991677);
    const second = await client().accessToken.refresh({ refreshToken: first.refreshToken! });
    expect(second.accessToken).not.toBe(first.accessToken);
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(await refused(client().accessToken.refresh({ refreshToken: first.refreshToken! }))).toEqual({ code: 20073, status: 400 });
    const info = await client().authen.v1.userInfo.get({}, lark.withUserAccessToken(second.accessToken));
    expect(info.data?.open_id).toBe(CHEN.id);
    await client().accessToken.refresh({ refreshToken: second.refreshToken! });
  });

  it('expire (20037), stop when revoked (20064), and are unknown when forged (20026)', async () => {
    const token = await exchange((await consent()).searchParams.get('code')!);
    const other = await exchange((await consent()).searchParams.get('code')!);
    standIn.userAuth.revoke(CHEN.id);
    expect(await refused(client().accessToken.refresh({ refreshToken: other.refreshToken! }))).toEqual({ code: 20064, status: 400 });
    expect(await refused(client().accessToken.refresh({ refreshToken: 'ur-forged' }))).toEqual({ code: 20026, status: 400 });
    const later = await exchange((await consent()).searchParams.get('code')!);
    clock += 7 * 24 * 3600_000 + 1;
    expect(await refused(client().accessToken.refresh({ refreshToken: later.refreshToken! }))).toEqual({ code: 20037, status: 400 });
    expect(token.accessToken).toBeTruthy();
  });

  it('are refused to a client with the wrong secret', async () => {
    const token = await exchange((await consent()).searchParams.get('code')!);
    const wrong = new lark.Client({ appId: CREDS.appId, appSecret: 'wrong', domain: standIn.url, oauthBaseUrl: standIn.url, logger: silentLogger });
    expect(await refused(wrong.accessToken.refresh({ refreshToken: token.refreshToken! }))).toEqual({ code: 20002, status: 400 });
  });
});

describe('the device flow', () => {
  const basic = `Basic ${Buffer.from(`${CREDS.appId}:${CREDS.appSecret}`).toString('base64')}`;
  const poll = (deviceCode: string) =>
    fetch(`${standIn.url}/oauth/v3/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: deviceCode, client_id: CREDS.appId, client_secret: CREDS.appSecret }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as Record<string, unknown> }));

  it('gives a code to show, answers pending (and slow_down) until the person authorizes, then tokens once', async () => {
    const started = await fetch(`${standIn.url}/oauth/v1/device_authorization`, {
      method: 'POST',
      headers: { authorization: basic },
      body: new URLSearchParams({ client_id: CREDS.appId, scope: 'helpdesk:all offline_access' }),
    });
    const device = (await started.json()) as { device_code: string; user_code: string; verification_uri_complete: string; expires_in: number; interval: number };
    expect(device).toMatchObject({ user_code: expect.stringMatching(/^[A-Z]{4}-[A-Z]{4}$/), expires_in: 240, interval: 5 });
    expect((await poll(device.device_code)).body.error).toBe('authorization_pending');
    expect((await poll(device.device_code)).body.error).toBe('slow_down');
    const page = await fetch(device.verification_uri_complete);
    expect(await page.text()).toContain(`value="${device.user_code}"`);
    const answer = await fetch(`${standIn.url}/oauth/v1/device/verify`, { method: 'POST', body: new URLSearchParams({ user_code: device.user_code, open_id: CHEN.id, decision: 'allow' }) });
    expect(answer.status).toBe(200);
    clock += 5000;
    const done = await poll(device.device_code);
    expect(done).toMatchObject({ status: 200, body: { access_token: expect.stringMatching(/^u-/), refresh_token: expect.stringMatching(/^ur-/) } });
    expect((await poll(device.device_code)).body.error).toBe('invalid_grant');
  });

  it('needs the app id and secret as HTTP Basic, and says access_denied or expired_token', async () => {
    const bad = await fetch(`${standIn.url}/oauth/v1/device_authorization`, { method: 'POST', body: new URLSearchParams({ client_id: CREDS.appId, scope: 'helpdesk:all' }) });
    expect(bad.status).toBe(400);
    const start = async () =>
      (await (
        await fetch(`${standIn.url}/oauth/v1/device_authorization`, { method: 'POST', headers: { authorization: basic }, body: new URLSearchParams({ client_id: CREDS.appId, scope: 'helpdesk:all' }) })
      ).json()) as {
        device_code: string;
        user_code: string;
      };
    const denied = await start();
    await fetch(`${standIn.url}/oauth/v1/device/verify`, { method: 'POST', body: new URLSearchParams({ user_code: denied.user_code, open_id: CHEN.id, decision: 'deny' }) });
    expect((await poll(denied.device_code)).body.error).toBe('access_denied');
    const lapsed = await start();
    clock += 241_000;
    expect((await poll(lapsed.device_code)).body.error).toBe('expired_token');
  });
});
