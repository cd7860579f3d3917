// The helpdesk as the bot uses it: sdkHelpdesk (one SDK call each) wrapped in caches with single
// flight, client-side rate limits, retries with backoff, and the command's deadline. Same interface.
// Caches and limits live in the state (this process's, or shared by every instance).
import type { Logger } from '../obs/log.js';
import type { Metrics } from '../obs/metrics.js';
import type { CallOptions, Helpdesk } from './api.js';
import { canonicalKey, SharedLoads, type CacheLimit } from '../resilience/cache.js';
import { PlatformError, retryVerdict } from '../feishu/errors.js';
import type { QueueLimit, WindowLimit } from '../resilience/limiter.js';
import { withRetries, type RetryPolicy } from '../resilience/retry.js';
import type { Timing } from '../resilience/timing.js';
import { StateUnavailable, type LimitKey, type State } from '../state/types.js';
import type { Agent, Conversation, Ticket, TicketPage } from './types.js';
import { messageOf } from '../obs/errors.js';

export interface ResilientHelpdeskOptions {
  retry: RetryPolicy;
  limits: { get: WindowLimit; list: WindowLimit; messages: WindowLimit; queue: QueueLimit };
  /**
   * Get and list are cached apart: a list row may be abbreviated, so it never stands in for a get.
   * A ticket's first message never changes: it is kept long (`question`); the agents are the
   * directory's, refreshed as often as it is (see directory.ts).
   */
  cache: { ticket: CacheLimit; list: CacheLimit; conversation: CacheLimit; question: CacheLimit; agents: CacheLimit };
  /** The budget of a call that brings no deadline of its own. */
  budgetMs: number;
  /** Lookups give up this long before the command's deadline, so its reply can still be sent. */
  replyReserveMs: number;
  /** Nothing may run past this time (the shutdown deadline); Infinity while running normally. */
  cutoff: () => number;
  /** Counts calls, retries, slot waits and cache lookups. */
  metrics?: Metrics;
}

export function resilientHelpdesk(inner: Helpdesk, options: ResilientHelpdeskOptions, state: Pick<State, 'limiter' | 'cache'>, time: Timing, log: Logger): Helpdesk {
  const storeFailed = (error: unknown) => log.warn('cache.unavailable', { error: messageOf(error) });
  const { metrics } = options;
  const observe = (cache: string) => (result: 'hit' | 'shared' | 'miss') => metrics?.cache(cache, result);
  const tickets = new SharedLoads<Ticket>(state.cache<Ticket>('ticket', options.cache.ticket), time, storeFailed, observe('ticket'));
  const pages = new SharedLoads<TicketPage>(state.cache<TicketPage>('list', options.cache.list), time, storeFailed, observe('list'));
  const conversations = new SharedLoads<Conversation>(state.cache<Conversation>('conversation', options.cache.conversation), time, storeFailed, observe('conversation'));
  const questionStore = state.cache<string>('question', options.cache.question);
  const questions = new SharedLoads<string>(questionStore, time, storeFailed, observe('question'));
  const agents = new SharedLoads<Agent[]>(state.cache<Agent[]>('agents', options.cache.agents), time, storeFailed, observe('agents'));
  const windows = {
    ticket_get: { key: 'ticket_get', limit: options.limits.get },
    ticket_list: { key: 'ticket_list', limit: options.limits.list },
    ticket_messages: { key: 'ticket_messages', limit: options.limits.messages },
    agent_schedules: { key: 'agent_schedules', limit: options.limits.list },
  };
  // Background calls also take a slot in a window of half the rate: spaced two of the API's slots
  // apart, they always leave a free slot between them for a typed command.
  const background = Object.fromEntries(Object.entries(windows).map(([api, w]) => [api, { key: `${w.key}_background`, limit: { ...w.limit, rate: Math.max(1, Math.floor(w.limit.rate / 2)) } }])) as Record<
    keyof typeof windows,
    LimitKey
  >;

  const deadlineOf = (o: CallOptions | undefined) => {
    const own = o?.deadline ?? time.clock() + options.budgetMs;
    return () => Math.min(own, options.cutoff()) - options.replyReserveMs;
  };

  // A shared load runs within the budget of the request that started it; with equal budgets, those
  // that join later have later deadlines, so none of them waits past its own.
  function upstream<T>(api: keyof typeof windows, call: () => Promise<T>, o: CallOptions | undefined): Promise<T> {
    return withRetries(
      {
        admit: async (latest) => {
          const asked = time.clock();
          const admitted = await state.limiter.acquire(o?.background ? [windows[api], background[api]] : [windows[api]], latest, options.limits.queue).catch((error: unknown) => {
            // No shared limit to keep to: the call is not made, and the user hears "busy".
            if (error instanceof StateUnavailable) throw new PlatformError('busy', error.message);
            throw error;
          });
          metrics?.slot(api, admitted ? (time.clock() - asked) / 1000 : undefined);
          return admitted;
        },
        call,
        classify: retryVerdict,
        onLate: () => metrics?.late(api),
        busy: () => new PlatformError('busy', `no ${api} slot within the time budget`),
        timedOut: () => new PlatformError('timeout', 'helpdesk did not answer in time'),
        onAttempt: (error) => metrics?.upstream(api, error === undefined ? 'ok' : error instanceof PlatformError ? error.kind : 'error'),
        onRetry: (error, attempt, delayMs) => {
          metrics?.retry(api);
          log.debug('helpdesk.retry', { api, attempt, delay_ms: delayMs, error: error instanceof PlatformError ? error.kind : 'unknown' });
        },
      },
      options.retry,
      deadlineOf(o),
      time,
    );
  }

  const counted = (o: CallOptions | undefined): CallOptions => (o?.stats ? { stats: o.stats } : {});
  const readStored = (id: string) =>
    questionStore.get(id).catch((error: unknown) => {
      storeFailed(error);
      return undefined;
    });
  // While another instance loads the same key, wait for it as long as a call of our own could start.
  const loadOptions = (o: CallOptions | undefined) => ({
    ...(o?.fresh ? { fresh: true } : {}),
    ...(o?.stats ? { stats: o.stats } : {}),
    waitUntil: deadlineOf(o)() - options.retry.minAttemptMs,
  });

  return {
    getTicket(id, o) {
      return tickets.get(id, () => upstream('ticket_get', () => inner.getTicket(id, counted(o)), o), loadOptions(o));
    },
    listTickets(filter, page, pageSize, o) {
      const key = `${canonicalKey(filter)}|${page}|${pageSize}`;
      return pages.get(key, () => upstream('ticket_list', () => inner.listTickets(filter, page, pageSize, counted(o)), o), loadOptions(o));
    },
    getConversation(id, o) {
      return conversations.get(id, () => upstream('ticket_messages', () => inner.getConversation(id, counted(o)), o), loadOptions(o));
    },
    firstMessage(id, guestId, o) {
      // Never asked again once known, even by a refresh: the first message does not change.
      const { fresh: _fresh, ...once } = o ?? {};
      return questions.get(id, () => upstream('ticket_messages', () => inner.firstMessage(id, guestId, counted(o)), o), loadOptions(once));
    },
    async knownFirstMessages(ids) {
      const found = await Promise.all(ids.map(async (id) => [id, await readStored(id)] as const));
      return new Map(found.filter((entry): entry is readonly [string, string] => entry[1] !== undefined));
    },
    agents(o) {
      return agents.get('all', () => upstream('agent_schedules', () => inner.agents(counted(o)), o), loadOptions(o));
    },
  };
}
