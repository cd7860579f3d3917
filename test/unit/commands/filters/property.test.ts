// Random input never throws and always yields a well-formed ParseResult; every successful time
// range is complete and ordered.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_INPUT_CHARS, parseTicketQuery, VOCABULARY, CHANNELS } from '../../../../src/commands/filters/index.js';
import type { Fix, ParseResult } from '../../../../src/commands/filters/index.js';
import { ctx, KNOWN, MENTIONS } from './helpers.js';

const FILTER_KEYS = new Set(['ticketId', 'agentId', 'closedById', 'type', 'channel', 'solved', 'score', 'statuses', 'guestName', 'guestId', 'tags', 'created', 'updated']);
const ALL_STATUSES = new Set([1, 2, 3, 4, 5, 50, 51, 52]);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isInt = (v: unknown): v is number => Number.isSafeInteger(v);

/** Throws (via expect) when the result is not exactly one of the documented shapes. */
function checkWellFormed(result: ParseResult): void {
  expect(typeof result.ok).toBe('boolean');
  if (!result.ok) {
    const e = result.error;
    const isFix = (f: unknown) => typeof f === 'object' && f !== null && isStr((f as Fix).label) && isStr((f as Fix).text) && Object.keys(f).length === 2;
    if (e.kind !== 'unknown-words' && e.kind !== 'unknown-tag') expect(isStr(e.word)).toBe(true);
    switch (e.kind) {
      case 'unknown-words':
        expect(e.words.length).toBeGreaterThan(0);
        for (const w of e.words) {
          expect(Object.keys(w).every((k) => ['word', 'suggestion'].includes(k))).toBe(true);
          expect(isStr(w.word) && [...w.word].length <= 60).toBe(true);
          if ('suggestion' in w) expect(isStr(w.suggestion)).toBe(true);
        }
        if (e.fix) expect(isFix(e.fix)).toBe(true);
        break;
      case 'unknown-tag':
        expect(isStr(e.tag) && e.inUse.every(isStr)).toBe(true);
        if (e.fix) expect(isFix(e.fix)).toBe(true);
        break;
      case 'which-person':
        expect(isStr(e.value) && e.choices.every(isFix)).toBe(true);
        break;
      case 'unknown-person':
        expect(isStr(e.value) && e.choices.every(isFix)).toBe(true);
        break;
      case 'missing-value':
        expect(isStr(e.expected) && e.expected.length > 0).toBe(true);
        break;
      case 'bad-value':
        expect(isStr(e.value) && isStr(e.expected) && e.expected.length > 0).toBe(true);
        break;
      case 'conflict':
        expect(isStr(e.detail) && e.detail.length > 0).toBe(true);
        break;
      case 'too-long':
        expect(e.limit).toBeGreaterThan(0);
        break;
      default:
        expect.fail(`unknown error kind ${JSON.stringify(e)}`);
    }
    // Echoed text stays short whatever was typed (a corrected query is as long as the query).
    for (const v of Object.values(e)) if (isStr(v)) expect([...v].length).toBeLessThanOrEqual(80);
    return;
  }
  const { filter, page, names, scores, unassigned } = result.query;
  expect(isInt(page) && page >= 1 && page <= 999_999_999).toBe(true);
  if (scores !== undefined) expect(scores.length > 1 && scores.every((x) => [1, 2, 3].includes(x)) && filter.score === undefined).toBe(true);
  if (unassigned !== undefined) expect(unassigned === true && filter.agentId === undefined && (filter.statuses?.length ?? 0) > 0).toBe(true);
  for (const [id, name] of Object.entries(names)) expect(isStr(id) && isStr(name)).toBe(true);
  for (const [key, value] of Object.entries(filter)) {
    expect(FILTER_KEYS.has(key), key).toBe(true);
    expect(value).not.toBeUndefined();
  }
  for (const k of ['ticketId', 'agentId', 'closedById', 'guestName', 'guestId'] as const) {
    if (k in filter) expect(isStr(filter[k]) && (filter[k] ?? '').length > 0).toBe(true);
  }
  if (filter.ticketId !== undefined) expect(filter.ticketId).toMatch(/^\d+$/);
  if (filter.type !== undefined) expect([1, 2]).toContain(filter.type);
  if (filter.solved !== undefined) expect([1, 2]).toContain(filter.solved);
  if (filter.score !== undefined) expect([1, 2, 3]).toContain(filter.score);
  if (filter.channel !== undefined) expect(isInt(filter.channel) && filter.channel >= 0).toBe(true);
  if (filter.statuses !== undefined) {
    expect(filter.statuses.length).toBeGreaterThan(0);
    expect(filter.statuses.every((s) => ALL_STATUSES.has(s))).toBe(true);
    expect([...new Set(filter.statuses)].sort((a, b) => a - b)).toStrictEqual(filter.statuses);
  }
  if (filter.tags !== undefined) {
    expect(filter.tags.length).toBeGreaterThan(0);
    expect(filter.tags.every((t) => isStr(t) && t.trim() === t && t.length > 0)).toBe(true);
    expect([...new Set(filter.tags)].sort()).toStrictEqual(filter.tags);
  }
  for (const range of [filter.created, filter.updated]) {
    if (range === undefined) continue;
    expect(Object.keys(range).sort()).toStrictEqual(['end', 'start']);
    expect(isInt(range.start) && isInt(range.end)).toBe(true);
    expect(range.start).toBeLessThanOrEqual(range.end);
  }
}

