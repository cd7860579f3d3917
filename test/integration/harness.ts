// Runs the real bot (startBot, real Express, real SDK) against a real stand-in over HTTP on
// 127.0.0.1, and sends it deliveries encrypted and signed exactly as the platform does.
import { loadConfig, type Config } from '../../src/config.js';
import { memoryLogger } from '../../src/log.js';
import { delivery, messageEvent, type MentionSpec } from '../../src/sandbox/deliveries.js';
import { StandIn, type RawTicket } from '../../src/sandbox/standin/index.js';
import { startBot, type RunningBot } from '../../src/start.js';

export const SECRETS = {
  appId: 'cli_test_app',
  appSecret: 'test-app-secret',
  verificationToken: 'test-verification-token',
  encryptKey: 'test-encrypt-key',
  helpdeskId: '7001',
  helpdeskToken: 'test-helpdesk-token',
  botOpenId: 'ou_bot_0000000000000000000000000001',
};

export interface Harness {
  standin: StandIn;
  bot: RunningBot;
  config: Config;
  log: ReturnType<typeof memoryLogger>;
  /** POSTs one delivery of `payload` to a webhook route; returns the HTTP status and body. */
  post(payload: object, options?: PostOptions): Promise<{ status: number; body: unknown }>;
  /** Sends a text message from a user, as a DM or a group message mentioning the bot. */
  say(text: string, options?: SayOptions): Promise<{ status: number; messageId: string }>;
  /** Waits until `n` replies to `messageId` exist (or more), failing after `timeoutMs`. */
  replies(messageId: string, n?: number, timeoutMs?: number): Promise<{ card: Record<string, unknown>; content: string }[]>;
  close(): Promise<void>;
}

export interface PostOptions {
  route?: '/webhook/event' | '/webhook/card';
  encryptKey?: string;
  timestamp?: number;
  sign?: boolean;
  encrypt?: boolean;
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface SayOptions {
  chatType?: 'p2p' | 'group';
  chatId?: string;
  sender?: string;
  messageId?: string;
  /** Extra people mentioned; in groups the bot is added as the first mention unless botKey says otherwise. */
  mentions?: MentionSpec[];
  botKey?: string;
}

export async function startHarness(opts: { tickets?: RawTicket[]; yaml?: string; env?: Record<string, string> } = {}): Promise<Harness> {
  const standin = await StandIn.start({
    appId: SECRETS.appId,
    appSecret: SECRETS.appSecret,
    helpdeskId: SECRETS.helpdeskId,
    helpdeskToken: SECRETS.helpdeskToken,
    botOpenId: SECRETS.botOpenId,
    tickets: opts.tickets ?? [],
  });
  const result = loadConfig(opts.yaml ?? '', {
    FEISHU_APP_ID: SECRETS.appId,
    FEISHU_APP_SECRET: SECRETS.appSecret,
    FEISHU_VERIFICATION_TOKEN: SECRETS.verificationToken,
    FEISHU_ENCRYPT_KEY: SECRETS.encryptKey,
    FEISHU_HELPDESK_ID: SECRETS.helpdeskId,
    FEISHU_HELPDESK_TOKEN: SECRETS.helpdeskToken,
    FEISHU_DOMAIN: standin.url,
    PORT: '0',
    ...opts.env,
  });
  if (!result.ok) throw new Error(result.problems.join('\n'));
  const log = memoryLogger('debug');
  const bot = await startBot(result.config, { log, host: '127.0.0.1' });

  const post: Harness['post'] = async (payload, o = {}) => {
    const d = delivery(payload, {
      encryptKey: o.encryptKey ?? SECRETS.encryptKey,
      ...(o.timestamp !== undefined ? { timestamp: o.timestamp } : {}),
      ...(o.sign !== undefined ? { sign: o.sign } : {}),
      ...(o.encrypt !== undefined ? { encrypt: o.encrypt } : {}),
    });
    const res = await fetch(bot.url + (o.route ?? '/webhook/event'), { method: 'POST', headers: { ...d.headers, ...o.headers }, body: o.rawBody ?? d.body });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: res.status, body };
  };

  let counter = 0;
  const say: Harness['say'] = async (text, o = {}) => {
    const chatType = o.chatType ?? 'p2p';
    const messageId = o.messageId ?? `om_test_${Date.now().toString(36)}_${++counter}`;
    const botKey = o.botKey ?? '@_user_1';
    const mentions = [...(chatType === 'group' ? [{ key: botKey, openId: SECRETS.botOpenId, name: 'Helpdesk Bot' }] : []), ...(o.mentions ?? [])];
    const body = chatType === 'group' && !text.includes(botKey) ? `${botKey} ${text}` : text;
    const event = messageEvent({
      token: SECRETS.verificationToken,
      appId: SECRETS.appId,
      chatType,
      chatId: o.chatId ?? (chatType === 'p2p' ? 'oc_dm_test' : 'oc_group_test'),
      senderOpenId: o.sender ?? 'ou_user_asker',
      messageId,
      text: body,
      mentions,
    });
    const res = await post(event);
    return { status: res.status, messageId };
  };

  const replies: Harness['replies'] = async (messageId, n = 1, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = [...standin.messages.values()].filter((m) => m.replyTo === messageId);
      if (found.length >= n) return found.map((m) => ({ content: m.content, card: JSON.parse(m.content) as Record<string, unknown> }));
      if (Date.now() > deadline) throw new Error(`expected ${n} replies to ${messageId}, found ${found.length}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  return {
    standin,
    bot,
    config: result.config,
    log,
    post,
    say,
    replies,
    async close() {
      await bot.stop(2000);
      await standin.close();
    },
  };
}
