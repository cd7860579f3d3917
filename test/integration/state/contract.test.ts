// One contract for the bot's state, run against every backend: memory, memory with its records kept
// in a file, and Redis (a real redis-server). Claims, the work queue, the limiter, caches, records
// and health behave the same on each; where a backend cannot (what one process holds, what only a
// shared store can do), src/state/types.ts says so and these cases check each backend does what it
// says. TTLs are tested on a clock the test moves: at once in memory; Redis's own TTLs are really
// waited out, a few hundred ms at a time.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Job } from '../../../src/jobs/job.js';
import { memoryLogger } from '../../../src/obs/log.js';
import { LATE_MS } from '../../../src/resilience/slot.js';
import { realSleep } from '../../../src/resilience/timing.js';
import { memoryState } from '../../../src/state/memory.js';
import { redisState } from '../../../src/state/redis/index.js';
import { MAX_SET_MEMBERS, type RetryPolicy, type State } from '../../../src/state/types.js';
import { startRedis, type RedisServer } from '../../support/redis.js';
import { systemProgram } from '../../support/system.js';
import { until } from '../../support/wait.js';

/** What a contract case gets: a ready state, and time and restarts to play with. */
interface Subject {
  state: State;
  log: ReturnType<typeof memoryLogger>;
  /**
   * Moves time on by `ms` for everything with a TTL: the state's clock at once where the backend
   * reads it (memory), a real wait where Redis keeps the time. Keep it under a second.
   */
  advance(ms: number): Promise<void>;
  /** Ends this state as a process would (its work drained, then closed) and starts the next one on the same store. */
  restart(): Promise<Subject>;
  /** The backend the state should say it is. */
  backend: State['backend'];
  /** Records outlive a restart (the file, Redis); claims and work only on Redis. */
  keepsRecords: boolean;
}

/** Makes a new, ready state with the settings below, on a store of its own. */
type MakeState = () => Promise<Subject>;

/** The settings every backend is made with. */
const WORK_MAX_PENDING = 3;
const RETRY: RetryPolicy = { attempts: 3, delayMs: 100 };
/** A TTL short enough to wait out on Redis, long enough to look at twice before it ends. */
const TTL = 400;

const message = (id: string, text = '/help'): Job => ({
  kind: 'message',
  message: { messageId: id, chatId: 'oc_contract', chatType: 'p2p', senderOpenId: 'ou_1', text, mentions: [], addressedToBot: true },
});
const idOf = (job: Job) => (job.kind === 'message' ? job.message.messageId : job.kind);
const textOf = (job: Job) => (job.kind === 'message' ? job.message.text : '');
/** Events logged with this name, parsed. */
const logged = (subject: Subject, event: string) => subject.log.lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.event === event);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A job runner whose runs wait until the test lets them go. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  const ran: Job[] = [];
  return { ran, open, run: async (job: Job) => void (ran.push(job), await opened) };
}

