// The /stats card and the daily digest as golden files (review their diffs like code): charts with
// their figures in text beside them, parts still loading or failed said in their place, notes on
// the duration fields, hostile names as text, and the reply under 30 KB whatever the data.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { checkCard } from '@helpdesk-bot/feishu-standin/cards';
import { boardCard } from '../../../src/cards/board.js';
import { dailyDigestCard, digestSettingCard } from '../../../src/cards/dailyDigest.js';
import { BODY_LIMIT_BYTES, l, replyBodyBytes, type Json } from '../../../src/cards/kit.js';
import { problemCard } from '../../../src/cards/problem.js';
import { statsCard, type StatsCardData, type StatsParts } from '../../../src/cards/stats.js';
import type { Problem } from '../../../src/commands/problems.js';
import { bucketsOf } from '../../../src/stats/buckets.js';
import { expectGolden } from '../../support/golden.js';
import { structureOf } from '../../support/markdown.js';

const tz = 'Asia/Shanghai';
const NOW = DateTime.fromObject({ year: 2026, month: 11, day: 20, hour: 14, minute: 5, second: 30 }, { zone: tz }).toMillis();
const DAY = 86_400_000;
const week = { start: NOW - 7 * DAY, end: NOW };
const MIN = 60_000;

const done: StatsParts = {
  created: { state: 'ok', value: [3, 12, 9, 4, 2, 11, 14, 6] },
  open: {
    state: 'ok',
    value: [
      { status: 1, count: 4 },
      { status: 2, count: 9 },
      { status: 3, count: 1 },
      { status: 4, count: 0 },
      { status: 5, count: 5 },
    ],
  },
  satisfaction: { state: 'ok', value: { scores: [3, 5, 14], total: 61 } },
  responses: {
    state: 'ok',
    value: {
      total: 61,
      read: 61,
      overall: { count: 52, median: 14 * MIN, p90: 55 * MIN },
      metTarget: 39,
      agents: [
        { name: '陈静', count: 14, median: 11 * MIN, p90: 40 * MIN },
        { name: 'Emily Zhang', count: 12, median: 20 * MIN, p90: 75 * MIN },
      ],
    },
  },
  resolved: {
    state: 'ok',
    value: {
      total: 58,
      read: 58,
      closed: [2, 8, 10, 3, 3, 9, 12, 7],
      overall: { count: 50, median: 5 * 3600_000, p90: 30 * 3600_000 },
      agents: [{ name: '陈静', count: 13, median: 4 * 3600_000, p90: 20 * 3600_000 }],
    },
  },
};

const data = (parts: StatsParts, extra: Partial<StatsCardData> = {}): StatsCardData => ({
  query: l('近7天', 'Last 7 days'),
  range: week,
  ...bucketsOf(week, tz),
  parts,
  targetMinutes: 30,
  timezone: tz,
  asOf: NOW,
  filling: Object.values(parts).some((p) => p.state === 'loading'),
  ...extra,
});

/** The platform would accept the card, it fits a reply, and no data became markup. */
function valid(card: Json): Json {
  expect(checkCard(card)).toMatchObject({ ok: true });
  expect(replyBodyBytes(card)).toBeLessThanOrEqual(BODY_LIMIT_BYTES);
  expect(structureOf(card)).toEqual([]);
  return card;
}

type Chart = { tag: 'chart'; chart_spec: { type: string; data: { values: Record<string, unknown>[] }[] } };
const charts = (card: Json): Chart[] => JSON.parse(JSON.stringify(card), (_k, v) => v).body.elements.filter((e: { tag: string }) => e.tag === 'chart');