const words = [
  ...VOCABULARY.flatMap((e) => [...e.en, ...e.zh]),
  ...CHANNELS.flatMap((c) => [...c.en, ...c.zh]),
  'me',
  '我',
  '1',
  '3',
  '7',
  '0',
  '10001',
  '7d',
  '24h',
  '2w',
  '近7天',
  '第2页',
  '第',
  '页',
  '..',
  '至',
  '2026-11-20',
  '2026-11-01..2026-11-20',
  '2026-13-40',
  '2026/02/29',
  '2026年11月20日',
  ...MENTIONS.map((m) => m.key),
  '@_user_99',
  '@_all',
  '@_user_',
  'ou_abc',
  'ou_',
  '"',
  '“',
  '”',
  "'",
  '‘',
  '「',
  '』',
  '"Zhang San"',
  '“张 三”',
  ',',
  '，',
  '、',
  '：',
  '#1',
  '-',
  '_',
  ...KNOWN.tags,
  ...KNOWN.people.map((p) => p.name),
  'vlp',
  '王',
  'emily',
  '1-3',
  '2-3',
];
const separator = fc.constantFrom(' ', '', ',', '，', '、', '\u3000', '\n', ':');
const token = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...words) },
  { weight: 1, arbitrary: fc.string({ maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
);
const query = fc.array(fc.tuple(token, separator), { maxLength: 20 }).map((parts) => parts.map(([t, s]) => t + s).join(''));
const anyCtx = fc
  .record({
    now: fc.oneof(fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.constantFrom(Number.NaN, -1, Number.MAX_SAFE_INTEGER, 8.64e15)),
    timezone: fc.constantFrom('Asia/Shanghai', 'America/New_York', 'UTC', 'Pacific/Kiritimati', 'Asia/Kathmandu', 'Not/AZone', ''),
    askerOpenId: fc.constantFrom('ou_asker', ''),
    mentions: fc.constant(MENTIONS),
    known: fc.constantFrom(KNOWN, { tags: [], people: [] }, undefined),
  })
  .map(({ known, ...rest }) => (known ? { ...rest, known } : rest));

describe('property: total and well-formed', () => {
  it('random unicode strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => {
        checkWellFormed(parseTicketQuery(text, ctx()));
      }),
      { numRuns: 2000 },
    );
  });

  it('random sequences of real words, mentions, quotes and junk, with any clock and zone', () => {
    fc.assert(
      fc.property(query, anyCtx, (text, context) => {
        checkWellFormed(parseTicketQuery(text, context));
      }),
      { numRuns: 5000 },
    );
  });

  it('very long input, up to and beyond the cap', () => {
    fc.assert(
      fc.property(fc.integer({ min: MAX_INPUT_CHARS - 50, max: MAX_INPUT_CHARS * 3 }), fc.constantFrom('未关闭', 'a', '"', '@_user_2', '今天', '近', ' ', '标签'), (length, unit) => {
        const text = unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
        checkWellFormed(parseTicketQuery(text, ctx()));
      }),
      { numRuns: 200 },
    );
  });

  it('huge input is refused quickly', () => {
    const start = performance.now();
    const result = parseTicketQuery('未关闭'.repeat(1_000_000), ctx());
    expect(result.ok).toBe(false);
    // One glued token at the cap: the splitter's work is bounded too.
    const glued = parseTicketQuery('未关闭'.repeat(Math.floor(MAX_INPUT_CHARS / 3)), ctx());
    checkWellFormed(glued);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('non-string input, lone surrogates and a half-filled context do not throw', () => {
    checkWellFormed(parseTicketQuery(undefined as unknown as string, ctx()));
    checkWellFormed(parseTicketQuery(42 as unknown as string, ctx()));
    checkWellFormed(parseTicketQuery('open \ud800 今天\udc00 tag \udfff', ctx()));
    checkWellFormed(parseTicketQuery('tag x', { now: 0 } as unknown as Parameters<typeof parseTicketQuery>[1]));
  });
});
