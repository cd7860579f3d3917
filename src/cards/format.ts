// Times, durations and counts for people: times in the configured zone, durations in at most two
// units, counts with thousands separators and the right plural.
import { DateTime } from 'luxon';
import { l, type L10n } from './kit.js';

// One Intl formatter per zone, for every time a card shows: building luxon DateTimes for every row
// was the largest single cost of rendering a list card.
const formatters = new Map<string, Intl.DateTimeFormat>();

/** year, month, day, hour, minute, second of an instant in the zone, two digits each (the year four). */
function partsIn(ms: number, timezone: string): Record<string, string> {
  let f = formatters.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formatters.set(timezone, f);
  }
  return Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, x.value]));
}

/** "2026-11-22 14:05" in the given zone. */
export function formatTime(ms: number, timezone: string): string {
  const p = partsIn(ms, timezone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** "UTC+8" style label for the zone at a given instant, shown once per card. */
export function zoneLabel(timezone: string, at: number): string {
  return 'UTC' + DateTime.fromMillis(at, { zone: timezone }).toFormat('Z');
}

const UNITS: [ms: number, zh: string, en: string][] = [
  [86_400_000, '天', 'd'],
  [3_600_000, '小时', 'h'],
  [60_000, '分钟', 'min'],
  [1000, '秒', 's'],
];

/** 93784000 -> "1 d 2 h" / "1天2小时"; 300000 -> "5 min" / "5分钟". Sub-second durations show as milliseconds. */
export function formatDuration(ms: number): L10n {
  if (ms < 1000) return l(`${Math.round(ms)}毫秒`, `${Math.round(ms)} ms`);
  const parts: [number, string, string][] = [];
  let rest = Math.round(ms / 1000) * 1000;
  for (const [size, zh, en] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0 || parts.length > 0) parts.push([n, zh, en]);
    rest -= n * size;
    if (parts.length === 2) break;
  }
  const shown = parts.filter(([n], i) => n > 0 || i === 0);
  return l(shown.map(([n, zh]) => `${n}${zh}`).join(''), shown.map(([n, , en]) => `${n} ${en}`).join(' '));
}

/** "14:05:32" in the given zone: when a card was fetched, to the second so a refresh visibly moves it. */
export function formatClock(ms: number, timezone: string): string {
  const p = partsIn(ms, timezone);
  return `${p.hour}:${p.minute}:${p.second}`;
}

/** The largest whole unit of a duration: "3 h" / "3小时", "5 min" / "5分钟", "2 d" / "2天". */
export function roughDuration(ms: number): L10n {
  const [size, zh, en] = UNITS.find(([unit]) => ms >= unit && unit >= 60_000) ?? UNITS[2]!;
  const n = Math.max(1, Math.floor(ms / size));
  return l(`${n}${zh}`, `${n} ${en}`);
}

/** How long ago, for people: "just now", "5 min ago", "2 h ago", "3 d ago"; a date past 30 days. */
export function ago(ms: number, now: number, timezone: string): L10n {
  const age = now - ms;
  if (age < 60_000) return l('刚刚', 'just now');
  if (age >= 30 * 86_400_000) {
    const date = formatTime(ms, timezone).slice(0, 10);
    return l(date, date);
  }
  const d = roughDuration(age);
  return l(`${d.zh_cn}前`, `${d.en_us} ago`);
}

/**
 * How long ago, with the clock time, for cards that stay in a chat and are read later: "14:05
 * (just now)", "11-20 09:12 (2 d ago)"; past 30 days the time alone.
 */
export function agoAt(ms: number, now: number, timezone: string): L10n {
  const at = formatWhen(ms, now, timezone);
  if (now - ms >= 30 * 86_400_000) return l(at, at);
  const rel = ago(ms, now, timezone);
  return l(`${at}（${rel.zh_cn}）`, `${at} (${rel.en_us})`);
}

/**
 * A ticket opened or closed, for a row: "opened 3 h ago" / "3小时前创建"; `withClock` on cards that
 * stay in a chat: "opened 14:05 (3 h ago)" / "14:05（3小时前）创建".
 */
export function happened(what: 'opened' | 'closed', ms: number, now: number, timezone: string, withClock = false): L10n {
  const when = withClock ? agoAt(ms, now, timezone) : ago(ms, now, timezone);
  const [zh, en] = what === 'opened' ? ['创建', 'opened'] : ['关闭', 'closed'];
  return l(`${when.zh_cn}${/\d$/.test(when.zh_cn) ? ' ' : ''}${zh}`, `${en} ${when.en_us}`);
}

/**
 * When something happened, as short as is unambiguous on a card that may be read days later:
 * "14:05" today, "11-20 14:05" this year, "2025-11-20 14:05" before.
 */
export function formatWhen(ms: number, now: number, timezone: string): string {
  const p = partsIn(ms, timezone);
  const n = partsIn(now, timezone);
  if (p.year === n.year && p.month === n.month && p.day === n.day) return `${p.hour}:${p.minute}`;
  if (p.year === n.year) return `${p.month}-${p.day} ${p.hour}:${p.minute}`;
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** "1 ticket", "1,234 tickets" / "1,234 个工单". */
export function ticketCount(n: number): L10n {
  const shown = n.toLocaleString('en-US');
  return l(`${shown} 个工单`, `${shown} ${n === 1 ? 'ticket' : 'tickets'}`);
}
