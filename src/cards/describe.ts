// A query, said back in words: "Open · created today · agent Li Lei". Plain text (the list card's
// title); callers escape it before putting it into markdown. Every time says which time it is.
import { DateTime } from 'luxon';
import type { TimeSpec } from '../commands/filters/time.js';
import type { TicketFilter } from '../helpdesk/types.js';
import { joinL, l, mapL, same, type L10n } from './kit.js';
import { channelLabel, scoreLabel, statusLook, typeLabel } from './labels.js';

const OPEN = [1, 2, 3, 4, 5];
const CLOSED = [50, 51, 52];
const sameSet = (a: number[], b: number[]) => a.length === b.length && a.every((x) => b.includes(x));

function statuses(codes: number[]): L10n {
  if (sameSet(codes, OPEN)) return l('未关闭', 'Open');
  if (sameSet(codes, CLOSED)) return l('已关闭', 'Closed');
  if (sameSet(codes, [...OPEN, ...CLOSED])) return l('任意状态', 'Any status');
  return joinL(
    codes.map((c) => statusLook(c).label),
    l('、', ' or '),
  );
}

const PERIODS: Record<string, L10n> = {
  today: l('今天', 'today'),
  yesterday: l('昨天', 'yesterday'),
  'this-week': l('本周', 'this week'),
  'last-week': l('上周', 'last week'),
  'this-month': l('本月', 'this month'),
  'last-month': l('上月', 'last month'),
};
const UNITS = { hours: ['小时', 'h', 'h'], days: ['天', 'day', 'days'], weeks: ['周', 'week', 'weeks'], months: ['个月', 'month', 'months'] } as const;
const pad = (n: number) => String(n).padStart(2, '0');

/** Time words as people say them: "today", "last 7 days", "2026-11-01 → 2026-11-20". */
export function spoken(spec: TimeSpec): L10n {
  switch (spec.kind) {
    case 'period':
      return PERIODS[spec.period]!;
    case 'span': {
      const [zh, one, many] = UNITS[spec.unit];
      return l(`近${spec.amount}${zh}`, spec.unit === 'hours' ? `last ${spec.amount} h` : `last ${spec.amount} ${spec.amount === 1 ? one : many}`);
    }
    case 'days': {
      const day = (d: { year: number; month: number; day: number }) => `${d.year}-${pad(d.month)}-${pad(d.day)}`;
      const a = day(spec.from);
      const b = day(spec.to);
      return same(a === b ? a : `${a} → ${b}`);
    }
  }
}

/** An absolute range (from a version 1 button): whole days as dates, else times. */
function period(range: { start: number; end: number }, timezone: string): string {
  const start = DateTime.fromMillis(range.start, { zone: timezone });
  const end = DateTime.fromMillis(range.end, { zone: timezone });
  const wholeDays = start.toFormat('HH:mm:ss.SSS') === '00:00:00.000' && end.toFormat('HH:mm:ss.SSS') === '23:59:59.999';
  if (wholeDays) {
    const a = start.toFormat('yyyy-MM-dd');
    const b = end.toFormat('yyyy-MM-dd');
    return a === b ? a : `${a} → ${b}`;
  }
  const sameDay = start.hasSame(end, 'day');
  return `${start.toFormat('yyyy-MM-dd HH:mm')} → ${end.toFormat(sameDay ? 'HH:mm' : 'yyyy-MM-dd HH:mm')}`;
}

export interface QueryWords {
  /** The agent filter is the person who asked. */
  mine?: boolean;
  /** How the time filters were given, when given as words. */
  times?: { created?: TimeSpec; updated?: TimeSpec; closed?: TimeSpec };
  /** Only tickets no agent has. */
  unassigned?: boolean;
  /** Any of these scores (a range). */
  scores?: number[];
}

const VERBS = { created: ['创建', 'created'], updated: ['更新', 'updated'], closed: ['关闭', 'closed'] } as const;

