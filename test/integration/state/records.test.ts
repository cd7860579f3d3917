// The records (watches, live cards, boards) beyond the contract every backend keeps
// (contract.test.ts): what only the file does (reload, atomic writes, a bound, clear errors for a
// bad file, a file that cannot be written and its recovery, records that fail their checks), and on a real redis-server, two instances sharing them and a restart of
// Redis itself.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../../src/obs/log.js';
import { FileRecords } from '../../../src/state/fileRecords.js';
import { NotKept } from '../../../src/state/types.js';
import { RECORD_CHECKS, WatchStore } from '../../../src/watch/store.js';
import { sharedRedisStates } from '../../support/redis.js';
import { systemProgram } from '../../support/system.js';
import { until } from '../../support/wait.js';

const redisServer = systemProgram('redis');
const tempFile = () => join(mkdtempSync(join(tmpdir(), 'records-test-')), 'state.json');

describe('in process, kept in a file', () => {
  const file = tempFile();
  const log = memoryLogger();
  const records = new FileRecords({ file, setting: 'state.file', clock: Date.now, log });

  it('writes every change out, atomically, and reads it back at the next start', async () => {
    const k = 'watch:w0123456789abcdef';
    await records.put(k, { id: 'w0123456789abcdef', chatId: 'oc_1' });
    await records.add('watches', ['w0123456789abcdef']);
    await records.add('posted:w0123456789abcdef', ['7000'], 3600_000);
    await records.sync();
    // The file is whole JSON and no temporary file is left beside it.
    expect(() => JSON.parse(readFileSync(file, 'utf8')) as unknown).not.toThrow();
    expect(readdirSync(join(file, '..')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const again = new FileRecords({ file, setting: 'state.file', clock: Date.now, log });
    await again.load();
    expect(await again.get(k)).toEqual({ id: 'w0123456789abcdef', chatId: 'oc_1' });
    expect(await again.members('watches')).toContain('w0123456789abcdef');
    expect(await again.add('posted:w0123456789abcdef', ['7000'])).toEqual([]);
  });

  it('leaves out of the file what had expired by the next start', async () => {
    const f = tempFile();
    let now = 1_000_000;
    const first = new FileRecords({ file: f, setting: 'state.file', clock: () => now, log });
    await first.put('short', 1, 1000);
    await first.put('long', 2, 100_000);
    await first.sync();
    now += 5000;
    const second = new FileRecords({ file: f, setting: 'state.file', clock: () => now, log });
    await second.load();
    expect(await second.get('short')).toBeUndefined();
    expect(await second.get('long')).toBe(2);
  });

  it('writes many changes made at once together, a moment later; sync waits until they are on disk', async () => {
    const f = tempFile();
    const r = new FileRecords({ file: f, setting: 'state.file', clock: Date.now, log });
    await Promise.all(Array.from({ length: 200 }, (_, i) => r.add('burst', [String(i)], 60_000)));
    await r.sync();
    const onDisk = JSON.parse(readFileSync(f, 'utf8')) as { sets: Record<string, Record<string, number>> };
    expect(Object.keys(onDisk.sets.burst!)).toHaveLength(200);
    // Without waiting, it gets there by itself.
    await r.put('later', 1);
    await until('the change on disk', () => (JSON.parse(readFileSync(f, 'utf8')) as { values: Record<string, unknown> }).values.later !== undefined);
  });

  it('stops start-up with the setting to fix when the file is not one of its own', async () => {
    const f = tempFile();
    writeFileSync(f, '{"not": "ours"');
    const r = new FileRecords({ file: f, setting: 'state.file', clock: Date.now, log });
    await expect(r.load()).rejects.toThrow(`state.file: ${f} is not a state file written by this bot; restore it from a backup, or move it away to start with no watches`);
  });

  it('when the file cannot be written: keeps the records in memory, refuses to confirm, says why once, and recovers', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'records-gone-')), 'data');
    const f = join(dir, 'state.json');
    const quiet = memoryLogger();
    const r = new FileRecords({ file: f, setting: 'state.file (or …)', clock: Date.now, log: quiet });
    await r.load();
    expect(r.health()).toEqual({ ok: true });
    // Its directory is taken away and a plain file put in its place: no write can succeed (even as root).
    rmSync(dir, { recursive: true });
    writeFileSync(dir, 'not a directory');
    await r.put('k', 'v');
    await expect(r.sync()).rejects.toBeInstanceOf(NotKept);
    await expect(r.sync()).rejects.toMatchObject({ reason: `the state file ${f} cannot be written (EEXIST)` });
    expect(await r.get('k')).toBe('v');
    expect(r.health()).toEqual({ ok: false, reason: `the state file ${f} cannot be written (EEXIST)` });
    await r.put('k2', 'v2');
    await expect(r.sync()).rejects.toBeInstanceOf(NotKept);
    const lines = quiet.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    // Said once, at error level, however often it fails.
    expect(lines.filter((l) => l.event === 'state.file_write_failed')).toEqual([expect.objectContaining({ level: 'error', fix: `make ${dir} writable by the bot, or set state.file (or …) to a writable path` })]);

    // Writable again: tried again by itself, everything kept meanwhile goes out, and it says so.
    rmSync(dir);
    await until('the file written again', () => r.health().ok, 10_000);
    await r.sync();
    expect((JSON.parse(readFileSync(f, 'utf8')) as { values: Record<string, { v: unknown }> }).values).toMatchObject({ k: { v: 'v' }, k2: { v: 'v2' } });
    expect(quiet.lines.join('\n')).toContain('"level":"warn","event":"state.file_writable_again"');
    r.close();
  });

  it('starts, and says at once, when its directory cannot be made', async () => {
    const blocker = join(mkdtempSync(join(tmpdir(), 'records-block-')), 'file');
    writeFileSync(blocker, '');
    const quiet = memoryLogger();
    const r = new FileRecords({ file: join(blocker, 'state.json'), setting: 'state.file', clock: Date.now, log: quiet });
    await r.load();
    expect(r.health()).toMatchObject({ ok: false, reason: expect.stringMatching(/cannot be written \(EEXIST\)$/) });
    expect(quiet.lines.join('\n')).toContain('"event":"state.file_write_failed"');
    r.close();
  });

  it('drops a record that fails its check when the file is read, naming it, and keeps the others', async () => {
    const f = tempFile();
    const watch = (id: string, list: unknown) => ({ v: { id, chatId: 'oc_1', chatType: 'group', list, createdBy: 'ou_1', createdAt: 1 }, e: 0 });
    writeFileSync(
      f,
      JSON.stringify({
        version: 1,
        values: { 'watch:wbad': watch('wbad', null), 'watch:wgood': watch('wgood', { filter: { statuses: [1] }, page: 1 }), other: { v: null, e: 0 } },
        sets: { watches: { wbad: 0, wgood: 0 } },
      }),
    );
    const quiet = memoryLogger();
    const r = new FileRecords({ file: f, setting: 'state.file', clock: Date.now, log: quiet, checks: RECORD_CHECKS });
    await r.load();
    expect(await r.get('watch:wbad')).toBeUndefined();
    expect(await r.get('watch:wgood')).toMatchObject({ id: 'wgood' });
    expect(await r.get('other')).toBeNull();
    const dropped = quiet.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === 'state.record_dropped');
    expect(dropped).toEqual([expect.objectContaining({ level: 'warn', key: 'watch:wbad', problem: expect.stringContaining('list') })]);
    // The store reads the watches as usual: the bad one is simply not among them.
    expect((await new WatchStore(r).allWatches()).map((w) => w.id)).toEqual(['wgood']);
  });

  it('stays within its bound, dropping what expires soonest and keeping what never does', async () => {
    const r = new FileRecords({ clock: Date.now, log, setting: 'state.file', maxItems: 100 });
    await r.put('watch:keep', { forever: true });
    for (let i = 0; i < 150; i++) await r.put(`card:${i}`, i, 1000 + i);
    expect(r.size).toBeLessThanOrEqual(100);
    expect(await r.get('watch:keep')).toEqual({ forever: true });
    expect(await r.get('card:149')).toBe(149);
    expect(await r.get('card:0')).toBeUndefined();
    expect(log.lines.join('\n')).toContain('"event":"state.records_trimmed"');
  });
});

