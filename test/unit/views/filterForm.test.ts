// The filter form's submission read back into /tickets words: every field checked (form_value is
// untrusted), the words giving exactly the list the typed command gives, and a list's Filter
// filling the form in so that submitting it unchanged gives the same list again.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { draftOf, formWords, readForm } from '../../../src/views/filterForm.js';
import { ticketsView } from '../../../src/views/tickets.js';
import type { ListState } from '../../../src/views/view.js';

const NOW = Date.UTC(2026, 10, 20, 6, 5);
const TZ = 'Asia/Shanghai';
const asker = { openId: 'ou_asker', mentions: [] };
const listOf = (words: string): ListState | undefined => {
  const v = ticketsView(words, asker, NOW, TZ);
  return 'view' in v && v.view.kind === 'list' ? v.view.list : undefined;
};
/** The words a submission gives, or the problem it has. */
const submit = (formValue: unknown) => {
  const read = readForm(formValue);
  return 'problem' in read ? read : formWords(read.draft);
};

describe('a submission of the filter form', () => {
  it('gives the words /tickets is typed with, and so the same list', () => {
    const words = submit({ status: ['2', '5'], tags: ['VIP', 'Two words'], time_field: 'created', time: '7d', owner: 'me', score: '1', guest: 'James Wilson' });
    expect(words).toEqual({ words: 'processing waiting 7d mine tag VIP tag "Two words" guest "James Wilson" score 1' });
    expect(listOf((words as { words: string }).words)).toEqual(listOf('waiting processing tag "Two words" tag VIP 7d mine unhappy guest "James Wilson"'));
  });

  it('says unassigned and a closing time as the filter words do', () => {
    expect(submit({ owner: 'unassigned', time: '7d' })).toEqual({ words: '7d unassigned' });
    expect(listOf('7d unassigned')).toMatchObject({ unassigned: true, filter: { statuses: [1, 2, 3, 4, 5] } });
    const closed = submit({ status: ['51'], time_field: 'closed', time: '30d' }) as { words: string };
    expect(closed).toEqual({ words: 'closed-by-agent closed in 30d' });
    expect(listOf(closed.words)).toMatchObject({ filter: { statuses: [51] }, times: { closed: '30d' } });
    // A creation time beside a closed status says so, or it would read as the closing time.
    expect(submit({ status: ['50'], time: 'today' })).toEqual({ words: 'closed-by-bot created today' });
  });

  it('reads a date range from the pickers (dates with the clicker’s offset), by update time if asked', () => {
    expect(submit({ time: 'range', time_field: 'updated', from: '2026-11-01 +0800', to: '2026-11-20 +0800' })).toEqual({ words: 'updated 2026-11-01..2026-11-20' });
    expect(submit({ time: 'range', from: '2026-11-03', to: '2026-11-03' })).toEqual({ words: '2026-11-03' });
    expect(submit({ time: 'range', from: '2026-11-03' })).toMatchObject({ problem: { kind: 'filter', error: { kind: 'missing-value', word: 'to' } } });
  });

  it('takes a multi-select sent as one string, and leaves out empty fields', () => {
    expect(submit({ status: '1', tags: '', guest: '', owner: '', time: '' })).toEqual({ words: 'new' });
    expect(submit({})).toEqual({ words: '' });
    expect(submit(undefined)).toEqual({ words: '' });
  });

  it('refuses what no field of the form can send, saying which field, and lets no value become a filter of its own', () => {
    for (const [formValue, word] of [
      [{ status: ['9'] }, 'status'],
      [{ status: [1] }, 'status'],
      [{ tags: [{ x: 1 }] }, 'tags'],
      [{ owner: 'ou_abc tag VIP' }, 'owner'],
      [{ owner: ['ou_abc'] }, 'owner'],
      [{ score: '4' }, 'score'],
      [{ time: '7d tag VIP' }, 'time'],
      [{ time_field: 'closed-at' }, 'time_field'],
      [{ time: 'range', from: 'tomorrow', to: '2026-11-20' }, 'from'],
    ] as const) {
      expect(submit(formValue)).toMatchObject({ problem: { kind: 'filter', error: { kind: 'bad-value', word } } });
    }
    // Quoted, a tag or name is one value however it is spelt.
    expect(listOf((submit({ tags: ['VIP" open "x'] }) as { words: string }).words)?.filter).toEqual({ tags: ['VIP" open "x'] });
    expect(submit({ guest: '"x" 「y」 『z』' })).toMatchObject({ problem: { error: { word: 'guest' } } });
  });

  it('leaves the checks the parser makes to the parser, as for typed words', () => {
    const words = submit({ owner: 'ou_' + 'a'.repeat(70) }) as { problem: unknown };
    expect(words).toMatchObject({ problem: { error: { word: 'owner' } } });
    const long = submit({ guest: 'x'.repeat(101) }) as { words: string };
    expect(ticketsView(long.words, asker, NOW, TZ)).toMatchObject({ problem: { kind: 'filter', error: { kind: 'bad-value', expected: 'at most 100 characters' } } });
  });
});

describe('a list’s Filter button', () => {
  it('fills the form in with the list’s filters, keeping those it has no field for', () => {
    const list = listOf('open human channel qr updated this week tag VIP agent ou_abc123 page 2')!;
    const { draft, keep } = draftOf(list);
    expect(draft).toEqual({ statuses: [1, 2, 3, 4, 5], owner: 'ou_abc123', tags: ['VIP'], timeField: 'updated', time: 'this week' });
    expect(keep).toEqual({ filter: { type: 2, channel: 2 }, page: 1, names: {} });
    expect(formWords(draft, keep)).toEqual({ words: 'new processing queued pending waiting updated this week agent ou_abc123 tag VIP human channel qr' });
  });

  it('keeps a second time, which the form has no field for', () => {
    const { draft, keep } = draftOf(listOf('today updated 7d')!);
    expect(draft).toMatchObject({ timeField: 'created', time: 'today' });
    expect(formWords(draft, keep)).toEqual({ words: 'today updated 7d' });
  });

  it('submitted unchanged, gives the same list (from its first page)', () => {
    const word = fc.constantFrom(
      'open',
      'closed',
      'new',
      'waiting',
      'closed-by-bot',
      'today',
      '7d',
      '30d',
      '24h',
      'this week',
      '2026-11-01..2026-11-20',
      '2026-11-05',
      'updated today',
      'updated 2026-11-01..2026-11-03',
      'mine',
      'agent ou_x1',
      'tag VIP',
      'tag "a b"',
      'guest "Li Na"',
      'score 3',
      'solved',
      'bot',
      'channel share',
      'closed-by ou_y2',
      'guest ou_g1',
      'id 42',
      'page 4',
    );
    let checked = 0;
    fc.assert(
      fc.property(fc.array(word, { maxLength: 6 }), (words) => {
        const list = listOf(words.join(' '));
        if (!list) return;
        const { draft, keep } = draftOf(list);
        const again = formWords(draft, keep);
        expect(again).toHaveProperty('words');
        expect(listOf((again as { words: string }).words)).toEqual({ ...list, page: 1 });
        checked++;
      }),
      { numRuns: 1000 },
    );
    expect(checked).toBeGreaterThan(200);
  });
});