/** The query in words, plain text; `names` maps open_ids to display names. */
export function describeQuery(filter: TicketFilter, names: Record<string, string>, timezone: string, words: QueryWords = {}): L10n {
  const person = (openId: string) => names[openId] ?? openId;
  const time = (field: 'created' | 'updated' | 'closed'): L10n | undefined => {
    const spec = words.times?.[field];
    const range = field === 'closed' ? undefined : filter[field];
    const said = spec ? spoken(spec) : range ? same(period(range, timezone)) : undefined;
    if (!said) return undefined;
    const [zh, en] = VERBS[field];
    // "today created" reads as Chinese puts it ("今天创建"); a date as "创建于 2026-11-20".
    const dated = !spec || spec.kind === 'days';
    return l(dated ? `${zh}于 ${said.zh_cn}` : `${said.zh_cn}${zh}`, spec?.kind === 'span' ? `${en} in the ${said.en_us}` : `${en} ${said.en_us}`);
  };
  // "Closed · closed yesterday" says it twice: "Closed yesterday".
  const closedThen = words.times?.closed !== undefined && filter.statuses !== undefined && sameSet(filter.statuses, CLOSED);
  const parts: (L10n | undefined)[] = [
    filter.statuses?.length && !closedThen ? statuses(filter.statuses) : undefined,
    time('closed'),
    time('created'),
    time('updated'),
    filter.agentId && words.mine ? l('我负责的', 'mine') : filter.agentId ? l(`客服 ${person(filter.agentId)}`, `agent ${person(filter.agentId)}`) : undefined,
    words.unassigned ? l('未分配', 'unassigned') : undefined,
    filter.closedById ? l(`关单人 ${person(filter.closedById)}`, `closed by ${person(filter.closedById)}`) : undefined,
    filter.guestId ? l(`用户 ${person(filter.guestId)}`, `guest ${person(filter.guestId)}`) : undefined,
    filter.guestName ? l(`用户名含“${filter.guestName}”`, `guest “${filter.guestName}”`) : undefined,
    filter.solved !== undefined ? (filter.solved === 2 ? l('已解决', 'solved') : l('未解决', 'unsolved')) : undefined,
    filter.score !== undefined ? mapL(scoreLabel(filter.score).label, (s, loc) => (loc === 'zh_cn' ? `评分：${s}` : `score: ${s.toLowerCase()}`)) : undefined,
    words.scores && words.scores.length > 1 ? l(`评分 ${words.scores[0]}–${words.scores.at(-1)}`, `score ${words.scores[0]}–${words.scores.at(-1)}`) : undefined,
    filter.type !== undefined ? mapL(typeLabel(filter.type), (s, loc) => (loc === 'zh_cn' ? `${s}工单` : `${s.toLowerCase()} tickets`)) : undefined,
    filter.channel !== undefined ? mapL(channelLabel(filter.channel) ?? same(String(filter.channel)), (s, loc) => (loc === 'zh_cn' ? `渠道：${s}` : `channel: ${s}`)) : undefined,
    filter.tags?.length ? l(`标签 ${filter.tags.join('、')}`, `tag ${filter.tags.join(', ')}`) : undefined,
    filter.ticketId ? same(`#${filter.ticketId}`) : undefined,
  ];
  const present = parts.filter((p): p is L10n => p !== undefined);
  if (!present.length) return l('全部工单', 'All tickets');
  // Capitalised in English, as a title.
  const joined = joinL(present, ' · ');
  return { ...joined, en_us: joined.en_us.charAt(0).toUpperCase() + joined.en_us.slice(1) };
}

/** Which kinds of filter a query uses, so an empty list can suggest what to widen. */
export interface FiltersUsed {
  time: boolean;
  status: boolean;
  people: boolean;
  other: boolean;
}

export function filtersUsed(filter: TicketFilter): FiltersUsed {
  return {
    time: filter.created !== undefined || filter.updated !== undefined,
    status: (filter.statuses?.length ?? 0) > 0,
    people: [filter.agentId, filter.closedById, filter.guestId, filter.guestName].some((x) => x !== undefined),
    other: [filter.solved, filter.score, filter.type, filter.channel, filter.ticketId].some((x) => x !== undefined) || (filter.tags?.length ?? 0) > 0,
  };
}
