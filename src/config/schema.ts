// The settings: one zod schema, in app.yaml's own names, from which the Config type is inferred, so
// a setting is spelled the same in app.yaml, in the code and in every message about it. The shape
// (types, ranges, unknown keys) is checked first; the rules between settings (credentials needed
// in production, budgets that leave room for each other) once the shape is right, all at once.
import { IANAZone } from 'luxon';
import { z } from 'zod';
import { parseCommand } from '../commands/parse.js';

/** Environment variables that override a setting, by the setting's path in app.yaml. */
export const ENV_OVERRIDES = {
  FEISHU_APP_ID: 'feishu.app_id',
  FEISHU_APP_SECRET: 'feishu.app_secret',
  FEISHU_VERIFICATION_TOKEN: 'feishu.verification_token',
  FEISHU_ENCRYPT_KEY: 'feishu.encrypt_key',
  FEISHU_DOMAIN: 'feishu.domain',
  FEISHU_OAUTH_URL: 'feishu.oauth_url',
  FEISHU_CONNECTION: 'feishu.connection',
  FEISHU_HELPDESK_ID: 'helpdesk.id',
  FEISHU_HELPDESK_TOKEN: 'helpdesk.token',
  PORT: 'server.port',
  BOT_PUBLIC_URL: 'server.public_url',
  USER_TOKEN_KEY: 'sign_in.token_key',
  REDIS_URL: 'state.redis_url',
  STATE_FILE: 'state.file',
  METRICS_PORT: 'metrics.port',
} as const;

const ENV_BY_PATH: Record<string, string> = Object.fromEntries(Object.entries(ENV_OVERRIDES).map(([env, path]) => [path, env]));

/** Names a setting the way an operator fixes it: the app.yaml key and, if any, its variable. */
export function settingName(path: string): string {
  const env = ENV_BY_PATH[path];
  return env ? `${path} (or ${env})` : path;
}

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const secret = z.string().default('');
const openId = z.string().regex(/^ou_[A-Za-z0-9_-]+$/, 'must be an open_id such as ou_3a1b…');
const chatId = z.string().regex(/^oc_[A-Za-z0-9_-]+$/, 'must be a chat id such as oc_5f2c…');
/** The SDK's WSClient silently refuses any other shape, so it is checked here for both modes. */
export const APP_ID_SHAPE = /^cli_[0-9a-fA-F]{16}$/;
/** Bot menu event keys (≤ 30 characters in the developer console) -> the command a tap runs. */
const menuKey = z.string().regex(/^[A-Za-z0-9_.:-]{1,30}$/, 'must be an event key of 1-30 letters, digits, _ . : -');
const menuCommand = z.string().trim().min(1, 'must be a command such as /help').max(200);
const MASKABLE = ['email', 'department', 'city', 'country', 'name', 'conversation'] as const;

