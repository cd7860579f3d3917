// Table-driven: every word and form of the language, with the exact TicketFilter it produces.
// Clock: Friday 2026-11-20 15:30 in Asia/Shanghai; expected times are written out in +08:00.
import { describe, expect, it } from 'vitest';
import type { TicketFilter } from '../../../../src/helpdesk/types.js';
import { filterExamples } from '../../../../src/commands/filters/index.js';
import { ASKER, ctx, DAY, HOUR, KNOWN, NOW, parseOk, sh } from './helpers.js';

const OPEN = [1, 2, 3, 4, 5];
const CLOSED = [50, 51, 52];
const ALL = [...OPEN, ...CLOSED];

const today = { start: sh(2026, 11, 20), end: NOW };
const yesterday = { start: sh(2026, 11, 19), end: sh(2026, 11, 20) - 1 };
const thisWeek = { start: sh(2026, 11, 16), end: NOW }; // Monday 16th
const lastWeek = { start: sh(2026, 11, 9), end: sh(2026, 11, 16) - 1 };
const thisMonth = { start: sh(2026, 11, 1), end: NOW };
const lastMonth = { start: sh(2026, 10, 1), end: sh(2026, 11, 1) - 1 };
const days = (n: number) => ({ start: NOW - n * DAY, end: NOW });
const hours = (n: number) => ({ start: NOW - n * HOUR, end: NOW });

type Row = [input: string, filter: TicketFilter, page?: number];

const STATUS_ROWS: Row[] = [
  ['open', { statuses: OPEN }],
  ['未关闭', { statuses: OPEN }],
  ['进行中', { statuses: OPEN }],
  ['closed', { statuses: CLOSED }],
  ['已关闭', { statuses: CLOSED }],
  ['new', { statuses: [1] }],
  ['新建', { statuses: [1] }],
  ['已创建', { statuses: [1] }],
  ['processing', { statuses: [2] }],
  ['处理中', { statuses: [2] }],
  ['queued', { statuses: [3] }],
  ['排队中', { statuses: [3] }],
  ['pending', { statuses: [4] }],
  ['待定', { statuses: [4] }],
  ['waiting', { statuses: [5] }],
  ['待用户响应', { statuses: [5] }],
  ['待响应', { statuses: [1] }],
  ['in progress', { statuses: [2] }],
  ['waiting for customer', { statuses: [5] }],
  ['Waiting on the customer', { statuses: [5] }],
  ['等待客户回复', { statuses: [5] }],
  ['closed-by-bot', { statuses: [50] }],
  ['closed by bot', { statuses: [50] }],
  ['机器人关闭', { statuses: [50] }],
  ['closed-by-agent', { statuses: [51] }],
  ['closed by agent', { statuses: [51] }],
  ['客服关闭', { statuses: [51] }],
  ['closed-by-user', { statuses: [52] }],
  ['closed_by_user', { statuses: [52] }],
  ['用户关闭', { statuses: [52] }],
  ['queued pending', { statuses: [3, 4] }],
  ['pending queued pending', { statuses: [3, 4] }],
  ['open closed', { statuses: ALL }],
  ['open processing', { statuses: OPEN }],
  ['closed-by-user new', { statuses: [1, 52] }],
  ['OPEN', { statuses: OPEN }],
];

