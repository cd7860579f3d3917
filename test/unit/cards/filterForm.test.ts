// The filter form's card and what it adds to a list card (the words that give the list, and the
// Filter button), as golden files (review their diffs like code): valid forms as the platform
// checks them, both languages, hostile tags and names as text.
import { describe, expect, it } from 'vitest';
import { checkCard } from '@helpdesk-bot/feishu-standin/cards';
import { describeQuery, filtersUsed } from '../../../src/cards/describe.js';
import { filterFormCard, type FilterFormData } from '../../../src/cards/filterForm.js';
import { BODY_LIMIT_BYTES, replyBodyBytes, type Json } from '../../../src/cards/kit.js';
import { listCard } from '../../../src/cards/list.js';
import { problemWords } from '../../../src/cards/problem.js';
import { toTicket } from '../../../src/helpdesk/map.js';
import { makeTickets } from '../../fixtures/many.js';
import { expectGolden } from '../../support/golden.js';
import { structureOf } from '../../support/markdown.js';
import { buttons } from '../../support/harness.js';

const tz = 'Asia/Shanghai';
const NOW = Date.UTC(2026, 10, 22, 6, 5);
const value = (what: string) => ({ test: what });
const HOSTILE = '<font color=red>**x**</font> [a](http://evil) `|`';

function valid(card: Json): Json {
  expect(checkCard(card)).toMatchObject({ ok: true });
  expect(replyBodyBytes(card)).toBeLessThanOrEqual(BODY_LIMIT_BYTES);
  expect(structureOf(card)).toEqual([]);
  return card;
}

const data = (extra: Partial<FilterFormData> = {}): FilterFormData => ({
  draft: { statuses: [], tags: [], timeField: 'created' },
  agents: [
    { id: 'ou_agentalice', name: 'Alice Chen' },
    { id: 'ou_agentbob', name: '刘波' },
  ],
  tags: ['VIP', '报销'],
  timezone: tz,
  now: NOW,
  actions: { submit: value('submit') },
  ...extra,
});

describe('the filter form', () => {
  it('offers every field empty, with a submit button carrying its signed value', () => {
    const card = valid(filterFormCard(data()));
    expectGolden('filter-form', card);
    expect(buttons(card).map((b) => [b.text, b.value])).toEqual([['Show tickets', value('submit')]]);
    expect(JSON.stringify(card)).toContain('Dates are in Asia/Shanghai (UTC+8).');
  });

  it('comes back filled in, saying what was wrong and what it keeps, with a way back to the list', () => {
    const card = valid(
      filterFormCard(
        data({
          draft: { statuses: [2, 5], owner: 'ou_agentbob', tags: ['VIP', HOSTILE], timeField: 'updated', time: 'this week', guest: HOSTILE, score: 1 },
          tags: [HOSTILE, 'VIP', '报销'],
          kept: describeQuery({ type: 2, channel: 2 }, {}, tz),
          problem: problemWords({ kind: 'filter', error: { kind: 'bad-value', word: 'to', value: '2026-11-01', expected: 'an end on or after the start' }, examples: ['open today', '未关闭 今天'] }),
          actions: { submit: value('submit'), back: value('back') },
        }),
      ),
    );
    expectGolden('filter-form-filled', card);
    const text = JSON.stringify(card);
    expect(text).toContain('Also kept from the list: Human tickets · channel&#58; QR code.');
    expect(text).toContain('is not valid: expected an end on or after the start');
    expect(text).toContain('"initial_option":"this week"');
    expect(buttons(card).map((b) => b.text)).toEqual(['Show tickets', 'Back to list']);
  });
});

describe('a list card reached by the form', () => {
  it('says the words that give it, and has a Filter button', () => {
    const tickets = makeTickets(NOW, 10).map((t) => toTicket(t)!);
    const filter = { statuses: [2, 5], tags: [HOSTILE] };
    const card = valid(
      listCard({
        query: describeQuery(filter, {}, tz),
        used: filtersUsed(filter),
        page: 1,
        pageSize: 10,
        total: 10,
        lastPage: 1,
        capped: false,
        tickets,
        timezone: tz,
        now: NOW,
        also: `processing waiting tag "${HOSTILE}"`,
        actions: { open: (id) => value(id), paged: false, refresh: value('refresh'), filter: value('filter') },
      }),
    );
    expectGolden('list-also', card);
    expect(JSON.stringify(card)).toContain('also: /tickets processing waiting tag \\"&#60;font color=red&#62;');
    expect(
      buttons(card)
        .slice(-2)
        .map((b) => b.text),
    ).toEqual(['Refresh', 'Filter']);
  });
});