const shape = z.strictObject({
  feishu: z
    .strictObject({
      app_id: secret,
      app_secret: secret,
      verification_token: secret,
      encrypt_key: secret,
      /** feishu, lark or the Open Platform's base URL; resolved to a URL once checked. */
      domain: z.string().default('feishu'),
      /** How events and callbacks arrive: HTTP webhooks, or the SDK's long connection (WebSocket). */
      connection: z.enum(['webhook', 'long-connection'], { error: 'must be webhook or long-connection' }).default('webhook'),
      long_connection: z
        .strictObject({
          /** A connection with no frame this long after a ping is replaced (the SDK's wsConfig.pingTimeout). */
          ping_timeout_seconds: int(1, 600).default(30),
          handshake_timeout_ms: int(1000, 120_000).default(10_000),
        })
        .prefault({}),
      /** Empty: asked from the platform at start-up. */
      bot_open_id: z.string().default(''),
      /** The accounts host agents sign in at; empty: derived from domain. */
      oauth_url: z.string().trim().default(''),
    })
    .prefault({}),
  helpdesk: z.strictObject({ id: secret, token: secret }).prefault({}),
  server: z
    .strictObject({
      port: int(0, 65535).default(3000),
      body_limit_bytes: int(1024, 10 * 1024 * 1024).default(512 * 1024),
      timestamp_tolerance_seconds: int(10, 3600).default(300),
      dedupe_ttl_seconds: int(60, 7 * 24 * 3600).default(8 * 3600),
      dedupe_max_entries: int(100, 10_000_000).default(100_000),
      work_concurrency: int(1, 256).default(8),
      work_max_pending: int(1, 100_000).default(1000),
      callback_budget_ms: int(200, 2800).default(2500),
      /** On SIGTERM: how long queued and running commands may take before the process exits anyway. */
      shutdown_timeout_ms: int(0, 600_000).default(15_000),
      /** A request's headers must arrive within this long, its whole body within request_timeout_ms. */
      headers_timeout_ms: int(1000, 600_000).default(10_000),
      request_timeout_ms: int(1000, 600_000).default(30_000),
      /** An idle keep-alive connection is closed after this long. */
      keep_alive_timeout_ms: int(1000, 600_000).default(5000),
      /** Connections held at once; more are closed as they come. */
      max_connections: int(1, 100_000).default(1000),
      /** The bot's address as agents' browsers reach it (sign-in returns to /oauth/callback there); empty: sign-in by device code. */
      public_url: z.string().trim().default(''),
    })
    .prefault({}),
  /** Agents signing in as themselves, for the ticket actions that need their own rights. */
  sign_in: z
    .strictObject({
      /** Encrypts agents' tokens at rest; empty: sign-in is off. */
      token_key: z.string().default(''),
    })
    .prefault({}),
  upstream: z
    .strictObject({
      /** One HTTP attempt's limit. */
      timeout_ms: int(100, 60_000).default(5000),
      /** A command's whole time: lookups, waits for a slot, retries and the reply. */
      command_budget_ms: int(500, 120_000).default(8000),
      /** The end of the budget kept for the reply: lookups give up this long before the deadline. */
      reply_reserve_ms: int(0, 60_000).default(2000),
      /** How long a reply may wait for its turn under the message limits (from the command's start). */
      reply_wait_ms: int(500, 600_000).default(60_000),
      /** An attempt is started only if this much of the budget is left for it. */
      min_attempt_ms: int(0, 10_000).default(300),
      retry: z
        .strictObject({
          max_attempts: int(1, 20).default(4),
          base_delay_ms: int(1, 60_000).default(200),
          max_delay_ms: int(1, 60_000).default(2000),
        })
        .prefault({}),
      limits: z
        .strictObject({
          ticket_get_per_second: int(1, 10_000).default(10),
          ticket_list_per_second: int(1, 10_000).default(5),
          /** The conversation of a ticket (ticket message list). */
          ticket_messages_per_second: int(1, 10_000).default(10),
          messages_per_second: int(1, 10_000).default(50),
          messages_per_chat_per_second: int(1, 10_000).default(5),
          /** Added to each 1 s window: requests arrive a little later than they leave. */
          window_margin_ms: int(0, 1000).default(100),
          /** Requests that may wait for one limit at once. */
          max_queue: int(1, 100_000).default(100),
          /** The longest a request waits for its slot. */
          max_wait_ms: int(0, 120_000).default(5000),
          /** Messages that may wait for one chat's (or the app's) message limit at once. */
          messages_max_queue: int(1, 100_000).default(1000),
        })
        .prefault({}),
    })
    .prefault({}),
  /** Where de-duplication, queued work, rate limits and caches live: in process, or in Redis. */
  state: z
    .strictObject({
      /** redis:// or rediss:// URL; empty: everything in process. */
      redis_url: z.string().trim().default(''),
      /** How long start-up waits for Redis to answer before it gives up. */
      startup_wait_ms: int(0, 600_000).default(30_000),
      /**
       * Without Redis: the file the watches, live cards and boards are kept in (absolute, or
       * relative to the working directory); empty: memory only.
       */
      file: z.string().trim().default('data/helpdesk-bot-state.json'),
    })
    .prefault({}),
  cache: z
    .strictObject({
      ticket_ttl_ms: int(1, 24 * 3600_000).default(30_000),
      ticket_max_entries: int(1, 10_000_000).default(5000),
      list_ttl_ms: int(1, 24 * 3600_000).default(30_000),
      list_max_entries: int(1, 10_000_000).default(1000),
      /** Tickets whose first message (the question on list rows) this process keeps; Redis keeps each 30 days. */
      question_max_entries: int(1, 10_000_000).default(10_000),
    })
    .prefault({}),
  display: z
    .strictObject({
      timezone: z.string().default('Asia/Shanghai'),
      page_size: int(1, 15).default(10),
    })
    .prefault({}),
  /** Who may use the bot, where (checked by views/access.ts). */
  access: z
    .strictObject({
      allow_direct_messages: z.boolean().default(true),
      allow_groups: z.boolean().default(true),
      /** open_ids; an empty allow list puts no limit on users. Deny always wins. */
      users: z.strictObject({ allow: z.array(openId).default([]), deny: z.array(openId).default([]) }).prefault({}),
      /** chat ids; the allow list (when not empty) applies to group chats. Deny always wins. */
      chats: z.strictObject({ allow: z.array(chatId).default([]), deny: z.array(chatId).default([]) }).prefault({}),
      contact: z.string().min(1).max(200).default('your helpdesk administrators'),
      /** Who may start and stop watches (open_ids); empty: anyone who may use the bot. */
      watch: z.array(openId).default([]),
      /** The helpdesk's agents (open_ids): who may reply to customers and suggest answers; empty: nobody. */
      agents: z.array(openId).default([]),
    })
    .prefault({}),
  /** Watched queries, live cards and the board. */
  watch: z
    .strictObject({
      /** Watches one chat may have. */
      max_per_chat: int(1, 100).default(20),
      /** More matches than this for one chat within a posting window go out as one digest card. */
      digest_after: int(1, 20).default(3),
      /** Boards are recounted at most this often on ticket events. */
      board_refresh_seconds: int(1, 3600).default(5),
    })
    .prefault({}),
  /** /stats and the daily digest. */
  stats: z
    .strictObject({
      /** A first response within this many minutes meets the target (the share is on the card). */
      first_response_target_minutes: int(1, 10_080).default(30),
      /** How long a /stats card (or a digest) may take to count every part. */
      budget_ms: int(1000, 600_000).default(30_000),
    })
    .prefault({}),
  privacy: z
    .strictObject({
      /** Where guest details are hidden. */
      masking: z.enum(['groups', 'everywhere', 'off']).default('groups'),
      masked_fields: z.array(z.enum(MASKABLE)).default(['email']),
    })
    .prefault({}),
  /** Bot menu event key -> the command text a tap runs, answered to the person who tapped. */
  menu: z.record(menuKey, menuCommand).default({ help: '/help', my_open: '/tickets mine open' }),
  log: z.strictObject({ level: z.enum(['debug', 'info', 'warn', 'error']).default('info') }).prefault({}),
  /** GET /metrics on its own port (0: any free port), on `host` (empty: every address). */
  metrics: z
    .strictObject({
      enabled: z.boolean().default(true),
      port: int(0, 65535).default(9464),
      host: z.string().default(''),
    })
    .prefault({}),
});

