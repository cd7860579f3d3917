// Every error kind, with the structured facts the card renderer needs, and "did you mean".
import { describe, expect, it } from 'vitest';
import { examplesFor, MAX_INPUT_CHARS, MAX_TOKENS, parseTicketQuery } from '../../../../src/commands/filters/index.js';
import type { FilterError } from '../../../../src/commands/filters/index.js';
import { ctx, parseErr, parseOk } from './helpers.js';

describe('unknown-word', () => {
  it.each<[string, FilterError]>([
    ['tody', { kind: 'unknown-word', word: 'tody', suggestion: 'today' }],
    ['proccessing', { kind: 'unknown-word', word: 'proccessing', suggestion: 'processing' }],
    ['yesterdy', { kind: 'unknown-word', word: 'yesterdy', suggestion: 'yesterday' }],
    ['open clossed', { kind: 'unknown-word', word: 'clossed', suggestion: 'closed' }],
    ['Unsolvd', { kind: 'unknown-word', word: 'Unsolvd', suggestion: 'unsolved' }],
    ['last weak', { kind: 'unknown-word', word: 'last weak', suggestion: 'last week' }],
    ['已关比', { kind: 'unknown-word', word: '已关比', suggestion: '已关闭' }],
    ['未关闭 待用户回应', { kind: 'unknown-word', word: '待用户回应', suggestion: '待用户响应' }],
    ['foo', { kind: 'unknown-word', word: 'foo' }],
    ['明天', { kind: 'unknown-word', word: '明天' }], // 2-character words get no guess
    ['未关闭明天', { kind: 'unknown-word', word: '明天' }], // the part of a glued token that is not a word
    ['"open"', { kind: 'unknown-word', word: 'open', suggestion: 'open' }], // quoted text is never a word
    ['api', { kind: 'unknown-word', word: 'api', suggestion: 'channel api' }],
    ['二维码', { kind: 'unknown-word', word: '二维码', suggestion: '渠道 二维码' }],
    ['@_user_2', { kind: 'unknown-word', word: '@_user_2', suggestion: 'agent @_user_2' }],
    ['ou_abc', { kind: 'unknown-word', word: 'ou_abc', suggestion: 'agent ou_abc' }],
    ['标签紧急', { kind: 'unknown-word', word: '标签紧急', suggestion: '标签 紧急' }],
    ['用户张三', { kind: 'unknown-word', word: '用户张三', suggestion: '用户 张三' }],
    ['123', { kind: 'unknown-word', word: '123' }],
    ['open - closed', { kind: 'unknown-word', word: '-' }],
  ])('%s', (input, error) => {
    expect(parseErr(input)).toStrictEqual(error);
  });

  it('does not guess for far-off words', () => {
    expect(parseErr('xylophone')).toStrictEqual({ kind: 'unknown-word', word: 'xylophone' });
  });
});

describe('missing-value', () => {
  it.each<[string, string, string]>([
    ['agent', 'agent', '@someone, ou_… or me'],
    ['open 客服', '客服', '@someone, ou_… or me'],
    ['closed-by', 'closed-by', '@someone, ou_… or me'],
    ['closed by', 'closed by', '@someone, ou_… or me'],
    ['guest', 'guest', 'a name, @someone or ou_…'],
    ['channel', 'channel', 'api, qr, share, search or a number'],
    ['tag', 'tag', 'a tag name'],
    ['id', 'id', 'a ticket id (digits)'],
    ['page', 'page', 'a page number from 1 to 10000'],
    ['score', 'score', '1, 2 or 3'],
    ['评分', '评分', '1, 2 or 3'],
    ['updated', 'updated', 'a time such as today, 7d or 2026-11-20'],
    ['open updated', 'updated', 'a time such as today, 7d or 2026-11-20'],
    ['updated created today', 'updated', 'a time such as today, 7d or 2026-11-20'],
    ['created today updated', 'updated', 'a time such as today, 7d or 2026-11-20'],
  ])('%s', (input, word, expected) => {
    expect(parseErr(input)).toStrictEqual({ kind: 'missing-value', word, expected });
  });
});

