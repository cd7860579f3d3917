// The word table itself, the tokenizer and the Chinese splitter.
import { describe, expect, it } from 'vitest';
import { parseTicketQuery } from '../../../../src/commands/filters/index.js';
import { parseCount } from '../../../../src/commands/filters/numbers.js';
import { segment } from '../../../../src/commands/filters/segment.js';
import { makeToken, tokenize } from '../../../../src/commands/filters/tokenizer.js';
import { CHANNELS, lookupKey, ME_WORDS, VOCABULARY, type Keyword } from '../../../../src/commands/filters/vocabulary.js';
import { ctx } from './helpers.js';

const SAMPLE_VALUE: Record<Keyword, string> = {
  agent: '@_user_2',
  closedBy: 'ou_1',
  guest: 'Zhang',
  channel: 'qr',
  tag: 'vip',
  id: '1',
  page: '2',
  score: '3',
};

describe('vocabulary', () => {
  it('no lookup key means two different things', () => {
    const owners = new Map<string, Set<string>>();
    const own = (form: string, owner: string) => {
      const key = lookupKey(form);
      owners.set(key, (owners.get(key) ?? new Set()).add(owner));
    };
    VOCABULARY.forEach((e, i) => [...e.en, ...e.zh].forEach((f) => own(f, `word ${i}`)));
    CHANNELS.forEach((c) => [...c.en, ...c.zh].forEach((f) => own(f, `channel ${c.code}`)));
    ME_WORDS.forEach((f) => own(f, 'me'));
    expect([...owners].filter(([, o]) => o.size > 1)).toStrictEqual([]);
  });

  it('no two words glue into a third, except the intended `closed by`, `closed by <bot|agent|user>` and `<机器人|客服|用户>关闭`', () => {
    const keys = new Set(VOCABULARY.flatMap((e) => [...e.en, ...e.zh]).map(lookupKey));
    const glued = [...keys].flatMap((a) => [...keys].filter((b) => keys.has(a + b)).map((b) => a + b));
    // `closed` + `by` is `closed by` (the closer); who + 关闭 (closed) is the status that says who closed it.
    expect(glued.sort()).toStrictEqual(['closedby', 'closedbyagent', 'closedbybot', 'closedbyuser', '客服关闭', '机器人关闭', '用户关闭']);
  });

  it.each(VOCABULARY.flatMap((e) => [...e.en, ...e.zh].map((form) => [form, e] as const)))('%s parses on its own', (form, entry) => {
    const m = entry.meaning;
    const rest = m.kind === 'keyword' ? ` ${SAMPLE_VALUE[m.keyword]}` : m.kind === 'marker' ? ' today' : '';
    const result = parseTicketQuery(form + rest, ctx());
    expect(result.ok, JSON.stringify(result)).toBe(true);
    expect(parseTicketQuery(form.toUpperCase() + rest, ctx())).toStrictEqual(result);
  });
});

describe('tokenizer', () => {
  const raws = (text: string) => {
    const r = tokenize(text, 100);
    return r.ok ? r.tokens.map((t) => t.raw) : 'too many';
  };

  it('splits on spaces and the punctuation people put between words', () => {
    expect(raws('a b,c，d、e;f；g：h:i=j\u3000k')).toStrictEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k']);
  });

  it('cuts mention placeholders out even when glued', () => {
    expect(raws('agent@_user_12,@_all')).toStrictEqual(['agent', '@_user_12', '@_all']);
    const r = tokenize('@_user_2', 10);
    expect(r.ok && r.tokens[0]?.mention).toBe(true);
  });

  it('keeps quoted text together, in straight, curly and corner quotes', () => {
    expect(raws('guest "Zhang San" x “张 三” 「a, b」 \'c d\'')).toStrictEqual(['guest', 'Zhang San', 'x', '张 三', 'a, b', 'c d']);
    expect(raws('标签"紧急 A"')).toStrictEqual(['标签', '紧急 A']);
    expect(raws("O'Brien")).toStrictEqual(["O'Brien"]);
  });

  it('marks an unterminated quote', () => {
    const r = tokenize('guest "Zhang San', 10);
    expect(r.ok && r.tokens[1]).toMatchObject({ raw: 'Zhang San', quoted: true, unterminated: true });
  });

  it('normalises width and case for matching but keeps the raw text', () => {
    expect(makeToken('ＯＰＥＮ３')).toMatchObject({ raw: 'ＯＰＥＮ３', norm: 'open3' });
  });

  it('stops at the token cap', () => {
    expect(tokenize('a '.repeat(11), 10)).toStrictEqual({ ok: false, tooMany: true });
    expect(tokenize('a '.repeat(10), 10).ok).toBe(true);
  });
});

describe('Chinese splitter', () => {
  const pieces = (text: string) => {
    const r = segment(makeToken(text));
    return r.ok ? r.tokens.map((t) => t.raw) : r;
  };

  it('splits glued words, fewest pieces first', () => {
    expect(pieces('未关闭今天')).toStrictEqual(['未关闭', '今天']);
    expect(pieces('用户关闭')).toStrictEqual(['用户关闭']);
    expect(pieces('不满意我的')).toStrictEqual(['不满意', '我的']);
    expect(pieces('第3页未关闭')).toStrictEqual(['第3页', '未关闭']);
    expect(pieces('近7天open')).toStrictEqual(['近7天', 'open']);
    expect(pieces('标签vip今天')).toStrictEqual(['标签', 'vip', '今天']);
    expect(pieces('2026-11-01至2026-11-20未关闭')).toStrictEqual(['2026-11-01至2026-11-20', '未关闭']);
    expect(pieces('第３页')).toStrictEqual(['第３页']);
  });

  it('reports how far it got and whether a keyword was waiting for a value', () => {
    expect(pieces('未关闭明天')).toStrictEqual({ ok: false, reached: 3, afterKeyword: false });
    expect(pieces('标签紧急')).toStrictEqual({ ok: false, reached: 2, afterKeyword: true });
    expect(pieces('明天')).toStrictEqual({ ok: false, reached: 0, afterKeyword: false });
  });
});

describe('counts', () => {
  it.each([
    ['7', 7],
    ['007', 7],
    ['一', 1],
    ['两', 2],
    ['十', 10],
    ['十二', 12],
    ['二十', 20],
    ['二十四', 24],
    ['九十九', 99],
  ])('%s = %d', (text, n) => expect(parseCount(text)).toBe(n));
  it.each(['', 'x', '二二', '十十', '百'])('%s is not a count', (text) => expect(parseCount(text)).toBeUndefined());
  it('very long digit strings are not silently rounded', () => expect(parseCount('1'.repeat(30))).toBe(Number.POSITIVE_INFINITY));
});
