// Fault injection: per route, a delay and/or a forced answer, optionally for a limited number of
// requests. Applied after recording and before any normal handling, like a gateway in front.
import type { RequestHandler } from 'express';
import { E, knownError } from './codes.js';
import { sendError, sendRaw } from './respond.js';
import type { Fault, Route } from './types.js';

interface ActiveFault {
  fault: Fault;
  remaining: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class FaultBook {
  private readonly active = new Map<Route, ActiveFault>();

  /** Replaces any fault already set on the route. */
  inject(route: Route, fault: Fault): void {
    if (fault.times !== undefined && !(Number.isInteger(fault.times) && fault.times >= 1)) {
      throw new RangeError(`fault.times must be a positive integer, got ${fault.times}`);
    }
    this.active.set(route, { fault, remaining: fault.times ?? Infinity });
  }

  clear(): void {
    this.active.clear();
  }

  /** The fault for this request, counting it down and dropping it once used up. */
  private take(route: Route): Fault | undefined {
    const entry = this.active.get(route);
    if (!entry) return undefined;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.active.delete(route);
    return entry.fault;
  }

  guard(route: Route): RequestHandler {
    return async (_req, res, next) => {
      const fault = this.take(route);
      if (!fault) return next();
      if (fault.delayMs) await sleep(fault.delayMs);
      if (fault.body !== undefined) return sendRaw(res, fault.status ?? 200, fault.body);
      if (fault.status === undefined && fault.code === undefined) return next();

      const status = fault.status ?? 400;
      const code = fault.code ?? (status === 429 ? E.rateLimited.code : status);
      const msg = fault.msg ?? knownError(code)?.msg ?? 'injected fault';
      const headers: Record<string, string> = {};
      if (fault.rateLimitResetSeconds !== undefined) {
        headers['x-ogw-ratelimit-limit'] = '50';
        headers['x-ogw-ratelimit-reset'] = String(fault.rateLimitResetSeconds);
      }
      sendError(res, { status, code, msg }, { headers });
    };
  }
}
