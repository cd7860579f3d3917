// The Feishu APIs as the bot calls them: the single-call SDK layers (sdkHelpdesk, sdkMessenger)
// wrapped in caches, client-side rate limits, retries and deadlines, configured from app.yaml.
// The caches and limits are the state's: per process, or shared by every instance on Redis.
import type * as lark from '@larksuiteoapi/node-sdk';
import type { Config } from '../config/schema.js';
import { createLarkClient } from '../feishu/client.js';
import type { TenantTokens } from '../feishu/tenantToken.js';
import { sdkMessenger, type Messenger } from '../feishu/messenger.js';
import { resilientMessenger, type ResilientMessengerOptions } from '../feishu/resilientMessenger.js';
import { sdkHelpdesk, type Helpdesk } from '../helpdesk/api.js';
import { REFRESH_MS } from '../helpdesk/directory.js';
import type { WindowLimit } from '../resilience/limiter.js';
import { resilientHelpdesk, type ResilientHelpdeskOptions } from '../helpdesk/resilient.js';
import type { RetryPolicy } from '../resilience/retry.js';
import type { Timing } from '../resilience/timing.js';
import type { Logger } from '../obs/log.js';
import type { Metrics } from '../obs/metrics.js';
import type { State } from '../state/types.js';

export interface Upstream {
  helpdesk: Helpdesk;
  messenger: Messenger;
}

/** The SDK client of this Config's app, helpdesk and accounts host (the bot's and the doctor's). */
/** `tokens`: the tenant token's cache, and whether the platform takes it (for /healthz). */
export function larkClientFor(config: Config, log: Logger, tokens?: TenantTokens): lark.Client {
  return createLarkClient(
    {
      appId: config.feishu.app_id,
      appSecret: config.feishu.app_secret,
      domain: config.feishu.domain,
      helpdeskId: config.helpdesk.id,
      helpdeskToken: config.helpdesk.token,
      oauthBaseUrl: config.feishu.oauth_url,
      timeoutMs: config.upstream.timeout_ms,
    },
    log,
    tokens,
  );
}

/** `cutoff` is the time nothing may run past: Infinity until shutdown sets it. */
export function resilientUpstream(client: lark.Client, config: Config, state: State, time: Timing, log: Logger, cutoff: () => number, metrics?: Metrics): Upstream {
  const observed = metrics ? { metrics } : {};
  return {
    helpdesk: resilientHelpdesk(sdkHelpdesk(client, log), { ...helpdeskOptions(config, cutoff), ...observed }, state, time, log),
    messenger: resilientMessenger(sdkMessenger(client), { ...messengerOptions(config, cutoff), ...observed }, state, time, log),
  };
}

export function helpdeskOptions(config: Config, cutoff: () => number): ResilientHelpdeskOptions {
  const { limits, command_budget_ms, reply_reserve_ms } = config.upstream;
  const { cache } = config;
  const ticket = { ttlMs: cache.ticket_ttl_ms, maxEntries: cache.ticket_max_entries };
  return {
    retry: retryPolicy(config),
    limits: {
      get: perSecond(config, limits.ticket_get_per_second),
      list: perSecond(config, limits.ticket_list_per_second),
      messages: perSecond(config, limits.ticket_messages_per_second),
      queue: queueLimit(config),
    },
    // The conversation belongs to the ticket's details: it is kept as long and as many. A first
    // message never changes: it is kept as long as a card stays interactive.
    cache: {
      ticket,
      list: { ttlMs: cache.list_ttl_ms, maxEntries: cache.list_max_entries },
      conversation: ticket,
      question: { ttlMs: QUESTION_TTL_MS, maxEntries: cache.question_max_entries },
      agents: { ttlMs: REFRESH_MS, maxEntries: 1 },
    },
    budgetMs: command_budget_ms,
    replyReserveMs: reply_reserve_ms,
    cutoff,
  };
}

/**
 * Messages wait longer than lookups: under a burst in one chat the platform allows 5 a second, and
 * a late answer beats none, so a reply may queue for its chat's turn up to upstream.reply_wait_ms.
 */
export function messengerOptions(config: Config, cutoff: () => number): ResilientMessengerOptions {
  const { limits, reply_wait_ms } = config.upstream;
  return {
    retry: retryPolicy(config),
    limits: {
      perApp: perSecond(config, limits.messages_per_second),
      perChat: perSecond(config, limits.messages_per_chat_per_second),
      queue: { maxQueue: limits.messages_max_queue, maxWaitMs: reply_wait_ms },
    },
    budgetMs: reply_wait_ms,
    cutoff,
  };
}

/** A ticket's first message is kept 30 days (on Redis; in process, the newest question_max_entries). */
const QUESTION_TTL_MS = 30 * 24 * 3600_000;

const retryPolicy = ({ upstream: up }: Config): RetryPolicy => ({
  maxAttempts: up.retry.max_attempts,
  baseDelayMs: up.retry.base_delay_ms,
  maxDelayMs: up.retry.max_delay_ms,
  timeoutMs: up.timeout_ms,
  minAttemptMs: up.min_attempt_ms,
});
const perSecond = ({ upstream: up }: Config, rate: number): WindowLimit => ({ rate, windowMs: 1000 + up.limits.window_margin_ms });
const queueLimit = ({ upstream: up }: Config) => ({ maxQueue: up.limits.max_queue, maxWaitMs: up.limits.max_wait_ms });
