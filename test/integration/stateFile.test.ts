// A state file that cannot be written, through the real bot: /watch does not confirm a watch it
// could not keep, and says why; /healthz answers 503 naming the state file while it lasts; one
// error line says so; lookups go on; and once the file can be written again, all of it recovers.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startHarness, type Harness } from '../support/harness.js';
import { ticketsFrom } from '../support/load.js';
import { until } from '../support/wait.js';

const ID = '7430000000000000000';
// The state file's directory is a plain file: nothing can be written there, even as root.
const blocker = join(mkdtempSync(join(tmpdir(), 'state-blocked-')), 'data');
let h: Harness;
beforeAll(async () => {
  writeFileSync(blocker, 'not a directory');
  h = await startHarness({ tickets: ticketsFrom(BigInt(ID), 3), stateFile: join(blocker, 'state.json') });
});
afterAll(() => h.close());

const logged = (event: string) => h.log.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === event);
const health = async () => {
  const res = await fetch(h.bot.url + '/healthz');
  return { status: res.status, json: await res.json() };
};
async function ask(text: string) {
  const { messageId } = await h.say(text, { chatType: 'group' });
  const [reply] = await h.replies(messageId);
  return reply!.content;
}

it('says 503 on /healthz from the start, naming the state file, and logs one error', async () => {
  expect(await health()).toEqual({ status: 503, json: { status: 'unavailable', part: 'state-file' } });
  expect(h.bot.health().reason).toBe(`the state file ${join(blocker, 'state.json')} cannot be written (EEXIST)`);
  expect(logged('state.file_write_failed')).toHaveLength(1);
  expect(logged('state.file_write_failed')[0]).toMatchObject({ level: 'error' });
});

it('does not confirm /watch open: says it was not saved and why, and keeps no watch', async () => {
  const card = await ask('/watch open');
  expect(card).toContain('Watch not saved');
  expect(card).toContain('关注没有保存');
  expect(card).toContain('cannot be written');
  expect(card).not.toContain('Watching');
  expect(await ask('/watch')).not.toContain('Open');
  expect(logged('watch.started')).toEqual([]);
  // Still said once.
  expect(logged('state.file_write_failed')).toHaveLength(1);
});

it('goes on answering lookups meanwhile', async () => {
  expect(await ask(`/ticket ${ID}`)).toContain(`Ticket ${ID}`);
});

it('recovers by itself once the file can be written: /healthz 200, and /watch confirms', async () => {
  rmSync(blocker);
  await until('/healthz to say 200', async () => (await health()).status === 200, 15_000);
  expect(logged('state.file_writable_again')).toHaveLength(1);
  expect(await ask('/watch open')).toContain('Watching');
});
