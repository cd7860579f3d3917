// Writes every answer: JSON, an `x-tt-logid` header like the platform's, and the error envelope
// `{code, msg, error: {log_id, troubleshooter, ...}}` the platform wraps its failures in.
import type { Response } from 'express';
import type { PlatformError } from './codes.js';
import { newLogId } from './ids.js';
import { settle } from './recorder.js';

export interface ApiBody {
  code: number;
  msg?: string;
  [field: string]: unknown;
}

export interface ErrorOptions {
  /** Appended as ", ext=…", the platform's way of saying why. */
  ext?: string;
  /** Extra fields of the `error` object, such as field_violations. */
  detail?: Record<string, unknown>;
  headers?: Record<string, string>;
}

function write(res: Response, status: number, body: ApiBody, headers: Record<string, string>, logId: string): void {
  settle(res, status, body.code);
  res
    .status(status)
    .set({ 'x-tt-logid': logId, ...headers })
    .json(body);
}

export function sendJson(res: Response, status: number, body: ApiBody, headers: Record<string, string> = {}): void {
  write(res, status, body, headers, newLogId(Date.now()));
}

export function sendError(res: Response, error: PlatformError, options: ErrorOptions = {}): void {
  const logId = newLogId(Date.now());
  const msg = options.ext === undefined ? error.msg : `${error.msg}, ext=${options.ext}`;
  const troubleshooter = '排查建议查看(Troubleshooting suggestions): ' + `https://open.feishu.cn/search?from=openapi&log_id=${logId}&code=${error.code}`;
  const body: ApiBody = { code: error.code, msg, error: { ...options.detail, log_id: logId, troubleshooter } };
  write(res, error.status, body, options.headers ?? {}, logId);
}

/** Any JSON at all, as a faulty platform might answer (an injected fault's `body`). */
export function sendRaw(res: Response, status: number, body: unknown): void {
  const code = body && typeof body === 'object' && typeof (body as { code?: unknown }).code === 'number' ? (body as { code: number }).code : undefined;
  settle(res, status, code);
  res
    .status(status)
    .set({ 'x-tt-logid': newLogId(Date.now()) })
    .json(body);
}
