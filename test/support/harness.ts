// Runs the real bot (startBot, real Express, real SDK) against a real stand-in over HTTP on
// 127.0.0.1, and sends it deliveries encrypted and signed exactly as the platform does, or, in
// long-connection mode, pushes them as frames over the SDK's own WebSocket.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.js';
import type { Config, Connection } from '../../src/config/schema.js';
import { memoryLogger } from '../../src/obs/log.js';
import { cardActionEvent, delivery, messageEvent, type MentionSpec } from '@helpdesk-bot/feishu-standin/deliveries';
import { cardButtons, checkCard } from '@helpdesk-bot/feishu-standin/cards';
import { callbackValue, formSubmission, type Entered } from '@helpdesk-bot/feishu-standin/card-forms';
import { StandIn, type GatewaySettings, type PushOptions, type RawTicket, type StandInOptions } from '@helpdesk-bot/feishu-standin';
import { CALLBACK_PATH } from '../../src/feishu/signIn.js';
import { freePort } from './process.js';
import { startBot, type RunningBot } from '../../src/runtime/start.js';
import { credentialsFor, SECRETS } from './secrets.js';
import { until } from './wait.js';
import { isReceiving } from '../../src/intake/intake.js';
import type { Clock } from '../../src/resilience/clock.js';

export { SECRETS };