function stateContract(name: string, makeState: MakeState): void {
  describe(`${name} state: the contract`, () => {
    const made: Subject[] = [];
    const closed = new WeakSet<State>();
    const close = async (s: Subject) => {
      if (closed.has(s.state)) return;
      closed.add(s.state);
      await s.state.work.drain(1000);
      await s.state.close();
    };
    /** A new state, closed after the test (and every state a restart of it makes). */
    const open = async (): Promise<Subject> => track(await makeState());
    const track = (s: Subject): Subject => {
      made.push(s);
      return {
        ...s,
        restart: async () => {
          await close(s);
          return track(await s.restart());
        },
      };
    };
    afterEach(async () => {
      await Promise.all(made.splice(0).map(close));
    });
    const redis = (s: Subject) => s.state.backend === 'redis';

    describe('health', () => {
      it('is ok once ready, and names its backend', async () => {
        const s = await open();
        expect(s.state.health()).toEqual({ ok: true });
        expect(s.state.backend).toBe(s.backend);
      });
    });

    describe('claims', () => {
      it('are mine to take once; held while taken; done once settled; free again once released', async () => {
        const { claims } = (await open()).state;
        expect(await claims.claim('msg:a', 60_000)).toBe('mine');
        expect(await claims.claim('msg:a', 60_000)).toBe('held');
        await claims.settle('msg:a', 60_000);
        expect(await claims.claim('msg:a', 60_000)).toBe('done');
        // A release after the settle does not undo it.
        await claims.release('msg:a');
        expect(await claims.claim('msg:a', 60_000)).toBe('done');
        expect(await claims.claim('msg:b', 60_000)).toBe('mine');
        await claims.release('msg:b');
        expect(await claims.claim('msg:b', 60_000)).toBe('mine');
      });

      it('end a hold by itself after holdMs', async () => {
        const s = await open();
        expect(await s.state.claims.claim('msg:hold', TTL)).toBe('mine');
        await s.advance(100);
        expect(await s.state.claims.claim('msg:hold', TTL)).toBe('held');
        await s.advance(TTL);
        expect(await s.state.claims.claim('msg:hold', TTL)).toBe('mine');
      });

      it("remember a settled key for settle's ttlMs, whatever other keys were settled for", async () => {
        const s = await open();
        const { claims } = s.state;
        await claims.claim('msg:short', 60_000);
        await claims.settle('msg:short', TTL);
        await claims.settle('msg:long', 3_600_000);
        await s.advance(100);
        expect(await claims.claim('msg:short', 60_000)).toBe('done');
        await s.advance(TTL);
        expect(await claims.claim('msg:short', 60_000)).toBe('mine');
        expect(await claims.claim('msg:long', 60_000)).toBe('done');
      });

      it('remember a key settled again for the latest ttlMs', async () => {
        const s = await open();
        await s.state.claims.settle('msg:again', 3_600_000);
        await s.state.claims.settle('msg:again', TTL);
        await s.advance(TTL + 100);
        expect(await s.state.claims.claim('msg:again', 60_000)).toBe('mine');
      });

      it('take TTLs that are not whole ms', async () => {
        const s = await open();
        const { claims } = s.state;
        expect(await claims.claim('msg:fraction', TTL + 0.5)).toBe('mine');
        await claims.settle('msg:fraction', TTL + 0.5);
        expect(await claims.claim('msg:fraction', 0.5)).toBe('done');
        await s.advance(TTL + 100);
        expect(await claims.claim('msg:fraction', 0.5)).toBe('mine');
        const cache = s.state.cache<number>('fraction', { ttlMs: 1000.5, maxEntries: 10 });
        await cache.set('k', 1);
        expect(await cache.get('k')).toBe(1);
        expect(await cache.lease('k', 100.5)).toBe(true);
      });

      it('take a settle without a claim as done, and a release of what is not held as nothing', async () => {
        const { claims } = (await open()).state;
        await claims.settle('msg:unclaimed', 60_000);
        expect(await claims.claim('msg:unclaimed', 60_000)).toBe('done');
        await claims.release('msg:never-claimed');
        expect(await claims.claim('msg:never-claimed', 60_000)).toBe('mine');
      });

      it('outlive a restart on Redis only: memory starts with none', async () => {
        const s = await open();
        await s.state.claims.settle('msg:before-restart', 3_600_000);
        const next = await s.restart();
        expect(await next.state.claims.claim('msg:before-restart', 60_000)).toBe(redis(s) ? 'done' : 'mine');
      });
    });

    describe('the work queue', () => {
      it('runs every job once started; those added before wait for the start', async () => {
        const { work } = (await open()).state;
        const ran: string[] = [];
        expect(await work.add('message-1', message('1'))).toBe(true);
        expect(await work.add('message-2', message('2'))).toBe(true);
        await pause(100);
        expect(ran).toEqual([]);
        work.start(async (job) => void ran.push(idOf(job)));
        await until('both jobs to run', () => ran.length === 2);
        expect(await work.add('message-3', message('3'))).toBe(true);
        await until('the third to run', () => ran.length === 3);
        expect(ran.sort()).toEqual(['1', '2', '3']);
      });

      it('takes a second add of an id while its job waits or runs as a no-op', async () => {
        const { work } = (await open()).state;
        const g = gate();
        await work.add('message-same', message('same', 'first'));
        expect(await work.add('message-same', message('same', 'second'))).toBe(true);
        work.start(g.run);
        await until('the job to run', () => g.ran.length === 1);
        expect(await work.add('message-same', message('same', 'third'))).toBe(true);
        g.open();
        await pause(200);
        expect(g.ran.map(textOf)).toEqual(['first']);
      });

      it('keeps a delayed job under its id: added again meanwhile, it is still one job, run after its delay', async () => {
        const { work } = (await open()).state;
        const ran: { text: string; at: number }[] = [];
        work.start(async (job) => void ran.push({ text: textOf(job), at: Date.now() }));
        const added = Date.now();
        expect(await work.add('watch-post-w', message('w', 'first'), { delayMs: 300 })).toBe(true);
        for (const text of ['second', 'third']) expect(await work.add('watch-post-w', message('w', text), { delayMs: 300 })).toBe(true);
        // Nor does an add without a delay run it sooner.
        expect(await work.add('watch-post-w', message('w', 'now'))).toBe(true);
        await until('the delayed job to run', () => ran.length === 1);
        expect(ran[0]!.at - added).toBeGreaterThanOrEqual(290);
        await pause(200);
        expect(ran.map((r) => r.text)).toEqual(['first']);
      });

      it('after a job finished: memory forgets its id (the same id is a new job), Redis remembers it (an add is a no-op)', async () => {
        const s = await open();
        const ran: string[] = [];
        s.state.work.start(async (job) => void ran.push(textOf(job)));
        await s.state.work.add('message-done', message('done', 'first'));
        await until('the job to run', () => ran.length === 1);
        await pause(50);
        expect(await s.state.work.add('message-done', message('done', 'second'))).toBe(true);
        await pause(300);
        expect(ran).toEqual(redis(s) ? ['first'] : ['first', 'second']);
      });

      it('takes any string as an id: ids differing only in ":" and "_" are two jobs, and so are "42" and "%i42"', async () => {
        const { work } = (await open()).state;
        const ran: string[] = [];
        work.start(async (job) => void ran.push(textOf(job)));
        for (const id of ['a:b', 'a_b', '42', '%i42', 'a%3Ab']) expect(await work.add(id, message(id, id))).toBe(true);
        await until('every job to run', () => ran.length === 5);
        await pause(100);
        expect(ran.sort()).toEqual(['%i42', '42', 'a%3Ab', 'a:b', 'a_b']);
      });

      it('counts in depth the jobs running here; memory also those waiting here, Redis keeps those in Redis', async () => {
        const s = await open();
        const { work } = s.state;
        const g = gate();
        expect(work.depth).toBe(0);
        await work.add('message-held', message('held'));
        await work.add('message-later', message('later'), { delayMs: 60_000 });
        expect(work.depth).toBe(redis(s) ? 0 : 2);
        work.start(g.run);
        await until('the job to run', () => g.ran.length === 1);
        expect(work.depth).toBe(redis(s) ? 1 : 2);
        g.open();
        await until('the job to finish', () => work.depth === (redis(s) ? 0 : 1));
      });

      it(`refuses a job past ${WORK_MAX_PENDING} held in memory; Redis stores it for whichever instance is free`, async () => {
        const s = await open();
        const { work } = s.state;
        for (let i = 0; i < WORK_MAX_PENDING; i++) expect(await work.add(`message-${i}`, message(String(i)))).toBe(true);
        expect(await work.add('message-more', message('more'))).toBe(redis(s));
        const ran: string[] = [];
        work.start(async (job) => void ran.push(idOf(job)));
        await until('the jobs to run', () => ran.length === WORK_MAX_PENDING + (redis(s) ? 1 : 0));
        // Room again once they have run.
        expect(await work.add('message-after', message('after'))).toBe(true);
      });

      it(`runs a job that rejects again after ${RETRY.delayMs} ms, then twice that, and gives it up after ${RETRY.attempts} runs, saying so`, async () => {
        const s = await open();
        const { work } = s.state;
        const runs: Record<string, number[]> = { flaky: [], broken: [] };
        work.start(async (job) => {
          const id = idOf(job);
          runs[id]!.push(Date.now());
          if (id === 'broken' || runs[id]!.length === 1) throw new Error(`${id} failed`);
        });
        await work.add('message-flaky', message('flaky'));
        await work.add('message-broken', message('broken'));
        await until('the broken job to be given up', () => logged(s, 'work.failed').length === 1);
        // Waiting to run again, a job keeps its id.
        expect(runs.flaky).toHaveLength(2);
        expect(runs.broken).toHaveLength(RETRY.attempts);
        const gaps = (t: number[]) => t.slice(1).map((at, i) => at - t[i]!);
        expect(gaps(runs.flaky!)[0]).toBeGreaterThanOrEqual(RETRY.delayMs - 10);
        const [first, second] = gaps(runs.broken!);
        expect(first).toBeGreaterThanOrEqual(RETRY.delayMs - 10);
        expect(second).toBeGreaterThanOrEqual(2 * RETRY.delayMs - 10);
        expect(logged(s, 'work.retry').map((l) => [l.job, l.attempt, l.error])).toEqual(
          expect.arrayContaining([
            ['message', 1, 'flaky failed'],
            ['message', 1, 'broken failed'],
            ['message', 2, 'broken failed'],
          ]),
        );
        expect(logged(s, 'work.retry')).toHaveLength(3);
        expect(logged(s, 'work.failed').map((l) => [l.job, l.attempt, l.error])).toEqual([['message', RETRY.attempts, 'broken failed']]);
        await pause(2 * RETRY.delayMs);
        expect(runs.broken).toHaveLength(RETRY.attempts);
      });

      it('keeps the id of a job waiting to run again: an add meanwhile is a no-op', async () => {
        const s = await open();
        const texts: string[] = [];
        s.state.work.start(async (job) => {
          texts.push(textOf(job));
          if (texts.length === 1) throw new Error('once');
        });
        await s.state.work.add('message-retry', message('retry', 'first'));
        await until('the first run to fail', () => logged(s, 'work.retry').length === 1);
        expect(await s.state.work.add('message-retry', message('retry', 'second'))).toBe(true);
        await until('the second run', () => texts.length === 2);
        await pause(200);
        expect(texts).toEqual(['first', 'first']);
      });

      it('gives up a job that rejects while draining in memory (nothing would be left to run it); Redis keeps it to run again', async () => {
        const s = await open();
        const g = gate();
        s.state.work.start(async (job) => {
          await g.run(job);
          throw new Error('failed while stopping');
        });
        await s.state.work.add('message-stopping', message('stopping'));
        await until('the job to run', () => g.ran.length === 1);
        const drained = s.state.work.drain(5000);
        await pause(50);
        g.open();
        expect(await drained).toBe(true);
        if (!redis(s)) {
          await until('the failure to be logged', () => logged(s, 'work.failed').length === 1);
          expect(logged(s, 'work.retry')).toEqual([]);
          return;
        }
        await until('the retry to be logged', () => logged(s, 'work.retry').length === 1);
        const next = await s.restart();
        const ran: string[] = [];
        next.state.work.start(async (job) => void ran.push(idOf(job)));
        await until('the next instance to run it', () => ran.length === 1);
        expect(ran).toEqual(['stopping']);
      });

      it('drains: waits for the jobs running, and says whether they finished in time', async () => {
        const { work } = (await open()).state;
        const g = gate();
        work.start(g.run);
        await work.add('message-slow', message('slow'));
        await until('the job to run', () => g.ran.length === 1);
        expect(await work.drain(50)).toBe(false);
        setTimeout(g.open, 100);
        expect(await work.drain(5000)).toBe(true);
        expect(work.depth).toBe(0);
      });

      it('loses no delayed job when it stops: memory runs it while draining, Redis keeps it for the next instance', async () => {
        const s = await open();
        const ran: string[] = [];
        s.state.work.start(async (job) => void ran.push(idOf(job)));
        await s.state.work.add('message-delayed', message('delayed'), { delayMs: 500 });
        expect(await s.state.work.drain(1000)).toBe(true);
        if (!redis(s)) {
          expect(ran).toEqual(['delayed']);
          // Added while it drains (follow-up work of a job still running), a job runs at once.
          await s.state.work.add('message-follow-up', message('follow-up'), { delayMs: 60_000 });
          await until('the follow-up to run', () => ran.length === 2);
          return;
        }
        // Drained, this instance takes no more jobs; the next one runs what waits.
        await s.state.work.add('message-next', message('next'));
        await pause(100);
        expect(ran).toEqual([]);
        const next = await s.restart();
        next.state.work.start(async (job) => void ran.push(idOf(job)));
        await until('both to run on the next instance', () => ran.length === 2);
        expect(ran.sort()).toEqual(['delayed', 'next']);
      });
    });

    describe('the limiter', () => {
      const queue = { maxQueue: 100, maxWaitMs: 5000 };
      const key = (k: string) => `contract:${k}:${Math.random().toString(36).slice(2)}`;

      it('paces grants evenly, one window/rate apart, and keeps every window within its rate', async () => {
        const { limiter } = (await open()).state;
        const limit = { key: key('paced'), limit: { rate: 3, windowMs: 300 } };
        const granted: number[] = [];
        const results = await Promise.all(Array.from({ length: 6 }, () => limiter.acquire([limit], Infinity, queue).then((ok) => (granted.push(Date.now()), ok))));
        expect(results.every(Boolean)).toBe(true);
        granted.sort((a, b) => a - b);
        // A grant is taken up to LATE_MS after its slot (on Redis, plus the time its answer took).
        const slack = 2 * LATE_MS;
        for (let i = 1; i < granted.length; i++) expect(granted[i]! - granted[i - 1]!).toBeGreaterThanOrEqual(100 - slack);
        for (let i = 3; i < granted.length; i++) expect(granted[i]! - granted[i - 3]!).toBeGreaterThanOrEqual(300 - slack);
      });

      it('refuses at once, taking no slot, a request whose slot would come after latest or after maxWaitMs', async () => {
        const s = await open();
        const { limiter } = s.state;
        const limit = { key: key('late'), limit: { rate: 1, windowMs: 300 } };
        const started = Date.now();
        expect(await limiter.acquire([limit], Infinity, queue)).toBe(true);
        expect(await limiter.acquire([limit], Date.now() + 100, queue)).toBe(false);
        expect(await limiter.acquire([limit], Infinity, { maxQueue: 100, maxWaitMs: 100 })).toBe(false);
        // At once: not after the 300 ms the slot was away.
        expect(Date.now() - started).toBeLessThan(250);
        // The refused ones took nothing: the next slot is the second (at 300 ms), not the fourth (900).
        expect(await limiter.acquire([limit], Infinity, queue)).toBe(true);
        expect(Date.now() - started).toBeGreaterThanOrEqual(300 - LATE_MS);
        expect(Date.now() - started).toBeLessThan(850);
      });

      it('grants a request subject to no window at once, and refuses one whose latest has passed', async () => {
        const { limiter } = (await open()).state;
        expect(await limiter.acquire([], Infinity, queue)).toBe(true);
        expect(await limiter.acquire([{ key: key('past'), limit: { rate: 10, windowMs: 1000 } }], Date.now() - 1, queue)).toBe(false);
      });

      it("refuses at once when a window's queue is full", async () => {
        const { limiter } = (await open()).state;
        const limit = { key: key('full'), limit: { rate: 1, windowMs: 200 } };
        const small = { maxQueue: 2, maxWaitMs: 5000 };
        expect(await limiter.acquire([limit], Infinity, small)).toBe(true);
        const waiting = [limiter.acquire([limit], Infinity, small), limiter.acquire([limit], Infinity, small)];
        await pause(20);
        const asked = Date.now();
        expect(await limiter.acquire([limit], Infinity, small)).toBe(false);
        // At once: not after the 600 ms its slot would have been away.
        expect(Date.now() - asked).toBeLessThan(300);
        expect(await Promise.all(waiting)).toEqual([true, true]);
      });

      it('takes a slot in every window of a request, when the busiest of them has room', async () => {
        const { limiter } = (await open()).state;
        const chat = { key: key('chat'), limit: { rate: 1, windowMs: 300 } };
        const app = { key: key('app'), limit: { rate: 1, windowMs: 300 } };
        const started = Date.now();
        expect(await limiter.acquire([chat], Infinity, queue)).toBe(true);
        // The app's window is free now, the chat's only one window later: both are taken then.
        expect(await limiter.acquire([chat, app], Infinity, queue)).toBe(true);
        expect(Date.now() - started).toBeGreaterThanOrEqual(300 - LATE_MS);
        expect(await limiter.acquire([app], Infinity, { maxQueue: 100, maxWaitMs: 100 })).toBe(false);
      });
    });

    describe('caches', () => {
      it('keep values under their keys, as copies', async () => {
        const cache = (await open()).state.cache<{ n: number; list: string[] }>('contract', { ttlMs: 60_000, maxEntries: 10 });
        expect(await cache.get('missing')).toBeUndefined();
        const value = { n: 1, list: ['a'] };
        await cache.set('k', value);
        value.list.push('changed after set');
        const got = await cache.get('k');
        expect(got).toEqual({ n: 1, list: ['a'] });
        got!.n = 2;
        expect(await cache.get('k')).toEqual({ n: 1, list: ['a'] });
        await cache.set('k', { n: 3, list: [] });
        expect(await cache.get('k')).toEqual({ n: 3, list: [] });
      });

      it("forget a value after the cache's TTL", async () => {
        const s = await open();
        const cache = s.state.cache<string>('contract-ttl', { ttlMs: TTL, maxEntries: 10 });
        await cache.set('k', 'v');
        await s.advance(100);
        expect(await cache.get('k')).toBe('v');
        await s.advance(TTL);
        expect(await cache.get('k')).toBeUndefined();
      });

      it('are one store per name: the same name sees the same values and leases, another name none of them', async () => {
        const { state } = await open();
        const limit = { ttlMs: 60_000, maxEntries: 10 };
        await state.cache<string>('one', limit).set('k', 'v');
        expect(await state.cache<string>('one', limit).get('k')).toBe('v');
        expect(await state.cache<string>('other', limit).get('k')).toBeUndefined();
        expect(await state.cache('one', limit).lease('k', 60_000)).toBe(true);
        await state.cache('one', limit).unlease('k');
        expect(await state.cache('one', limit).lease('k', 60_000)).toBe(true);
      });

      it('lease a key to one loader at a time on Redis (until unleased or its TTL); in memory always (single flight does it)', async () => {
        const s = await open();
        const cache = s.state.cache<string>('contract-lease', { ttlMs: 60_000, maxEntries: 10 });
        expect(cache.pollMs).toBe(redis(s) ? 50 : 0);
        expect(await cache.lease('k', 60_000)).toBe(true);
        expect(await cache.lease('k', 60_000)).toBe(!redis(s));
        await cache.unlease('k');
        expect(await cache.lease('k', TTL)).toBe(true);
        expect(await cache.lease('k', TTL)).toBe(!redis(s));
        await s.advance(TTL + 100);
        expect(await cache.lease('k', TTL)).toBe(true);
        // Another key's lease is its own.
        expect(await cache.lease('other', TTL)).toBe(true);
      });

      it('hold at most maxEntries values in memory (the least recently used go); Redis keeps each for its TTL', async () => {
        const s = await open();
        const cache = s.state.cache<number>('contract-bound', { ttlMs: 60_000, maxEntries: 2 });
        for (const [i, k] of ['a', 'b', 'c'].entries()) await cache.set(k, i);
        expect(await Promise.all(['a', 'b', 'c'].map((k) => cache.get(k)))).toEqual([redis(s) ? 0 : undefined, 1, 2]);
      });
    });

    describe('locks', () => {
      it('are held by one taker at a time, until given back with its own lease', async () => {
        const { locks } = (await open()).state;
        const lease = await locks.take('refresh:a', 60_000);
        expect(lease).toEqual(expect.any(String));
        expect(await locks.take('refresh:a', 60_000)).toBeUndefined();
        // Another key is another lock.
        expect(await locks.take('refresh:b', 60_000)).toEqual(expect.any(String));
        // A lease that is not the holder's frees nothing.
        await locks.give('refresh:a', 'not-the-lease');
        expect(await locks.take('refresh:a', 60_000)).toBeUndefined();
        await locks.give('refresh:a', lease!);
        const next = await locks.take('refresh:a', 60_000);
        expect(next).toEqual(expect.any(String));
        expect(next).not.toBe(lease);
      });

      it('end by themselves after holdMs, and the old lease then frees nobody', async () => {
        const s = await open();
        const { locks } = s.state;
        const first = await locks.take('refresh:hold', TTL);
        await s.advance(100);
        expect(await locks.take('refresh:hold', TTL)).toBeUndefined();
        await s.advance(TTL);
        const second = await locks.take('refresh:hold', 60_000);
        expect(second).toEqual(expect.any(String));
        await locks.give('refresh:hold', first!);
        expect(await locks.take('refresh:hold', 60_000)).toBeUndefined();
      });

      it('outlive a restart on Redis only (where another instance may hold one); memory starts with none', async () => {
        const s = await open();
        await s.state.locks.take('refresh:restart', 60_000);
        const next = await s.restart();
        const taken = await next.state.locks.take('refresh:restart', 60_000);
        if (redis(s)) expect(taken).toBeUndefined();
        else expect(taken).toEqual(expect.any(String));
      });
    });

    describe('records', () => {
      it('keep values as copies, many at once, until deleted', async () => {
        const { records } = (await open()).state;
        const value = { n: 1, list: ['x'] };
        await records.put('v', value);
        value.list.push('changed after put');
        const got = await records.get<typeof value>('v');
        expect(got).toEqual({ n: 1, list: ['x'] });
        got!.list.push('changed after get');
        expect(await records.getMany(['v', 'missing', 'v'])).toEqual([{ n: 1, list: ['x'] }, undefined, { n: 1, list: ['x'] }]);
        expect(await records.getMany([])).toEqual([]);
        await records.put('v', null);
        expect(await records.get('v')).toBeNull();
        await records.delete('v');
        await records.delete('never there');
        expect(await records.get('v')).toBeUndefined();
      });

      it('forget a value when its ttlMs is up; a put without one keeps it, and a put replaces value and TTL', async () => {
        const s = await open();
        const { records } = s.state;
        await records.put('brief', 'soon gone', TTL);
        await records.put('kept', 'first', TTL);
        await records.put('kept', 'second');
        await s.advance(100);
        expect(await records.getMany(['brief', 'kept'])).toEqual(['soon gone', 'second']);
        await s.advance(TTL);
        expect(await records.getMany(['brief', 'kept'])).toEqual([undefined, 'second']);
      });

      it('keep values and sets apart: a key may name one of each', async () => {
        const { records } = (await open()).state;
        await records.put('both', 'value');
        await records.add('both', ['member']);
        await records.delete('both');
        expect(await records.members('both')).toEqual(['member']);
        await records.put('both', 'value');
        await records.take('both');
        expect(await records.get('both')).toBe('value');
      });

      it('add to a set once: the caller that added a member is told so, the next is not', async () => {
        const { records } = (await open()).state;
        expect(await records.add('s', ['1', '2', '2'])).toEqual(['1', '2']);
        expect(await records.add('s', ['2', '3'])).toEqual(['3']);
        expect(await records.add('s', [])).toEqual([]);
        expect((await records.members('s')).sort()).toEqual(['1', '2', '3']);
        // Many adding the same member at once: exactly one gets it.
        const raced = await Promise.all(Array.from({ length: 10 }, () => records.add('s', ['same'])));
        expect(raced.filter((r) => r.length === 1)).toHaveLength(1);
        await records.remove('s', ['1', 'same', 'not a member']);
        await records.remove('no such set', ['1']);
        expect((await records.members('s')).sort()).toEqual(['2', '3']);
        expect(await records.members('no such set')).toEqual([]);
      });

      it('let each member expire on its own; one added again keeps its expiry; an expired one is new again', async () => {
        const s = await open();
        const { records } = s.state;
        await records.add('e', ['brief'], TTL);
        await records.add('e', ['lasting'], 3_600_000);
        await records.add('e', ['forever']);
        expect(await records.add('e', ['brief'], 3_600_000)).toEqual([]);
        await s.advance(100);
        expect((await records.members('e')).sort()).toEqual(['brief', 'forever', 'lasting']);
        await s.advance(TTL);
        expect((await records.members('e')).sort()).toEqual(['forever', 'lasting']);
        expect(await records.add('e', ['brief'], 3_600_000)).toEqual(['brief']);
      });

      it('list members soonest to expire first, never-expiring last, the same expiry in byte order', async () => {
        const s = await open();
        const { records } = s.state;
        await records.add('o', ['z-never', 'a-never', 'é-never', '😀-never', '\uffff-never']);
        await records.add('o', ['later'], 3_600_000);
        await s.advance(5);
        await records.add('o', ['b-latest', 'a-latest'], 3_600_000);
        await records.add('o', ['soon'], 60_000);
        const expected = ['soon', 'later', 'a-latest', 'b-latest', 'a-never', 'z-never', 'é-never', '\uffff-never', '😀-never'];
        expect(await records.members('o')).toEqual(expected);
        expect(await records.take('o')).toEqual(expected);
      });

      it('take a set whole: every live member at once, leaving it empty', async () => {
        const s = await open();
        const { records } = s.state;
        await records.add('t', ['gone'], TTL);
        await records.add('t', ['1', '2'], 3_600_000);
        await s.advance(TTL + 100);
        expect((await records.take('t')).sort()).toEqual(['1', '2']);
        expect(await records.members('t')).toEqual([]);
        expect(await records.take('t')).toEqual([]);
        expect(await records.add('t', ['1'])).toEqual(['1']);
      });

      it(`keep at most ${MAX_SET_MEMBERS} members in a set, dropping those that expire soonest`, async () => {
        const { records } = (await open()).state;
        await records.add('big', ['first-to-go'], 10_000);
        await records.add('big', ['never-goes']);
        const many = Array.from({ length: MAX_SET_MEMBERS }, (_, i) => `m${String(i).padStart(4, '0')}`);
        for (let i = 0; i < many.length; i += 1000) await records.add('big', many.slice(i, i + 1000), 3_600_000);
        const members = await records.members('big');
        expect(members).toHaveLength(MAX_SET_MEMBERS);
        expect(members).not.toContain('first-to-go');
        expect(members).toContain('never-goes');
        // Of those with the same expiry, the first in byte order went.
        expect(members).not.toContain(many[0]);
        expect(members).toContain(many.at(-1));
      });

      it('sync once every change so far would survive a restart: records outlive it in the file and in Redis, not in memory alone', async () => {
        const s = await open();
        await s.state.records.put('watch:w1', { id: 'w1' });
        await s.state.records.put('card:brief', 1, TTL);
        await s.state.records.add('watches', ['w1']);
        await s.state.records.add('posted:w1', ['7000'], 3_600_000);
        await s.state.records.sync();
        const next = await s.restart();
        const { records } = next.state;
        if (!s.keepsRecords) {
          expect(await records.get('watch:w1')).toBeUndefined();
          expect(await records.members('watches')).toEqual([]);
          return;
        }
        expect(await records.get('watch:w1')).toEqual({ id: 'w1' });
        expect(await records.members('watches')).toEqual(['w1']);
        expect(await records.add('posted:w1', ['7000'])).toEqual([]);
        // Their TTLs go on across it.
        await next.advance(TTL + 100);
        expect(await records.get('card:brief')).toBeUndefined();
      });
    });
  });
}

