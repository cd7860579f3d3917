// Every example the bot shows (help card, error cards) and every /tickets and /watch example in the
// README and the pages under docs/ finds tickets in the demo helpdesk: checked against the demo data
// seeded at many different moments (any weekday, just after midnight, the first of a month), and
// through the running sandbox.
import { readdirSync, readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exampleDates, filterExamples, helpExamples } from '../../src/commands/filters/index.js';
import { listParams, type Helpdesk } from '../../src/helpdesk/api.js';
import { toTicket } from '../../src/helpdesk/map.js';
import type { Ticket } from '../../src/helpdesk/types.js';
import { listingOf, readListPage } from '../../src/views/listing.js';
import { ticketsView } from '../../src/views/tickets.js';
import { TAGS } from '../../src/sandbox/seed/words.js';
import { memoryLogger } from '../../src/obs/log.js';
import { addressMessage } from '../../src/sandbox/console/mentions.js';
import { DemoActivity } from '../../src/sandbox/activity.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/mode.js';
import { DEMO_AGENTS, seedTickets } from '../../src/sandbox/seed.js';
import { StandIn, type RawTicket } from '@helpdesk-bot/feishu-standin';
import { parseTicketQuery as apiQuery, runTicketQuery } from '@helpdesk-bot/feishu-standin/ticket-query';
import { SECRETS } from '../support/secrets.js';
import { parseStats, periodOf, STATS_EXAMPLES } from '../../src/stats/request.js';
import { helpCard } from '../../src/cards/help.js';

