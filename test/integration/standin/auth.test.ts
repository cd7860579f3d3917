// The stand-in's credentials as the platform checks them: tenant access tokens (issue, expiry,
// refusal), bot info, calls outside the known API, oversized bodies.
import { afterEach, describe, expect, it } from 'vitest';
import type { StandIn } from '@helpdesk-bot/feishu-standin';
import { CREDS, httpFailure, sdkClient, startStandIn } from '../../support/standin.js';

let standIn: StandIn;
afterEach(() => standIn.close());

const tokenPath = '/open-apis/auth/v3/tenant_access_token/internal';

async function exchange(body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(standIn.url + tokenPath, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(standIn.url + path, { headers });
  return { status: res.status, headers: res.headers, json: (await res.json()) as Record<string, unknown> };
}

describe('tenant access token', () => {
  it('is fetched by the SDK once and sent as a Bearer token on later calls', async () => {
    standIn = await startStandIn();
    const client = sdkClient(standIn);
    await client.request({ method: 'GET', url: '/open-apis/bot/v3/info' });
    await client.request({ method: 'GET', url: '/open-apis/bot/v3/info' });

    const [exchangeCall, ...rest] = standIn.calls;
    expect(exchangeCall).toMatchObject({
      route: 'tenant_token',
      method: 'POST',
      body: { app_id: CREDS.appId, app_secret: CREDS.appSecret },
      status: 200,
      responseCode: 0,
    });
    expect(rest.map((call) => call.route)).toEqual(['bot_info', 'bot_info']);
    for (const call of rest) expect(call.headers['authorization']).toMatch(/^Bearer t-g104[0-9A-Z]{34}$/);
  });

  it('answers with the token and its lifetime in seconds, reusing it until 30 minutes remain', async () => {
    let now = 1_700_000_000_000;
    standIn = await startStandIn({ now: () => now });
    const good = { app_id: CREDS.appId, app_secret: CREDS.appSecret };

    const first = await exchange(good);
    expect(first).toEqual({
      status: 200,
      json: { code: 0, msg: 'ok', expire: 7200, tenant_access_token: expect.stringMatching(/^t-/) },
    });

    now += 3600_000;
    const second = await exchange(good);
    expect(second.json).toMatchObject({ tenant_access_token: first.json['tenant_access_token'], expire: 3600 });

    now += 1900_000; // 1700 s left: a new token, while the old one stays valid until it expires
    const third = await exchange(good);
    expect(third.json['tenant_access_token']).not.toBe(first.json['tenant_access_token']);
    expect(third.json['expire']).toBe(7200);
    const bearer = (token: unknown) => ({ authorization: `Bearer ${String(token)}` });
    expect((await get('/open-apis/bot/v3/info', bearer(first.json['tenant_access_token']))).status).toBe(200);

    now += 1800_000; // the first token has expired
    const expired = await get('/open-apis/bot/v3/info', bearer(first.json['tenant_access_token']));
    expect(expired.json['code']).toBe(99991663);
    expect((await get('/open-apis/bot/v3/info', bearer(third.json['tenant_access_token']))).status).toBe(200);
  });

  it('refuses a wrong secret (10014) and an unknown app id (10003) with HTTP 200, as the platform does', async () => {
    standIn = await startStandIn();
    expect(await exchange({ app_id: CREDS.appId, app_secret: 'nope' })).toEqual({
      status: 200,
      json: { code: 10014, msg: 'app secret invalid', data: {} },
    });
    expect(await exchange({ app_id: 'cli_0000000000000000', app_secret: CREDS.appSecret })).toEqual({
      status: 200,
      json: { code: 10003, msg: 'invalid param', data: {} },
    });

    const client = sdkClient(standIn, { appSecret: 'nope' });
    await expect(client.request({ method: 'GET', url: '/open-apis/bot/v3/info' })).rejects.toThrow();
    expect(standIn.callsTo('tenant_token').at(-1)).toMatchObject({ status: 200, responseCode: 10014 });
    expect(standIn.callsTo('bot_info')).toEqual([]);
  });

  it('answers a missing token with 99991661 and an unknown one with 99991663, both HTTP 400', async () => {
    standIn = await startStandIn();
    const missing = await get('/open-apis/bot/v3/info');
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({
      code: 99991661,
      msg: 'Missing access token for authorization. Please make a request with token attached.',
    });
    // Without the Bearer prefix the platform sees no token at all.
    expect((await get('/open-apis/bot/v3/info', { authorization: 't-abc' })).json['code']).toBe(99991661);

    const unknown = await get('/open-apis/bot/v3/info', { authorization: 'Bearer t-abc' });
    expect(unknown.status).toBe(400);
    expect(unknown.json).toMatchObject({
      code: 99991663,
      msg: 'Invalid access token for authorization. Please make a request with token attached.',
      error: { log_id: unknown.headers.get('x-tt-logid') },
    });
    expect(unknown.headers.get('x-tt-logid')).toMatch(/^\d{14}[0-9A-F]{20}$/);
  });

  it('can refuse every token issued so far while the token endpoint goes on working', async () => {
    standIn = await startStandIn();
    const good = { app_id: CREDS.appId, app_secret: CREDS.appSecret };
    const bearer = (token: unknown) => ({ authorization: `Bearer ${String(token)}` });
    const before = (await exchange(good)).json['tenant_access_token'];
    expect((await get('/open-apis/bot/v3/info', bearer(before))).status).toBe(200);

    standIn.revokeTenantTokens();
    const refused = await get('/open-apis/bot/v3/info', bearer(before));
    expect(refused).toMatchObject({ status: 400, json: { code: 99991663 } });
    const after = (await exchange(good)).json['tenant_access_token'];
    expect(after).not.toBe(before);
    expect((await get('/open-apis/bot/v3/info', bearer(after))).status).toBe(200);
  });
});

describe('bot info', () => {
  it('describes the bot with its open_id', async () => {
    standIn = await startStandIn({ botName: 'Ticket Desk' });
    const info = await sdkClient(standIn).request({ method: 'GET', url: '/open-apis/bot/v3/info' });
    expect(info).toEqual({
      code: 0,
      msg: 'ok',
      bot: {
        activate_status: 2,
        app_name: 'Ticket Desk',
        avatar_url: expect.stringMatching(/^https:\/\//),
        ip_white_list: [],
        open_id: CREDS.botOpenId,
      },
    });
  });
});

describe('requests outside the known API', () => {
  it('answers unknown routes with 404 and records them', async () => {
    standIn = await startStandIn();
    const failure = await httpFailure(sdkClient(standIn).request({ method: 'GET', url: '/open-apis/im/v1/chats' }));
    expect(failure).toMatchObject({ status: 404, data: { code: 404, msg: 'not found' } });
    expect(standIn.calls.at(-1)).toMatchObject({ route: 'unknown', path: '/open-apis/im/v1/chats', status: 404 });
  });

  it('answers a body that is not JSON with 400 Bad Request', async () => {
    standIn = await startStandIn();
    const res = await fetch(standIn.url + tokenPath, { method: 'POST', body: '{"app_id":', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 9499 });
    expect(standIn.calls.at(-1)).toMatchObject({ route: 'tenant_token', body: '{"app_id":', responseCode: 9499 });
  });
});

describe('oversized bodies', () => {
  it('answers a body over the 1 MiB reading limit with 413, still recording the call', async () => {
    standIn = await startStandIn();
    const res = await fetch(standIn.url + tokenPath, { method: 'POST', body: 'x'.repeat(1024 * 1024 + 1) });
    expect(res.status).toBe(413);
    expect(standIn.calls.at(-1)).toMatchObject({ route: 'tenant_token', body: undefined, status: 413, responseCode: 413 });
  });
});
