// Time expressions: recognising them in text and turning them into [start, end] epoch-ms ranges
// in the asker's zone. Luxon does the calendar work so day, week (Monday) and month boundaries
// are exact local wall-clock boundaries, DST included.

import { DateTime } from 'luxon';
import { COUNT_SRC, parseCount } from './numbers.js';
import type { Period } from './vocabulary.js';

export interface TimeRange {
  start: number;
  end: number;
}

export interface CalendarDay {
  year: number;
  month: number;
  day: number;
}

export type SpanUnit = 'hours' | 'days' | 'weeks' | 'months';

export type TimeSpec = { kind: 'period'; period: Period } | { kind: 'span'; amount: number; unit: SpanUnit } | { kind: 'days'; from: CalendarDay; to: CalendarDay };

/** A match, a text shaped like a time that is not a valid one (with a hint), or no match. */
export type TimeMatch = { ok: true; spec: TimeSpec } | { ok: false; expected: string } | null;

export const DATE_EXPECTED = 'a real date such as 2026-11-20';
export const SPAN_LIMITS: Readonly<Record<SpanUnit, number>> = { hours: 87600, days: 3650, weeks: 520, months: 120 };

const DATE_SRC = '\\d{4}[-/.]\\d{1,2}[-/.]\\d{1,2}|\\d{4}年\\d{1,2}月\\d{1,2}[日号]?';
const RANGE_SEP_SRC = '\\s*(?:\\.\\.\\.?|~|至|到|—|–)\\s*|\\s+-\\s+';
const EN_UNITS: Readonly<Record<string, SpanUnit>> = {
  h: 'hours',
  hr: 'hours',
  hrs: 'hours',
  hour: 'hours',
  hours: 'hours',
  d: 'days',
  day: 'days',
  days: 'days',
  w: 'weeks',
  wk: 'weeks',
  wks: 'weeks',
  week: 'weeks',
  weeks: 'weeks',
  mo: 'months',
  month: 'months',
  months: 'months',
};
const ZH_UNITS: Readonly<Record<string, SpanUnit>> = {
  小时: 'hours',
  个小时: 'hours',
  天: 'days',
  周: 'weeks',
  星期: 'weeks',
  个星期: 'weeks',
  个月: 'months',
};
// `日` and bare `月` only count as units after 近/最近/过去: "7日" alone reads as "the 7th", "3月" as March.
const ZH_PREFIXED_UNITS: Readonly<Record<string, SpanUnit>> = { ...ZH_UNITS, 日: 'days', 月: 'months' };

const alternatives = (units: Readonly<Record<string, SpanUnit>>): string =>
  Object.keys(units)
    .sort((a, b) => b.length - a.length)
    .join('|');

const DATE = new RegExp(`^(?:${DATE_SRC})$`);
const RANGE = new RegExp(`^(${DATE_SRC})(?:${RANGE_SEP_SRC})(${DATE_SRC})$`);
const EN_SPAN = new RegExp(`^(?:(?:last|past)\\s*)?(\\d+)\\s*(${alternatives(EN_UNITS)})$`);
const ZH_SPAN = new RegExp(`^(${COUNT_SRC})\\s*(${alternatives(ZH_UNITS)})$`);
const ZH_PREFIXED_SPAN = new RegExp(`^(?:最近|近|过去)\\s*(${COUNT_SRC})\\s*(${alternatives(ZH_PREFIXED_UNITS)})$`);

/**
 * Sticky patterns for the Chinese splitter: time expressions that can sit inside a glued token,
 * e.g. `未关闭近7天` or `2026-11-01至2026-11-20`. Matched against width-folded raw text.
 */
export const GLUED_TIME_PATTERNS: readonly RegExp[] = [
  new RegExp(`(?:${DATE_SRC})(?:${RANGE_SEP_SRC})(?:${DATE_SRC})`, 'y'),
  /\d{4}年\d{1,2}月\d{1,2}[日号]?/y,
  new RegExp(`(?:最近|近|过去)${COUNT_SRC}(?:${alternatives(ZH_PREFIXED_UNITS)})`, 'y'),
  new RegExp(`${COUNT_SRC}(?:${alternatives(ZH_UNITS)})`, 'y'),
];

/** Recognises a time expression in normalised text (tokens joined by single spaces). */
export function matchTime(text: string): TimeMatch {
  const range = RANGE.exec(text);
  if (range) {
    const from = parseDay(range[1] ?? '');
    const to = parseDay(range[2] ?? '');
    if (!from || !to) return { ok: false, expected: DATE_EXPECTED };
    return { ok: true, spec: { kind: 'days', from, to } };
  }
  if (DATE.test(text)) {
    const day = parseDay(text);
    return day ? { ok: true, spec: { kind: 'days', from: day, to: day } } : { ok: false, expected: DATE_EXPECTED };
  }
  const span = EN_SPAN.exec(text) ?? ZH_SPAN.exec(text) ?? ZH_PREFIXED_SPAN.exec(text);
  if (span) {
    const unit = EN_UNITS[span[2] ?? ''] ?? ZH_PREFIXED_UNITS[span[2] ?? ''];
    const amount = parseCount(span[1] ?? '');
    if (unit === undefined || amount === undefined) return null;
    if (amount < 1) return { ok: false, expected: 'a span of at least 1' };
    if (amount > SPAN_LIMITS[unit]) return { ok: false, expected: `at most ${SPAN_LIMITS[unit]} ${unit}` };
    return { ok: true, spec: { kind: 'span', amount, unit } };
  }
  return null;
}

