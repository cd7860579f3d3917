// resilientHelpdesk over a scripted inner helpdesk on a fake timeline: caches (TTL, bypass, no
// caching of errors, separate get and list), single flight, limits, retries and the budget.
import { describe, expect, it } from 'vitest';
import { newStats, type CallOptions, type CallStats, type Helpdesk } from '../../../src/helpdesk/api.js';
import { fromCode, PlatformError } from '../../../src/feishu/errors.js';
import { resilientHelpdesk, type ResilientHelpdeskOptions } from '../../../src/helpdesk/resilient.js';
import type { Ticket, TicketFilter, TicketPage } from '../../../src/helpdesk/types.js';
import { memoryLogger } from '../../../src/obs/log.js';
import { fakeTime, settle } from '../../support/fakeTime.js';
import { stateFor } from '../../support/load.js';

const TTL = 30_000;
const OPTIONS: ResilientHelpdeskOptions = {
  retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000, timeoutMs: 5000, minAttemptMs: 50 },
  limits: { get: { rate: 10, windowMs: 1100 }, list: { rate: 5, windowMs: 1100 }, messages: { rate: 10, windowMs: 1100 }, queue: { maxQueue: 100, maxWaitMs: 5000 } },
  cache: {
    ticket: { maxEntries: 100, ttlMs: TTL },
    list: { maxEntries: 100, ttlMs: TTL },
    conversation: { maxEntries: 100, ttlMs: TTL },
    question: { maxEntries: 100, ttlMs: 30 * 24 * 3600_000 },
    agents: { maxEntries: 1, ttlMs: 600_000 },
  },
  budgetMs: 8000,
  replyReserveMs: 2000,
  cutoff: () => Infinity,
};

const ticket = (id: string, version = 1): Ticket => ({ id, status: version, agents: [], collaborators: [], durations: {}, tags: [], customFields: [], comments: [] });

/** An inner helpdesk whose answers tests set; it records each call and can be held or failed. */
function scripted() {
  const calls: { api: 'get' | 'list' | 'messages' | 'agents'; args: unknown[] }[] = [];
  const state = {
    version: 1,
    failures: [] as Error[],
    hold: undefined as Promise<void> | undefined,
  };
  const answer = async <T>(api: 'get' | 'list' | 'messages' | 'agents', args: unknown[], value: () => T, o?: CallOptions): Promise<T> => {
    calls.push({ api, args });
    if (o?.stats) o.stats.upstreamCalls++;
    if (state.hold) await state.hold;
    const failure = state.failures.shift();
    if (failure) throw failure;
    return value();
  };
  const inner: Helpdesk = {
    getTicket: (id, o) => answer('get', [id], () => ticket(id, state.version), o),
    listTickets: (filter, page, pageSize, o) => answer('list', [filter, page, pageSize], (): TicketPage => ({ total: 1, tickets: [{ ...ticket('1', state.version), comments: [] }] }), o),
    getConversation: (id, o) => answer('messages', [id], () => ({ total: state.version, messages: [{ id: `${id}-m`, kind: 'text', text: `v${state.version}` }] }), o),
    firstMessage: (id, guestId, o) => answer('messages', [id, guestId], () => `question ${id} v${state.version}`, o),
    knownFirstMessages: async () => new Map(),
    agents: (o) => answer('agents', [], () => [{ id: 'ou_a', name: `Agent v${state.version}` }], o),
  };
  return { inner, calls, state };
}

function setup(options: Partial<ResilientHelpdeskOptions> = {}, start = 1_000_000) {
  const time = fakeTime(start);
  const s = scripted();
  const log = memoryLogger();
  const helpdesk = resilientHelpdesk(s.inner, { ...OPTIONS, ...options }, stateFor(time, log), time, log);
  return { ...s, time, helpdesk, log };
}

const stats = (): CallStats => newStats();

