// The same query in another zone gives that zone's boundaries, DST included.
import { describe, expect, it } from 'vitest';
import { ctx, DAY, HOUR, NOW, parseOk, sh } from './helpers.js';

const NY = 'America/New_York';
/** Epoch ms of a New York wall-clock time, the offset written out (-5 EST, -4 EDT). */
const ny = (offset: number, y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0) => Date.UTC(y, mo - 1, d, h, mi, s, ms) - offset * HOUR;

describe('America/New_York', () => {
  // NOW is 2026-11-20 07:30Z: 15:30 Friday in Shanghai, 02:30 Friday in New York (EST, -5).
  const c = ctx({ timezone: NY });

  it('today differs from Shanghai by the zone offset', () => {
    const shanghai = parseOk('today').filter.created;
    const newYork = parseOk('today', c).filter.created;
    expect(shanghai).toStrictEqual({ start: sh(2026, 11, 20), end: NOW });
    expect(newYork).toStrictEqual({ start: ny(-5, 2026, 11, 20), end: NOW });
    expect(newYork?.start).not.toBe(shanghai?.start);
  });

  it('yesterday, this week, last month', () => {
    expect(parseOk('yesterday', c).filter.created).toStrictEqual({ start: ny(-5, 2026, 11, 19), end: ny(-5, 2026, 11, 20) - 1 });
    expect(parseOk('this week', c).filter.created).toStrictEqual({ start: ny(-5, 2026, 11, 16), end: NOW });
    // October ends in EDT (-4): the month's last millisecond is 23:59:59.999 EDT.
    expect(parseOk('last month', c).filter.created).toStrictEqual({
      start: ny(-4, 2026, 10, 1),
      end: ny(-4, 2026, 10, 31, 23, 59, 59, 999),
    });
  });

  it('the day clocks go back (2026-11-01) has 25 hours', () => {
    const day = parseOk('2026-11-01', c).filter.created;
    expect(day).toStrictEqual({ start: ny(-4, 2026, 11, 1), end: ny(-5, 2026, 11, 2) - 1 });
    expect((day?.end ?? 0) - (day?.start ?? 0) + 1).toBe(25 * HOUR);
  });

  it('the day clocks go forward (2026-03-08) has 23 hours; 7d counts local days, 168h counts hours', () => {
    const now = ny(-4, 2026, 3, 9, 8); // Monday 08:00 EDT
    const dst = ctx({ timezone: NY, now });
    expect(parseOk('yesterday', dst).filter.created).toStrictEqual({ start: ny(-5, 2026, 3, 8), end: ny(-4, 2026, 3, 9) - 1 });
    expect(parseOk('7d', dst).filter.created).toStrictEqual({ start: ny(-5, 2026, 3, 2, 8), end: now });
    expect(parseOk('168h', dst).filter.created).toStrictEqual({ start: now - 7 * DAY, end: now });
  });

  it('spans do not depend on the zone when no DST change is involved', () => {
    expect(parseOk('24h', c).filter.created).toStrictEqual(parseOk('24h').filter.created);
  });
});
