// /stats end to end: the real bot against the stand-in holding the demo helpdesk. The card's charts
// and the figures beside them are checked against the stand-in's own tickets, counted here without
// the bot's code; the list calls the stand-in received show the counts at page size 1 and the
// bounded reads; a slow helpdesk shows the card coming first and filled in by patches, and a
// failed part saying so in its place.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawTicket } from '@helpdesk-bot/feishu-standin';
import { seedTickets } from '../../src/sandbox/seed.js';
import { READ_PAGES } from '../../src/helpdesk/read.js';
import { startHarness, type Harness } from '../support/harness.js';
import { until } from '../support/wait.js';
import { newTicket } from '../support/watch.js';

const tz = 'Asia/Shanghai';
// Default caches (so a repeated count is a cache hit), limits no test reaches.
const YAML = `
upstream:
  limits: { ticket_get_per_second: 1000, ticket_list_per_second: 1000, messages_per_second: 1000, messages_per_chat_per_second: 1000 }
`;

type Values = Record<string, string | number>[];
type Chart = { tag: 'chart'; chart_spec: { type: string; data: { values: Values }[] } };
const charts = (card: Record<string, unknown>): Chart[] => (card as { body: { elements: { tag: string }[] } }).body.elements.filter((e): e is Chart => e.tag === 'chart');

const day = (ms: number) => DateTime.fromMillis(ms, { zone: tz }).toFormat('MM-dd');
/** How many of the tickets fall on each day (MM-dd), by `at`. */
function perDay(tickets: RawTicket[], at: (t: RawTicket) => number | undefined, days: string[]): number[] {
  const counts = new Map<string, number>();
  for (const t of tickets) {
    const ms = at(t);
    if (ms !== undefined && ms > 0) counts.set(day(ms), (counts.get(day(ms)) ?? 0) + 1);
  }
  return days.map((d) => counts.get(d) ?? 0);
}

let h: Harness;
const now = Date.now();
beforeAll(async () => {
  h = await startHarness({ tickets: seedTickets(now), yaml: YAML });
});
afterAll(() => h.close());

/** The reply to a command once its card is complete (patched in place until then). */
async function complete(messageId: string) {
  const [reply] = await h.replies(messageId);
  await until('the card to be complete', () => h.standin.messages.get(reply!.messageId)!.content.includes('· complete'), 20_000);
  const message = h.standin.messages.get(reply!.messageId)!;
  return { ...reply!, content: message.content, card: JSON.parse(message.content) as Record<string, unknown> };
}

