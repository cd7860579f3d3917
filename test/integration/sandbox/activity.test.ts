// The demo helpdesk comes alive: a seeded story of tickets arriving, taken and closed, each change
// pushed to the bot as the helpdesk's ticket event; and the sandbox that sets up a watch and a
// board in the console's group, with "new ticket now" in the console's API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../../src/obs/log.js';
import { DemoActivity, OPEN_FLOOR } from '../../../src/sandbox/activity.js';
import { DEMO_COMMANDS, SANDBOX_RETENTION, startSandbox, type Sandbox } from '../../../src/sandbox/mode.js';
import { StandIn } from '@helpdesk-bot/feishu-standin';
import { until } from '../../support/wait.js';
import { SECRETS } from '../../support/secrets.js';

/** What a story does, step by step, leaving out the ids (they carry the time). */
async function story(seed: number, steps: number) {
  const standin = await StandIn.start({ ...SECRETS });
  try {
    const activity = new DemoActivity({ standin, intervalMs: 0, seed, log: memoryLogger(), openFloor: 0 });
    const seen: string[] = [];
    const before = new Set(standin.tickets.map((t) => t.ticket_id));
    for (let i = 0; i < steps; i++) {
      await activity.next();
      seen.push(
        standin.tickets
          .filter((t) => !before.has(t.ticket_id))
          .map((t) => `${t.status}:${(t.tags ?? []).map((x) => x.name).join('+')}:${t.agent_owner?.name ?? '-'}`)
          .join(' '),
      );
    }
    return seen;
  } finally {
    await standin.close();
  }
}

describe('the demo activity', () => {
  it('plays the same story for the same seed: a ticket arrives, the one before is taken, an older one is closed', async () => {
    const a = await story(7, 6);
    expect(await story(7, 6)).toEqual(a);
    expect(await story(8, 6)).not.toEqual(a);
    // arrive, take, close, arrive, take, close: the first ticket goes new or queued -> processing -> closed.
    const [first] = a[0]!.split(' ');
    expect(first).toMatch(/^[13]:/);
    expect(a[1]!.split(' ')[0]).toMatch(/^2:.*:[^-]+$/);
    expect(a[2]!.split(' ')[0]).toMatch(/^51:/);
    expect(a[5]!.split(' ')).toHaveLength(2);
  });
});

describe('the demo activity keeps a queue', () => {
  it('closes one of its tickets only while more than OPEN_FLOOR are open, so `open today` always finds some', async () => {
    const standin = await StandIn.start({ ...SECRETS, tickets: [] });
    try {
      const activity = new DemoActivity({ standin, intervalMs: 0, seed: 7, log: memoryLogger() });
      const open = () => standin.tickets.filter((t) => (t.status ?? 1) < 50).length;
      const seen: number[] = [];
      for (let i = 0; i < 90; i++) {
        await activity.next();
        seen.push(open());
      }
      // It grows to the floor, then arrives and closes in turn around it.
      expect(seen.slice(30).every((n) => n >= OPEN_FLOOR && n <= OPEN_FLOOR + 2)).toBe(true);
      expect(standin.tickets.filter((t) => (t.status ?? 1) >= 50).length).toBeGreaterThan(10);
    } finally {
      await standin.close();
    }
  });
});

