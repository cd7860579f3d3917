// The Redis state against a real redis-server, with two states on it standing for two instances:
// claims, shared rate limits with their pacing, shared caches with the load lease, durable work,
// and what happens while Redis is away.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import type { Job } from '../../../src/jobs/job.js';
import { memoryLogger } from '../../../src/obs/log.js';
import { SharedLoads } from '../../../src/resilience/cache.js';
import { realSleep } from '../../../src/resilience/timing.js';
import { createState } from '../../../src/runtime/state.js';
import { StateUnavailable, type State } from '../../../src/state/types.js';
import { startRedis, type RedisServer } from '../../support/redis.js';
import { systemProgram } from '../../support/system.js';
import { busiestSecond } from '../../support/load.js';

const redisServer = systemProgram('redis');

async function newState(url: string, appId = 'cli_5a7e0000000000a1', yaml = ''): Promise<State & { log: ReturnType<typeof memoryLogger> }> {
  const loaded = loadConfig(yaml, { FEISHU_APP_ID: appId, FEISHU_APP_SECRET: 's', FEISHU_VERIFICATION_TOKEN: 't', FEISHU_ENCRYPT_KEY: 'k', FEISHU_HELPDESK_ID: '1', FEISHU_HELPDESK_TOKEN: 'h', REDIS_URL: url });
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  const log = memoryLogger('debug');
  return Object.assign(await createState(loaded.config, { clock: Date.now, sleep: realSleep }, log), { log });
}

const message = (id: string): Job => ({ kind: 'message', message: { messageId: id, chatId: 'oc_1', chatType: 'p2p', senderOpenId: 'ou_1', text: '/help', mentions: [], addressedToBot: true } });