type Settings = z.output<typeof shape>;

/**
 * A problem between settings, said as a whole sentence that names its settings (the shape's own
 * problems are said as "<setting>: <what is wrong>").
 */
const WHOLE = { whole: true };

/** The rules between settings, checked once the shape is valid; every problem at once. */
function checkRules(raw: Settings, ctx: z.RefinementCtx): void {
  const problem = (path: string, message: string, whole = false) => ctx.addIssue({ code: 'custom', path: path.split('.'), message, ...(whole ? { params: WHOLE } : {}) });
  const f = raw.feishu;
  if (modeOf(raw) === 'production') {
    // Over the long connection events arrive in plaintext over a connection the app opened with
    // its secret: there is no signature to check and the token is blank, so neither is needed.
    const webhookOnly = ' in webhook mode (feishu.connection: long-connection does without it)';
    const required: [string, string, string][] = [
      ['feishu.app_id', f.app_id, ''],
      ['feishu.app_secret', f.app_secret, ''],
      ['feishu.verification_token', f.verification_token, webhookOnly],
      ['feishu.encrypt_key', f.encrypt_key, webhookOnly],
      ['helpdesk.id', raw.helpdesk.id, ''],
      ['helpdesk.token', raw.helpdesk.token, ''],
    ];
    for (const [path, value, onlyFor] of required) {
      if (value !== '' || (onlyFor && f.connection !== 'webhook')) continue;
      problem(path, `${settingName(path)} is not set: a real Feishu app needs it${onlyFor} (leave every credential unset to run the sandbox)`, true);
    }
    if (f.app_id !== '' && !APP_ID_SHAPE.test(f.app_id)) {
      problem('feishu.app_id', `"${f.app_id}" is not an app id: it is cli_ followed by 16 hex digits (Credentials & Basic Info in the developer console)`);
    }
  }
  if (!resolveDomain(f.domain)) problem('feishu.domain', `"${f.domain}" is not feishu, lark or an http(s) URL`);
  if (f.oauth_url !== '' && !httpUrl(f.oauth_url)) problem('feishu.oauth_url', `"${f.oauth_url}" is not an http(s) URL such as https://accounts.feishu.cn`);
  if (raw.server.public_url !== '' && !httpUrl(raw.server.public_url)) {
    problem('server.public_url', `"${raw.server.public_url}" is not an http(s) URL such as https://helpdesk-bot.example.com (the address agents' browsers reach the bot at)`);
  }
  const key = raw.sign_in.token_key;
  if (key !== '' && [...key].length < 32) problem('sign_in.token_key', `is ${[...key].length} characters long; use at least 32 (for example: openssl rand -base64 32)`);
  if (f.bot_open_id !== '' && !/^ou_[A-Za-z0-9]+$/.test(f.bot_open_id)) {
    problem('feishu.bot_open_id', `"${f.bot_open_id}" is not an open_id (ou_…); leave it empty to ask the platform`);
  }
  for (const [key, command] of Object.entries(raw.menu)) {
    if (parseCommand(command).kind === 'problem') problem(`menu.${key}`, `"${command}" is not a command the bot knows; use one such as /help, /tickets mine open or /ticket <id>`);
  }
  if (!IANAZone.isValidZone(raw.display.timezone)) problem('display.timezone', `"${raw.display.timezone}" is not an IANA time zone such as Asia/Shanghai`);
  const up = raw.upstream;
  if (up.reply_reserve_ms + up.min_attempt_ms >= up.command_budget_ms) {
    problem(
      'upstream.command_budget_ms',
      `${up.command_budget_ms} ms leaves no time for a lookup after upstream.reply_reserve_ms (${up.reply_reserve_ms}) and upstream.min_attempt_ms (${up.min_attempt_ms}); raise the budget or lower those`,
    );
  }
  if (up.reply_wait_ms < up.command_budget_ms) {
    problem('upstream.reply_wait_ms', `upstream.reply_wait_ms (${up.reply_wait_ms}) must be at least upstream.command_budget_ms (${up.command_budget_ms}): a reply may always use the whole budget`, true);
  }
  if (raw.server.request_timeout_ms <= raw.server.headers_timeout_ms) {
    problem(
      'server.request_timeout_ms',
      `server.request_timeout_ms (${raw.server.request_timeout_ms}) must be longer than server.headers_timeout_ms (${raw.server.headers_timeout_ms}): the body comes after the headers`,
      true,
    );
  }
  if (up.retry.max_delay_ms < up.retry.base_delay_ms) {
    problem('upstream.retry.max_delay_ms', `upstream.retry.max_delay_ms (${up.retry.max_delay_ms}) must be at least upstream.retry.base_delay_ms (${up.retry.base_delay_ms})`, true);
  }
  const redisProblem = raw.state.redis_url === '' ? undefined : checkRedisUrl(raw.state.redis_url);
  if (redisProblem) problem('state.redis_url', redisProblem);
  if (raw.metrics.enabled && raw.metrics.port !== 0 && raw.metrics.port === raw.server.port) {
    problem('metrics.port', `${settingName('metrics.port')} (${raw.metrics.port}) must differ from ${settingName('server.port')}: metrics are served on a port of their own`, true);
  }
}

