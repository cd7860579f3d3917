// The one place the SDK client is built. Every Feishu API call in the bot goes through it.
import type * as lark from '@larksuiteoapi/node-sdk';
import axios, { AxiosHeaders, type AxiosInstance, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios';
import type { Fields, Logger } from '../obs/log.js';
import { checkSlot } from '../resilience/slot.js';
import { isTokenRefusal, TOKEN_PATH } from './errors.js';
import { sdk } from './sdk.js';
import { apiOf, TenantTokens } from './tenantToken.js';

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
  const http = slotChecked(timeoutMs);
  http.interceptors.response.use(unwrap);
  return http as unknown as lark.HttpInstance;
}

/**
 * An axios instance with a timeout that checks, as the last step before a request leaves, that it
 * is not late for its rate-limit slot (see resilience/slot.ts): one that is, is not sent. Requests
 * made outside a slot (tokens, the long connection's) pass, and so does a call sent again with a
 * new token: it keeps the slot of the one the platform refused at its gate.
 */
function slotChecked(timeoutMs: number): AxiosInstance {
  const http = axios.create({ timeout: timeoutMs });
  http.interceptors.request.use((config) => {
    if (!config.url?.includes(TOKEN_PATH) && !(config as Retried)[RETRIED]) checkSlot();
    return config;
  });
  return http;
}

const unwrap = (resp: AxiosResponse) => ((resp.config as { $return_headers?: boolean }).$return_headers ? { data: resp.data, headers: resp.headers } : resp.data);

/**
 * Asks the token endpoint once for every call that finds no token at the same time (after a start,
 * or once a refused token is dropped): the SDK would ask once per call.
 */
function sharedTokenRequests(http: AxiosInstance): void {
  const adapter = axios.getAdapter(http.defaults.adapter);
  const asking = new Map<string, ReturnType<typeof adapter>>();
  http.defaults.adapter = (config) => {
    if (!config.url?.includes(TOKEN_PATH)) return adapter(config);
    const key = `${config.url} ${String(config.data)}`;
    let answer = asking.get(key);
    if (!answer) {
      answer = adapter(config).finally(() => asking.delete(key));
      asking.set(key, answer);
    }
    return answer;
  };
}

/** `tokens`: the tenant token's cache, and whether the platform takes it (for /healthz). */
export function createLarkClient(options: LarkClientOptions, log: Logger, tokens = new TenantTokens(log)): lark.Client {
  const http = slotChecked(options.timeoutMs);
  sharedTokenRequests(http);
  const client = new sdk.Client({
    appId: options.appId,
    appSecret: options.appSecret,
    domain: options.domain,
    helpDeskId: options.helpdeskId,
    helpDeskToken: options.helpdeskToken,
    ...(options.oauthBaseUrl ? { oauthBaseUrl: options.oauthBaseUrl } : {}),
    httpInstance: http as unknown as lark.HttpInstance,
    // A cache of our own: the SDK's default is a process-wide singleton shared by every client.
    cache: tokens.cache,
    logger: sdkLogger(log),
    loggerLevel: sdk.LoggerLevel.warn,
    source: 'helpdesk-bot',
  });
  // The SDK's token manager is not in its types; it asks the token endpoint when the cache has none.
  const fetchToken = () => (client as unknown as { tokenManager: { getTenantAccessToken(): Promise<string> } }).tokenManager.getTenantAccessToken();
  // Token refusals come as HTTP 400 (the gateway's way) or, as plausibly, in a 2xx body.
  http.interceptors.response.use(
    (resp) => (isTokenRefusal((resp.data as { code?: unknown } | undefined)?.code) ? again(resp.config, resp) : (noteAccepted(resp.config), unwrap(resp))),
    (error: unknown) => {
      const e = error as { config?: InternalAxiosRequestConfig; response?: AxiosResponse<{ code?: unknown }> };
      if (e.config && e.response && isTokenRefusal(e.response.data?.code)) return again(e.config, error);
      // An answer about the call itself (not found, bad request) means the token passed the gate.
      if (e.config && e.response && e.response.status < 500 && e.response.status !== 429) noteAccepted(e.config);
      throw error;
    },
  );

  /**
   * A call whose tenant token was refused is sent once more with a new token; a second refusal
   * is the call's answer (or error). A user's token is not ours to replace.
   */
  async function again(config: InternalAxiosRequestConfig, refusal: unknown): Promise<unknown> {
    const token = bearer(config);
    const answered = isResponse(refusal) ? refusal : (refusal as { response: AxiosResponse<{ code?: unknown }> }).response;
    const fail = () => (isResponse(refusal) ? unwrap(refusal) : Promise.reject(refusal));
    if (token === undefined || !tokens.isTenant(token)) return fail();
    if ((config as Retried)[RETRIED]) {
      const api = apiOf(config.url);
      tokens.refused(api, `${api} refused a tenant token the platform had just issued (HTTP ${answered.status}, code ${String(answered.data?.code)})`);
      return fail();
    }
    log.warn('feishu.token_renewed', { code: answered.data?.code, reason: 'the platform refused the cached tenant token before its expiry; getting a new one and trying the call once more' });
    const fresh = await tokens.renew(token, fetchToken);
    const headers = AxiosHeaders.from(config.headers);
    headers.set('Authorization', `Bearer ${fresh}`);
    return http.request({ ...config, headers, [RETRIED]: true } as InternalAxiosRequestConfig);
  }

  function noteAccepted(config: InternalAxiosRequestConfig): void {
    const token = bearer(config);
    if (token !== undefined && tokens.isTenant(token)) tokens.accepted(apiOf(config.url));
  }

  return client;
}

/** Marks the second try of a call whose token was refused (a string key: axios copies only those). */
const RETRIED = '$token_retried';
type Retried = { [RETRIED]?: boolean };

const bearer = (config: InternalAxiosRequestConfig): string | undefined => /^Bearer (.+)$/.exec(String(AxiosHeaders.from(config.headers).get('Authorization') ?? ''))?.[1];
const isResponse = (value: unknown): value is AxiosResponse<{ code?: unknown }> => !!value && typeof value === 'object' && !(value instanceof Error) && 'config' in value && 'status' in value;

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
      .replace(/("?(?:client_secret|app_secret|refresh_token|access_token|device_code)"?\s*[:=]\s*"?)[^"&\s,}]+/g, '$1***');
  }
  if (Array.isArray(value)) return value.map(summary).join(' ');
  if (value && typeof value === 'object') {
    const v = value as { message?: unknown; code?: unknown; msg?: unknown; response?: { status?: unknown; data?: { code?: unknown; msg?: unknown } } };
    const parts = [v.response?.status, v.response?.data?.code ?? v.code, v.response?.data?.msg ?? v.msg ?? v.message];
    return (
      parts
        .filter((p) => p !== undefined)
        // A message is the platform's or the HTTP client's words, but masked like any other text.
        .map((p) => (typeof p === 'string' ? summary(p) : p))
        .map(String)
        .join(' ')
    );
  }
  return '';
}
