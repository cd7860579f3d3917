// Configuration: app.yaml, overridden by environment variables, validated once at start-up.
// loadConfig never throws and never reads the process environment itself: main.ts passes both in,
// so every rule here is testable. All problems are reported at once, each naming the setting to fix.
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { IANAZone } from 'luxon';
import type { AccessRules, Privacy } from '../views/access.js';
import { parseCommand } from '../commands/parse.js';

/** Environment variables that override a setting, by the setting's path in app.yaml. */
export const ENV_OVERRIDES = {
  FEISHU_APP_ID: 'feishu.app_id',
  FEISHU_APP_SECRET: 'feishu.app_secret',
  FEISHU_VERIFICATION_TOKEN: 'feishu.verification_token',
  FEISHU_ENCRYPT_KEY: 'feishu.encrypt_key',
  FEISHU_DOMAIN: 'feishu.domain',
  FEISHU_CONNECTION: 'feishu.connection',
  FEISHU_HELPDESK_ID: 'helpdesk.id',
  FEISHU_HELPDESK_TOKEN: 'helpdesk.token',
  PORT: 'server.port',
  REDIS_URL: 'state.redis_url',
  STATE_FILE: 'state.file',
  METRICS_PORT: 'metrics.port',
} as const;

const ENV_BY_PATH: Record<string, string> = Object.fromEntries(
  Object.entries(ENV_OVERRIDES).map(([env, path]) => [path, env]),
);

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const secret = z.string().default('');
const openId = z.string().regex(/^ou_[A-Za-z0-9_-]+$/, 'must be an open_id such as ou_3a1b…');
const chatId = z.string().regex(/^oc_[A-Za-z0-9_-]+$/, 'must be a chat id such as oc_5f2c…');
/** The SDK's WSClient silently refuses any other shape, so it is checked here for both modes. */
export const APP_ID_SHAPE = /^cli_[0-9a-fA-F]{16}$/;
/** Bot menu event keys (≤ 30 characters in the developer console) -> the command a tap runs. */
const menuKey = z.string().regex(/^[A-Za-z0-9_.:-]{1,30}$/, 'must be an event key of 1-30 letters, digits, _ . : -');
const menuCommand = z.string().trim().min(1, 'must be a command such as /help').max(200);

const schema = z.strictObject({
  feishu: z
    .strictObject({
      app_id: secret,
      app_secret: secret,
      verification_token: secret,
      encrypt_key: secret,
      domain: z.string().default('feishu'),
      connection: z.enum(['webhook', 'long-connection'], { error: 'must be webhook or long-connection' }).default('webhook'),
      long_connection: z
        .strictObject({
          ping_timeout_seconds: int(1, 600).default(30),
          handshake_timeout_ms: int(1000, 120_000).default(10_000),
        })
        .prefault({}),
      bot_open_id: z.string().default(''),
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
      shutdown_timeout_ms: int(0, 600_000).default(15_000),
    })
    .prefault({}),
  upstream: z
    .strictObject({
      timeout_ms: int(100, 60_000).default(5000),
      command_budget_ms: int(500, 120_000).default(8000),
      reply_reserve_ms: int(0, 60_000).default(2000),
      reply_wait_ms: int(500, 600_000).default(60_000),
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
          ticket_messages_per_second: int(1, 10_000).default(10),
          messages_per_second: int(1, 10_000).default(50),
          messages_per_chat_per_second: int(1, 10_000).default(5),
          window_margin_ms: int(0, 1000).default(100),
          max_queue: int(1, 100_000).default(100),
          max_wait_ms: int(0, 120_000).default(5000),
          messages_max_queue: int(1, 100_000).default(1000),
        })
        .prefault({}),
    })
    .prefault({}),
  state: z
    .strictObject({
      redis_url: z.string().default(''),
      startup_wait_ms: int(0, 600_000).default(30_000),
      file: z.string().default('data/helpdesk-bot-state.json'),
    })
    .prefault({}),
  cache: z
    .strictObject({
      ticket_ttl_ms: int(1, 24 * 3600_000).default(30_000),
      ticket_max_entries: int(1, 10_000_000).default(5000),
      list_ttl_ms: int(1, 24 * 3600_000).default(30_000),
      list_max_entries: int(1, 10_000_000).default(1000),
    })
    .prefault({}),
  display: z
    .strictObject({
      timezone: z.string().default('Asia/Shanghai'),
      page_size: int(1, 15).default(10),
    })
    .prefault({}),
  access: z
    .strictObject({
      allow_direct_messages: z.boolean().default(true),
      allow_groups: z.boolean().default(true),
      users: z.strictObject({ allow: z.array(openId).default([]), deny: z.array(openId).default([]) }).prefault({}),
      chats: z.strictObject({ allow: z.array(chatId).default([]), deny: z.array(chatId).default([]) }).prefault({}),
      contact: z.string().min(1).max(200).default('your helpdesk administrators'),
      watch: z.array(openId).default([]),
    })
    .prefault({}),
  watch: z
    .strictObject({
      max_per_chat: int(1, 100).default(20),
      digest_after: int(1, 20).default(3),
      board_refresh_seconds: int(1, 3600).default(5),
    })
    .prefault({}),
  privacy: z
    .strictObject({
      masking: z.enum(['groups', 'everywhere', 'off']).default('groups'),
      masked_fields: z.array(z.enum(['email', 'department', 'city', 'country', 'name', 'conversation'])).default(['email']),
    })
    .prefault({}),
  menu: z.record(menuKey, menuCommand).default({ help: '/help', my_open: '/tickets mine open' }),
  log: z
    .strictObject({
      level: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
    })
    .prefault({}),
  metrics: z
    .strictObject({
      enabled: z.boolean().default(true),
      port: int(0, 65535).default(9464),
      host: z.string().default(''),
    })
    .prefault({}),
});

