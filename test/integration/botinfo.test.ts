// The bot's own open_id, asked of the platform at start-up over real HTTP: retried after a platform
// failure, and a refusal or an unreachable platform named with the setting to check; when it is the
// token endpoint that fails (every call asks it first), the message says so.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fetchBotOpenId } from '../../src/feishu/botInfo.js';
import { createLarkClient } from '../../src/feishu/client.js';
import { memoryLogger } from '../../src/obs/log.js';
import { StandIn } from '@helpdesk-bot/feishu-standin';
import { SECRETS } from '../support/harness.js';

let standin: StandIn;
beforeAll(async () => {
  standin = await StandIn.start(SECRETS);
});
afterAll(() => standin.close());

const client = (appSecret = SECRETS.appSecret) =>
  createLarkClient({ appId: SECRETS.appId, appSecret, domain: standin.url, helpdeskId: SECRETS.helpdeskId, helpdeskToken: SECRETS.helpdeskToken, timeoutMs: 2000 }, memoryLogger());
const noWait = async () => {};

it('learns the bot open_id, trying again after a platform failure', async () => {
  standin.inject('bot_info', { status: 500, code: 155000, times: 2 });
  expect(await fetchBotOpenId(client(), noWait)).toBe(SECRETS.botOpenId);
  expect(standin.callsTo('bot_info').length).toBe(3);
});

it('names the token endpoint and the settings to check when the credentials are refused, without retrying', async () => {
  standin.clearCalls();
  const refused = fetchBotOpenId(client('wrong secret'), noWait);
  await expect(refused).rejects.toThrow(/^could not get a tenant access token from the platform \(POST \/open-apis\/auth\/v3\/tenant_access_token\/internal\): .*code 10014: app secret invalid/);
  await expect(refused).rejects.toThrow(/feishu\.app_secret \(|FEISHU_APP_SECRET/);
  expect(standin.callsTo('tenant_token').length).toBe(1);
  expect(standin.callsTo('bot_info').length).toBe(0);
});

it('names the token endpoint, not the bot-info call, when the token endpoint fails', async () => {
  standin.clearCalls();
  standin.inject('tenant_token', { status: 500, code: 500 });
  try {
    const failed = fetchBotOpenId(client(), noWait);
    await expect(failed).rejects.toThrow(/^could not get a tenant access token from the platform \(POST \/open-apis\/auth\/v3\/tenant_access_token\/internal\): the token endpoint answered HTTP 500/);
    await expect(failed).rejects.not.toThrow(/bot\/v3\/info/);
    // A server error may pass: it was asked again, as many times as start-up tries.
    expect(standin.callsTo('tenant_token').length).toBeGreaterThan(1);
    expect(standin.callsTo('bot_info').length).toBe(0);
  } finally {
    standin.clearFaults();
  }
});

it('names the network and feishu.domain when the platform cannot be reached', async () => {
  const unreachable = createLarkClient({ appId: 'cli_x', appSecret: 'x', domain: 'http://127.0.0.1:1', helpdeskId: '1', helpdeskToken: 't', timeoutMs: 500 }, memoryLogger());
  await expect(fetchBotOpenId(unreachable, noWait)).rejects.toThrow(/token endpoint is unreachable: ECONNREFUSED\. Check feishu\.domain \(FEISHU_DOMAIN\)/);
});

it('suggests feishu.bot_open_id when the bot-info call itself fails', async () => {
  standin.inject('bot_info', { status: 400, code: 99992402, times: 1 });
  await expect(fetchBotOpenId(client(), noWait)).rejects.toThrow(/GET \/open-apis\/bot\/v3\/info.*feishu\.bot_open_id/);
});