describe('the /stats card', () => {
  it('draws five charts, each with its figures in a collapsed panel, and says which fields the times are', () => {
    const card = valid(statsCard(data(done)));
    expectGolden('stats-complete', card);
    expect(charts(card).map((c) => c.chart_spec.type)).toEqual(['bar', 'bar', 'pie', 'bar', 'bar']);
    const [counts, , scores] = charts(card);
    expect(counts!.chart_spec.data[0]!.values.filter((v) => v['series'] === '新建 / Created').map((v) => v['count'])).toEqual([3, 12, 9, 4, 2, 11, 14, 6]);
    expect(scores!.chart_spec.data[0]!.values.map((v) => v['count'])).toEqual([3, 5, 14, 61 - 22]);
    const text = JSON.stringify(card);
    expect(text).toContain('11-14: 12 created, 8 closed');
    expect(text).toContain('Unsatisfied: 3 (14%)');
    expect(text).toContain('Unscored: 39');
    expect(text).toContain('**75%** within the 30-minute target (39 of 52)');
    expect(text).toContain('agent_first_response_duration');
    expect(text).toContain('agent_resolution_time');
    expect(text).toContain('**61** created · **54** closed · **19** open now');
    const panels = (card as { body: { elements: { tag: string; expanded?: boolean }[] } }).body.elements.filter((e) => e.tag === 'collapsible_panel');
    expect(panels).toHaveLength(5);
    expect(panels.every((p) => p.expanded === false)).toBe(true);
  });

  it('comes first with the parts it has, the rest saying they are being counted', () => {
    const first: StatsParts = { ...done, created: { state: 'loading' }, responses: { state: 'loading' }, resolved: { state: 'loading' } };
    const card = valid(statsCard(data(first)));
    expectGolden('stats-first', card);
    expect(charts(card).map((c) => c.chart_spec.type)).toEqual(['bar', 'pie']);
    const text = JSON.stringify(card);
    expect(text).toContain('Counting…');
    expect(text).toContain('this card updates itself');
  });

  it('says in its place that a part failed, and shows the rest', () => {
    const failed: StatsParts = { ...done, open: { state: 'failed', why: 'busy' }, resolved: { state: 'failed', why: 'timeout' } };
    const card = valid(statsCard(data(failed)));
    expectGolden('stats-failed', card);
    const text = JSON.stringify(card);
    expect(text).toContain('This part could not be counted: too many lookups were queued to count it in time.');
    expect(text).toContain('This part could not be counted: the helpdesk did not answer in time.');
    expect(text).toContain('**?** closed');
    expect(charts(card).map((c) => c.chart_spec.type)).toEqual(['bar', 'pie', 'bar']);
    expect(text).toContain('complete');
  });

  it('says when durations come from a sample, and when closed counts are partial', () => {
    const sampled: StatsParts = {
      ...done,
      responses: { state: 'ok', value: { ...(done.responses as { value: object }).value, total: 4321, read: 1000 } as never },
      resolved: { state: 'ok', value: { ...(done.resolved as { value: object }).value, total: 2000, read: 1000 } as never },
    };
    const text = JSON.stringify(statsCard(data(sampled)));
    expect(text).toContain('From a sample: 1,000 of the 4,321 tickets were read.');
    expect(text).toContain('From a sample: 1,000 of the 2,000 closed tickets were read.');
    expect(text).toContain('**54+** closed');
  });

  it('counts one ticket as one ticket', () => {
    const one = { count: 1, median: 9 * MIN, p90: 9 * MIN };
    const single: StatsParts = {
      ...done,
      responses: { state: 'ok', value: { ...(done.responses as { value: object }).value, overall: one } as never },
      resolved: { state: 'ok', value: { ...(done.resolved as { value: object }).value, overall: one } as never },
    };
    const text = JSON.stringify(statsCard(data(single)));
    expect(text).toContain('90th percentile 9 min (1 ticket)');
    expect(text).not.toContain('(1 tickets)');
    expect(text).toContain('（1 个工单）');
  });

  it('keeps a year by month, with hostile agent names, far under 30 KB, names as text', () => {
    const year = { start: NOW - 366 * DAY, end: NOW };
    const buckets = bucketsOf(year, tz);
    // Each character of these is an entity in markdown, escaped again in JSON: the worst case.
    const hostile = (i: number) => `<font color=red>**"${i}"\\**</font> [x](http://evil) ${'<"'.repeat(60)}`;
    const agents = Array.from({ length: 5 }, (_, i) => ({ name: hostile(i), count: 10_000 + i, median: 86_400_000 * 40, p90: 86_400_000 * 400 }));
    const many = buckets.buckets.map((_, i) => 100_000 + i);
    const parts: StatsParts = {
      ...done,
      created: { state: 'ok', value: many },
      responses: { state: 'ok', value: { total: 9_999_999, read: 1000, overall: agents[0]!, metTarget: 5, agents } },
      resolved: { state: 'ok', value: { total: 9_999_999, read: 1000, closed: many, overall: agents[0]!, agents } },
    };
    const card = valid(statsCard(data(parts, { range: year, ...buckets })));
    expect(JSON.stringify(card)).toContain('&#60;font color=red&#62;');
    // A month by day, the most points a chart has, with the same names everywhere: still under.
    const days = bucketsOf({ start: NOW - 32 * DAY, end: NOW }, tz);
    const daily = days.buckets.map(() => 99_999);
    const month = valid(
      statsCard(
        data(
          { ...parts, created: { state: 'ok', value: daily }, resolved: { state: 'ok', value: { total: 9_999_999, read: 1000, closed: daily, overall: agents[0]!, agents } } },
          { ...days, query: { zh_cn: '长'.repeat(200), en_us: '<'.repeat(200) } },
        ),
      ),
    );
    expect(replyBodyBytes(month)).toBeGreaterThan(BODY_LIMIT_BYTES * 0.75);
  });
});

