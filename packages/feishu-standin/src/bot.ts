// The bot's own profile, which the bot reads at start-up to learn its open_id.
import type { RequestHandler } from 'express';
import { sendJson } from './respond.js';

export interface BotProfile {
  appName: string;
  openId: string;
}

/** GET /open-apis/bot/v3/info */
export function botInfo(profile: BotProfile): RequestHandler {
  return (_req, res) =>
    sendJson(res, 200, {
      code: 0,
      msg: 'ok',
      bot: {
        activate_status: 2,
        app_name: profile.appName,
        avatar_url: 'https://s1-imfile.feishucdn.com/static-resource/v1/stand-in-bot-avatar',
        ip_white_list: [],
        open_id: profile.openId,
      },
    });
}