describe('ticket cache', () => {
  it('serves a repeated lookup from the cache until the TTL passes', async () => {
    const { helpdesk, calls, time } = setup();
    await time.run(helpdesk.getTicket('1'));
    const s = stats();
    expect(await time.run(helpdesk.getTicket('1', { stats: s }))).toMatchObject({ id: '1' });
    expect(s).toEqual({ upstreamCalls: 0, cacheHits: 1 });
    await time.advance(TTL - 1);
    await time.run(helpdesk.getTicket('1'));
    expect(calls).toHaveLength(1);
    await time.advance(2);
    await time.run(helpdesk.getTicket('1'));
    expect(calls).toHaveLength(2);
  });

  it('bypasses the cache for a fresh lookup, and keeps the fresh answer', async () => {
    const { helpdesk, calls, time, state } = setup();
    await time.run(helpdesk.getTicket('1'));
    state.version = 2;
    expect((await time.run(helpdesk.getTicket('1'))).status).toBe(1);
    const s = stats();
    expect((await time.run(helpdesk.getTicket('1', { fresh: true, stats: s }))).status).toBe(2);
    expect(s).toEqual({ upstreamCalls: 1, cacheHits: 0 });
    expect((await time.run(helpdesk.getTicket('1'))).status).toBe(2);
    expect(calls).toHaveLength(2);
  });

  it('never caches a failure', async () => {
    const { helpdesk, calls, time, state } = setup();
    state.failures.push(fromCode(154004, 'not found'));
    await expect(time.run(helpdesk.getTicket('1'))).rejects.toMatchObject({ kind: 'not-found' });
    expect(await time.run(helpdesk.getTicket('1'))).toMatchObject({ id: '1' });
    expect(calls).toHaveLength(2);
  });

  it('evicts the least recently used ticket beyond maxEntries', async () => {
    const { helpdesk, calls, time } = setup({ cache: { ...OPTIONS.cache, ticket: { maxEntries: 2, ttlMs: TTL } } });
    for (const id of ['1', '2', '3', '1']) await time.run(helpdesk.getTicket(id));
    expect(calls.map((c) => c.args[0])).toEqual(['1', '2', '3', '1']);
  });
});

describe('single flight', () => {
  it('concurrent lookups of one ticket share one call, fresh ones included', async () => {
    const { helpdesk, calls, time, state } = setup();
    let release!: () => void;
    state.hold = new Promise((r) => (release = r));
    const s = [stats(), stats(), stats(), stats()];
    const all = Promise.all([
      helpdesk.getTicket('7', { stats: s[0] }),
      helpdesk.getTicket('7', { stats: s[1] }),
      helpdesk.getTicket('7', { fresh: true, stats: s[2] }),
      helpdesk.getTicket('7', { fresh: true, stats: s[3] }),
    ]);
    await settle();
    release();
    const answers = await time.run(all);
    expect(calls).toHaveLength(1);
    expect(new Set(answers).size).toBe(1);
    expect(s.map((x) => x.upstreamCalls + x.cacheHits)).toEqual([1, 1, 1, 1]);
  });

  it('a failed shared call fails every waiter, and the next lookup calls again', async () => {
    const { helpdesk, calls, time, state } = setup();
    state.failures.push(new PlatformError('unauthorized', 'no'));
    const both = Promise.allSettled([helpdesk.getTicket('7'), helpdesk.getTicket('7')]);
    expect((await time.run(both)).map((r) => r.status)).toEqual(['rejected', 'rejected']);
    await time.run(helpdesk.getTicket('7'));
    expect(calls).toHaveLength(2);
  });
});

describe('list cache', () => {
  const filter: TicketFilter = { agentId: 'ou_a', statuses: [1, 2], created: { start: 1, end: 2 } };

  it('keys pages by the filter regardless of key or status order, and by page and page size', async () => {
    const { helpdesk, calls, time } = setup();
    await time.run(helpdesk.listTickets(filter, 1, 10));
    await time.run(helpdesk.listTickets({ created: { end: 2, start: 1 }, statuses: [2, 1], agentId: 'ou_a' }, 1, 10));
    expect(calls).toHaveLength(1);
    await time.run(helpdesk.listTickets(filter, 2, 10));
    await time.run(helpdesk.listTickets(filter, 1, 20));
    await time.run(helpdesk.listTickets({ ...filter, agentId: 'ou_b' }, 1, 10));
    expect(calls).toHaveLength(4);
    await time.run(helpdesk.listTickets(filter, 2, 10)); // paging back: cached
    expect(calls).toHaveLength(4);
  });

  it('never answers a get from a list page that holds the same ticket', async () => {
    const { helpdesk, calls, time } = setup();
    await time.run(helpdesk.listTickets(filter, 1, 10));
    await time.run(helpdesk.getTicket('1'));
    expect(calls.map((c) => c.api)).toEqual(['list', 'get']);
  });
});

