// Delayed, de-duplicated jobs: how bursts are coalesced (one post round per chat and window, one
// redraw per card, one recount of the boards). The same id added again while its job waits is
// one job, in one process and across instances on Redis; a process that stops runs what it had
// delayed rather than dropping it.
import { describe, expect, it } from 'vitest';
import { coalesce, type Job } from '../../../src/jobs/job.js';
import { memoryLogger } from '../../../src/obs/log.js';
import { MemoryWork } from '../../../src/state/memory.js';
import { sharedRedisStates } from '../../support/redis.js';
import { systemProgram } from '../../support/system.js';
import { until } from '../../support/wait.js';

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
  const { states } = sharedRedisStates(redisServer!, 'cli_5a7e0000000000c3');

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
