// The buckets a /stats chart counts in: the unit for the period's length, boundaries in the zone
// (DST days included), and buckets that cover the period exactly, so their counts add up to it.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { resolveTime } from '../../../src/commands/filters/time.js';
import { bucketsOf } from '../../../src/stats/buckets.js';

const SH = 'Asia/Shanghai';
// 2026-11-20 14:05:30 in Shanghai (a Friday).
const NOW = DateTime.fromObject({ year: 2026, month: 11, day: 20, hour: 14, minute: 5, second: 30 }, { zone: SH }).toMillis();
const range = (words: Parameters<typeof resolveTime>[0], now = NOW, zone = SH) => {
  const r = resolveTime(words, now, zone);
  if (!r.ok) throw new Error(r.expected);
  return r.range;
};
const local = (ms: number, zone = SH) => DateTime.fromMillis(ms, { zone }).toFormat('yyyy-MM-dd HH:mm:ss.SSS');

describe('bucketsOf', () => {
  it('cuts today into hours, from midnight to now', () => {
    const { unit, buckets } = bucketsOf(range({ kind: 'period', period: 'today' }), SH);
    expect(unit).toBe('hour');
    expect(buckets).toHaveLength(15);
    expect(local(buckets[0]!.start)).toBe('2026-11-20 00:00:00.000');
    expect(local(buckets[0]!.end)).toBe('2026-11-20 00:59:59.999');
    expect(local(buckets.at(-1)!.start)).toBe('2026-11-20 14:00:00.000');
    expect(buckets.at(-1)!.end).toBe(NOW);
  });

  it('cuts the last 7 days into days, the first and last clipped to the period', () => {
    const { unit, buckets } = bucketsOf(range({ kind: 'span', amount: 7, unit: 'days' }), SH);
    expect(unit).toBe('day');
    expect(buckets.map((b) => local(b.start).slice(0, 10))).toEqual(['2026-11-13', '2026-11-14', '2026-11-15', '2026-11-16', '2026-11-17', '2026-11-18', '2026-11-19', '2026-11-20']);
    expect(local(buckets[0]!.start)).toBe('2026-11-13 14:05:30.000');
    expect(local(buckets[1]!.start)).toBe('2026-11-14 00:00:00.000');
  });

  it('uses weeks (from Monday) past a month, and months past half a year', () => {
    const weeks = bucketsOf(range({ kind: 'span', amount: 90, unit: 'days' }), SH);
    expect(weeks.unit).toBe('week');
    expect(DateTime.fromMillis(weeks.buckets[1]!.start, { zone: SH }).weekday).toBe(1);
    const months = bucketsOf(range({ kind: 'span', amount: 12, unit: 'months' }), SH);
    expect(months.unit).toBe('month');
    expect(months.buckets).toHaveLength(13);
    expect(local(months.buckets[1]!.start)).toBe('2025-12-01 00:00:00.000');
  });

  it('keeps a day of 25 hours (a DST change) in hours, with local hour boundaries', () => {
    const zone = 'America/New_York';
    const day = DateTime.fromObject({ year: 2026, month: 11, day: 1 }, { zone });
    const { unit, buckets } = bucketsOf({ start: day.startOf('day').toMillis(), end: day.endOf('day').toMillis() }, zone);
    expect(unit).toBe('hour');
    expect(buckets).toHaveLength(25);
  });

  it('covers any period exactly: no gap, no overlap, nothing outside', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 365 * 24 * 3600_000 }), fc.integer({ min: 0, max: 3 * 365 * 24 * 3600_000 }), fc.constantFrom(SH, 'America/New_York', 'Europe/London', 'UTC'), (length, offset, zone) => {
        const start = NOW - offset - length;
        const { buckets } = bucketsOf({ start, end: start + length }, zone);
        expect(buckets[0]!.start).toBe(start);
        expect(buckets.at(-1)!.end).toBe(start + length);
        buckets.forEach((b, i) => {
          expect(b.end).toBeGreaterThanOrEqual(b.start);
          if (i > 0) expect(b.start).toBe(buckets[i - 1]!.end + 1);
        });
        expect(buckets.length).toBeLessThanOrEqual(33);
      }),
      { numRuns: 300 },
    );
  });
});
