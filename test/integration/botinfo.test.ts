// The bot's own open_id, asked of the platform at start-up over real HTTP: retried after a platform
// failure, and a refusal or an unreachable platform named with the setting to check.
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

it('names the settings to check when the credentials are refused, without retrying', async () => {
  standin.clearCalls();
  await expect(fetchBotOpenId(client('wrong secret'), noWait)).rejects.toThrow(/feishu\.app_secret \(|FEISHU_APP_SECRET/);
  expect(standin.callsTo('tenant_token').length).toBe(1);
});

it('suggests feishu.bot_open_id when the platform cannot be reached', async () => {
  const unreachable = createLarkClient({ appId: 'cli_x', appSecret: 'x', domain: 'http://127.0.0.1:1', helpdeskId: '1', helpdeskToken: 't', timeoutMs: 500 }, memoryLogger());
  await expect(fetchBotOpenId(unreachable, noWait)).rejects.toThrow(/feishu\.bot_open_id/);
});