const zone = 'Asia/Shanghai';
const you = DEMO_AGENTS[0]!; // the console's user, so `mine` is 陈静
/** The README and every page under docs/: where people read the examples. */
const pages = [
  '../../README.md',
  ...readdirSync(new URL('../../docs/', import.meta.url))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `../../docs/${f}`),
];
const texts = pages.map((page) => readFileSync(new URL(page, import.meta.url), 'utf8'));
const docExamples = [...new Set(texts.flatMap((t) => [...t.matchAll(/`\/tickets ([^`…<]+)`/g)]).map((m) => m[1]!.trim()))];
/** Every /stats the README and docs/ show (in backticks); the help card's and error cards' are added below. */
const statsExamples = [...new Set(texts.flatMap((t) => [...t.matchAll(/`\/(?:stats|统计) ([^`…<[]+)`/g)]).map((m) => m[1]!.trim()))];
/** Every watch the README and docs/ show (in backticks, or in the stand-in's curl examples); the help card's and the console's Try chips' are added below. */
const watchExamples = [...new Set(texts.flatMap((t) => [...t.matchAll(/`\/(?:watch|关注) ([^`…<]+)`/g), ...t.matchAll(/"text":"\/watch ([^"]+)"/g)]).map((m) => m[1]!.trim()))];

/** Moments to seed at: every day of a week at 09:30 and 00:20, and the first of a month at 00:20. */
const MOMENTS = [
  ...Array.from({ length: 7 }, (_, d) => DateTime.fromISO('2026-11-16T09:30', { zone }).plus({ days: d })),
  ...Array.from({ length: 7 }, (_, d) => DateTime.fromISO('2026-11-16T00:20', { zone }).plus({ days: d })),
  DateTime.fromISO('2026-12-01T00:20', { zone }),
  DateTime.fromISO('2027-03-01T09:00', { zone }),
].map((d) => d.toMillis());

/** The demo helpdesk's tags and agents, as the bot's directory learns them. */
const known = { tags: TAGS.map((t) => t.name!), people: DEMO_AGENTS.map((a) => ({ id: a.id!, name: a.name! })) };

/** The list API as the stand-in answers it (its own filtering and paging), without HTTP. */
function listApi(tickets: readonly RawTicket[]): Helpdesk {
  const none = () => Promise.reject(new Error('not the list API'));
  return {
    async listTickets(filter, page, pageSize) {
      const params = Object.fromEntries(Object.entries(listParams(filter, page, pageSize)).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)]));
      const found = runTicketQuery(tickets, apiQuery(params));
      return { total: found.total, tickets: found.tickets.map((t) => toTicket(t)).filter((t): t is Ticket => t !== undefined) };
    },
    getTicket: none,
    getConversation: none,
    firstMessage: none,
    knownFirstMessages: async () => new Map(),
    agents: none,
  };
}

/** How many tickets the example's page shows (the page it asks for, not the last one instead). */
async function count(text: string, now: number, tickets: readonly RawTicket[]): Promise<number> {
  const people = DEMO_AGENTS.map((a) => ({ openId: a.id!, name: a.name! }));
  const addressed = addressMessage(text, 'p2p', { openId: 'ou_bot', name: 'Bot' }, people);
  const shown = ticketsView(addressed.text, { openId: you.id!, mentions: addressed.mentions }, now, zone, known);
  if ('problem' in shown) throw new Error(`${text}: ${JSON.stringify(shown.problem)}`);
  const { list } = shown.view;
  const page = await readListPage(listApi(tickets), listingOf(list, now, zone)!, list.page, 10, {});
  return page.page === list.page ? page.tickets.length : 0;
}

/** The examples that find no ticket. */
const empty = async (examples: readonly string[], now: number, tickets: readonly RawTicket[]) => {
  const counts = await Promise.all(examples.map((e) => count(e, now, tickets)));
  return examples.filter((_, i) => counts[i] === 0);
};

describe('examples find tickets in the demo helpdesk, whenever it is seeded', () => {
  it.each(MOMENTS.map((now) => [DateTime.fromMillis(now, { zone }).toFormat('ccc yyyy-MM-dd HH:mm'), now]))('seeded %s', async (_, now) => {
    const tickets = seedTickets(now, { timezone: zone });
    const { day, from, to } = exampleDates(now, zone);
    const examples = [...filterExamples(now, zone).map((e) => e.text), ...helpExamples(now, zone), day, `${from}..${to}`, ...docExamples];
    expect(await empty(examples, now, tickets)).toEqual([]);
  });

  it('the README and docs/ have /tickets examples, and the test reads them all', () => {
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(docExamples.length).toBeGreaterThanOrEqual(3);
  });

  it.each(MOMENTS.slice(0, 3).map((now) => [DateTime.fromMillis(now, { zone }).toFormat('ccc yyyy-MM-dd HH:mm'), now]))('every /watch example has open tickets that match, seeded %s', async (_, now) => {
    const tickets = seedTickets(now, { timezone: zone });
    const examples = [...watchExamples, 'open tag VIP', '未关闭 标签 VIP', 'open', 'tag VIP'];
    expect(watchExamples.length).toBeGreaterThanOrEqual(4);
    expect(await empty(examples, now, tickets)).toEqual([]);
  });
});

describe('/stats examples count tickets in the demo helpdesk, whenever it is seeded', () => {
  /** Tickets created in the period that match the filters, as the list API finds them. */
  function counted(text: string, now: number, tickets: readonly RawTicket[]): number {
    const parsed = parseStats(text, { openId: you.id!, mentions: [] }, now, zone);
    if ('problem' in parsed) throw new Error(`${text}: ${JSON.stringify(parsed.problem)}`);
    const period = periodOf(parsed.query, now, zone)!;
    const params = Object.fromEntries(Object.entries(listParams({ ...parsed.query.filter, created: period.range }, 1, 10)).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)]));
    return runTicketQuery(tickets, apiQuery(params)).tickets.length;
  }
  const help = JSON.stringify(helpCard({ listExamples: [], dates: { day: '', from: '', to: '' } }));
  const onHelp = [...new Set([...help.matchAll(/`\/stats ([^`]+)`/g)].map((m) => m[1]!))];

  it.each(MOMENTS.map((now) => [DateTime.fromMillis(now, { zone }).toFormat('ccc yyyy-MM-dd HH:mm'), now]))('seeded %s', (_, now) => {
    const tickets = seedTickets(now, { timezone: zone });
    const examples = [...statsExamples, ...STATS_EXAMPLES, ...onHelp];
    expect(examples.filter((e) => counted(e, now, tickets) === 0)).toEqual([]);
  });

  it('the docs and the help card have /stats examples, and the test reads them all', () => {
    expect(statsExamples.length).toBeGreaterThanOrEqual(3);
    expect(onHelp.length).toBeGreaterThanOrEqual(1);
  });
});