describe('the daily digest', () => {
  const yesterday = { start: DateTime.fromMillis(NOW, { zone: tz }).startOf('day').minus({ days: 1 }).toMillis(), end: DateTime.fromMillis(NOW, { zone: tz }).startOf('day').toMillis() - 1 };
  const buckets = bucketsOf(yesterday, tz);
  const parts: StatsParts = {
    ...done,
    created: { state: 'ok', value: buckets.buckets.map((_, i) => (i > 8 && i < 18 ? 2 : 0)) },
    resolved: { state: 'ok', value: { total: 20, read: 20, closed: buckets.buckets.map((_, i) => (i > 9 && i < 19 ? 1 : 0)), agents: [] } },
  };
  const digest = () =>
    dailyDigestCard({
      day: '2026-11-19',
      stats: { range: yesterday, ...buckets, parts, targetMinutes: 30, timezone: tz, asOf: NOW },
      open: { count: 19, oldest: { id: '6626871355780366331', createdAt: NOW - 5 * DAY } },
      time: '09:00',
      actions: { unhappy: { v: 2, k: 'l' }, oldest: { v: 2, k: 't' }, board: { v: 2, k: 'b' } },
    });

  it('says the day in a few words, then shows its charts, with buttons that open what it names', () => {
    const card = valid(digest());
    expectGolden('daily-digest', card);
    const text = JSON.stringify(card);
    expect(text).toContain('Daily digest: 2026-11-19');
    expect(text).toContain('**18** tickets opened, **9** closed.');
    expect(text).toContain('**19** open now; waiting longest: #6626871355780366331, for 5 d.');
    expect(text).toContain('**3** unhappy customers (score 1)');
    expect(charts(card).length).toBeGreaterThanOrEqual(3);
  });

  it('says the setting, and what it will do, in both languages', () => {
    const set = valid(digestSettingCard({ time: '09:00', change: 'set', next: NOW + 18 * 3600_000 + 54 * MIN + 30_000, timezone: tz, now: NOW }));
    expectGolden('digest-set', set);
    expect(JSON.stringify(set)).toContain('Next: 11-21 09:00.');
    expect(JSON.stringify(set)).toContain('**Daily digest set.** Every day at 09:00 (Asia/Shanghai UTC+8) this chat gets the day before’s figures');
    expect(JSON.stringify(set)).toContain('**日报已设置。**每天 09:00（Asia/Shanghai UTC+8）在这里发送前一天的数据');
    const off = valid(digestSettingCard({ change: 'off', timezone: tz, now: NOW }));
    expectGolden('digest-off', off);
    expect(JSON.stringify(off)).toContain('Daily digest stopped');
    expect(JSON.stringify(valid(digestSettingCard({ timezone: tz, now: NOW })))).toContain('This chat has no daily digest.');
  });
});

describe('the board’s chart of the day', () => {
  it('shows the day so far by hour under the counts, with the totals in words', () => {
    const midnight = DateTime.fromMillis(NOW, { zone: tz }).startOf('day').toMillis();
    const hours = Array.from({ length: 15 }, (_, i) => midnight + i * 3600_000);
    const counts = { byStatus: [{ status: 1, count: 3 }], open: 3, read: 3, unassigned: 1, agents: [], today: { hours, created: hours.map((_, i) => i % 4), closed: hours.map((_, i) => i % 3), partial: false } };
    const value = { v: 2, k: 'b' };
    const card = valid(boardCard({ counts, timezone: tz, now: NOW, actions: { status: () => value, unassigned: value, agent: () => value, refresh: value } }));
    expectGolden('board-today', card);
    expect(JSON.stringify(card)).toContain('**Today so far**: 21 created, 15 closed (by hour)');
    const [chart] = charts(card);
    expect(chart!.chart_spec.data[0]!.values.slice(0, 2)).toEqual([
      { bucket: '00', series: '新建 / Created', count: 0 },
      { bucket: '01', series: '新建 / Created', count: 1 },
    ]);
    expect(
      JSON.stringify(
        boardCard({ counts: { ...counts, today: { ...counts.today, partial: true } }, timezone: tz, now: NOW, actions: { status: () => value, unassigned: value, agent: () => value, refresh: value } }),
      ),
    ).toContain('21+ created, 15+ closed');
  });
});

describe('problem cards of /stats and /digest', () => {
  const problems: Problem[] = [
    { kind: 'stats-filter', word: 'today', why: 'updated' },
    { kind: 'stats-filter', word: 'unassigned', why: 'unassigned' },
    { kind: 'digest-time', input: 'tomorrow' },
    { kind: 'digest-limit', max: 1000 },
  ];
  it.each(problems)('$kind', (problem) => {
    expectGolden(`problem-${problem.kind}${problem.kind === 'stats-filter' && problem.why !== 'updated' ? `-${problem.why}` : ''}`, valid(problemCard(problem)));
  });

  it('shows /stats examples after a filter error of /stats', () => {
    const text = JSON.stringify(problemCard({ kind: 'filter', error: { kind: 'unknown-words', words: [{ word: 'opne', suggestion: 'open' }] }, examples: ['7d', '近30天'], command: '/stats' }));
    expect(text).toContain('`/stats 7d`');
    expect(text).toContain('`/stats 近30天`');
    expect(text).not.toContain('/tickets');
  });
});