export interface Harness {
  standin: StandIn;
  bot: RunningBot;
  config: Config;
  log: ReturnType<typeof memoryLogger>;
  /** POSTs one delivery of `payload` to a webhook route; returns the HTTP status and body. */
  post(payload: object, options?: PostOptions): Promise<{ status: number; body: unknown }>;
  /**
   * Delivers `payload` the way the bot is set up to receive it: a webhook POST (the HTTP status and
   * body), or a frame over the long connection (the acknowledgement's code, or 0 for none, and its
   * decoded data). A callback is not pushed again.
   */
  deliver(payload: object, kind?: 'event' | 'callback', options?: PushOptions): Promise<{ status: number; body: unknown }>;
  /** header.token of payloads: the verification token, or "" over the long connection. */
  token: string;
  /** Sends a text message from a user, as a DM or a group message mentioning the bot. */
  say(text: string, options?: SayOptions): Promise<{ status: number; messageId: string }>;
  /** Waits until `n` replies to `messageId` exist (or more), failing after `timeoutMs`. */
  replies(messageId: string, n?: number, timeoutMs?: number): Promise<Reply[]>;
  /** Clicks a button of a card the bot sent, as `operator` (submitting `formValue` with it); returns the callback's HTTP answer. */
  click(on: Reply, value: unknown, options?: { operator?: string; chatId?: string; formValue?: Record<string, string | string[]> }): Promise<{ status: number; body: unknown }>;
  /**
   * Fills in the form on a card the bot sent and clicks its submit button `name`, sending the
   * form_value the client would (what the card allows, dates with an offset); throws if the client
   * would send nothing. Returns the callback's HTTP answer.
   */
  submit(on: Reply, name: string, entered: Entered, options?: { operator?: string }): Promise<{ status: number; body: unknown }>;
  /** Stops the bot and starts it again with the same configuration (and state file), `downMs` later. */
  restart(downMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface Reply {
  messageId: string;
  chatId: string;
  card: Record<string, unknown>;
  content: string;
}

/** Every button in a card, with its visible English text and its callback value. */
export const buttons = cardButtons;

/** The card a callback answered with, which the platform must take (its card checks pass). */
export function answerCard(body: unknown): Record<string, unknown> {
  const card = (body as { card?: { type?: string; data?: Record<string, unknown> } }).card;
  if (card?.type !== 'raw' || !card.data) throw new Error(`the callback answered without a card: ${JSON.stringify(body).slice(0, 300)}`);
  const check = checkCard(card.data);
  if (!check.ok) throw new Error(`the platform would refuse the card: ${check.reason}`);
  return card.data;
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

/** Long-connection timings for tests: pings every second, quick reconnects and pushes again. */
const FAST_LONG_CONNECTION: Partial<GatewaySettings> = {
  clientConfig: { PingInterval: 1, ReconnectCount: -1, ReconnectInterval: 0.2, ReconnectNonce: 0.1 },
  repushScheduleMs: [300, 600, 1200],
};

/**
 * Used when a test gives no yaml of its own. These tests assert on every API call a command makes,
 * so nothing stays cached and the client-side rate limits are far above what any of them sends;
 * test/resilience configures caches and limits itself.
 */
export const PLAIN_UPSTREAM = `
cache: { ticket_ttl_ms: 1, list_ttl_ms: 1 }
upstream:
  limits: { ticket_get_per_second: 1000, ticket_list_per_second: 1000, messages_per_second: 1000, messages_per_chat_per_second: 1000 }
`;

export interface HarnessOptions {
  tickets?: RawTicket[];
  yaml?: string;
  env?: Record<string, string>;
  /** webhook by default; long-connection runs with no encrypt key or verification token, as in production. */
  connection?: Connection;
  longConnection?: Partial<GatewaySettings>;
  /** Told when the platform refuses the long connection for good; the harness then does not wait for it. */
  onFatal?: (message: string) => void;
  /** Runs on the stand-in before the bot starts (faults to meet the bot with). */
  prepare?: (standin: StandIn) => void;
  /** Where the bot keeps watches, live cards and boards; a fresh temporary file by default. */
  stateFile?: string;
  /** More of the stand-in (its people, the helpdesk's agents, FAQs, token lives). */
  standin?: Partial<StandInOptions>;
  /** The bot's clock (it must move with real time; an offset a test moves is fine). */
  clock?: Clock;
  /** Agents sign in through a link: the bot gets BOT_PUBLIC_URL (on a port chosen first), registered as a redirect URL at the stand-in. */
  publicUrl?: boolean;
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const overWs = opts.connection === 'long-connection';
  const standin = await StandIn.start({
    appId: SECRETS.appId,
    appSecret: SECRETS.appSecret,
    helpdeskId: SECRETS.helpdeskId,
    helpdeskToken: SECRETS.helpdeskToken,
    botOpenId: SECRETS.botOpenId,
    tickets: opts.tickets ?? [],
    longConnection: { ...FAST_LONG_CONNECTION, ...opts.longConnection },
    ...opts.standin,
  });
  opts.prepare?.(standin);
  const port = opts.publicUrl ? await freePort() : 0;
  const publicEnv = opts.publicUrl ? { PORT: String(port), BOT_PUBLIC_URL: `http://127.0.0.1:${port}` } : {};
  if (opts.publicUrl) standin.userAuth.registerRedirectUri(`http://127.0.0.1:${port}${CALLBACK_PATH}`);
  const { FEISHU_VERIFICATION_TOKEN: _t, FEISHU_ENCRYPT_KEY: _k, ...withoutEventSecrets } = credentialsFor(standin.url);
  const env = overWs ? { ...withoutEventSecrets, FEISHU_CONNECTION: 'long-connection' } : credentialsFor(standin.url);
  const result = loadConfig(opts.yaml ?? PLAIN_UPSTREAM, { ...env, PORT: '0', ...publicEnv, ...opts.env });
  if (!result.ok) throw new Error(result.problems.join('\n'));
  // Each harness keeps its records apart: tests run in parallel.
  const config: Config = { ...result.config, state: { ...result.config.state, file: opts.stateFile ?? join(mkdtempSync(join(tmpdir(), 'helpdesk-bot-test-')), 'state.json') } };
  const log = memoryLogger('debug');
  const launch = async () => {
    const started = await startBot(config, { log, host: '127.0.0.1', ...(opts.onFatal ? { onFatal: opts.onFatal } : {}), ...(opts.clock ? { clock: opts.clock } : {}) });
    // Connected as the bot sees it: the SDK listens for frames only once its connect step is over.
    if (overWs && !opts.onFatal) await until('the long connection', () => isReceiving(started.connection()));
    return started;
  };
  let bot = await launch();
  const token = overWs ? '' : SECRETS.verificationToken;

  const post: Harness['post'] = async (payload, o = {}) => {
    const d = delivery(payload, {
      encryptKey: o.encryptKey ?? SECRETS.encryptKey,
      // Signed at the bot's time, as the platform's clock and the bot's agree.
      ...(o.timestamp !== undefined ? { timestamp: o.timestamp } : opts.clock ? { timestamp: Math.floor(opts.clock() / 1000) } : {}),
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

  const deliver: Harness['deliver'] = async (payload, kind = 'event', options = {}) => {
    if (!overWs) return post(payload, kind === 'callback' ? { route: '/webhook/card' } : {});
    const pushed = standin.ws.push(payload, { ...(kind === 'callback' ? { repush: false } : {}), ...options });
    const attempt = await pushed.first;
    return { status: attempt.ack?.code ?? 0, body: attempt.ack?.data ?? {} };
  };

  let counter = 0;
  const say: Harness['say'] = async (text, o = {}) => {
    const chatType = o.chatType ?? 'p2p';
    const messageId = o.messageId ?? `om_test_${Date.now().toString(36)}_${++counter}`;
    const botKey = o.botKey ?? '@_user_1';
    const mentions = [...(chatType === 'group' ? [{ key: botKey, openId: SECRETS.botOpenId, name: 'Helpdesk Bot' }] : []), ...(o.mentions ?? [])];
    const body = chatType === 'group' && !text.includes(botKey) ? `${botKey} ${text}` : text;
    const chatId = o.chatId ?? (chatType === 'p2p' ? 'oc_dm_test' : 'oc_group_test');
    standin.registerIncoming(messageId, chatId);
    const event = messageEvent({
      token,
      appId: SECRETS.appId,
      chatType,
      chatId,
      senderOpenId: o.sender ?? 'ou_user_asker',
      messageId,
      text: body,
      mentions,
    });
    const res = await deliver(event);
    return { status: res.status, messageId };
  };

  const replies: Harness['replies'] = async (messageId, n = 1, timeoutMs = 10_000) => {
    const found = () => [...standin.messages.values()].filter((m) => m.replyTo === messageId);
    await until(`${n} replies to ${messageId}`, () => found().length >= n, timeoutMs);
    return found().map((m) => ({ messageId: m.messageId, chatId: m.chatId ?? '', content: m.content, card: JSON.parse(m.content) as Record<string, unknown> }));
  };

  const click: Harness['click'] = (on, value, o = {}) =>
    deliver(
      cardActionEvent({
        token,
        operatorOpenId: o.operator ?? 'ou_user_asker',
        value,
        messageId: on.messageId,
        chatId: o.chatId ?? on.chatId,
        cardToken: standin.issueCardToken(on.messageId),
        // A form's submit button sends the form's values with it.
        ...(o.formValue ? { formValue: o.formValue } : {}),
      }),
      'callback',
    );

  const submit: Harness['submit'] = (on, name, entered, o = {}) => {
    const node = findNamed(on.card, name);
    const value = node ? callbackValue(node) : undefined;
    const submission = formSubmission(on.card, { name, value }, entered);
    if (!submission.ok) throw new Error(`the client would send nothing: ${submission.reason}`);
    return deliver(
      cardActionEvent({
        token,
        operatorOpenId: o.operator ?? 'ou_user_asker',
        value,
        name,
        formValue: submission.formValue,
        messageId: on.messageId,
        chatId: on.chatId,
        cardToken: standin.issueCardToken(on.messageId),
      }),
      'callback',
    );
  };

  // Ticket changes in the stand-in reach the bot the way its other events do.
  standin.pushTicketEventsTo({
    token,
    async event(payload) {
      const res = await deliver(payload);
      return res.status === 200 ? { ok: true, body: res.body } : { ok: false, error: `the bot answered ${res.status}` };
    },
  });

  return {
    standin,
    get bot() {
      return bot;
    },
    click,
    submit,
    config,
    log,
    post,
    deliver,
    token,
    say,
    replies,
    async restart(downMs = 0) {
      await bot.stop(2000);
      await new Promise((resolve) => setTimeout(resolve, downMs));
      bot = await launch();
    },
    async close() {
      await bot.stop(2000);
      await standin.close();
    },
  };
}

/** The component named `name` anywhere in a card. */
function findNamed(node: unknown, name: string): Record<string, unknown> | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const here = node as Record<string, unknown>;
  if (here['name'] === name && typeof here['tag'] === 'string') return here;
  for (const child of Object.values(here)) {
    const found = findNamed(child, name);
    if (found) return found;
  }
  return undefined;
}
