// Delayed, de-duplicated jobs: how bursts are coalesced (one post round per chat and window, one
// redraw per card, one recount of the boards). The same id added again while its job waits is
// one job, in one process and across instances on Redis; a process that stops runs what it had
// delayed rather than dropping it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { coalesce, type Job } from '../../src/jobs.js';
import { memoryLogger } from '../../src/log.js';
import { realSleep } from '../../src/resilience/timing.js';
import { MemoryWork } from '../../src/state/memory.js';
import { createState } from '../../src/state/index.js';
import type { State } from '../../src/state/types.js';
import { startRedis, type RedisServer } from '../support/redis.js';
import { systemProgram } from '../support/system.js';
import { until } from '../support/wait.js';

const redisServer = systemProgram('redis');
const post = (chatId: string, window: string): Job => ({ kind: 'watch-post', chatId, window });

describe('coalesce', () => {
  it('names the window a moment falls in and how long until it ends', () => {
    expect(coalesce(10_500, 2000)).toEqual({ window: '2000x5', delayMs: 1500 });
    expect(coalesce(11_999, 2000)).toEqual({ window: '2000x5', delayMs: 1 });
    expect(coalesce(12_000, 2000)).toEqual({ window: '2000x6', delayMs: 2000 });
  });
});

describe('in process', () => {
  it('runs a delayed job once, after its delay, however often it was added meanwhile', async () => {
    const work = new MemoryWork(100, memoryLogger());
    const ran: { job: Job; at: number }[] = [];
    work.start(async (job) => void ran.push({ job, at: Date.now() }));
    const added = Date.now();
    for (let i = 0; i < 5; i++) expect(await work.add('watch-post-oc_1-w', post('oc_1', 'w'), { delayMs: 150 })).toBe(true);
    expect(work.depth).toBe(1);
    await until('the job to run', () => ran.length === 1);
    expect(ran[0]!.at - added).toBeGreaterThanOrEqual(140);
    // Once it has run, the same id is a new job (the next window uses a new id anyway).
    await work.add('watch-post-oc_1-w', post('oc_1', 'w'));
    await until('the second run', () => ran.length === 2);
  });

  it('runs what it had delayed when it stops, instead of losing it', async () => {
    const work = new MemoryWork(100, memoryLogger());
    const ran: Job[] = [];
    work.start(async (job) => void ran.push(job));
    await work.add('later', post('oc_2', 'w'), { delayMs: 60_000 });
    expect(await work.drain(5000)).toBe(true);
    expect(ran).toEqual([post('oc_2', 'w')]);
  });
});

describe.skipIf(!redisServer)('on Redis, for every instance (real redis-server)', () => {
  let redis: RedisServer;
  const states: State[] = [];
  beforeAll(async () => {
    redis = await startRedis(redisServer!);
    for (let i = 0; i < 2; i++) {
      const loaded = loadConfig('', { FEISHU_APP_ID: 'cli_5a7e0000000000c3', FEISHU_APP_SECRET: 's', FEISHU_VERIFICATION_TOKEN: 't', FEISHU_ENCRYPT_KEY: 'k', FEISHU_HELPDESK_ID: '1', FEISHU_HELPDESK_TOKEN: 'h', REDIS_URL: redis.url });
      if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
      states.push(await createState(loaded.config, { clock: Date.now, sleep: realSleep }, memoryLogger()));
    }
    await Promise.all(states.map((s) => s.ready()));
  });
  afterAll(async () => {
    await Promise.all(states.map((s) => s.work.drain(1000)));
    await Promise.all(states.map((s) => s.close()));
    await redis?.close();
  });

  it('runs a delayed job once across instances, after its delay, whichever added it', async () => {
    const ran: { job: Job; at: number }[] = [];
    for (const s of states) s.work.start(async (job) => void ran.push({ job, at: Date.now() }));
    const added = Date.now();
    await Promise.all(Array.from({ length: 6 }, (_, i) => states[i % 2]!.work.add('watch-post-oc_3-w', post('oc_3', 'w'), { delayMs: 300 })));
    await until('the job to run', () => ran.length === 1);
    expect(ran[0]!.at - added).toBeGreaterThanOrEqual(290);
    // Still once, a little later.
    await states[0]!.work.add('watch-post-oc_4-w', post('oc_4', 'w'), { delayMs: 50 });
    await until('the next job', () => ran.length === 2);
    expect(ran.map((r) => r.job)).toEqual([post('oc_3', 'w'), post('oc_4', 'w')]);
  });
});