const TIME_ROWS: Row[] = [
  ['today', { created: today }],
  ['Today', { created: today }],
  ['今天', { created: today }],
  ['今日', { created: today }],
  ['yesterday', { created: yesterday }],
  ['昨天', { created: yesterday }],
  ['昨日', { created: yesterday }],
  ['this week', { created: thisWeek }],
  ['this-week', { created: thisWeek }],
  ['本周', { created: thisWeek }],
  ['这周', { created: thisWeek }],
  ['last week', { created: lastWeek }],
  ['上周', { created: lastWeek }],
  ['this month', { created: thisMonth }],
  ['本月', { created: thisMonth }],
  ['这个月', { created: thisMonth }],
  ['last month', { created: lastMonth }],
  ['上月', { created: lastMonth }],
  ['上个月', { created: lastMonth }],
  ['7d', { created: days(7) }],
  ['24h', { created: hours(24) }],
  ['2w', { created: days(14) }],
  ['7 days', { created: days(7) }],
  ['last 7 days', { created: days(7) }],
  ['past 24 hours', { created: hours(24) }],
  ['last 2 weeks', { created: days(14) }],
  ['3mo', { created: { start: sh(2026, 8, 20, 15, 30), end: NOW } }],
  ['近7天', { created: days(7) }],
  ['最近7天', { created: days(7) }],
  ['近 7 天', { created: days(7) }],
  ['近24小时', { created: hours(24) }],
  ['近2周', { created: days(14) }],
  ['近三天', { created: days(3) }],
  ['近7日', { created: days(7) }],
  ['过去7天', { created: days(7) }],
  ['7天', { created: days(7) }],
  ['近3个月', { created: { start: sh(2026, 8, 20, 15, 30), end: NOW } }],
  ['2026-11-19', { created: yesterday }],
  ['2026/11/19', { created: yesterday }],
  ['2026.11.19', { created: yesterday }],
  ['2026年11月19日', { created: yesterday }],
  ['2026-11-20', { created: today }], // contains now: clipped
  ['2026-12-25', { created: { start: sh(2026, 12, 25), end: sh(2026, 12, 26) - 1 } }], // future: left whole
  ['2026-11-01..2026-11-20', { created: { start: sh(2026, 11, 1), end: NOW } }],
  ['2026-11-01..2026-11-10', { created: { start: sh(2026, 11, 1), end: sh(2026, 11, 11) - 1 } }],
  ['2026/11/01..2026/11/10', { created: { start: sh(2026, 11, 1), end: sh(2026, 11, 11) - 1 } }],
  ['2026-11-01 .. 2026-11-10', { created: { start: sh(2026, 11, 1), end: sh(2026, 11, 11) - 1 } }],
  ['2026-11-01~2026-11-10', { created: { start: sh(2026, 11, 1), end: sh(2026, 11, 11) - 1 } }],
  ['2026-11-01至2026-11-10', { created: { start: sh(2026, 11, 1), end: sh(2026, 11, 11) - 1 } }],
  ['2026-11-01 到 2026-11-10', { created: { start: sh(2026, 11, 1), end: sh(2026, 11, 11) - 1 } }],
  ['2026-11-05..2026-11-05', { created: { start: sh(2026, 11, 5), end: sh(2026, 11, 6) - 1 } }],
  ['created today', { created: today }],
  ['创建 今天', { created: today }],
  ['创建时间 今天', { created: today }],
  ['updated today', { updated: today }],
  ['today updated', { updated: today }],
  ['更新 今天', { updated: today }],
  ['更新今天', { updated: today }],
  ['今天更新', { updated: today }],
  ['更新时间 本周', { updated: thisWeek }],
  ['updated open today', { statuses: OPEN, updated: today }],
  ['created yesterday updated today', { created: yesterday, updated: today }],
  ['updated today created yesterday', { created: yesterday, updated: today }],
  ['updated today 7d', { created: days(7), updated: today }],
  ['7d today updated', { created: days(7), updated: today }],
  ['today updated yesterday', { created: today, updated: yesterday }],
  ['today 今天', { created: today }], // the same time twice is no conflict
];

const PEOPLE_ROWS: Row[] = [
  ['agent @_user_2', { agentId: 'ou_b' }],
  ['agent ou_0123abcd', { agentId: 'ou_0123abcd' }],
  ['客服 @_user_2', { agentId: 'ou_b' }],
  ['客服@_user_2', { agentId: 'ou_b' }],
  ['agent@_user_2', { agentId: 'ou_b' }],
  ['客服ou_0123abcd', { agentId: 'ou_0123abcd' }],
  ['agent me', { agentId: ASKER }],
  ['客服 我', { agentId: ASKER }],
  ['mine', { agentId: ASKER }],
  ['我的', { agentId: ASKER }],
  ['mine agent me', { agentId: ASKER }],
  ['closed-by @_user_3', { closedById: 'ou_c' }],
  ['closed by @_user_3', { closedById: 'ou_c' }],
  ['closed_by ou_99', { closedById: 'ou_99' }],
  ['closed-by me', { closedById: ASKER }],
  ['关单人 @_user_3', { closedById: 'ou_c' }],
  ['关单人@_user_3', { closedById: 'ou_c' }],
  ['closed by agent @_user_3', { closedById: 'ou_c' }],
  ['guest Zhang', { guestName: 'Zhang' }],
  ['user Zhang', { guestName: 'Zhang' }],
  ['guest "Zhang San"', { guestName: 'Zhang San' }],
  ['guest “张 三”', { guestName: '张 三' }],
  ['guest 「张三」', { guestName: '张三' }],
  ["guest O'Brien", { guestName: "O'Brien" }],
  ['guest "open"', { guestName: 'open' }],
  ['用户 张三', { guestName: '张三' }],
  ['用户Zhang', { guestName: 'Zhang' }],
  ['guest @_user_4', { guestId: 'ou_d' }],
  ['用户 @_user_4', { guestId: 'ou_d' }],
  ['guest ou_abc', { guestId: 'ou_abc' }],
  ['guest me', { guestId: ASKER }],
  ['guest "me"', { guestName: 'me' }],
];