describe('the demo activity retires old closed tickets it brought', () => {
  it('keeps the latest closed in full and one in `oneIn` of those before; the seed’s tickets stay', async () => {
    const standin = await StandIn.start({ ...SECRETS, tickets: [{ ticket_id: '7000000000000000001', status: 51, created_at: 1 }] });
    try {
      const log = memoryLogger();
      const activity = new DemoActivity({ standin, intervalMs: 0, seed: 7, log, retire: { recent: 2, oneIn: 3, forMs: 3600_000 }, openFloor: 0 });
      const closedOrder: string[] = [];
      for (let i = 0; i < 30; i++) {
        await activity.next();
        const line = log.lines.at(-1)!;
        if (line.includes('"step":"close"')) closedOrder.push(JSON.parse(line).ticket_id);
      }
      expect(closedOrder.length).toBeGreaterThanOrEqual(8);
      const closedNow = standin.tickets.filter((t) => (t.status ?? 0) >= 50).map((t) => t.ticket_id);
      // The seed's ticket, the last two closed, and of the closed before them the 1st, 4th, 7th...
      const older = closedOrder.slice(0, -2);
      expect(closedNow.sort()).toEqual(['7000000000000000001', ...closedOrder.slice(-2), ...older.filter((_, i) => i % 3 === 0)].sort());
      const retired = older.filter((_, i) => i % 3 !== 0);
      expect(retired.some((id) => standin.ticket(id))).toBe(false);
    } finally {
      await standin.close();
    }
  });

  it('retires the ones it kept once `forMs` is over', async () => {
    const standin = await StandIn.start({ ...SECRETS, tickets: [] });
    try {
      const activity = new DemoActivity({ standin, intervalMs: 0, seed: 7, log: memoryLogger(), retire: { recent: 2, oneIn: 3, forMs: 0 }, openFloor: 0 });
      for (let i = 0; i < 30; i++) await activity.next();
      expect(standin.tickets.filter((t) => (t.status ?? 0) >= 50)).toHaveLength(2);
    } finally {
      await standin.close();
    }
  });
});

describe('the sandbox with the demo on', () => {
  let sandbox: Sandbox;
  let base: string;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, log: memoryLogger('warn'), host: '127.0.0.1', demo: { activityMs: 0 } });
    base = `http://127.0.0.1:${sandbox.bot.port}/sandbox/api`;
  });
  afterAll(() => sandbox.stop(2000));

  const group = async () => ((await (await fetch(`${base}/chats/group/messages`)).json()) as { messages: { from: string; text?: string; card?: unknown; updates?: number }[] }).messages;

  it('has typed a watch and a board into the group chat, and the bot answered both', async () => {
    await until('the demo replies', async () => (await group()).filter((m) => m.from === 'bot').length >= 2);
    const messages = await group();
    expect(messages.filter((m) => m.from === 'user').map((m) => m.text)).toEqual([...DEMO_COMMANDS]);
    expect(JSON.stringify(messages)).toContain('Watching: Open');
    expect(JSON.stringify(messages)).toContain('Queue board');
    const info = (await (await fetch(`${base}/info`)).json()) as { activity: boolean };
    expect(info.activity).toBe(true);
  });

  it('brings a new ticket now: its event reaches the bot and the watch posts it', async () => {
    const res = await fetch(`${base}/new-ticket`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const { ticketId } = (await res.json()) as { ticketId: string };
    expect(sandbox.standin.ticket(ticketId)).toBeDefined();
    expect(sandbox.standin.ticketEvents.at(-1)).toMatchObject({ ticketId, type: 'helpdesk.ticket.created_v1', delivered: true });
    await until('the post', async () => JSON.stringify(await group()).includes(`Ticket ${ticketId}`));
    // Taken by an agent at the next step: the posted card changes.
    await sandbox.activity.next();
    await sandbox.activity.next();
    await until('the post to change', async () => (await group()).some((m) => JSON.stringify(m.card ?? '').includes(`Ticket ${ticketId}`) && (m.updates ?? 0) > 0));
    expect((await fetch(`${base}/new-ticket`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{}' })).status).toBe(415);
  });

  it('has a stand-in that keeps only its latest records, so it can run for days', async () => {
    const { standin } = sandbox;
    for (let i = 0; i < SANDBOX_RETENTION.calls + 10; i++) await fetch(`${standin.url}/open-apis/nothing/${i}`);
    expect(standin.calls).toHaveLength(SANDBOX_RETENTION.calls);
    expect(standin.calls.at(-1)!.path).toBe(`/open-apis/nothing/${SANDBOX_RETENTION.calls + 9}`);
  });
});
