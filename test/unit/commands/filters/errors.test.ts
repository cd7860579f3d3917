// Every error kind, with the structured facts the card renderer needs, and "did you mean".
import { describe, expect, it } from 'vitest';
import { examplesFor, MAX_INPUT_CHARS, MAX_TOKENS, parseTicketQuery } from '../../../../src/commands/filters/index.js';
import type { FilterContext } from '../../../../src/commands/filters/index.js';
import { ctx, KNOWN, parseErr, parseOk } from './helpers.js';

/** The unknown words of an error, without the corrected query (tested on its own below). */
const unknownWords = (input: string, known?: FilterContext['known']) => {
  const error = parseErr(input, ctx(known ? { known } : {}));
  return error.kind === 'unknown-words' ? { kind: error.kind, words: error.words } : error;
};
const oneUnknown = (word: string, suggestion?: string) => ({ kind: 'unknown-words', words: [{ word, ...(suggestion !== undefined ? { suggestion } : {}) }] });

describe('unknown words', () => {
  it.each<[string, ReturnType<typeof oneUnknown>]>([
    ['tody', oneUnknown('tody', 'today')],
    ['proccessing', oneUnknown('proccessing', 'processing')],
    ['yesterdy', oneUnknown('yesterdy', 'yesterday')],
    ['open clossed', oneUnknown('clossed', 'closed')],
    ['Unsolvd', oneUnknown('Unsolvd', 'unsolved')],
    ['last weak', oneUnknown('last weak', 'last week')],
    ['已关比', oneUnknown('已关比', '已关闭')],
    ['未关闭 待用户回应', oneUnknown('待用户回应', '待用户响应')],
    ['foo', oneUnknown('foo')],
    ['明天', oneUnknown('明天')], // 2-character words get no guess
    ['未关闭明天', oneUnknown('明天')], // the part of a glued token that is not a word
    ['"open"', oneUnknown('open', 'open')], // quoted text is never a word
    ['api', oneUnknown('api', 'channel api')],
    ['二维码', oneUnknown('二维码', '渠道 二维码')],
    ['@_user_2', oneUnknown('@_user_2', 'agent @_user_2')],
    ['ou_abc', oneUnknown('ou_abc', 'agent ou_abc')],
    ['标签紧急', oneUnknown('标签紧急', '标签 紧急')],
    ['用户张三', oneUnknown('用户张三', '用户 张三')],
    ['123', oneUnknown('123')],
    ['open - closed', oneUnknown('-')],
  ])('%s', (input, error) => {
    expect(unknownWords(input)).toStrictEqual(error);
  });

  it('does not guess for far-off words', () => {
    expect(parseErr('xylophone')).toStrictEqual(oneUnknown('xylophone'));
  });

  it('names every word not understood, each with its nearest, in order', () => {
    expect(unknownWords('opne tody xylophone urgnet', KNOWN)).toStrictEqual({
      kind: 'unknown-words',
      words: [{ word: 'opne', suggestion: 'open' }, { word: 'tody', suggestion: 'today' }, { word: 'xylophone' }, { word: 'urgnet', suggestion: 'tag Urgent' }],
    });
  });

  it('offers the corrected query, which parses, when every unknown word has a nearest one', () => {
    const error = parseErr('opne urgnet tody', ctx({ known: KNOWN }));
    expect(error).toMatchObject({ kind: 'unknown-words', fix: { text: 'open tag Urgent today', label: 'open tag Urgent today' } });
    expect(parseOk('open tag Urgent today', ctx({ known: KNOWN })).filter).toMatchObject({ statuses: [1, 2, 3, 4, 5], tags: ['Urgent'] });
    // Glued Chinese keeps the words it understood; quotes and mentions stay as typed, shown by name.
    expect(parseErr('未关闭已关比 guest "Li Lei"')).toMatchObject({ fix: { text: '未关闭 已关闭 guest "Li Lei"' } });
    expect(parseErr('@_user_2 tody')).toMatchObject({ fix: { text: 'agent @_user_2 today', label: 'agent @Li Lei today' } });
    // Not every word has a nearest: no corrected query (dropping a word would widen it).
    expect(parseErr('opne xylophone')).not.toHaveProperty('fix');
  });
});

