// Every way a helpdesk call can fail, decided once from the SDK's two error styles: a 2xx body
// with a non-zero code, or a thrown axios error carrying the HTTP status and the platform's body.

export type HelpdeskErrorKind =
  | 'not-found' //        154004
  | 'unauthorized' //     154001, bad app credentials or tokens, missing scopes
  | 'bad-request' //      154000 and other 4xx business errors
  | 'rate-limited' //     HTTP 429 / 99991400
  | 'upstream' //         5xx, 155000
  | 'timeout' //          no answer in time
  | 'network' //          connection refused, reset, DNS
  | 'busy'; //            our own limiter or time budget: the call was not made in time

export class HelpdeskError extends Error {
  constructor(
    readonly kind: HelpdeskErrorKind,
    message: string,
    readonly details: { status?: number; code?: number; retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = 'HelpdeskError';
  }

  /** Worth trying again: the same request may succeed later. Business errors never are. */
  get retryable(): boolean {
    return this.kind === 'rate-limited' || this.kind === 'upstream' || this.kind === 'timeout' || this.kind === 'network';
  }
}

const UNAUTHORIZED_CODES = new Set([154001, 99991661, 99991663, 99991664, 99991668, 99991672, 10003, 10014]);

/** Maps a platform business code (from a 2xx body or an error body) and HTTP status to a kind. */
export function kindOf(code: number | undefined, status: number | undefined): HelpdeskErrorKind {
  if (code === 154004) return 'not-found';
  if (code === 99991400 || status === 429) return 'rate-limited';
  if (code !== undefined && UNAUTHORIZED_CODES.has(code)) return 'unauthorized';
  if (status === 401 || status === 403) return 'unauthorized';
  if (code === 155000 || (status !== undefined && status >= 500)) return 'upstream';
  return 'bad-request';
}

export function fromCode(code: number, msg: unknown, status?: number): HelpdeskError {
  return new HelpdeskError(kindOf(code, status), `helpdesk answered code ${code}: ${String(msg ?? '')}`.trim(), {
    code,
    ...(status !== undefined ? { status } : {}),
  });
}

/** Turns whatever the SDK threw into a HelpdeskError (used for every Feishu API call, bot info too). */
export function fromThrown(error: unknown): HelpdeskError {
  if (error instanceof HelpdeskError) return error;
  const e = error as {
    code?: unknown;
    message?: unknown;
    response?: { status?: number; data?: { code?: unknown; msg?: unknown }; headers?: Record<string, unknown> };
  };
  const response = e?.response;
  if (response && typeof response.status === 'number') {
    const code = typeof response.data?.code === 'number' ? response.data.code : undefined;
    const reset = Number(response.headers?.['x-ogw-ratelimit-reset']);
    return new HelpdeskError(kindOf(code, response.status), `the platform answered HTTP ${response.status}${code !== undefined ? ` code ${code}` : ''}`, {
      status: response.status,
      ...(code !== undefined ? { code } : {}),
      ...(Number.isFinite(reset) && reset >= 0 ? { retryAfterMs: reset * 1000 } : {}),
    });
  }
  // The SDK's token manager throws a plain Error when the token endpoint answers 2xx with a code.
  const tokenFailure = /failed to get \w+, code: (\d+)/.exec(String(e?.message ?? ''));
  if (tokenFailure) {
    const code = Number(tokenFailure[1]);
    return new HelpdeskError(kindOf(code, undefined) === 'bad-request' ? 'unauthorized' : kindOf(code, undefined), `access token refused, code ${code}`, { code });
  }
  if (e?.code === 'ECONNABORTED' || e?.code === 'ETIMEDOUT' || /timeout/i.test(String(e?.message ?? ''))) {
    return new HelpdeskError('timeout', 'the platform did not answer in time');
  }
  return new HelpdeskError('network', `the platform is unreachable: ${String(e?.code ?? e?.message ?? 'unknown error')}`);
}