describe('bad-value', () => {
  it.each<[string, string, string, string]>([
    ['score 7', 'score', '7', '1, 2 or 3'],
    ['评分 五', '评分', '五', '1, 2 or 3'],
    ['page 0', 'page', '0', 'a page number from 1 to 10000'],
    ['page 10001', 'page', '10001', 'a page number from 1 to 10000'],
    ['page 99999999999999999999', 'page', '99999999999999999999', 'a page number from 1 to 10000'],
    ['page two', 'page', 'two', 'a page number from 1 to 10000'],
    ['第0页', '第0页', '第0页', 'a page number from 1 to 10000'],
    ['2026-13-40', '2026-13-40', '2026-13-40', 'a real date such as 2026-11-20'],
    ['2026-02-30', '2026-02-30', '2026-02-30', 'a real date such as 2026-11-20'],
    ['1900-01-01', '1900-01-01', '1900-01-01', 'a real date such as 2026-11-20'],
    ['2026-11-01..2026-11-32', '2026-11-01..2026-11-32', '2026-11-01..2026-11-32', 'a real date such as 2026-11-20'],
    ['2026-11-20..2026-11-01', '2026-11-20..2026-11-01', '2026-11-20..2026-11-01', 'an end on or after the start'],
    ['0d', '0d', '0d', 'a span of at least 1'],
    ['99999d', '99999d', '99999d', 'at most 3650 days'],
    ['agent @_user_9', 'agent', '@_user_9', 'a person mentioned in this message'],
    ['agent @_all', 'agent', '@_all', 'one person, not @all'],
    ['guest @_all', 'guest', '@_all', 'one person, not @all'],
    ['agent @_user_6', 'agent', '@_user_6', 'a person with an open_id'],
    ['agent Li', 'agent', 'Li', '@someone, ou_… or me'],
    ['agent today', 'agent', 'today', '@someone, ou_… or me'],
    ['closed-by bob', 'closed-by', 'bob', '@someone, ou_… or me'],
    ['channel tv', 'channel', 'tv', 'api, qr, share, search or a number'],
    ['channel -1', 'channel', '-1', 'api, qr, share, search or a number'],
    ['channel 99999999999', 'channel', '99999999999', 'api, qr, share, search or a number'],
    ['id abc', 'id', 'abc', 'a ticket id (digits)'],
    ['tag @_user_2', 'tag', '@_user_2', 'a tag name'],
    ['guest ""', 'guest', '', 'a name, @someone or ou_…'],
    ['guest "Zhang San', 'guest', 'Zhang San', 'a closing quote'],
    ['open "Zhang', 'Zhang', 'Zhang', 'a closing quote'],
  ])('%s', (input, word, value, expected) => {
    expect(parseErr(input)).toStrictEqual({ kind: 'bad-value', word, value, expected });
  });

  it('refuses an over-long tag', () => {
    const tag = 'x'.repeat(101);
    expect(parseErr(`tag ${tag}`)).toMatchObject({ kind: 'bad-value', word: 'tag', expected: 'at most 100 characters' });
  });

  it('refuses input longer than the cap, without reading it', () => {
    const text = 'open '.repeat(MAX_INPUT_CHARS);
    expect(parseErr(text)).toStrictEqual({ kind: 'too-long', unit: 'characters', limit: MAX_INPUT_CHARS, word: 'query' });
  });

  it('refuses more words than the cap', () => {
    const text = Array.from({ length: MAX_TOKENS + 1 }, () => 'open').join(' ');
    expect(text.length).toBeLessThanOrEqual(MAX_INPUT_CHARS);
    expect(parseErr(text)).toStrictEqual({ kind: 'too-long', unit: 'words', limit: MAX_TOKENS, word: 'query' });
    expect(parseTicketQuery(Array.from({ length: MAX_TOKENS }, () => 'open').join(' '), ctx()).ok).toBe(true);
  });

  it('echoes at most 60 characters of user text', () => {
    const error = parseErr(`agent ${'a'.repeat(200)}`);
    expect(error.kind).toBe('bad-value');
    if (error.kind === 'bad-value') expect([...error.value].length).toBe(60);
  });

  it('reports a broken clock or zone only when a time is used', () => {
    const broken = ctx({ timezone: 'Not/AZone' });
    expect(parseErr('today', broken)).toMatchObject({ kind: 'bad-value', word: 'today', expected: 'a valid clock and time zone' });
    expect(parseTicketQuery('open', broken).ok).toBe(true);
    expect(parseErr('7d', ctx({ now: Number.NaN }))).toMatchObject({ kind: 'bad-value' });
    expect(parseErr('7d', ctx({ now: '1' as unknown as number }))).toMatchObject({ kind: 'bad-value' });
    expect(parseErr('7d', ctx({ timezone: 5 as unknown as string }))).toMatchObject({ kind: 'bad-value' });
  });

  it('mine needs a known asker', () => {
    expect(parseErr('mine', ctx({ askerOpenId: '' }))).toMatchObject({ kind: 'bad-value', word: 'mine' });
  });
});