/** Only the shape was checked so far; the calendar check happens here (no 2026-02-30). */
function parseDay(text: string): CalendarDay | undefined {
  const m = /^(\d{4})\D(\d{1,2})\D(\d{1,2})/.exec(text);
  if (!m) return undefined;
  const day = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  if (day.year < 1970 || day.year > 2100) return undefined;
  return DateTime.fromObject(day, { zone: 'UTC' }).isValid ? day : undefined;
}

export type ResolveResult = { ok: true; range: TimeRange } | { ok: false; expected: string };

/**
 * Turns a spec into a range. Periods are whole local days/weeks/months (00:00:00.000 to
 * 23:59:59.999); a period that contains `now` ends at `now`; spans end at `now`. Day, week and
 * month spans step back on the calendar (so `7d` across a DST change is 7 local days, not 168 h);
 * hour spans are exact.
 */
export function resolveTime(spec: TimeSpec, now: number, zone: string): ResolveResult {
  const clock = DateTime.fromMillis(now, { zone });
  if (!clock.isValid) return { ok: false, expected: 'a valid clock and time zone' };

  let start: DateTime;
  let end: DateTime;
  switch (spec.kind) {
    case 'period':
      [start, end] = periodBounds(spec.period, clock);
      break;
    case 'span':
      start = spec.unit === 'hours' ? clock.minus({ milliseconds: spec.amount * 3_600_000 }) : clock.minus({ [spec.unit]: spec.amount });
      end = clock;
      break;
    case 'days': {
      start = DateTime.fromObject(spec.from, { zone }).startOf('day');
      end = DateTime.fromObject(spec.to, { zone }).endOf('day');
      if (end < start) return { ok: false, expected: 'an end on or after the start' };
      break;
    }
  }
  const range = clip({ start: start.toMillis(), end: end.toMillis() }, now);
  if (!Number.isFinite(range.start) || !Number.isFinite(range.end)) return { ok: false, expected: 'a valid clock and time zone' };
  return { ok: true, range };
}

function periodBounds(period: Period, clock: DateTime): [DateTime, DateTime] {
  switch (period) {
    case 'today':
      return [clock.startOf('day'), clock.endOf('day')];
    case 'yesterday': {
      const day = clock.startOf('day').minus({ days: 1 });
      return [day.startOf('day'), day.endOf('day')];
    }
    case 'this-week':
      return [clock.startOf('week'), clock.endOf('week')];
    case 'last-week': {
      const week = clock.startOf('week').minus({ weeks: 1 });
      return [week.startOf('week'), week.endOf('week')];
    }
    case 'this-month':
      return [clock.startOf('month'), clock.endOf('month')];
    case 'last-month': {
      const month = clock.startOf('month').minus({ months: 1 });
      return [month.startOf('month'), month.endOf('month')];
    }
  }
}

/** A period still running ends now; a wholly future one is left alone (it simply matches nothing). */
function clip(range: TimeRange, now: number): TimeRange {
  return range.start <= now && range.end > now ? { start: range.start, end: now } : range;
}

// ---- time words ----
// A button keeps a relative time as words ("today", "7d") and resolves them again at every click,
// so "today" is always today. These are the canonical words for a spec, and their reading.

const PERIOD_WORDS: Readonly<Record<Period, string>> = {
  today: 'today',
  yesterday: 'yesterday',
  'this-week': 'this week',
  'last-week': 'last week',
  'this-month': 'this month',
  'last-month': 'last month',
};
const UNIT_WORDS: Readonly<Record<SpanUnit, string>> = { hours: 'h', days: 'd', weeks: 'w', months: 'mo' };
const pad = (n: number) => String(n).padStart(2, '0');
const dayWords = (d: CalendarDay) => `${d.year}-${pad(d.month)}-${pad(d.day)}`;

export function timeWords(spec: TimeSpec): string {
  switch (spec.kind) {
    case 'period':
      return PERIOD_WORDS[spec.period];
    case 'span':
      return `${spec.amount}${UNIT_WORDS[spec.unit]}`;
    case 'days': {
      const from = dayWords(spec.from);
      const to = dayWords(spec.to);
      return from === to ? from : `${from}..${to}`;
    }
  }
}

/** The spec that timeWords wrote, or undefined for anything else. */
export function readTimeWords(words: string): TimeSpec | undefined {
  const period = (Object.keys(PERIOD_WORDS) as Period[]).find((p) => PERIOD_WORDS[p] === words);
  if (period) return { kind: 'period', period };
  const match = matchTime(words);
  return match?.ok ? match.spec : undefined;
}
