// `/stats [time] [filters]`: the /tickets words, a period of creation time (7 days unless given),
// and a clear answer for what /stats cannot count.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parseStats, periodOf } from '../../../src/stats/request.js';

const SH = 'Asia/Shanghai';
const NOW = DateTime.fromObject({ year: 2026, month: 11, day: 20, hour: 14, minute: 5 }, { zone: SH }).toMillis();
const asker = { openId: 'ou_asker', mentions: [] };
const parse = (args: string) => parseStats(args, asker, NOW, SH);

describe('parseStats', () => {
  it('counts the last 7 days when no time is given, with the filters /tickets reads', () => {
    expect(parse('')).toEqual({ query: { filter: {}, names: {}, period: '7d' } });
    expect(parse('tag VIP 30d')).toEqual({ query: { filter: { tags: ['VIP'] }, names: {}, period: '30d' } });
    expect(parse('mine today')).toEqual({ query: { filter: { agentId: 'ou_asker' }, names: {}, mine: true, period: 'today' } });
    expect(parse('近30天 标签 报销')).toEqual({ query: { filter: { tags: ['报销'] }, names: {}, period: '30d' } });
  });

  it('resolves the period to the end of the minute it is asked in, the same for anyone asking then', () => {
    const { query } = parse('7d') as { query: Parameters<typeof periodOf>[0] };
    const period = periodOf(query, NOW + 12_345, SH)!;
    expect(period.range).toEqual({ start: NOW + 59_999 - 7 * 86_400_000, end: NOW + 59_999 });
    expect(periodOf(query, NOW + 59_000, SH)).toEqual(period);
    expect(periodOf(query, NOW + 60_000, SH)!.range.end).toBe(NOW + 60_000 + 59_999);
  });

  it('refuses an update time, a page and more than a year, saying which word', () => {
    expect(parse('updated today')).toEqual({ problem: { kind: 'stats-filter', word: 'today', why: 'updated' } });
    expect(parse('7d page 2')).toEqual({ problem: { kind: 'stats-filter', word: '2', why: 'page' } });
    expect(parse('2y')).toMatchObject({ problem: { kind: 'filter' } });
    expect(parse('400d')).toEqual({ problem: { kind: 'stats-filter', word: '400d', why: 'too-long' } });
    expect(parse('12mo')).toMatchObject({ query: { period: '12mo' } });
  });

  it('counts the closed tickets of a period for `closed <time>`, and refuses what the list API cannot count', () => {
    expect(parse('closed 30d')).toEqual({ query: { filter: { statuses: [50, 51, 52] }, names: {}, period: '30d' } });
    expect(parse('unassigned')).toEqual({ problem: { kind: 'stats-filter', word: 'unassigned', why: 'unassigned' } });
    expect(parse('score 1-2 7d')).toEqual({ problem: { kind: 'stats-filter', word: '1-2', why: 'scores' } });
    expect(parse('closed yesterday created 7d')).toEqual({ problem: { kind: 'stats-filter', word: 'yesterday', why: 'two-times' } });
  });

  it('answers a word it does not know as /tickets does, with /stats examples', () => {
    expect(parse('opne 7d')).toMatchObject({ problem: { kind: 'filter', error: { kind: 'unknown-words', words: [{ word: 'opne', suggestion: 'open' }] }, command: '/stats' } });
  });
});