describe.skipIf(!redisServer)('in Redis, shared by two instances (real redis-server)', () => {
  const { states, redis } = sharedRedisStates(redisServer!, 'cli_5a7e0000000000b2');

  it('are the same for every instance: what one keeps the other reads, and of many adding one member one gets it', async () => {
    const [a, b] = [states[0]!.records, states[1]!.records];
    await a.put('shared', { n: 1 });
    expect(await b.get('shared')).toEqual({ n: 1 });
    await b.delete('shared');
    expect(await a.get('shared')).toBeUndefined();
    expect(await a.add('shared-set', ['1', '2'], 60_000)).toEqual(['1', '2']);
    expect(await b.add('shared-set', ['2', '3'])).toEqual(['3']);
    const raced = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).add('shared-set', ['same'])));
    expect(raced.filter((r) => r.length === 1)).toHaveLength(1);
    expect(await b.take('shared-set')).toEqual(['1', '2', '3', 'same']);
    expect(await a.members('shared-set')).toEqual([]);
  });

  it('keeps records across a Redis restart (append-only file on)', async () => {
    await states[0]!.records.put('watch:wsurvivor', { id: 'wsurvivor' });
    await redis().stop();
    await redis().start();
    await until('Redis to answer again', async () => (await states[1]!.records.get('watch:wsurvivor').catch(() => 'down')) !== 'down');
    expect(await states[1]!.records.get('watch:wsurvivor')).toEqual({ id: 'wsurvivor' });
  });
});
