// The words that give a list ("also: /tickets …"): read back, they give exactly the same list, for
// lists made from random words (the filter language's own, in both languages, with hostile tags
// and names), and there are none for a list no words can give.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ticketsView } from '../../../src/views/tickets.js';
import { listWords } from '../../../src/views/listWords.js';
import type { ListState } from '../../../src/views/view.js';

const NOW = Date.UTC(2026, 10, 20, 6, 5);
const TZ = 'Asia/Shanghai';
const asker = { openId: 'ou_asker', mentions: [{ key: '@_user_2', openId: 'ou_6c1f0a', name: 'Li Lei' }] };
const view = (words: string) => ticketsView(words, asker, NOW, TZ);
const listOf = (words: string): ListState | undefined => {
  const v = view(words);
  return 'view' in v && v.view.kind === 'list' ? v.view.list : undefined;
};

describe('listWords', () => {
  it.each([
    ['open today', 'open today'],
    ['未关闭 今天', 'open today'],
    ['processing waiting 7d', 'processing waiting 7d'],
    ['closed-by-bot new', 'new closed-by-bot'],
    ['open closed', 'open closed'],
    ['mine updated 24h', 'updated 24h mine'],
    ['tag VIP tag "Two words" 2026-11-01..2026-11-20', '2026-11-01..2026-11-20 tag "Two words" tag VIP'],
    ['guest 王小明 unhappy human channel qr', 'guest "王小明" unhappy human channel qr'],
    ['closed 7d page 3', 'closed in 7d page 3'],
    ['closed created 7d', 'closed created 7d'],
    ['unassigned', 'open unassigned'],
    ['score 1-2 today', 'today score 1-2'],
    ['agent @_user_2 solved', 'agent ou_6c1f0a solved'],
  ])('%s → /tickets %s', (typed, words) => {
    expect(listWords(listOf(typed)!)).toBe(words);
  });

  it('has no words for a list none can give', () => {
    const base = listOf('open')!;
    expect(listWords({ ...base, filter: { ...base.filter, created: { start: 0, end: 1 } } })).toBeUndefined();
    expect(listWords({ ...base, filter: { statuses: [7] } })).toBeUndefined();
  });

  it('gives words that read back as the same list, whatever the list', () => {
    const word = fc.constantFrom(
      'open',
      'closed',
      'new',
      'processing',
      'queued',
      'pending',
      'waiting',
      'closed-by-bot',
      'closed by agent',
      '客服关闭',
      'today',
      'yesterday',
      'this week',
      '7d',
      '24h',
      '近30天',
      '2026-11-01..2026-11-20',
      'updated today',
      'mine',
      'agent @_user_2',
      'closed-by ou_abc123',
      'guest ou_guest1',
      'solved',
      'unsolved',
      'happy',
      'score 2',
      'bot',
      'human',
      'channel api',
      'channel 42',
      'id 6626871355780366331',
      'page 2',
    );
    const text = fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom('a', 'Z', '报', ' ', '"', '「', '」', '『', "'", '#', '\\', '|', '<', '_', '-') });
    const quoted = text.map((t) => `"${t.replace(/"/g, '')}"`);
    const item = fc.oneof(
      word,
      word,
      quoted.map((q) => `tag ${q}`),
      quoted.map((q) => `guest ${q}`),
      fc.constantFrom('tag VIP', 'tag 报销', '标签 vip'),
    );
    let checked = 0;
    fc.assert(
      fc.property(fc.array(item, { minLength: 0, maxLength: 6 }), (items) => {
        const list = listOf(items.join(' '));
        if (!list) return;
        const words = listWords(list);
        expect(words).toBeDefined();
        // Names from mentions are not words: the same list, the person by id.
        expect(listOf(words!)).toEqual({ ...list, names: {} });
        checked++;
      }),
      { numRuns: 2000 },
    );
    // Most random queries conflict (two times, two scores...): enough of them did not.
    expect(checked).toBeGreaterThan(300);
  });
});