const OTHER_ROWS: Row[] = [
  ['solved', { solved: 2 }],
  ['resolved', { solved: 2 }],
  ['已解决', { solved: 2 }],
  ['unsolved', { solved: 1 }],
  ['未解决', { solved: 1 }],
  ['solved 已解决', { solved: 2 }],
  ['score 1', { score: 1 }],
  ['score 2', { score: 2 }],
  ['score 3', { score: 3 }],
  ['rating 3', { score: 3 }],
  ['评分 1', { score: 1 }],
  ['评分1', { score: 1 }],
  ['评分：3', { score: 3 }],
  ['score:2', { score: 2 }],
  ['score ３', { score: 3 }],
  ['score happy', { score: 3 }],
  ['评分 满意', { score: 3 }],
  ['unhappy', { score: 1 }],
  ['不满意', { score: 1 }],
  ['neutral', { score: 2 }],
  ['一般', { score: 2 }],
  ['happy', { score: 3 }],
  ['满意', { score: 3 }],
  ['score 3 happy', { score: 3 }],
  ['bot', { type: 1 }],
  ['机器人', { type: 1 }],
  ['human', { type: 2 }],
  ['人工', { type: 2 }],
  ['channel api', { channel: 9 }],
  ['channel openapi', { channel: 9 }],
  ['channel qr', { channel: 2 }],
  ['channel qrcode', { channel: 2 }],
  ['channel 二维码', { channel: 2 }],
  ['channel share', { channel: 14 }],
  ['channel 分享', { channel: 14 }],
  ['channel search', { channel: 13 }],
  ['channel 搜索', { channel: 13 }],
  ['channel 0', { channel: 0 }],
  ['channel 7', { channel: 7 }],
  ['渠道 二维码', { channel: 2 }],
  ['渠道二维码', { channel: 2 }],
  ['渠道api', { channel: 9 }],
  ['渠道 13', { channel: 13 }],
  ['tag vip', { tags: ['vip'] }],
  ['tag VIP', { tags: ['VIP'] }],
  ['tag vip tag urgent', { tags: ['urgent', 'vip'] }],
  ['tag vip tag vip', { tags: ['vip'] }],
  ['tag "big customer"', { tags: ['big customer'] }],
  ['标签 紧急', { tags: ['紧急'] }],
  ['标签vip', { tags: ['vip'] }],
  ['标签 “大 客户”', { tags: ['大 客户'] }],
  ['tag new', { tags: ['new'] }], // a keyword's value is always the next word
  ['id 6626871355780366331', { ticketId: '6626871355780366331' }],
  ['id #123', { ticketId: '123' }],
  ['ticket id 123', { ticketId: '123' }],
  ['工单号 123', { ticketId: '123' }],
  ['工单号123', { ticketId: '123' }],
  ['单号 123', { ticketId: '123' }],
  ['', {}],
  ['  ,， 、 ', {}],
];

const PAGE_ROWS: Row[] = [
  ['page 2', {}, 2],
  ['page 10000', {}, 10000],
  ['第2页', {}, 2],
  ['第 2 页', {}, 2],
  ['第２页', {}, 2],
  ['第二页', {}, 2],
  ['第十二页', {}, 12],
  ['页码 3', {}, 3],
  ['page 3 第3页', {}, 3],
  ['open', { statuses: OPEN }, 1],
];

const MIXED_ROWS: Row[] = [
  ['open,today', { statuses: OPEN, created: today }],
  ['open，today', { statuses: OPEN, created: today }],
  ['未关闭、今天', { statuses: OPEN, created: today }],
  ['未关闭今天', { statuses: OPEN, created: today }],
  ['今天未关闭', { statuses: OPEN, created: today }],
  ['我的未解决近7天', { agentId: ASKER, solved: 1, created: days(7) }],
  ['已关闭上周不满意', { statuses: CLOSED, score: 1 }], // closed last week: see words-agents-type.test.ts
  ['open今天', { statuses: OPEN, created: today }],
  ['客服@_user_2，评分：3、标签vip', { agentId: 'ou_b', score: 3, tags: ['vip'] }],
  [
    'open updated yesterday agent @_user_2 closed-by @_user_3 guest "Zhang San" human channel qr solved score 3 tag vip id 42 created this week',
    {
      statuses: OPEN,
      updated: yesterday,
      created: thisWeek,
      agentId: 'ou_b',
      closedById: 'ou_c',
      guestName: 'Zhang San',
      type: 2,
      channel: 2,
      solved: 2,
      score: 3,
      tags: ['vip'],
      ticketId: '42',
    },
  ],
];