/** Production once any credential is set; the sandbox with none. */
const modeOf = (raw: Settings): 'production' | 'sandbox' =>
  [raw.feishu.app_id, raw.feishu.app_secret, raw.feishu.verification_token, raw.feishu.encrypt_key, raw.helpdesk.id, raw.helpdesk.token].some((v) => v !== '') ? 'production' : 'sandbox';

/** The schema app.yaml (with the environment's overrides) is read with; its output is a Config. */
export const configSchema = shape.superRefine(checkRules).transform((raw) => {
  const domain = resolveDomain(raw.feishu.domain)!;
  return {
    ...raw,
    mode: modeOf(raw),
    feishu: { ...raw.feishu, domain, oauth_url: trimSlash(raw.feishu.oauth_url) || (OAUTH_HOSTS[domain] ?? domain) },
    server: { ...raw.server, public_url: trimSlash(raw.server.public_url) },
  };
});

export type Config = z.output<typeof configSchema>;
export type Mode = Config['mode'];
export type Connection = Config['feishu']['connection'];
/** Who may use the bot, where; and who may start and stop watches. */
export type AccessConfig = Config['access'];
export type PrivacyConfig = Config['privacy'];

/** Whether an issue is said as a whole sentence (see WHOLE). */
export const isWhole = (issue: z.core.$ZodIssue): boolean => issue.code === 'custom' && (issue.params as typeof WHOLE | undefined)?.whole === true;

