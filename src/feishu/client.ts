// The one place the SDK client is built. Every Feishu API call in the bot goes through it.
import type * as lark from '@larksuiteoapi/node-sdk';
import axios from 'axios';
import type { Fields, Logger } from '../obs/log.js';
import { checkSlot } from '../resilience/slot.js';
import { sdk } from './sdk.js';

export interface LarkClientOptions {
  appId: string;
  appSecret: string;
  /** Base URL, e.g. https://open.feishu.cn or a local stand-in. */
  domain: string;
  helpdeskId: string;
  helpdeskToken: string;
  /** The accounts host agents sign in at (the SDK's token exchange and refresh go there). */
  oauthBaseUrl?: string;
  /** Per-request timeout; the SDK itself has none. */
  timeoutMs: number;
}

/**
 * The SDK's default axios instance has no timeout; ours has one and otherwise behaves the same
 * (the SDK expects responses unwrapped to their data). Shared by the API client and the WSClient.
 */
export function platformHttp(timeoutMs: number): lark.HttpInstance {
  const http = axios.create({ timeout: timeoutMs });
  // The last step before a request leaves: one late for its rate-limit slot is not sent (see
  // resilience/slot.ts). Requests made outside a slot (tokens, the long connection's) pass.
  http.interceptors.request.use((config) => {
    if (!config.url?.includes('/open-apis/auth/')) checkSlot();
    return config;
  });
  http.interceptors.response.use((resp) => (resp.config && (resp.config as { $return_headers?: boolean }).$return_headers ? { data: resp.data, headers: resp.headers } : resp.data));
  return http as unknown as lark.HttpInstance;
}

export function createLarkClient(options: LarkClientOptions, log: Logger): lark.Client {
  const http = platformHttp(options.timeoutMs);
  return new sdk.Client({
    appId: options.appId,
    appSecret: options.appSecret,
    domain: options.domain,
    helpDeskId: options.helpdeskId,
    helpDeskToken: options.helpdeskToken,
    ...(options.oauthBaseUrl ? { oauthBaseUrl: options.oauthBaseUrl } : {}),
    httpInstance: http,
    // A cache of our own: the SDK's default is a process-wide singleton shared by every client.
    cache: tokenCache(),
    logger: sdkLogger(log),
    loggerLevel: sdk.LoggerLevel.warn,
    source: 'helpdesk-bot',
  });
}

function tokenCache(): lark.Cache {
  const values = new Map<string, { value: unknown; expiresAt?: number }>();
  const keyOf = (key: string | symbol, namespace?: string) => `${namespace ?? ''}/${key.toString()}`;
  return {
    async get(key, options) {
      const hit = values.get(keyOf(key as symbol, options?.namespace));
      if (!hit || (hit.expiresAt !== undefined && hit.expiresAt <= Date.now())) return undefined;
      return hit.value;
    },
    async set(key, value, expiresAt, options) {
      values.set(keyOf(key as symbol, options?.namespace), { value, ...(expiresAt ? { expiresAt } : {}) });
      return true;
    },
  };
}

/**
 * The SDK logs whole axios errors, request headers (tokens) included. We keep only a short,
 * secret-free summary (status, platform code and message) of its errors and warnings, and emit it
 * as `emit` says: at debug level by default, since every failure is also reported where it matters.
 */
export function sdkLogger(log: Logger, emit: (kind: 'error' | 'warn', fields: Fields) => void = (kind, fields) => log.debug(`sdk.${kind}`, fields)): lark.Logger {
  const summarize = (args: unknown[]) => ({ detail: args.map(summary).filter(Boolean).join(' ').slice(0, 300) });
  return {
    error: (...args) => emit('error', summarize(args)),
    warn: (...args) => emit('warn', summarize(args)),
    info: () => {},
    debug: () => {},
    trace: () => {},
  };
}

/**
 * A short, secret-free line from whatever the SDK logs: tokens, codes and connection tickets
 * masked. Objects (its failed requests, with their bodies: a client secret, a code, a refresh
 * token, a reply's text) give only their status, code and message.
 */
export function summary(value: unknown): string {
  if (typeof value === 'string') {
    return value
      .replace(/(t-|u-|ur-|Bearer\s+|Basic\s+)[A-Za-z0-9._~+/=-]+/g, '$1***')
      .replace(/([?&](?:ticket|access_key|code|state|device_code)=)[^&\s]+/g, '$1***')
      .replace(/("?(?:client_secret|refresh_token|access_token|device_code)"?\s*[:=]\s*"?)[^"&\s,}]+/g, '$1***');
  }
  if (Array.isArray(value)) return value.map(summary).join(' ');
  if (value && typeof value === 'object') {
    const v = value as { message?: unknown; code?: unknown; msg?: unknown; response?: { status?: unknown; data?: { code?: unknown; msg?: unknown } } };
    const parts = [v.response?.status, v.response?.data?.code ?? v.code, v.response?.data?.msg ?? v.msg ?? v.message];
    return parts
      .filter((p) => p !== undefined)
      .map(String)
      .join(' ');
  }
  return '';
}
