// Every way a call to the Feishu platform can fail (helpdesk, messages, bot info, the doctor's
// checks), decided once from the SDK's two error styles: a 2xx body with a non-zero code, or a
// thrown axios error carrying the HTTP status and the platform's body.
import type { Verdict } from '../resilience/retry.js';

export type PlatformErrorKind =
  | 'not-found' //        154004
  | 'unauthorized' //     154001, missing scopes
  | 'token' //            the access token refused (99991661, 99991663, …) or not issued by the token endpoint
  | 'unreadable' //       an answer that is not the documented shape
  | 'bad-request' //      154000 and other 4xx business errors
  | 'rate-limited' //     HTTP 429 / 99991400, 230020 (messages to one chat too frequent)
  | 'upstream' //         5xx, 155000
  | 'timeout' //          no answer in time
  | 'network' //          connection refused, reset, DNS
  | 'busy'; //            our own limiter or time budget: the call was not made in time

export interface PlatformErrorDetails {
  status?: number;
  code?: number;
  retryAfterMs?: number;
  /** It was the token endpoint that failed, not the call the token was for. */
  tokenEndpoint?: boolean;
}

export class PlatformError extends Error {
  constructor(
    readonly kind: PlatformErrorKind,
    message: string,
    readonly details: PlatformErrorDetails = {},
  ) {
    super(message);
    this.name = 'PlatformError';
  }

  /**
   * A write that failed this way may still have been applied: the platform failed on its side
   * (5xx), gave no answer, or an answer nobody could read. Refusals (4xx, limits, tokens, our own
   * budget) changed nothing.
   */
  get mayHaveHappened(): boolean {
    return this.kind === 'upstream' || this.kind === 'timeout' || this.kind === 'network' || this.kind === 'unreadable';
  }

  /** Worth trying again: the same request may succeed later. Business errors never are. */
  get retryable(): boolean {
    return this.kind === 'rate-limited' || this.kind === 'upstream' || this.kind === 'timeout' || this.kind === 'network';
  }
}

/**
 * The access token was refused: missing (99991661), invalid or expired (99991663; 99991664 and
 * 99991671 for a malformed or wrong kind of token; 99991668 and 99991677 for user tokens). Another
 * token may pass where this one did not.
 */
const TOKEN_CODES = new Set([99991661, 99991663, 99991664, 99991668, 99991671, 99991677]);
/** The app's id or secret refused at the token endpoint (10003, 10014), or a scope not granted. */
const UNAUTHORIZED_CODES = new Set([154001, 99991672, 10003, 10014]);

/** Whether a platform code says the request's access token was refused. */
export const isTokenRefusal = (code: unknown): boolean => typeof code === 'number' && TOKEN_CODES.has(code);
/** Rate limits: the platform's (99991400) and the messages API's "too frequent" (230020). */
const RATE_LIMITED_CODES = new Set([99991400, 230020]);

/** Maps a platform business code (from a 2xx body or an error body) and HTTP status to a kind. */
export function kindOf(code: number | undefined, status: number | undefined): PlatformErrorKind {
  if (code === 154004) return 'not-found';
  if ((code !== undefined && RATE_LIMITED_CODES.has(code)) || status === 429) return 'rate-limited';
  if (isTokenRefusal(code)) return 'token';
  if (code !== undefined && UNAUTHORIZED_CODES.has(code)) return 'unauthorized';
  if (status === 401 || status === 403) return 'unauthorized';
  if (code === 155000 || (status !== undefined && status >= 500)) return 'upstream';
  return 'bad-request';
}

/**
 * A non-zero code in a 2xx body. `what` starts the message: which call failed ("helpdesk",
 * "send failed:"), so a log line says where without a stack.
 */
export function fromCode(code: number, msg: unknown, status?: number, what = 'helpdesk'): PlatformError {
  return new PlatformError(kindOf(code, status), `${what} answered code ${code}: ${String(msg ?? '')}`.trim(), {
    code,
    ...(status !== undefined ? { status } : {}),
  });
}

/** Turns whatever the SDK threw into a PlatformError; `what` prefixes the message ("send failed:"). */
export function fromThrown(error: unknown, what?: string): PlatformError {
  if (error instanceof PlatformError) return error;
  const say = (text: string) => (what ? `${what} ${text}` : text);
  const e = error as {
    code?: unknown;
    message?: unknown;
    config?: { url?: unknown };
    response?: { status?: number; data?: { code?: unknown; msg?: unknown }; headers?: Record<string, unknown> };
  };
  // The SDK asks the token endpoint first, with the same HTTP client: its failures surface here.
  const atTokenEndpoint = typeof e?.config?.url === 'string' && e.config.url.includes(TOKEN_PATH);
  const where = atTokenEndpoint ? { tokenEndpoint: true } : {};
  const response = e?.response;
  if (response && typeof response.status === 'number') {
    const code = typeof response.data?.code === 'number' ? response.data.code : undefined;
    const reset = Number(response.headers?.['x-ogw-ratelimit-reset']);
    const kind = atTokenEndpoint && response.status < 500 && response.status !== 429 ? 'token' : kindOf(code, response.status);
    return new PlatformError(kind, say(`${atTokenEndpoint ? 'the token endpoint' : 'the platform'} answered HTTP ${response.status}${code !== undefined ? ` code ${code}` : ''}`), {
      status: response.status,
      ...(code !== undefined ? { code } : {}),
      ...(Number.isFinite(reset) && reset >= 0 ? { retryAfterMs: reset * 1000 } : {}),
      ...where,
    });
  }
  // The SDK's token manager throws a plain Error when the token endpoint answers 2xx with a code.
  const tokenFailure = /failed to get \w+, code: (\w+)(?:, msg: (.*))?/.exec(String(e?.message ?? ''));
  if (tokenFailure) {
    const code = Number(tokenFailure[1]);
    const known = Number.isInteger(code) ? { code } : {};
    return new PlatformError('token', say(`the token endpoint refused to issue a token, code ${tokenFailure[1]}${tokenFailure[2] ? `: ${tokenFailure[2]}` : ''}`), { ...known, tokenEndpoint: true });
  }
  if (e?.code === 'ECONNABORTED' || e?.code === 'ETIMEDOUT' || /timeout/i.test(String(e?.message ?? ''))) {
    return new PlatformError('timeout', say(`${atTokenEndpoint ? 'the token endpoint' : 'the platform'} did not answer in time`), where);
  }
  return new PlatformError('network', say(`${atTokenEndpoint ? 'the token endpoint' : 'the platform'} is unreachable: ${String(e?.code ?? e?.message ?? 'unknown error')}`), where);
}

/** Where the SDK asks for tenant (and app) access tokens. */
export const TOKEN_PATH = '/open-apis/auth/v3/';

/**
 * Whether a failed call is tried again (rate limits, server errors, timeouts, network errors), and
 * when the platform said to come back; business errors never are.
 */
export function retryVerdict(error: unknown): Verdict {
  if (!(error instanceof PlatformError) || !error.retryable) return { retry: false };
  return error.details.retryAfterMs !== undefined ? { retry: true, afterMs: error.details.retryAfterMs } : { retry: true };
}
