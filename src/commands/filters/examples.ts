// Example queries shown by the help card and the error cards, in English and Chinese. Each is
// tagged with what it shows, so an error card shows examples of what went wrong (a bad date gets
// date examples). Dates are made from today, so they always fall where the helpdesk has tickets.
// Tests parse every example and run each against the demo helpdesk: all of them find tickets.
import { DateTime } from 'luxon';
import type { FilterError } from './types.js';
import { lookupKey, lookupWord, type Meaning } from './vocabulary.js';

export type Topic = 'status' | 'time' | 'people' | 'guest' | 'score' | 'solved' | 'type' | 'channel' | 'tag' | 'id' | 'page';

export interface Example {
  text: string;
  topics: Topic[];
}

const FIXED: Example[] = [
  { text: 'open today', topics: ['status', 'time'] },
  { text: 'mine 7d', topics: ['people', 'time'] },
  { text: 'closed 7d unhappy', topics: ['status', 'time', 'score'] },
  { text: 'unsolved 7d', topics: ['solved', 'time'] },
  { text: 'updated today', topics: ['time'] },
  { text: 'human channel qr 7d', topics: ['type', 'channel', 'time'] },
  { text: 'tag VIP', topics: ['tag'] },
  { text: 'guest "James Wilson"', topics: ['guest'] },
  { text: 'score 3 7d', topics: ['score', 'time'] },
  { text: 'id 6626871355780366331', topics: ['id'] },
  { text: 'closed 7d page 2', topics: ['status', 'page'] },
  { text: 'vip open', topics: ['tag', 'status'] },
  { text: 'unassigned', topics: ['people', 'status'] },
  { text: 'guest james wilson', topics: ['guest'] },
  { text: 'waiting for customer', topics: ['status'] },
  { text: 'score 1-3 7d', topics: ['score', 'time'] },
  { text: '未关闭 今天', topics: ['status', 'time'] },
  { text: '我的 近7天', topics: ['people', 'time'] },
  { text: '已关闭 近7天 不满意', topics: ['status', 'time', 'score'] },
  { text: '未解决 近7天', topics: ['solved', 'time'] },
  { text: '更新 今天', topics: ['time'] },
  { text: '人工 渠道 二维码 近7天', topics: ['type', 'channel', 'time'] },
  { text: '标签 报销', topics: ['tag'] },
  { text: '用户 王小明', topics: ['guest'] },
  { text: '评分 3 近7天', topics: ['score', 'time'] },
  { text: '工单号 6626871355780366331', topics: ['id'] },
  { text: '已关闭 近7天 第2页', topics: ['status', 'page'] },
  { text: '未分配', topics: ['people', 'status'] },
  { text: '待用户响应', topics: ['status'] },
  { text: '评分 1-3 近7天', topics: ['score', 'time'] },
];

/** A recent day and last week's range, for the help card's date syntax. */
export function exampleDates(now: number, timezone: string): { day: string; from: string; to: string } {
  const today = DateTime.fromMillis(now, { zone: timezone }).startOf('day');
  const day = (n: number) => today.minus({ days: n }).toFormat('yyyy-MM-dd');
  return { day: day(2), from: day(8), to: day(1) };
}

/** The examples with dates: a day and a week, both in the last week, where the demo has tickets. */
function datedExamples(now: number, timezone: string): Example[] {
  const { day, from, to } = exampleDates(now, timezone);
  return [
    { text: day, topics: ['time'] },
    { text: `${from}..${to}`, topics: ['time'] },
    { text: `closed ${from}..${to}`, topics: ['time', 'status'] },
    { text: `已关闭 ${from}至${to}`, topics: ['time', 'status'] },
  ];
}

/** Every example, with dates taken from `now` in `timezone`. */
export function filterExamples(now: number, timezone: string): Example[] {
  return [...FIXED, ...datedExamples(now, timezone)];
}

/** The examples the help card shows first: a few per language, the most common uses. */
const HELP_FIRST = ['open today', 'mine 7d', 'closed 7d unhappy', 'tag VIP', '未关闭 今天', '我的 近7天', '已关闭 近7天 不满意', '标签 报销'];

/** The help card's examples: the common ones, then a date range with a status in each language. */
export function helpExamples(now: number, timezone: string): string[] {
  const dated = datedExamples(now, timezone).filter((e) => e.topics.includes('status'));
  return [...HELP_FIRST, ...dated.map((e) => e.text)];
}

const TOPIC_OF_MEANING: Record<Meaning['kind'], Topic> = {
  status: 'status',
  period: 'time',
  marker: 'time',
  solved: 'solved',
  score: 'score',
  type: 'type',
  mine: 'people',
  unassigned: 'people',
  keyword: 'status',
};
const TOPIC_OF_KEYWORD: Record<string, Topic> = { agent: 'people', closedBy: 'people', guest: 'guest', channel: 'channel', tag: 'tag', id: 'id', page: 'page', score: 'score' };

/** What an error is about, from the words it names (or suggests) and what was expected. */
export function topicOf(error: FilterError): Topic | undefined {
  switch (error.kind) {
    case 'too-long':
      return undefined;
    case 'unknown-tag':
      return 'tag';
    case 'which-person':
    case 'unknown-person':
      return 'people';
    case 'unknown-words':
      return topicOfWords(error.words.flatMap((w) => [w.word, ...(w.suggestion ? [w.suggestion] : [])]));
  }
  const expected = 'expected' in error ? error.expected : error.detail;
  if (/date|time|span|creation|update|clock/.test(expected)) return 'time';
  if (/page/.test(expected)) return 'page';
  return topicOfWords([error.word]);
}

function topicOfWords(words: string[]): Topic | undefined {
  for (const w of words) {
    const entry = lookupWord(lookupKey(w.split(' ')[0] ?? w));
    if (!entry) continue;
    const m = entry.meaning;
    return m.kind === 'keyword' ? TOPIC_OF_KEYWORD[m.keyword] : TOPIC_OF_MEANING[m.kind];
  }
  if (words.some((w) => /^\d{4}/.test(w))) return 'time';
  return undefined;
}

/** Examples for an error card: those about the error's topic first, then the most common ones. */
export function examplesFor(error: FilterError, now: number, timezone: string): string[] {
  const all = filterExamples(now, timezone);
  const topic = topicOf(error);
  const about = topic ? all.filter((e) => e.topics.includes(topic)) : [];
  const rest = all.filter((e) => !about.includes(e));
  return [...about, ...rest].map((e) => e.text);
}
