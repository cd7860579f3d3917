// Every word of the `/tickets` filter language, English and Chinese, and what it means. The parser,
// the Chinese splitter and the "did you mean" lookup all read this one table, so a word added here
// works everywhere. Codes follow the helpdesk list API (feishu-platform.md §5).

import { CLOSED_STATUSES, OPEN_STATUSES, STATUS_CODES, STATUS_WORDS } from './statuses.js';
import { normalize } from './tokenizer.js';

export { CLOSED_STATUSES, OPEN_STATUSES } from './statuses.js';

export type Period = 'today' | 'yesterday' | 'this-week' | 'last-week' | 'this-month' | 'last-month';
/** Which time a time expression filters; the list API filters creation and update time only (see views/listing.ts for closing). */
export type TimeField = 'created' | 'updated' | 'closed';
/** Words that take the next word as their value. */
export type Keyword = 'agent' | 'closedBy' | 'guest' | 'channel' | 'tag' | 'id' | 'page' | 'score';

export type Meaning =
  | { kind: 'status'; statuses: readonly number[] }
  | { kind: 'period'; period: Period }
  | { kind: 'marker'; field: TimeField }
  | { kind: 'solved'; value: 1 | 2 }
  | { kind: 'score'; value: 1 | 2 | 3 }
  | { kind: 'type'; value: 1 | 2 }
  | { kind: 'mine' }
  /** Tickets no agent has (the board's Unassigned). */
  | { kind: 'unassigned' }
  | { kind: 'keyword'; keyword: Keyword };

export interface VocabularyEntry {
  /** English forms; the first is the one suggestions and help show. Multi-word forms use spaces. */
  en: readonly string[];
  zh: readonly string[];
  meaning: Meaning;
  /** Short English gloss for help cards. */
  help: string;
}

const status = (...statuses: number[]): Meaning => ({ kind: 'status', statuses });
const keyword = (k: Keyword): Meaning => ({ kind: 'keyword', keyword: k });
const period = (p: Period): Meaning => ({ kind: 'period', period: p });

export const VOCABULARY: readonly VocabularyEntry[] = [
  // Status: open and closed, then each status by the words of statuses.ts (its name first).
  { en: ['open'], zh: ['未关闭', '进行中'], meaning: status(...OPEN_STATUSES), help: 'status 1–5 (not closed)' },
  { en: ['closed'], zh: ['已关闭'], meaning: status(...CLOSED_STATUSES), help: 'status 50–52 (closed); before a time, closed then' },
  ...STATUS_CODES.map((code) => ({ en: STATUS_WORDS.en[code]!, zh: STATUS_WORDS.zh[code]!, meaning: status(code), help: `status ${code}` })),

  // Time periods and the markers that say which time they filter.
  { en: ['today'], zh: ['今天', '今日'], meaning: period('today'), help: 'today so far' },
  { en: ['yesterday'], zh: ['昨天', '昨日'], meaning: period('yesterday'), help: 'yesterday, whole day' },
  { en: ['this week'], zh: ['本周', '这周'], meaning: period('this-week'), help: 'since Monday 00:00' },
  { en: ['last week'], zh: ['上周'], meaning: period('last-week'), help: 'last Monday to Sunday' },
  { en: ['this month'], zh: ['本月', '这个月'], meaning: period('this-month'), help: 'since the 1st' },
  { en: ['last month'], zh: ['上月', '上个月'], meaning: period('last-month'), help: 'the whole previous month' },
  { en: ['created'], zh: ['创建', '创建时间'], meaning: { kind: 'marker', field: 'created' }, help: 'time filters creation time (default)' },
  { en: ['updated'], zh: ['更新', '更新时间'], meaning: { kind: 'marker', field: 'updated' }, help: 'time filters update time' },
  { en: ['closed in', 'closed at'], zh: ['关闭', '关闭时间'], meaning: { kind: 'marker', field: 'closed' }, help: 'time filters closing time (closed tickets)' },

  // People.
  { en: ['agent', 'owner', 'by', 'assignee', 'assigned to'], zh: ['客服', '负责人', '处理人'], meaning: keyword('agent'), help: 'agent: a name, @someone, ou_… or me' },
  { en: ['mine'], zh: ['我的'], meaning: { kind: 'mine' }, help: 'my tickets (I am the agent)' },
  { en: ['unassigned', 'no owner', 'no agent'], zh: ['未分配', '无人负责'], meaning: { kind: 'unassigned' }, help: 'open tickets no agent has' },
  { en: ['closed-by', 'closed by'], zh: ['关单人'], meaning: keyword('closedBy'), help: 'closed by: a name, @someone, ou_… or me' },
  { en: ['guest', 'user'], zh: ['用户'], meaning: keyword('guest'), help: 'guest: a name, @someone or ou_…' },

  // Everything else.
  { en: ['solved', 'resolved'], zh: ['已解决'], meaning: { kind: 'solved', value: 2 }, help: 'solved' },
  { en: ['unsolved', 'unresolved'], zh: ['未解决'], meaning: { kind: 'solved', value: 1 }, help: 'not solved' },
  { en: ['score', 'rating'], zh: ['评分'], meaning: keyword('score'), help: 'score 1, 2 or 3, or a range such as 1-3' },
  { en: ['unhappy', 'unsatisfied', 'dissatisfied'], zh: ['不满意'], meaning: { kind: 'score', value: 1 }, help: 'score 1' },
  { en: ['neutral'], zh: ['一般'], meaning: { kind: 'score', value: 2 }, help: 'score 2' },
  { en: ['happy', 'satisfied'], zh: ['满意'], meaning: { kind: 'score', value: 3 }, help: 'score 3' },
  { en: ['bot'], zh: ['机器人'], meaning: { kind: 'type', value: 1 }, help: 'bot ticket (type 1)' },
  { en: ['human'], zh: ['人工'], meaning: { kind: 'type', value: 2 }, help: 'human ticket (type 2)' },
  { en: ['channel'], zh: ['渠道'], meaning: keyword('channel'), help: 'channel: api, qr, share, search or a number' },
  { en: ['tag'], zh: ['标签'], meaning: keyword('tag'), help: 'tag name (repeatable)' },
  { en: ['id', 'ticket-id'], zh: ['工单号', '单号'], meaning: keyword('id'), help: 'ticket id (digits)' },
  { en: ['page'], zh: ['页码'], meaning: keyword('page'), help: 'page number' },
];