describe.each([
  ['status', STATUS_ROWS],
  ['time', TIME_ROWS],
  ['people', PEOPLE_ROWS],
  ['other', OTHER_ROWS],
  ['page', PAGE_ROWS],
  ['mixed', MIXED_ROWS],
] as const)('%s words', (_group, rows) => {
  it.each(rows)('%s', (input, filter, page) => {
    const query = parseOk(input);
    expect(query.filter).toStrictEqual(filter);
    expect(query.page).toBe(page ?? 1);
  });
});

describe('names from mentions', () => {
  it.each([
    ['agent @_user_2', { ou_b: 'Li Lei' }],
    ['closed-by @_user_3', { ou_c: 'Han Meimei' }],
    ['guest @_user_4', { ou_d: '张三' }],
    ['agent @_user_2 closed-by @_user_3', { ou_b: 'Li Lei', ou_c: 'Han Meimei' }],
    ['agent @_user_5', {}], // mention without a name
    ['mine', {}],
    ['agent ou_x', {}],
  ])('%s', (input, names) => {
    expect(parseOk(input).names).toStrictEqual(names);
  });
});

describe('exact boundaries', () => {
  it('today just after local midnight starts at 00:00:00.000 and ends now', () => {
    const now = sh(2026, 11, 20, 0, 0, 30);
    const q = parseOk('today', ctx({ now }));
    expect(q.filter.created).toStrictEqual({ start: sh(2026, 11, 20), end: now });
    expect(parseOk('yesterday', ctx({ now })).filter.created).toStrictEqual({
      start: sh(2026, 11, 19),
      end: sh(2026, 11, 19, 23, 59, 59, 999),
    });
  });

  it('today at exactly midnight is an empty-but-valid range', () => {
    const now = sh(2026, 11, 20);
    expect(parseOk('today', ctx({ now })).filter.created).toStrictEqual({ start: now, end: now });
  });

  it('week boundary: on Monday 00:00:30 this week starts that Monday, last week is Mon–Sun before', () => {
    const now = sh(2026, 11, 16, 0, 0, 30); // Monday
    const c = ctx({ now });
    expect(parseOk('this week', c).filter.created).toStrictEqual({ start: sh(2026, 11, 16), end: now });
    expect(parseOk('last week', c).filter.created).toStrictEqual({ start: sh(2026, 11, 9), end: sh(2026, 11, 15, 23, 59, 59, 999) });
    expect(parseOk('yesterday', c).filter.created).toStrictEqual({ start: sh(2026, 11, 15), end: sh(2026, 11, 15, 23, 59, 59, 999) });
  });

  it('week boundary: on Sunday 23:59 the week still started the Monday before', () => {
    const now = sh(2026, 11, 22, 23, 59);
    expect(parseOk('本周', ctx({ now })).filter.created).toStrictEqual({ start: sh(2026, 11, 16), end: now });
  });

  it('month boundary: on the 1st, this month starts that day and last month is the whole month before', () => {
    const now = sh(2026, 12, 1, 0, 0, 30);
    const c = ctx({ now });
    expect(parseOk('this month', c).filter.created).toStrictEqual({ start: sh(2026, 12, 1), end: now });
    expect(parseOk('last month', c).filter.created).toStrictEqual({ start: sh(2026, 11, 1), end: sh(2026, 11, 30, 23, 59, 59, 999) });
  });

  it('month boundary: last month in March is February (28 days), across a year in January', () => {
    expect(parseOk('上月', ctx({ now: sh(2026, 3, 1, 8) })).filter.created).toStrictEqual({
      start: sh(2026, 2, 1),
      end: sh(2026, 2, 28, 23, 59, 59, 999),
    });
    expect(parseOk('last month', ctx({ now: sh(2027, 1, 10) })).filter.created).toStrictEqual({
      start: sh(2026, 12, 1),
      end: sh(2026, 12, 31, 23, 59, 59, 999),
    });
    expect(parseOk('2028-02-29', ctx({ now: sh(2028, 3, 1) })).filter.created).toStrictEqual({
      start: sh(2028, 2, 29),
      end: sh(2028, 3, 1) - 1,
    });
  });
});

describe('examples', () => {
  const examples = filterExamples(Date.UTC(2026, 10, 22, 6, 5), 'Asia/Shanghai');
  it('has English and Chinese examples', () => {
    expect(examples.some((e) => /[a-z]/.test(e.text))).toBe(true);
    expect(examples.some((e) => /\p{Script=Han}/u.test(e.text))).toBe(true);
  });
  it.each(examples.map((e) => e.text))('%s parses', (example) => {
    const q = parseOk(example, ctx({ known: KNOWN }));
    expect(Object.keys(q.filter).length).toBeGreaterThan(0);
  });
});
