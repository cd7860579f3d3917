// Records every request in arrival order. A call is recorded as soon as its route is known (after
// the body is read) and completed when respond.ts writes the answer, so rejected requests are kept too.
// Only the newest `cap` are kept (see retention.ts).
import type { Request, RequestHandler, Response } from 'express';
import { bodyOf } from './body.js';
import { queryOf, urlOf } from './request.js';
import { append } from './retention.js';
import type { RecordedCall, Route } from './types.js';

const pending = new WeakMap<Response, RecordedCall>();

/** Fills in the answer of the call behind `res`, if it is being recorded. */
export function settle(res: Response, status: number, code: number | undefined): void {
  const call = pending.get(res);
  if (!call) return;
  call.status = status;
  if (code !== undefined) call.responseCode = code;
  pending.delete(res);
}

export class Recorder {
  readonly calls: RecordedCall[] = [];

  constructor(
    private readonly now: () => number,
    private readonly cap = Infinity,
  ) {}

  tag(route: Route | 'unknown'): RequestHandler {
    return (req, res, next) => {
      const call: RecordedCall = {
        route,
        method: req.method,
        path: urlOf(req).pathname,
        query: queryOf(req),
        headers: headersOf(req),
        body: recordedBody(req),
        status: 0,
        at: this.now(),
      };
      append(this.calls, call, this.cap);
      pending.set(res, call);
      next();
    };
  }

  callsTo(route: Route): RecordedCall[] {
    return this.calls.filter((call) => call.route === route);
  }

  clear(): void {
    this.calls.length = 0;
  }
}

function headersOf(req: Request): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function recordedBody(req: Request): unknown {
  const body = bodyOf(req);
  if (body.json !== undefined) return body.json;
  return body.text === '' ? undefined : body.text;
}