type Raw = z.output<typeof schema>;

export type Mode = 'production' | 'sandbox';
export type Connection = 'webhook' | 'long-connection';

export interface Config {
  mode: Mode;
  feishu: {
    appId: string;
    appSecret: string;
    verificationToken: string;
    encryptKey: string;
    /** Base URL of the Open Platform, already resolved from feishu/lark/URL. */
    domain: string;
    /** How events and callbacks arrive: HTTP webhooks, or the SDK's long connection (WebSocket). */
    connection: Connection;
    longConnection: {
      /** A connection with no frame this long after a ping is replaced (the SDK's wsConfig.pingTimeout). */
      pingTimeoutSeconds: number;
      handshakeTimeoutMs: number;
    };
    botOpenId?: string;
  };
  helpdesk: { id: string; token: string };
  server: {
    port: number;
    bodyLimitBytes: number;
    timestampToleranceSeconds: number;
    dedupeTtlSeconds: number;
    dedupeMaxEntries: number;
    workConcurrency: number;
    workMaxPending: number;
    callbackBudgetMs: number;
    /** On SIGTERM: how long queued and running commands may take before the process exits anyway. */
    shutdownTimeoutMs: number;
  };
  upstream: {
    /** One HTTP attempt's limit. */
    timeoutMs: number;
    /** A command's whole time: lookups, waits for a slot, retries and the reply. */
    commandBudgetMs: number;
    /** The end of the budget kept for the reply: lookups give up this long before the deadline. */
    replyReserveMs: number;
    /** How long a reply may wait for its turn under the message limits (from the command's start). */
    replyWaitMs: number;
    /** An attempt is started only if this much of the budget is left for it. */
    minAttemptMs: number;
    retry: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };
    limits: {
      ticketGetPerSecond: number;
      ticketListPerSecond: number;
      /** The conversation of a ticket (ticket message list). */
      ticketMessagesPerSecond: number;
      messagesPerSecond: number;
      messagesPerChatPerSecond: number;
      /** Added to each 1 s window: requests arrive a little later than they leave. */
      windowMarginMs: number;
      /** Requests that may wait for one limit at once. */
      maxQueue: number;
      /** The longest a request waits for its slot. */
      maxWaitMs: number;
      /** Messages that may wait for one chat's (or the app's) message limit at once. */
      messagesMaxQueue: number;
    };
  };
  cache: {
    ticket: { ttlMs: number; maxEntries: number };
    list: { ttlMs: number; maxEntries: number };
  };
  /** Where de-duplication, queued work, rate limits and caches live: in process, or in Redis. */
  state: {
    /** redis:// or rediss:// URL; undefined: everything in process. */
    redisUrl?: string;
    /** How long start-up waits for Redis to answer before it gives up. */
    startupWaitMs: number;
    /**
     * Without Redis: the file the watches, live cards and boards are kept in (absolute, or
     * relative to the working directory); undefined: memory only.
     */
    file?: string;
  };
  /** Watched queries, live cards and the board. */
  watch: {
    /** Watches one chat may have. */
    maxPerChat: number;
    /** More matches than this for one chat within a posting window go out as one digest card. */
    digestAfter: number;
    /** Boards are recounted at most this often on ticket events. */
    boardRefreshSeconds: number;
  };
  display: { timezone: string; pageSize: number };
  access: AccessRules & { contact: string; watch: string[] };
  privacy: Privacy;
  /** Bot menu event key -> the command text a tap runs, answered to the person who tapped. */
  menu: Record<string, string>;
  log: { level: 'debug' | 'info' | 'warn' | 'error' };
  /** GET /metrics on its own port (0: any free port), on `host` (empty: every address). */
  metrics: { enabled: boolean; port: number; host: string };
}

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