describe('missing-value', () => {
  it.each<[string, string, string]>([
    ['agent', 'agent', 'a name, @someone, ou_… or me'],
    ['open 客服', '客服', 'a name, @someone, ou_… or me'],
    ['closed-by', 'closed-by', 'a name, @someone, ou_… or me'],
    ['closed by', 'closed by', 'a name, @someone, ou_… or me'],
    ['guest', 'guest', 'a name, @someone or ou_…'],
    ['channel', 'channel', 'api, qr, share, search or a number'],
    ['tag', 'tag', 'a tag name'],
    ['id', 'id', 'a ticket id (digits)'],
    ['page', 'page', 'a page number such as 2'],
    ['score', 'score', '1, 2 or 3, or a range such as 1-3'],
    ['评分', '评分', '1, 2 or 3, or a range such as 1-3'],
    ['closed in', 'closed in', 'a time such as today, 7d or 2026-11-20'],
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
    ['score 7', 'score', '7', '1, 2 or 3, or a range such as 1-3'],
    ['评分 五', '评分', '五', '1, 2 or 3, or a range such as 1-3'],
    ['score 3-1', 'score', '3-1', '1, 2 or 3, or a range such as 1-3'],
    ['score 1-5', 'score', '1-5', '1, 2 or 3, or a range such as 1-3'],
    ['page 0', 'page', '0', 'a page number such as 2'],
    ['page 99999999999999999999', 'page', '99999999999999999999', 'a page number such as 2'],
    ['page two', 'page', 'two', 'a page number such as 2'],
    ['第0页', '第0页', '第0页', 'a page number such as 2'],
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
    expect(error.kind).toBe('unknown-person');
    if (error.kind === 'unknown-person') expect([...error.value].length).toBe(60);
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
    ['closed today closed yesterday', 'yesterday', 'two different closing times'],
    ['new 关闭 today', 'today', 'a closing time for tickets that are not closed'],
    ['mine unassigned', 'unassigned', 'an agent and unassigned'],
    ['score 1-3 score 2', 'score', 'two different scores'],
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
    expect(unknownWords(typed)).toStrictEqual(oneUnknown(typed, suggestion));
  });

  it.each([
    ['tody!', 'tody'],
    ['(opne)', 'opne'],
    ['tody.', 'tody'],
    ['tody？', 'tody'],
  ])('punctuation is not part of the word echoed: %s', (typed, word) => {
    expect(unknownWords(typed)).toStrictEqual(oneUnknown(word, 'today'.startsWith(word.slice(0, 2)) ? 'today' : 'open'));
  });

  it('reads a sentence-ending full stop and brackets as punctuation', () => {
    expect(parseOk('open today.').filter.statuses).toEqual([1, 2, 3, 4, 5]);
    expect(parseOk('(closed) 2026-11-01..2026-11-20.').times.closed).toBe('2026-11-01..2026-11-20');
  });

  it('`created` alone is the status its label shows (New), `new` too', () => {
    expect(parseOk('created').filter.statuses).toEqual([1]);
    expect(parseOk('new').filter.statuses).toEqual([1]);
    expect(parseOk('created today').filter.statuses).toBeUndefined();
  });

  it('takes any page number: one past the end is shown as the last page (views/listing.ts)', () => {
    expect(parseOk('page 99999').page).toBe(99999);
    expect(parseOk('第667页').page).toBe(667);
  });
});

describe('error examples fit the error', () => {
  const now = Date.UTC(2026, 10, 22, 6, 5);
  it.each([
    ['2026-02-30', /^\d{4}-\d\d-\d\d|\d{4}-\d\d-\d\d|今天|today|7d|近7天/],
    ['agent', /mine|我的|unassigned|未分配/],
    ['channel nope', /channel|渠道/],
    ['page 0', /page|第2页/],
    ['tag', /tag|标签|vip/],
  ])('%s', (text, pattern) => {
    const error = parseErr(text);
    const first = examplesFor(error, now, 'Asia/Shanghai').slice(0, 2);
    for (const example of first) expect(example).toMatch(pattern);
  });
});
