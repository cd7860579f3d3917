// The bot's own open_id, which tells its mention apart from everyone else's in group messages.
import type * as lark from '@larksuiteoapi/node-sdk';
import { fromThrown } from '../helpdesk/errors.js';

export async function fetchBotOpenId(client: lark.Client): Promise<string> {
  let res: { code?: number; msg?: string; bot?: { open_id?: string } };
  try {
    res = await client.request({ method: 'GET', url: '/open-apis/bot/v3/info' });
  } catch (e) {
    throw new Error(`could not ask the platform for the bot's open_id: ${fromThrown(e).message}`);
  }
  const openId = res?.bot?.open_id;
  if (res?.code !== 0 || typeof openId !== 'string' || !openId.startsWith('ou_')) {
    throw new Error(`the platform did not return the bot's open_id (code ${String(res?.code)}: ${String(res?.msg ?? '')})`);
  }
  return openId;
}