describe('/stats 7d against the demo helpdesk', () => {
  let card: Record<string, unknown>;
  let text: string;
  let from: number;
  let to: number;
  beforeAll(async () => {
    h.standin.clearCalls();
    const said = await h.say('/stats 7d');
    const reply = await complete(said.messageId);
    card = reply.card;
    text = reply.content;
    const created = h.standin.callsTo('ticket_list').find((c) => c.query['create_time_start'] !== undefined && c.query['score'] === undefined && c.query['page_size'] === '200')!;
    from = Number(created.query['create_time_start']);
    to = Number(created.query['create_time_end']);
  });

  it('has at least three charts, the tickets created per day agreeing with the helpdesk’s own tickets', () => {
    expect(charts(card).length).toBeGreaterThanOrEqual(3);
    const [counts] = charts(card);
    const values = counts!.chart_spec.data[0]!.values;
    const days = [...new Set(values.map((v) => v['bucket'] as string))];
    expect(days).toHaveLength(8);
    expect(days[0]).toBe(day(from));
    const inPeriod = h.standin.tickets.filter((t) => t.created_at! >= from && t.created_at! <= to);
    const created = perDay(inPeriod, (t) => t.created_at, days);
    expect(values.filter((v) => v['series'] === '新建 / Created').map((v) => v['count'])).toEqual(created);
    expect(created.reduce((a, b) => a + b, 0)).toBe(inPeriod.length);
    expect(inPeriod.length).toBeGreaterThan(20);
    // The figures in text beside the chart agree too.
    days.forEach((d, i) => expect(text).toContain(`${d}: ${created[i]} created`));
    expect(text).toContain(`**${inPeriod.length}** created`);
  });

  it('counts the tickets closed per day by their closing time', () => {
    const values = charts(card)[0]!.chart_spec.data[0]!.values;
    const days = [...new Set(values.map((v) => v['bucket'] as string))];
    const closed = h.standin.tickets.filter((t) => t.status! >= 50 && t.closed_at !== undefined && t.closed_at >= from && t.closed_at <= to);
    expect(values.filter((v) => v['series'] === '关闭 / Closed').map((v) => v['count'])).toEqual(perDay(closed, (t) => t.closed_at, days));
    expect(text).toContain(`**${closed.length}** closed`);
  });

  it('shows satisfaction counts (1, 2, 3 and unscored) as the helpdesk has them, and the share unsatisfied', () => {
    const satisfaction = charts(card).find((c) => c.chart_spec.type === 'pie')!;
    const inPeriod = h.standin.tickets.filter((t) => t.created_at! >= from && t.created_at! <= to);
    const scored = (s: number) => inPeriod.filter((t) => t.score === s).length;
    const expected = [scored(1), scored(2), scored(3), inPeriod.length - scored(1) - scored(2) - scored(3)];
    expect(satisfaction.chart_spec.data[0]!.values.map((v) => v['count'])).toEqual(expected);
    expect(text).toContain(`Unsatisfied: ${expected[0]} (`);
    expect(text).toContain(`Unscored: ${expected[3]}`);
    const share = Math.round((expected[0]! / (expected[0]! + expected[1]! + expected[2]!)) * 100);
    expect(text).toContain(`**${share}%** of them unsatisfied`);
  });

  it('shows the open tickets now by status', () => {
    const status = charts(card).find((c) => c.chart_spec.type === 'bar' && c.chart_spec.data[0]!.values[0]?.['status'] !== undefined)!;
    const open = [1, 2, 3, 4, 5].map((s) => h.standin.tickets.filter((t) => t.status === s).length);
    expect(status.chart_spec.data[0]!.values.map((v) => v['count'])).toEqual(open);
  });

  it('gives first response and resolution times from the tickets’ own fields, with the target share', () => {
    const inPeriod = h.standin.tickets.filter((t) => t.created_at! >= from && t.created_at! <= to && t.agent_first_response_duration !== undefined);
    const within = inPeriod.filter((t) => t.agent_first_response_duration! * 1000 <= 30 * 60_000).length;
    expect(text).toContain(`within the 30-minute target (${within} of ${inPeriod.length})`);
    expect(text).toContain('agent_first_response_duration');
  });

  it('counts with the list API’s totals at page size 1, and reads at most READ_PAGES pages for each sample', () => {
    const calls = h.standin.callsTo('ticket_list');
    const counts = calls.filter((c) => c.query['page_size'] === '1');
    const pages = calls.filter((c) => c.query['page_size'] === '200');
    // 5 open statuses, the period and its 3 scores, 8 days.
    expect(counts).toHaveLength(5 + 4 + 8);
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(pages.length).toBeLessThanOrEqual(2 * READ_PAGES);
    // Nothing was asked twice, though the reply and the job that filled the card in both counted.
    const keys = calls.map((c) => JSON.stringify(Object.entries(c.query).sort()));
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('/stats on a slow helpdesk', () => {
  it('answers at once with what it has, then patches the card in place as the parts arrive', async () => {
    h.standin.inject('ticket_list', { delayMs: 250 });
    try {
      const said = await h.say('/stats 30d');
      const [first] = await h.replies(said.messageId);
      expect(first!.content).toContain('Counting…');
      expect(first!.content).toContain('this card updates itself');
      const done = await complete(said.messageId);
      expect(charts(done.card).length).toBeGreaterThanOrEqual(4);
      expect(done.content).not.toContain('Counting…');
      expect(h.standin.callsTo('patch').filter((c) => c.path.includes(first!.messageId)).length).toBeGreaterThanOrEqual(1);
    } finally {
      h.standin.clearFaults();
    }
  });

  it('says in its place that a part could not be counted, and shows the rest', async () => {
    // The first call of all (filters nothing has counted yet, so nothing is cached) is an
    // open-status count: refused, and not worth a retry.
    h.standin.inject('ticket_list', { status: 400, code: 154000, times: 1 });
    const said = await h.say('/stats today tag VIP');
    const done = await complete(said.messageId);
    expect(done.content).toContain('This part could not be counted: the helpdesk failed.');
    expect(charts(done.card).map((c) => c.chart_spec.type)).toContain('pie');
    expect(done.content).toContain('**?** open now');
  });
});

describe('/stats in a group', () => {
  it('holds no guest data, in the charts or anywhere else', async () => {
    const said = await h.say('/stats 7d', { chatType: 'group' });
    const done = await complete(said.messageId);
    for (const t of h.standin.tickets) {
      for (const value of [t.guest?.name, t.guest?.email, t.guest?.id].filter((v): v is string => !!v)) expect(done.content).not.toContain(value);
    }
  });

  it('refuses what it cannot count, saying what to type instead', async () => {
    const said = await h.say('/stats updated today', { chatType: 'group' });
    const [reply] = await h.replies(said.messageId);
    expect(reply!.content).toContain('/stats counts by creation time');
  });
});

describe('the board’s chart of the day', () => {
  it('shows the tickets created and closed in each hour so far today, as the helpdesk has them, and keeps it current', async () => {
    const said = await h.say('/board');
    const [board] = await h.replies(said.messageId);
    const [chart] = charts(board!.card);
    const values = chart!.chart_spec.data[0]!.values;
    const midnight = DateTime.now().setZone(tz).startOf('day').toMillis();
    const hour = (ms: number) => DateTime.fromMillis(ms, { zone: tz }).toFormat('HH');
    const hours = [...new Set(values.map((v) => v['bucket'] as string))];
    expect(hours[0]).toBe('00');
    const byHour = (times: number[]) => hours.map((hh) => times.filter((t) => hour(t) === hh).length);
    const created = h.standin.tickets.flatMap((t) => (t.created_at! >= midnight ? [t.created_at!] : []));
    const closed = h.standin.tickets.flatMap((t) => (t.status! >= 50 && t.closed_at !== undefined && t.closed_at >= midnight ? [t.closed_at] : []));
    expect(values.filter((v) => v['series'] === '新建 / Created').map((v) => v['count'])).toEqual(byHour(created));
    expect(values.filter((v) => v['series'] === '关闭 / Closed').map((v) => v['count'])).toEqual(byHour(closed));
    expect(board!.content).toContain(`**Today so far**: ${created.length} created, ${closed.length} closed (by hour)`);

    // A ticket created now: the board's kept day takes it from its event, with no list call, and
    // the posted board is patched with it.
    await until('the subscription', () => h.standin.subscriptions.length === 2);
    const reads = () => h.standin.callsTo('ticket_list').filter((c) => c.query['page_size'] === '200').length;
    const before = reads();
    await h.standin.createTicket(newTicket({}));
    await until('the board patched', () => h.standin.messages.get(board!.messageId)!.content.includes(`**Today so far**: ${created.length + 1} created`), 15_000);
    const patched = JSON.parse(h.standin.messages.get(board!.messageId)!.content) as Record<string, unknown>;
    const now = charts(patched)[0]!.chart_spec.data[0]!.values.filter((v) => v['series'] === '新建 / Created');
    expect(now.reduce((n, v) => n + (v['count'] as number), 0)).toBe(created.length + 1);
    expect(reads()).toBe(before);
  });
});