const DOMAINS: Record<string, string> = {
  feishu: 'https://open.feishu.cn',
  lark: 'https://open.larksuite.com',
};

/** Names a setting the way an operator fixes it: the app.yaml key and, if any, its variable. */
export function settingName(path: string): string {
  const env = ENV_BY_PATH[path];
  return env ? `${path} (or ${env})` : path;
}

export function loadConfig(yamlText: string, env: Record<string, string | undefined>, file = 'app.yaml'): ConfigResult {
  let doc: unknown;
  try {
    doc = yamlText.trim() === '' ? {} : parseYaml(yamlText);
  } catch (e) {
    return { ok: false, problems: [`${file} is not valid YAML: ${(e as Error).message.split('\n')[0]}`] };
  }
  if (doc === null || doc === undefined) doc = {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    return { ok: false, problems: [`${file} must be a mapping of sections (feishu:, helpdesk:, server:, ...)`] };
  }

  const merged = applyEnv(structuredClone(doc) as Record<string, unknown>, env);
  const parsed = schema.safeParse(merged);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((i) => describeIssue(i, file)) };
  }
  return finish(parsed.data);
}

function applyEnv(doc: Record<string, unknown>, env: Record<string, string | undefined>) {
  for (const [name, path] of Object.entries(ENV_OVERRIDES)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const [section, key] = path.split('.') as [string, string];
    const target = doc[section];
    const obj = target && typeof target === 'object' && !Array.isArray(target) ? (target as Record<string, unknown>) : {};
    obj[key] = value;
    doc[section] = obj;
  }
  return doc;
}

function describeIssue(issue: z.core.$ZodIssue, file: string): string {
  const path = issue.path.join('.');
  if (issue.code === 'unrecognized_keys') {
    const where = path ? `${path}.` : '';
    return `${file}: unknown setting ${issue.keys.map((k) => `${where}${k}`).join(', ')} (check the spelling against the commented app.yaml)`;
  }
  return `${settingName(path)}: ${issue.message}`;
}