describe('conflict', () => {
  it.each<[string, string, string]>([
    ['solved unsolved', 'unsolved', 'solved and unsolved'],
    ['已解决 未解决', '未解决', 'solved and unsolved'],
    ['score 1 score 2', 'score', 'two different scores'],
    ['happy unhappy', 'unhappy', 'two different scores'],
    ['score 3 不满意', '不满意', 'two different scores'],
    ['bot human', 'human', 'bot and human'],
    ['mine agent @_user_2', 'agent', 'two different agents'],
    ['agent @_user_2 客服 @_user_3', '客服', 'two different agents'],
    ['closed-by @_user_2 closed-by @_user_3', 'closed-by', 'two different closers'],
    ['guest Zhang guest @_user_4', 'guest', 'two different guests'],
    ['guest Zhang 用户 Li', '用户', 'two different guests'],
    ['channel api channel qr', 'channel', 'two different channels'],
    ['id 1 id 2', 'id', 'two different ticket ids'],
    ['page 2 第3页', '第3页', 'two different pages'],
    ['today yesterday', 'yesterday', 'two different creation times'],
    ['today 2026-11-01', '2026-11-01', 'two different creation times'],
    ['created today created 7d', '7d', 'two different creation times'],
    ['updated today updated yesterday', 'yesterday', 'two different update times'],
  ])('%s', (input, word, detail) => {
    expect(parseErr(input)).toStrictEqual({ kind: 'conflict', word, detail });
  });
});

describe('words people actually type', () => {
  it.each([
    ['opne', 'open'],
    ['tdoay', 'today'],
    ['colsed', 'closed'],
    ['unsovled', 'unsolved'],
  ])('"did you mean" catches swapped letters: %s -> %s', (typed, suggestion) => {
    expect(parseErr(typed)).toStrictEqual({ kind: 'unknown-word', word: typed, suggestion });
  });

  it.each([
    ['tody!', 'tody'],
    ['(opne)', 'opne'],
    ['tody.', 'tody'],
    ['tody？', 'tody'],
  ])('punctuation is not part of the word echoed: %s', (typed, word) => {
    expect(parseErr(typed)).toMatchObject({ kind: 'unknown-word', word });
  });

  it('reads a sentence-ending full stop and brackets as punctuation', () => {
    expect(parseOk('open today.').filter.statuses).toEqual([1, 2, 3, 4, 5]);
    expect(parseOk('(closed) 2026-11-01..2026-11-20.').filter.created).toBeDefined();
  });

  it('`created` alone is the status its label shows (New), `new` too', () => {
    expect(parseOk('created').filter.statuses).toEqual([1]);
    expect(parseOk('new').filter.statuses).toEqual([1]);
    expect(parseOk('created today').filter.statuses).toBeUndefined();
  });

  it('refuses a page past what the 10,000-row cap allows at the page size, naming that page', () => {
    expect(parseTicketQuery('page 1001', { ...ctx(), maxPage: 1000 })).toStrictEqual({ ok: false, error: { kind: 'bad-value', word: 'page', value: '1001', expected: 'a page number from 1 to 1000' } });
    expect(parseTicketQuery('第667页', { ...ctx(), maxPage: 666 })).toMatchObject({ ok: false, error: { expected: 'a page number from 1 to 666' } });
  });

  it('names the same largest page when `page` comes without a number', () => {
    expect(parseTicketQuery('open page', { ...ctx(), maxPage: 1000 })).toStrictEqual({ ok: false, error: { kind: 'missing-value', word: 'page', expected: 'a page number from 1 to 1000' } });
  });
});

describe('error examples fit the error', () => {
  const now = Date.UTC(2026, 10, 22, 6, 5);
  it.each([
    ['2026-02-30', /^\d{4}-\d\d-\d\d|\d{4}-\d\d-\d\d|今天|today|7d|近7天/],
    ['agent', /mine|我的/],
    ['channel nope', /channel|渠道/],
    ['page 0', /page|第2页/],
    ['tag', /tag|标签/],
  ])('%s', (text, pattern) => {
    const error = parseErr(text);
    const first = examplesFor(error, now, 'Asia/Shanghai').slice(0, 2);
    for (const example of first) expect(example).toMatch(pattern);
  });
});