/** This process's memory, optionally with its records in a file; time on a clock the test moves. */
function memoryBackend(withFile: boolean): MakeState {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  return async () => {
    let file: string | undefined;
    if (withFile) {
      const dir = mkdtempSync(join(tmpdir(), 'state-contract-'));
      dirs.push(dir);
      file = join(dir, 'state.json');
    }
    // Real time (the work queue's delays, the limiter's pacing are real) plus what the test skipped.
    let skipped = 0;
    const clock = () => Date.now() + skipped;
    const make = async (): Promise<Subject> => {
      const log = memoryLogger('debug');
      const state = memoryState({
        clock,
        sleep: realSleep,
        log,
        dedupeMaxEntries: 1000,
        workMaxPending: WORK_MAX_PENDING,
        workRetry: RETRY,
        ...(file ? { recordsFile: file } : {}),
      });
      await state.ready();
      return {
        state,
        log,
        advance: async (ms) => void (skipped += ms),
        restart: make,
        backend: 'memory',
        keepsRecords: withFile,
      };
    };
    return make();
  };
}

/** States on a real redis-server, each under an app id of its own; a restart keeps the app id. */
function redisBackend(program: string): MakeState {
  let server: RedisServer | undefined;
  let apps = 0;
  beforeAll(async () => {
    server = await startRedis(program);
  });
  afterAll(async () => {
    await server?.close();
  });
  return async () => {
    const appId = `cli_contract${String(++apps).padStart(4, '0')}`;
    const make = async (): Promise<Subject> => {
      const log = memoryLogger('debug');
      const state = redisState({
        url: server!.url,
        appId,
        setting: 'state.redis_url',
        startupWaitMs: 5000,
        workMaxPending: WORK_MAX_PENDING,
        workRetry: RETRY,
        clock: Date.now,
        sleep: realSleep,
        log,
      });
      await state.ready();
      return { state, log, advance: (ms) => pause(ms).then(() => undefined), restart: make, backend: 'redis', keepsRecords: true };
    };
    return make();
  };
}

const redisServer = systemProgram('redis');

describe('memory', () => {
  stateContract('memory', memoryBackend(false));
});

describe('memory, records in a file', () => {
  stateContract('file', memoryBackend(true));
});

describe.skipIf(!redisServer)('Redis (real redis-server)', () => {
  stateContract('Redis', redisBackend(redisServer!));
});