function finish(raw: Raw): ConfigResult {
  const problems: string[] = [];
  const f = raw.feishu;
  const hasAnyCredential = [f.app_id, f.app_secret, f.verification_token, f.encrypt_key, raw.helpdesk.id, raw.helpdesk.token].some(
    (v) => v !== '',
  );
  const mode: Mode = hasAnyCredential ? 'production' : 'sandbox';

  if (mode === 'production') {
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
      problems.push(`${settingName(path)} is not set: a real Feishu app needs it${onlyFor} (leave every credential unset to run the sandbox)`);
    }
    if (f.app_id !== '' && !APP_ID_SHAPE.test(f.app_id)) {
      problems.push(`${settingName('feishu.app_id')}: "${f.app_id}" is not an app id: it is cli_ followed by 16 hex digits (Credentials & Basic Info in the developer console)`);
    }
  }

  const domain = resolveDomain(f.domain);
  if (!domain) {
    problems.push(`${settingName('feishu.domain')}: "${f.domain}" is not feishu, lark or an http(s) URL`);
  }
  if (f.bot_open_id !== '' && !/^ou_[A-Za-z0-9]+$/.test(f.bot_open_id)) {
    problems.push(`feishu.bot_open_id: "${f.bot_open_id}" is not an open_id (ou_…); leave it empty to ask the platform`);
  }
  for (const [key, command] of Object.entries(raw.menu)) {
    const parsed = parseCommand(command);
    if (parsed.kind === 'problem') problems.push(`menu.${key}: "${command}" is not a command the bot knows; use one such as /help, /tickets mine open or /ticket <id>`);
  }
  if (!IANAZone.isValidZone(raw.display.timezone)) {
    problems.push(`display.timezone: "${raw.display.timezone}" is not an IANA time zone such as Asia/Shanghai`);
  }
  const up = raw.upstream;
  if (up.reply_reserve_ms + up.min_attempt_ms >= up.command_budget_ms) {
    problems.push(
      `upstream.command_budget_ms: ${up.command_budget_ms} ms leaves no time for a lookup after upstream.reply_reserve_ms (${up.reply_reserve_ms}) and upstream.min_attempt_ms (${up.min_attempt_ms}); raise the budget or lower those`,
    );
  }
  if (up.reply_wait_ms < up.command_budget_ms) {
    problems.push(`upstream.reply_wait_ms (${up.reply_wait_ms}) must be at least upstream.command_budget_ms (${up.command_budget_ms}): a reply may always use the whole budget`);
  }
  if (up.retry.max_delay_ms < up.retry.base_delay_ms) {
    problems.push(`upstream.retry.max_delay_ms (${up.retry.max_delay_ms}) must be at least upstream.retry.base_delay_ms (${up.retry.base_delay_ms})`);
  }
  const redisUrl = raw.state.redis_url.trim();
  const redisProblem = redisUrl === '' ? undefined : checkRedisUrl(redisUrl);
  if (redisProblem) problems.push(`${settingName('state.redis_url')}: ${redisProblem}`);
  if (raw.metrics.enabled && raw.metrics.port !== 0 && raw.metrics.port === raw.server.port) {
    problems.push(`${settingName('metrics.port')} (${raw.metrics.port}) must differ from ${settingName('server.port')}: metrics are served on a port of their own`);
  }
  if (problems.length > 0) return { ok: false, problems };

  return {
    ok: true,
    config: {
      mode,
      feishu: {
        appId: f.app_id,
        appSecret: f.app_secret,
        verificationToken: f.verification_token,
        encryptKey: f.encrypt_key,
        domain: domain!,
        connection: f.connection,
        longConnection: { pingTimeoutSeconds: f.long_connection.ping_timeout_seconds, handshakeTimeoutMs: f.long_connection.handshake_timeout_ms },
        ...(f.bot_open_id ? { botOpenId: f.bot_open_id } : {}),
      },
      helpdesk: { id: raw.helpdesk.id, token: raw.helpdesk.token },
      server: {
        port: raw.server.port,
        bodyLimitBytes: raw.server.body_limit_bytes,
        timestampToleranceSeconds: raw.server.timestamp_tolerance_seconds,
        dedupeTtlSeconds: raw.server.dedupe_ttl_seconds,
        dedupeMaxEntries: raw.server.dedupe_max_entries,
        workConcurrency: raw.server.work_concurrency,
        workMaxPending: raw.server.work_max_pending,
        callbackBudgetMs: raw.server.callback_budget_ms,
        shutdownTimeoutMs: raw.server.shutdown_timeout_ms,
      },
      upstream: {
        timeoutMs: up.timeout_ms,
        commandBudgetMs: up.command_budget_ms,
        replyReserveMs: up.reply_reserve_ms,
        replyWaitMs: up.reply_wait_ms,
        minAttemptMs: up.min_attempt_ms,
        retry: { maxAttempts: up.retry.max_attempts, baseDelayMs: up.retry.base_delay_ms, maxDelayMs: up.retry.max_delay_ms },
        limits: {
          ticketGetPerSecond: up.limits.ticket_get_per_second,
          ticketListPerSecond: up.limits.ticket_list_per_second,
          ticketMessagesPerSecond: up.limits.ticket_messages_per_second,
          messagesPerSecond: up.limits.messages_per_second,
          messagesPerChatPerSecond: up.limits.messages_per_chat_per_second,
          windowMarginMs: up.limits.window_margin_ms,
          maxQueue: up.limits.max_queue,
          maxWaitMs: up.limits.max_wait_ms,
          messagesMaxQueue: up.limits.messages_max_queue,
        },
      },
      cache: {
        ticket: { ttlMs: raw.cache.ticket_ttl_ms, maxEntries: raw.cache.ticket_max_entries },
        list: { ttlMs: raw.cache.list_ttl_ms, maxEntries: raw.cache.list_max_entries },
      },
      state: { ...(redisUrl ? { redisUrl } : {}), startupWaitMs: raw.state.startup_wait_ms, ...(raw.state.file.trim() ? { file: raw.state.file.trim() } : {}) },
      watch: { maxPerChat: raw.watch.max_per_chat, digestAfter: raw.watch.digest_after, boardRefreshSeconds: raw.watch.board_refresh_seconds },
      display: { timezone: raw.display.timezone, pageSize: raw.display.page_size },
      access: {
        allowDirectMessages: raw.access.allow_direct_messages,
        allowGroups: raw.access.allow_groups,
        users: raw.access.users,
        chats: raw.access.chats,
        contact: raw.access.contact,
        watch: raw.access.watch,
      },
      privacy: { masking: raw.privacy.masking, fields: raw.privacy.masked_fields },
      menu: raw.menu,
      log: { level: raw.log.level },
      metrics: { enabled: raw.metrics.enabled, port: raw.metrics.port, host: raw.metrics.host },
    },
  };
}

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
