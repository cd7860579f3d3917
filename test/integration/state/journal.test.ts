// The work journal of one process with a state file, on a real file: a job is in the file before
// add() resolves (before its delivery is acknowledged), struck off once run, and run again by the
// next start when a crash left it pending; once, not more; delays kept; a journal that cannot be
// written says so and takes jobs all the same; and the file stays small however many jobs pass.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Job } from '../../../src/jobs/job.js';
import { memoryLogger } from '../../../src/obs/log.js';
import { realSleep } from '../../../src/resilience/timing.js';
import { memoryState } from '../../../src/state/memory.js';
import type { State } from '../../../src/state/types.js';
import { until } from '../../support/wait.js';

const message = (n: number): Job => ({
  kind: 'message',
  message: { messageId: `om_${n}`, chatId: 'oc_1', chatType: 'p2p', senderOpenId: 'ou_1', text: `/ticket ${n}`, mentions: [], addressedToBot: true },
});

function start(file: string, log = memoryLogger()): State & { log: ReturnType<typeof memoryLogger> } {
  const state = memoryState({ clock: Date.now, sleep: realSleep, log, dedupeMaxEntries: 1000, workMaxPending: 1000, recordsFile: file, workJournal: `${file}.journal` });
  return Object.assign(state, { log });
}
const dir = () => join(mkdtempSync(join(tmpdir(), 'journal-test-')), 'state.json');
const never = () => new Promise<void>(() => {});
const events = (log: ReturnType<typeof memoryLogger>, event: string) => log.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === event);

describe('the work journal', () => {
  it('has a job in the file once add() resolves, and runs what a crash left pending at the next start, once', async () => {
    const file = dir();
    const first = start(file);
    await first.ready();
    first.work.start(never); // lookups that never end: then the process is killed
    for (let i = 0; i < 10; i++) expect(await first.work.add(`message-om_${i}`, message(i))).toBe(true);
    expect(readFileSync(`${file}.journal`, 'utf8').split('\n').filter(Boolean)).toHaveLength(10);

    // No close, no drain: the process is gone. The next one runs the ten, each once.
    const second = start(file);
    await second.ready();
    const ran: Job[] = [];
    second.work.start(async (job) => void ran.push(job));
    await until('the ten to run', () => ran.length === 10);
    expect(ran.map((j) => (j.kind === 'message' ? j.message.messageId : '')).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `om_${i}`).sort());
    expect(events(second.log, 'work.replayed')).toEqual([expect.objectContaining({ level: 'warn', jobs: 10, kinds: ['message'] })]);
    await second.close();

    // Run and struck off: a third start has nothing to run.
    const third = start(file);
    await third.ready();
    expect(third.work.depth).toBe(0);
    await third.close();
  });

  it('gives up a job that was being run again when the process died again, and says so', async () => {
    const file = dir();
    const first = start(file);
    await first.ready();
    first.work.start(never);
    await first.work.add('message-om_poison', message(1));
    const second = start(file);
    await second.ready();
    second.work.start(never); // it kills its process again
    const third = start(file);
    await third.ready();
    expect(third.work.depth).toBe(0);
    expect(events(third.log, 'work.given_up')).toEqual([expect.objectContaining({ level: 'error', job: 'message', id: 'message-om_poison' })]);
  });

  it('keeps a delayed job delayed', async () => {
    const file = dir();
    const first = start(file);
    await first.ready();
    first.work.start(async () => {});
    await first.work.add('watch-post-oc_1-w', { kind: 'watch-post', chatId: 'oc_1', window: 'w' }, { delayMs: 400 });
    const second = start(file);
    await second.ready();
    const ran: number[] = [];
    const started = Date.now();
    second.work.start(async () => void ran.push(Date.now()));
    await until('the delayed job', () => ran.length === 1);
    expect(ran[0]! - started).toBeGreaterThanOrEqual(200);
    await second.close();
  });

  it('takes jobs all the same when it cannot be written, says so once, and /healthz with it', async () => {
    const file = dir();
    // The journal's place taken by a directory: nothing can be written there, even as root.
    mkdirSync(join(`${file}.journal`, 'x'), { recursive: true });
    const state = start(file);
    await state.ready();
    state.work.start(never);
    expect(await state.work.add('message-om_a', message(1))).toBe(true);
    expect(await state.work.add('message-om_b', message(2))).toBe(true);
    expect(state.health()).toMatchObject({ ok: false, reason: expect.stringMatching(/^the work journal .* cannot be written \(EISDIR\)$/) });
    expect(events(state.log, 'work.journal_failed')).toEqual([expect.objectContaining({ level: 'error' })]);
    // Writable again: the next job brings it back, with every job pending written down.
    rmSync(`${file}.journal`, { recursive: true });
    expect(await state.work.add('message-om_c', message(3))).toBe(true);
    expect(state.health()).toEqual({ ok: true });
    expect(events(state.log, 'work.journal_writable_again')).toHaveLength(1);
    expect(readFileSync(`${file}.journal`, 'utf8').split('\n').filter(Boolean)).toHaveLength(3);
  });

  it('stays small however many jobs pass through it', async () => {
    const file = dir();
    const state = start(file);
    await state.ready();
    state.work.start(async () => {});
    for (let i = 0; i < 12_000; i++) await state.work.add(`message-om_${i}`, message(i));
    await until('every job run', () => state.work.depth === 0);
    await state.close();
    expect(statSync(`${file}.journal`).size).toBeLessThan(2 * 1024 * 1024);
    const again = start(file);
    await again.ready();
    expect(again.work.depth).toBe(0);
    expect(readFileSync(`${file}.journal`, 'utf8')).toBe('');
  });
});
