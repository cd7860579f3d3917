// Word order must not matter: every pair of filters gives the same answer in either order.
// Time units carry their marker in front (`updated yesterday`); a marker after its time
// (`today updated`) is only unambiguous when it is the only time in the query (see parser.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTicketQuery } from '../../../../src/commands/filters/index.js';
import { ctx } from './helpers.js';

const UNITS = [
  'open',
  '已关闭',
  'queued',
  'closed-by-bot',
  'closed by agent',
  'today',
  '上周',
  'updated yesterday',
  '更新 本月',
  'created 7d',
  '近24小时',
  '2026-11-01..2026-11-10',
  'agent @_user_2',
  '客服 ou_x1',
  'mine',
  'closed-by @_user_3',
  '关单人 me',
  'guest "Zhang San"',
  '用户 @_user_4',
  'solved',
  '未解决',
  'score 2',
  '满意',
  'bot',
  '人工',
  'channel qr',
  '渠道 分享',
  'tag vip',
  '标签 紧急',
  'id 123',
  'page 3',
  '第2页',
];

const pairs = UNITS.flatMap((a, i) => UNITS.slice(i + 1).map((b) => [a, b] as const));

describe('word-order independence', () => {
  it('covers every unit on its own', () => {
    for (const unit of UNITS) expect(parseTicketQuery(unit, ctx()).ok, unit).toBe(true);
  });

  it.each(pairs)('%s | %s', (a, b) => {
    const ab = parseTicketQuery(`${a} ${b}`, ctx());
    const ba = parseTicketQuery(`${b} ${a}`, ctx());
    if (ab.ok && ba.ok) {
      expect(ab.query).toStrictEqual(ba.query);
    } else {
      // Pairs that clash (two pages, bot and human, ...) clash in both orders.
      expect(ab.ok).toBe(false);
      expect(ba.ok).toBe(false);
      if (!ab.ok && !ba.ok) {
        expect(ab.error.kind).toBe(ba.error.kind);
        if (ab.error.kind === 'conflict' && ba.error.kind === 'conflict') expect(ab.error.detail).toBe(ba.error.detail);
      }
    }
  });

  it('glued Chinese reads the same as spaced Chinese, in any order', () => {
    const spaced = parseTicketQuery('未关闭 我的 今天 不满意', ctx());
    for (const glued of ['未关闭我的今天不满意', '今天不满意我的未关闭', '不满意 今天未关闭 我的']) {
      expect(parseTicketQuery(glued, ctx())).toStrictEqual(spaced);
    }
  });

  it('a single marker binds to the single time on either side', () => {
    expect(parseTicketQuery('updated open today', ctx())).toStrictEqual(parseTicketQuery('today open updated', ctx()));
  });
});

/** One alternative per field; any choice of slots is free of conflicts. */
const SLOTS: readonly (readonly string[])[] = [
  ['open', '已关闭', 'queued pending', 'closed-by-bot'],
  ['today', '上周', 'created 7d', '近24小时', '2026-11-01..2026-11-10', '创建 昨天'],
  ['updated yesterday', '更新 本月', 'updated 2026-11-02'],
  ['agent @_user_2', '客服 ou_x1', 'mine', '我的'],
  ['closed-by @_user_3', '关单人 me', 'closed by agent @_user_3'],
  ['guest "Zhang San"', '用户 @_user_4', 'guest 张三'],
  ['solved', '未解决'],
  ['score 2', '满意', '评分1'],
  ['bot', '人工'],
  ['channel qr', '渠道 分享', 'channel 7'],
  ['tag vip', '标签 紧急', 'tag "a b"'],
  ['tag x'],
  ['id 123', '工单号 9'],
  ['page 3', '第2页', '第 4 页'],
];

describe('property: any shuffle of compatible filters gives the same query', () => {
  const choice = fc.tuple(...SLOTS.map((alternatives) => fc.option(fc.constantFrom(...alternatives), { nil: undefined }))).map((picked) => picked.filter((u): u is string => u !== undefined));
  const withOrder = choice.chain((units) => fc.tuple(fc.constant(units), fc.shuffledSubarray(units, { minLength: units.length, maxLength: units.length })));

  it('holds', () => {
    fc.assert(
      fc.property(withOrder, ([units, shuffled]) => {
        const canonical = parseTicketQuery(units.join(' '), ctx());
        expect(canonical.ok).toBe(true);
        expect(parseTicketQuery(shuffled.join(' '), ctx())).toStrictEqual(canonical);
      }),
      { numRuns: 1000 },
    );
  });
});