describe('examples find tickets in a sandbox left running for weeks', () => {
  // The seed's times do not slide: after a week, what "7d" or "today" finds comes from the demo
  // activity's own tickets (arrived, taken, closed, older closed ones retired). Those alone must
  // keep every example with a relative time finding tickets. Dated examples are made from the
  // day the bot shows them; the activity's retired-but-kept tickets cover them (not checked here).
  it('the activity alone: 900 steps with the default retirement', async () => {
    const standin = await StandIn.start({ ...SECRETS, tickets: [] });
    try {
      const activity = new DemoActivity({ standin, intervalMs: 0, seed: 11, log: memoryLogger() });
      for (let i = 0; i < 900; i++) await activity.next();
      const now = Date.now();
      const relative = filterExamples(now, zone).filter((e) => e.topics.includes('time') && !/\d{4}-\d\d-\d\d/.test(e.text));
      expect(relative.length).toBeGreaterThanOrEqual(10);
      expect(
        await empty(
          relative.map((e) => e.text),
          now,
          standin.tickets,
        ),
      ).toEqual([]);
    } finally {
      await standin.close();
    }
  });
});

describe('through the running sandbox', () => {
  let sandbox: Sandbox;
  let base: string;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, log: memoryLogger('warn'), host: '127.0.0.1' });
    base = `http://127.0.0.1:${sandbox.bot.port}`;
  });
  afterAll(() => sandbox.stop(2000));

  async function ask(text: string): Promise<string> {
    const res = await fetch(`${base}/sandbox/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chat: 'dm', text }) });
    const { id } = (await res.json()) as { id: string };
    for (let i = 0; i < 400; i++) {
      const reply = [...sandbox.standin.messages.values()].find((m) => m.replyTo === id);
      if (reply) return reply.content;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`no reply to ${text}`);
  }

  it('every /watch example on the help card starts a watch, in both languages', async () => {
    const help = await ask('/help');
    const examples = [...new Set([...help.matchAll(/`\/(?:watch|关注) ([^`]+)`/g)].map((m) => m[1]!))];
    expect(examples.sort()).toEqual(['open tag VIP', '未关闭 标签 VIP']);
    for (const example of examples) {
      const started = await ask(`/watch ${example}`);
      expect(started).toContain('Watching: Open · tag VIP');
      // Numbers are never reused: stop the one just announced.
      const number = /\/unwatch (\d+)/.exec(started)![1];
      expect(await ask(`/unwatch ${number}`)).toContain('Stopped watching');
    }
  });

  it('every /tickets example on the help card returns at least one ticket', async () => {
    const help = JSON.parse(await ask('/help')) as { body: { elements: { content?: string; i18n_content?: Record<string, string> }[] } };
    const texts = help.body.elements.flatMap((e) => [e.content ?? '', ...Object.values(e.i18n_content ?? {})]).join('\n');
    const examples = [...new Set([...texts.matchAll(/`\/tickets ([^`]+)`/g)].map((m) => m[1]!))];
    expect(examples.length).toBeGreaterThanOrEqual(8);
    for (const example of examples) {
      const card = await ask(`/tickets ${example}`);
      expect(card, example).toMatch(/"subtitle":\{"tag":"plain_text","content":"\d[\d,]* tickets?/);
    }
  });
});
