// The helpdesk as the bot uses it: sdkHelpdesk (one SDK call each) wrapped in caches with single
// flight, client-side rate limits, retries with backoff, and the command's deadline. Same interface.
import type { Logger } from '../log.js';
import type { CallOptions, Helpdesk } from './api.js';
import { canonicalKey, SharedLoads, type CacheLimit } from '../resilience/cache.js';
import { HelpdeskError } from './errors.js';
import { acquire, SlidingWindow, type QueueLimit, type WindowLimit } from '../resilience/limiter.js';
import { withRetries, type RetryPolicy, type Verdict } from '../resilience/retry.js';
import type { Timing } from '../resilience/timing.js';
import type { Conversation, Ticket, TicketPage } from './types.js';

export interface ResilientHelpdeskOptions {
  retry: RetryPolicy;
  limits: { get: WindowLimit; list: WindowLimit; messages: WindowLimit; queue: QueueLimit };
  /** Get and list are cached apart: a list row may be abbreviated, so it never stands in for a get. */
  cache: { ticket: CacheLimit; list: CacheLimit; conversation: CacheLimit };
  /** The budget of a call that brings no deadline of its own. */
  budgetMs: number;
  /** Lookups give up this long before the command's deadline, so its reply can still be sent. */
  replyReserveMs: number;
  /** Nothing may run past this time (the shutdown deadline); Infinity while running normally. */
  cutoff: () => number;
}

export function resilientHelpdesk(inner: Helpdesk, options: ResilientHelpdeskOptions, time: Timing, log: Logger): Helpdesk {
  const tickets = new SharedLoads<Ticket>(options.cache.ticket, time.clock);
  const pages = new SharedLoads<TicketPage>(options.cache.list, time.clock);
  const conversations = new SharedLoads<Conversation>(options.cache.conversation, time.clock);
  const windows = {
    ticket_get: new SlidingWindow(options.limits.get),
    ticket_list: new SlidingWindow(options.limits.list),
    ticket_messages: new SlidingWindow(options.limits.messages),
  };

  const deadlineOf = (o: CallOptions | undefined) => {
    const own = o?.deadline ?? time.clock() + options.budgetMs;
    return () => Math.min(own, options.cutoff()) - options.replyReserveMs;
  };

  // A shared load runs within the budget of the request that started it; with equal budgets, those
  // that join later have later deadlines, so none of them waits past its own.
  function upstream<T>(api: keyof typeof windows, call: () => Promise<T>, o: CallOptions | undefined): Promise<T> {
    return withRetries(
      {
        admit: (latest) => acquire([windows[api]], latest, options.limits.queue, time.clock, time.sleep),
        call,
        classify,
        busy: () => new HelpdeskError('busy', `no ${api} slot within the time budget`),
        timedOut: () => new HelpdeskError('timeout', 'helpdesk did not answer in time'),
        onRetry: (error, attempt, delayMs) =>
          log.debug('helpdesk.retry', { api, attempt, delay_ms: delayMs, error: error instanceof HelpdeskError ? error.kind : 'unknown' }),
      },
      options.retry,
      deadlineOf(o),
      time,
    );
  }

  const counted = (o: CallOptions | undefined): CallOptions => (o?.stats ? { stats: o.stats } : {});

  return {
    getTicket(id, o) {
      return tickets.get(id, () => upstream('ticket_get', () => inner.getTicket(id, counted(o)), o), o);
    },
    listTickets(filter, page, pageSize, o) {
      const key = `${canonicalKey(filter)}|${page}|${pageSize}`;
      return pages.get(key, () => upstream('ticket_list', () => inner.listTickets(filter, page, pageSize, counted(o)), o), o);
    },
    getConversation(id, o) {
      return conversations.get(id, () => upstream('ticket_messages', () => inner.getConversation(id, counted(o)), o), o);
    },
  };
}

/** Rate limits, server errors, timeouts and network errors are retried; business errors never. */
function classify(error: unknown): Verdict {
  if (!(error instanceof HelpdeskError) || !error.retryable) return { retry: false };
  return error.details.retryAfterMs !== undefined ? { retry: true, afterMs: error.details.retryAfterMs } : { retry: true };
}