/** Why a Redis URL cannot be used, or undefined. Never echoes the URL: it may hold a password. */
function checkRedisUrl(value: string): string | undefined {
  const example = 'write it as redis://[:password@]host:6379[/db] (or rediss:// for TLS)';
  let url: URL;
  try {
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) throw new Error('no scheme');
    url = new URL(value);
  } catch {
    return `not a URL; ${example}`;
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') return `the scheme must be redis:// or rediss://, not ${url.protocol}//; ${example}`;
  if (url.hostname === '') return `no host; ${example}`;
  const db = url.pathname.replace(/^\//, '');
  if (db !== '' && !/^\d{1,2}$/.test(db)) return `the path must be a database number such as /0; ${example}`;
  return undefined;
}

const DOMAINS: Record<string, string> = {
  feishu: 'https://open.feishu.cn',
  lark: 'https://open.larksuite.com',
};

/** Where each platform's people sign in; any other domain (a URL) serves sign-in itself. */
const OAUTH_HOSTS: Record<string, string> = {
  'https://open.feishu.cn': 'https://accounts.feishu.cn',
  'https://open.larksuite.com': 'https://accounts.larksuite.com',
};

const trimSlash = (url: string) => url.replace(/\/+$/, '');

function httpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '' && url.search === '' && url.hash === '';
  } catch {
    return false;
  }
}

function resolveDomain(value: string): string | undefined {
  const known = DOMAINS[value.toLowerCase()];
  if (known) return known;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    return value.replace(/\/+$/, '');
  } catch {
    return undefined;
  }
}