async function until(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const limit = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > limit) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.skipIf(!redisServer)('Redis state (real redis-server)', () => {
  let redis: RedisServer;
  let a: Awaited<ReturnType<typeof newState>>;
  let b: Awaited<ReturnType<typeof newState>>;
  beforeAll(async () => {
    redis = await startRedis(redisServer!);
    a = await newState(redis.url);
    b = await newState(redis.url);
    await Promise.all([a.ready(), b.ready()]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await redis?.close();
  });

  it('claims a key for one instance only, and remembers it as done once settled', async () => {
    expect(await a.claims.claim('msg:om_1', 10_000)).toBe('mine');
    expect(await b.claims.claim('msg:om_1', 10_000)).toBe('held');
    await a.claims.settle('msg:om_1', 60_000);
    expect(await b.claims.claim('msg:om_1', 10_000)).toBe('done');
    expect(await a.claims.claim('msg:om_1', 10_000)).toBe('done');
  });

  it('gives a released key to the next claimant, and a hold ends by itself', async () => {
    expect(await a.claims.claim('msg:om_2', 10_000)).toBe('mine');
    await a.claims.release('msg:om_2');
    expect(await b.claims.claim('msg:om_2', 200)).toBe('mine');
    await until(async () => (await a.claims.claim('msg:om_2', 10_000)) === 'mine', 'the 200 ms hold to end');
  });

  it('keeps one rate limit across instances, paced evenly, and refuses what cannot be served in time', async () => {
    const limit = { key: 'test_get', limit: { rate: 10, windowMs: 1100 } };
    const queue = { maxQueue: 100, maxWaitMs: 10_000 };
    const granted: number[] = [];
    await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        (i % 2 ? a : b).limiter.acquire([limit], Infinity, queue).then((ok) => {
          expect(ok).toBe(true);
          granted.push(Date.now());
        }),
      ),
    );
    expect(granted).toHaveLength(24);
    expect(busiestSecond(granted)).toBeLessThanOrEqual(10);
    // The window is full for a while: a request that must go within 50 ms is refused at once.
    const asked = Date.now();
    expect(await a.limiter.acquire([limit], asked + 50, queue)).toBe(false);
    expect(await b.limiter.acquire([limit], Infinity, { maxQueue: 100, maxWaitMs: 50 })).toBe(false);
  });

  it('holds a chat limit and the app limit together, for every instance', async () => {
    const app = { key: 'test_messages', limit: { rate: 50, windowMs: 1100 } };
    const chat = { key: 'test_messages:oc_x', limit: { rate: 5, windowMs: 1100 } };
    const queue = { maxQueue: 100, maxWaitMs: 10_000 };
    const sent: number[] = [];
    await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).limiter.acquire([chat, app], Infinity, queue).then(() => sent.push(Date.now()))));
    expect(busiestSecond(sent)).toBeLessThanOrEqual(5);
  });

  it('shares cached values, and one instance loads a missing value while the other waits for it', async () => {
    const storeA = a.cache<{ n: number }>('t', { ttlMs: 30_000, maxEntries: 10 });
    const storeB = b.cache<{ n: number }>('t', { ttlMs: 30_000, maxEntries: 10 });
    await storeA.set('1', { n: 1 });
    expect(await storeB.get('1')).toEqual({ n: 1 });
    expect(await storeB.get('2')).toBeUndefined();

    let calls = 0;
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const load = async () => {
      calls++;
      await held;
      return { n: 42 };
    };
    const time = { clock: Date.now, sleep: realSleep };
    const loadsA = new SharedLoads(storeA, time);
    const loadsB = new SharedLoads(storeB, time);
    const statsB = { cacheHits: 0 };
    const first = loadsA.get('k', load, { waitUntil: Date.now() + 5000 });
    await until(() => calls === 1, 'the first load to start');
    const second = loadsB.get('k', load, { waitUntil: Date.now() + 5000, stats: statsB });
    await new Promise((r) => setTimeout(r, 150));
    release();
    expect(await Promise.all([first, second])).toEqual([{ n: 42 }, { n: 42 }]);
    expect(calls).toBe(1);
    expect(statsB.cacheHits).toBe(1);
  });

  it('does not keep a failed load: the waiting instance then loads itself', async () => {
    const time = { clock: Date.now, sleep: realSleep };
    const loadsA = new SharedLoads(a.cache<{ n: number }>('t', { ttlMs: 30_000, maxEntries: 10 }), time);
    const loadsB = new SharedLoads(b.cache<{ n: number }>('t', { ttlMs: 30_000, maxEntries: 10 }), time);
    let fail!: () => void;
    const failing = loadsA.get('bad', () => new Promise((_, reject) => (fail = () => reject(new Error('upstream down')))), { waitUntil: Date.now() + 5000 });
    await until(() => fail !== undefined, 'the failing load to start');
    const retried = loadsB.get('bad', async () => ({ n: 7 }), { waitUntil: Date.now() + 5000 });
    await new Promise((r) => setTimeout(r, 100));
    fail();
    await expect(failing).rejects.toThrow('upstream down');
    expect(await retried).toEqual({ n: 7 });
  });

  it('stores work that any instance runs, once per id', async () => {
    const ran: string[] = [];
    expect(await a.work.add('message-om_w1', message('om_w1'))).toBe(true);
    expect(await a.work.add('message-om_w1', message('om_w1'))).toBe(true);
    expect(await b.work.add('message-om_w2', message('om_w2'))).toBe(true);
    // Only b runs jobs here: a's are in Redis, not in a's memory.
    b.work.start(async (job) => {
      if (job.kind === 'message') ran.push(job.message.messageId);
    });
    await until(() => ran.length >= 2, 'both jobs to run');
    await new Promise((r) => setTimeout(r, 200));
    expect(ran.sort()).toEqual(['om_w1', 'om_w2']);
  });

  it('runs a job again when its run rejects (the state was away mid-way)', async () => {
    let tries = 0;
    const c = await newState(redis.url, 'cli_5a7e0000000000a2');
    await c.ready();
    try {
      c.work.start(async () => {
        if (++tries === 1) throw new StateUnavailable('test');
      });
      await c.work.add('message-om_r1', message('om_r1'));
      await until(() => tries >= 2, 'the second try', 15_000);
      expect(c.log.lines.join('\n')).toContain('"event":"work.retry"');
    } finally {
      await c.work.drain(1000);
      await c.close();
    }
  });

  it('while Redis is away: refuses at once with the reason, says so on health, and recovers by itself', async () => {
    await redis.stop();
    try {
      await until(() => !a.health().ok, 'health to notice');
      expect(a.health().reason).toMatch(/^Redis at redis:\/\/127\.0\.0\.1:\d+ is unreachable/);
      const asked = Date.now();
      await expect(a.claims.claim('msg:om_down', 10_000)).rejects.toBeInstanceOf(StateUnavailable);
      await expect(a.work.add('message-om_down', message('om_down'))).rejects.toBeInstanceOf(StateUnavailable);
      await expect(a.limiter.acquire([{ key: 'x', limit: { rate: 1, windowMs: 1000 } }], Infinity, { maxQueue: 1, maxWaitMs: 1000 })).rejects.toBeInstanceOf(StateUnavailable);
      // "At once": no wait for a reconnection that may never come (the command timeout is 1 s).
      expect(Date.now() - asked).toBeLessThan(3000);
      expect(
        await a
          .cache('t', { ttlMs: 1000, maxEntries: 1 })
          .get('1')
          .catch((e: unknown) => e),
      ).toBeInstanceOf(StateUnavailable);
    } finally {
      await redis.start();
    }
    await until(() => a.health().ok && b.health().ok, 'both to reconnect');
    expect(await a.claims.claim('msg:om_up', 10_000)).toBe('mine');
    expect(a.log.lines.join('\n')).toMatch(/"event":"redis.unavailable"/);
  });

  it('never names the password in what it says', async () => {
    const c = await newState(`redis://:sekrit-pass@127.0.0.1:1/0`, 'cli_5a7e0000000000a3', 'state: { startup_wait_ms: 300 }');
    try {
      const error = await c.ready().catch((e: Error) => e);
      expect(String(error)).toMatch(/^Error: state\.redis_url \(or REDIS_URL\): Redis at redis:\/\/127\.0\.0\.1:1\/0 is unreachable .*after waiting 300 ms/);
      expect(String(error) + c.health().reason + c.log.lines.join('\n')).not.toContain('sekrit');
    } finally {
      await c.close();
    }
  });
});