describe('retries', () => {
  const businessErrors: [string, Error][] = [
    ['154004 not found', fromCode(154004, 'not found', 400)],
    ['154001 unauthorized', fromCode(154001, 'unauthorized', 400)],
    ['154000 bad request', fromCode(154000, 'bad request', 400)],
    ['99991672 scope not granted', fromCode(99991672, 'no scope', 400)],
  ];
  it.each(businessErrors)('never retries %s', async (_name, error) => {
    const { helpdesk, calls, time, state } = setup();
    state.failures.push(error, error);
    await expect(time.run(helpdesk.getTicket('1'))).rejects.toBe(error);
    expect(calls).toHaveLength(1);
  });

  const transient: [string, Error][] = [
    ['429 / 99991400', new PlatformError('rate-limited', '429', { status: 429, code: 99991400 })],
    ['5xx', fromCode(155000, 'internal', 500)],
    ['a timeout', new PlatformError('timeout', 'slow')],
    ['a network error', new PlatformError('network', 'ECONNRESET')],
  ];
  it.each(transient)('retries %s, and counts each attempt as an upstream call', async (_name, error) => {
    const { helpdesk, calls, time, state } = setup();
    state.failures.push(error, error);
    const s = stats();
    expect(await time.run(helpdesk.getTicket('1', { stats: s }))).toMatchObject({ id: '1' });
    expect(calls).toHaveLength(3);
    expect(s.upstreamCalls).toBe(3);
  });

  it('waits what x-ogw-ratelimit-reset asks for before the retry', async () => {
    const { helpdesk, time, state } = setup();
    state.failures.push(new PlatformError('rate-limited', '429', { status: 429, retryAfterMs: 1000 }));
    const started = time.clock();
    await time.run(helpdesk.getTicket('1'));
    expect(time.clock() - started).toBeGreaterThanOrEqual(1000);
  });
});

describe('limits and budget', () => {
  const slow = { get: { rate: 1, windowMs: 1000 }, list: OPTIONS.limits.list, messages: OPTIONS.limits.messages, queue: { maxQueue: 100, maxWaitMs: 60_000 } };

  it('queues a burst: distinct lookups go out at the rate', async () => {
    const { helpdesk, time, calls } = setup({ limits: { ...slow, get: { rate: 2, windowMs: 1000 } } });
    const sentAt: number[] = [];
    const all = Promise.all(['1', '2', '3', '4', '5'].map((id) => helpdesk.getTicket(id, { deadline: time.clock() + 60_000 }).then(() => sentAt.push(time.clock()))));
    await time.run(all);
    expect(calls).toHaveLength(5);
    expect(sentAt.map((t) => t - 1_000_000)).toEqual([0, 500, 1000, 1500, 2000]);
  });

  it('answers busy at once, without a call, when no slot comes in time for the deadline', async () => {
    const { helpdesk, time, calls } = setup({ limits: slow, replyReserveMs: 500 });
    const deadline = time.clock() + 1400; // lookups must end by +900: the second slot (+1000) is too late
    const first = helpdesk.getTicket('1', { deadline });
    const second = helpdesk.getTicket('2', { deadline }).catch((e: unknown) => e);
    expect(await time.run(second)).toMatchObject({ kind: 'busy' });
    expect(time.clock()).toBe(1_000_000);
    await time.run(first);
    expect(calls.map((c) => c.args[0])).toEqual(['1']);
  });

  it('without a deadline, uses the default budget; a lookup ends reply_reserve before it', async () => {
    const { helpdesk, time, state } = setup({ budgetMs: 3000, replyReserveMs: 1000 });
    let release!: () => void;
    state.hold = new Promise((r) => (release = r));
    const started = time.clock();
    await expect(time.run(helpdesk.getTicket('1'))).rejects.toMatchObject({ kind: 'timeout' });
    expect(time.clock() - started).toBeLessThanOrEqual(2000);
    release();
  });

  it('a shutdown cutoff set while a call is under way stops its retries', async () => {
    const cutoff = { at: Infinity };
    const { helpdesk, time, calls, state } = setup({ cutoff: () => cutoff.at });
    let release!: () => void;
    state.hold = new Promise((r) => (release = r));
    state.failures.push(fromCode(155000, 'internal', 500));
    const lookup = helpdesk.getTicket('1', { deadline: time.clock() + 8000 });
    await settle();
    cutoff.at = time.clock() + OPTIONS.replyReserveMs; // no time left for a lookup from now on
    release();
    await expect(time.run(lookup)).rejects.toMatchObject({ kind: 'upstream' });
    expect(calls).toHaveLength(1);
  });

  it('the shutdown cutoff shortens every budget', async () => {
    const cutoff = { at: Infinity };
    const { helpdesk, time, calls } = setup({ cutoff: () => cutoff.at });
    cutoff.at = time.clock() + 1000; // less than reply_reserve (2000): no time for a lookup
    await expect(time.run(helpdesk.getTicket('1', { deadline: time.clock() + 8000 }))).rejects.toMatchObject({ kind: 'busy' });
    expect(calls).toEqual([]);
  });
});