export interface ChannelName {
  en: readonly string[];
  zh: readonly string[];
  code: number;
}

/** Channel names accepted after `channel`/`渠道`; any non-negative integer works too. */
export const CHANNELS: readonly ChannelName[] = [
  { en: ['api', 'openapi', 'open-api'], zh: [], code: 9 },
  { en: ['qr', 'qrcode', 'qr-code'], zh: ['二维码'], code: 2 },
  { en: ['share'], zh: ['分享'], code: 14 },
  { en: ['search'], zh: ['搜索'], code: 13 },
];

/** Person values meaning the asker (`agent me`, `客服 我`). */
export const ME_WORDS: readonly string[] = ['me', 'myself', '我', '我自己'];

/**
 * How a word is looked up: normalised, with hyphens, underscores and spaces dropped, so
 * `closed-by`, `closed_by`, `closed by` and `ClosedBy` are the same word.
 */
export function lookupKey(text: string): string {
  return normalize(text).replace(/[-_\s]/g, '');
}

function buildIndex(): Map<string, VocabularyEntry> {
  const index = new Map<string, VocabularyEntry>();
  for (const entry of VOCABULARY) {
    for (const form of [...entry.en, ...entry.zh]) index.set(lookupKey(form), entry);
  }
  return index;
}

const INDEX = buildIndex();
const CHANNEL_INDEX = new Map<string, number>(CHANNELS.flatMap((c) => [...c.en, ...c.zh].map((form) => [lookupKey(form), c.code] as const)));
const ME_KEYS = new Set(ME_WORDS.map(lookupKey));

export function lookupWord(key: string): VocabularyEntry | undefined {
  return INDEX.get(key);
}

export function lookupChannel(key: string): number | undefined {
  return CHANNEL_INDEX.get(key);
}

export function isMeWord(key: string): boolean {
  return ME_KEYS.has(key);
}

const HAN = /\p{Script=Han}/u;
export function hasHan(text: string): boolean {
  return HAN.test(text);
}

/**
 * Chinese words the splitter may cut out of a glued token such as `未关闭今天`: the vocabulary's
 * Chinese forms plus the Chinese values (channel names, 我), so `渠道二维码` and `客服我` split too.
 */
export const HAN_WORDS: ReadonlySet<string> = new Set([...VOCABULARY.flatMap((e) => e.zh), ...CHANNELS.flatMap((c) => c.zh), ...ME_WORDS.filter(hasHan)].map(normalize));

/** Keywords whose value may be glued on: `标签vip`. Used to hint "add a space" when a glued value is Chinese. */
export function isKeywordKey(key: string): boolean {
  return INDEX.get(key)?.meaning.kind === 'keyword';
}

/** Suggestion candidates: lookup key -> how to show it. English first so ties prefer English. */
export const SUGGESTION_CANDIDATES: readonly { key: string; display: string }[] = (() => {
  const seen = new Set<string>();
  const out: { key: string; display: string }[] = [];
  const add = (form: string) => {
    const key = lookupKey(form);
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ key, display: form });
  };
  for (const e of VOCABULARY) e.en.forEach(add);
  for (const e of VOCABULARY) e.zh.forEach(add);
  return out;
})();

/** Channel names used as bare words get a "channel <name>" hint. */
export function channelHint(key: string, raw: string): string | undefined {
  if (!CHANNEL_INDEX.has(key)) return undefined;
  return hasHan(raw) ? `渠道 ${raw}` : `channel ${raw}`;
}
