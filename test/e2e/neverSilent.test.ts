// Never silent, checked from outside as an operator would: `npm run standin` plays the platform
// (driven through its control API: faults, revoked tokens), `npm start` runs the bot with the
// documented environment variables. A refused tenant token is replaced and the command answered;
// a ticket with a time no date holds gets its card, a list that is not the documented shape the
// "cannot read" card; one process with a state file, SIGKILLed just after acknowledging 10 commands
// whose lookups are slow, answers all 10 once after a restart; and with STATE_FILE unwritable,
// /watch is not confirmed and /healthz says 503.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIRST_TICKET_ID } from '../../src/sandbox/seed.js';
import { freePort, npmScript, npmStart, type Started } from '../support/process.js';
import { until as waitUntil } from '../support/wait.js';

const APP = {
  FEISHU_APP_ID: 'cli_4e5f6a7b8c9d0e1f',
  FEISHU_APP_SECRET: 'never-silent-secret',
  FEISHU_HELPDESK_ID: '7500',
  FEISHU_HELPDESK_TOKEN: 'never-silent-helpdesk-token',
};
type Json = Record<string, unknown>;
type Sent = { messageId: string; card: unknown; replyTo?: string };
/** Other process tests run at the same time: be patient, not quick. */
const until = <T>(what: string, check: () => T | Promise<T>, timeoutMs = 45_000) => waitUntil(what, check, timeoutMs);

describe('npm start against npm run standin: every acknowledged command answered, every failure said', { timeout: 180_000 }, () => {
  let standin: Started;
  let bot: Started | undefined;
  let control = '';
  let env: Record<string, string> = {};
  const stateDir = mkdtempSync(join(tmpdir(), 'never-silent-'));

  const call = async (path: string, body?: unknown): Promise<Json & { sent?: Sent[] }> => {
    const res = await fetch(control + path, { method: body === undefined ? 'GET' : 'POST', headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return (await res.json()) as never;
  };
  const say = async (text: string, extra: Json = {}) => {
    const said = await call('/say', { text, ...extra });
    expect(said.delivered).toBe(true);
    return said;
  };
  const card = (said: { sent?: Sent[] }) => JSON.stringify(said.sent?.[0]?.card ?? null);
  const tokenCalls = async () => ((await call('/calls?route=tenant_token')) as unknown as unknown[]).length;
  const startBot = async (extra: Record<string, string> = {}) => {
    bot = npmStart({ ...env, ...extra });
    await bot.waitFor(/"event":"long_connection.connected"/, 60_000);
    return bot;
  };

  beforeAll(async () => {
    const standinPort = await freePort();
    standin = npmScript('standin', { ...APP, STANDIN_PORT: String(standinPort), STANDIN_RECONNECT_NONCE: '0.2', STANDIN_RECONNECT_INTERVAL: '1' });
    await standin.waitFor(/^Stand-in of the Feishu platform at/);
    control = `http://127.0.0.1:${standinPort}/standin`;
    env = { ...APP, FEISHU_CONNECTION: 'long-connection', FEISHU_DOMAIN: `http://127.0.0.1:${standinPort}`, PORT: String(await freePort()), STATE_FILE: join(stateDir, 'state.json') };
    await startBot();
  }, 90_000);
  afterAll(async () => {
    await bot?.stop();
    await standin?.stop();
  });

  it('replaces a tenant token the platform refuses while its endpoint still works, and answers /ticket with its card', async () => {
    expect(card(await say(`/ticket ${FIRST_TICKET_ID}`))).toContain(`Ticket ${FIRST_TICKET_ID}`);
    const before = await tokenCalls();
    expect(await call('/revoke-tokens', {})).toEqual({ revoked: true });
    expect(card(await say(`/ticket ${FIRST_TICKET_ID}`))).toContain(`Ticket ${FIRST_TICKET_ID}`);
    expect(await tokenCalls()).toBe(before + 1);
    expect(bot!.logs().some((l) => l.event === 'feishu.token_renewed' && l.level === 'warn')).toBe(true);
  });

  it('answers /ticket for a ticket whose created_at is 1e16 with its card', async () => {
    const far = '7500000000000000016';
    await call('/faults', { route: 'ticket_get', times: 1, body: { code: 0, msg: 'success', data: { ticket: { ticket_id: far, status: 1, created_at: 1e16, guest: { name: 'Far Future' } } } } });
    const text = card(await say(`/ticket ${far}`));
    expect(text).toContain(`Ticket ${far}`);
    expect(text).toContain('Far Future');
    expect(text).toContain("**Created**: <font color='grey'>unknown</font>");
  });

  it('answers /tickets with a failure card, not "No tickets", when the list is not the documented shape', async () => {
    for (const body of [[1, 2, 3], { code: '0' }, { code: 0, msg: 'success', data: { total: 1e300, tickets: [] } }]) {
      await call('/faults', { route: 'ticket_list', times: 1, body });
      const text = card(await say('/tickets closed 7d'));
      expect(text).toContain('The helpdesk answered something the bot cannot read.');
      expect(text).not.toMatch(/No tickets|没有工单/);
    }
    await call('/clear-faults', {});
  });

  it('SIGKILLed just after acknowledging 10 commands whose lookups are slow, answers all 10 exactly once after a restart', async () => {
    await call('/faults', { route: 'ticket_get', delayMs: 60_000 });
    const acked = async () => ((await call('/long-connection')) as unknown as { pushes: { acked: boolean }[] }).pushes.filter((p) => p.acked).length;
    const before = await acked();
    const ids = Array.from({ length: 10 }, (_, i) => `om_crash_${i}`);
    // Tickets looked up by no earlier command (none is cached), slowly: no reply can come in time.
    const saying = ids.map((messageId, i) => call('/say', { text: `/ticket ${7500000000000000100n + BigInt(i)}`, messageId }));
    await until('the 10 acknowledged', async () => (await acked()) >= before + 10, 30_000);
    const killed = bot!;
    process.kill(-killed.child.pid!, 'SIGKILL');
    await killed.exited;
    expect((await Promise.all(saying)).map((s) => [s.delivered, s.sent])).toEqual(ids.map(() => [true, []]));
    await call('/clear-faults', {});

    const again = await startBot();
    const repliesTo = async () => {
      const messages = (await call('/messages')) as unknown as Sent[];
      return ids.map((id) => messages.filter((m) => m.replyTo === id).length);
    };
    await until('all 10 answered', async () => (await repliesTo()).every((n) => n >= 1));
    await until('the 10 commands logged', () => again.logs().filter((l) => l.event === 'command' && ids.includes(String(l.message_id))).length === 10);
    expect(await repliesTo()).toEqual(ids.map(() => 1));
    expect(again.logs().find((l) => l.event === 'work.replayed')).toMatchObject({ jobs: 10, kinds: ['message'] });
  });

  it('with STATE_FILE unwritable, does not confirm /watch open, and /healthz answers 503', async () => {
    await bot!.stop();
    // The state file's directory is a plain file: nothing can be written there, even as root.
    const blocked = join(stateDir, 'blocked');
    writeFileSync(blocked, 'not a directory');
    await startBot({ STATE_FILE: join(blocked, 'state.json') });
    const health = await fetch(`http://127.0.0.1:${env.PORT}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: 'unavailable', part: 'state-file' });
    const text = card(await say('/watch open', { chat: 'group' }));
    expect(text).toContain('Watch not saved');
    expect(text).not.toContain('Watching');
    expect(bot!.logs().filter((l) => l.event === 'state.file_write_failed')).toHaveLength(1);
  });
});