describe('first messages', () => {
  it('are asked for once per ticket and kept: a refresh does not ask again, a new version is never seen', async () => {
    const { helpdesk, time, calls, state } = setup();
    expect(await time.run(helpdesk.firstMessage('1', 'ou_g'))).toBe('question 1 v1');
    state.version = 2;
    await time.advance(TTL * 10);
    expect(await time.run(helpdesk.firstMessage('1', 'ou_g', { fresh: true }))).toBe('question 1 v1');
    expect(calls.filter((c) => c.api === 'messages')).toEqual([{ api: 'messages', args: ['1', 'ou_g'] }]);
  });

  it('tells which are at hand without asking for the others', async () => {
    const { helpdesk, time, calls } = setup();
    await time.run(helpdesk.firstMessage('1', undefined));
    const known = await helpdesk.knownFirstMessages(['1', '2']);
    expect([...known]).toEqual([['1', 'question 1 v1']]);
    expect(calls).toHaveLength(1);
  });

  it('never keeps a failure', async () => {
    const { helpdesk, time, calls, state } = setup();
    state.failures.push(new PlatformError('bad-request', 'no'));
    await expect(time.run(helpdesk.firstMessage('1', undefined))).rejects.toMatchObject({ kind: 'bad-request' });
    expect(await time.run(helpdesk.firstMessage('1', undefined))).toBe('question 1 v1');
    expect(calls).toHaveLength(2);
  });
});

describe('background calls', () => {
  it('take at most half the rate, so a typed lookup arriving behind a burst of them goes out within one slot', async () => {
    const { helpdesk, time } = setup({ limits: { ...OPTIONS.limits, queue: { maxQueue: 100, maxWaitMs: 60_000 } } });
    const sentAt = new Map<string, number>();
    const deadline = time.clock() + 60_000;
    const background = Promise.all(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'].map((id) => helpdesk.firstMessage(id, undefined, { background: true, deadline }).then(() => sentAt.set(id, time.clock()))));
    await time.advance(300);
    const typed = helpdesk.getConversation('typed', { deadline }).then(() => sentAt.set('typed', time.clock()));
    await time.run(Promise.all([background, typed]));
    const started = 1_000_000;
    // Ten background calls at 5 a second (every 220 ms), not 10 (every 110 ms).
    expect(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10'].map((id) => sentAt.get(id)! - started)).toEqual([0, 220, 440, 660, 880, 1100, 1320, 1540, 1760, 1980]);
    // Asked at +300, it went out in the free slot between two of them, not after all ten.
    expect(sentAt.get('typed')! - started).toBeLessThanOrEqual(300 + 110);
  });
});
