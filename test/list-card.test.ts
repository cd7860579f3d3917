import { describe, expect, it } from 'vitest';
import { describeFilter } from '../cards/describe.js';
import { listCard, type ListCardData } from '../cards/list.js';
import { toTicket } from '../src/helpdesk/map.js';
import type { Ticket } from '../src/helpdesk/types.js';
import { expectGolden } from './golden.js';
import { makeTickets } from './fixtures/many.js';
import { buttons } from './integration/harness.js';

const tz = 'Asia/Shanghai';
const NOW = Date.UTC(2026, 10, 22, 6, 5); // 14:05 in Shanghai
const tickets = makeTickets(NOW, 40).map((t) => toTicket(t)!);
const value = (what: string) => ({ test: what });

function data(overrides: Partial<ListCardData> = {}): ListCardData {
  return {
    description: describeFilter({ statuses: [1, 2, 3, 4, 5], created: { start: Date.UTC(2026, 10, 21, 16), end: NOW } }, {}, tz),
    page: 1,
    pageSize: 10,
    total: 40,
    tickets: tickets.slice(0, 10),
    timezone: tz,
    actions: { open: (id) => value(`open ${id}`), next: value('next'), refresh: value('refresh') },
    ...overrides,
  };
}
const buttonStates = (card: unknown) => buttons(card).map((b) => `${b.text}${b.disabled ? ' (disabled)' : ''}`);

describe('list card', () => {
  it('renders the query, the total, the page and one row per ticket', () => {
    const card = listCard(data());
    expectGolden('list-page1', card);
    const text = JSON.stringify(card);
    expect(text).toContain('open · created 2026-11-22 00:00 → 14:05');
    expect(text).toContain('**40** tickets · page 1 of 4');
    expect(text.match(/"content":"Open"/g)).toHaveLength(10);
  });

  it('disables previous on the first page and next where no value is given', () => {
    expect(buttonStates(listCard(data()))).toEqual([...Array(10).fill('Open'), 'Previous (disabled)', 'Next', 'Refresh']);
    const last = listCard(data({ page: 4, actions: { open: () => value('o'), prev: value('prev'), refresh: value('r') } }));
    expect(buttonStates(last).slice(-3)).toEqual(['Previous', 'Next (disabled)', 'Refresh']);
  });

  it('says when there are no matches, and when paging is capped at 10,000 rows', () => {
    expectGolden('list-empty', listCard(data({ total: 0, tickets: [] })));
    const capped = JSON.stringify(listCard(data({ total: 25_000 })));
    expect(capped).toContain('at most the first 10,000 tickets (page 1000)');
  });

  it('stays far below 30 KB at the largest page size (15) with long data', () => {
    const long: Ticket[] = tickets.slice(0, 15).map((t) => ({
      ...t,
      guest: { name: '名'.repeat(200) },
      agents: [{ name: 'A'.repeat(200) }],
      tags: Array.from({ length: 30 }, (_, i) => ({ name: `tag${i}`.repeat(20) })),
    }));
    const big = { open: () => ({ v: 1, k: 't', t: '7'.repeat(19), l: { f: { statuses: [1, 2, 3, 4, 5], created: { start: 1, end: 2 } }, p: 1000 }, c: 'oc_' + 'x'.repeat(32), ct: 'g', i: 1, s: 'x'.repeat(43) }), refresh: value('r') };
    const card = listCard(data({ pageSize: 15, tickets: long, actions: big }));
    const bytes = Buffer.byteLength(JSON.stringify({ msg_type: 'interactive', content: JSON.stringify(card) }));
    expect(bytes).toBeLessThan(20 * 1024);
  });
});

describe('describeFilter', () => {
  it.each([
    [{}, 'all tickets'],
    [{ statuses: [50, 51, 52] }, 'closed'],
    [{ statuses: [2, 4] }, 'Processing or Pending'],
    [{ created: { start: Date.UTC(2026, 10, 19, 16), end: Date.UTC(2026, 10, 20, 15, 59, 59, 999) } }, 'created 2026-11-20'],
    [{ updated: { start: Date.UTC(2026, 9, 31, 16), end: Date.UTC(2026, 10, 20, 15, 59, 59, 999) } }, 'updated 2026-11-01 → 2026-11-20'],
    [{ agentId: 'ou_a' }, 'agent Alice'],
    [{ agentId: 'ou_unknown' }, 'agent ou&#95;unknown'],
    [{ guestName: '*x*' }, 'guest name “&#42;x&#42;”'],
    [{ solved: 1, score: 1, type: 2, channel: 2, tags: ['a', 'b'], ticketId: '12' }, 'unsolved · score: unsatisfied · human tickets · channel: QR code · tag a, b · #12'],
  ])('%j', (filter, expected) => {
    expect(describeFilter(filter, { ou_a: 'Alice' }, tz).en_us).toBe(expected);
  });

  it('says "mine" for the asker, whose name the bot does not know', () => {
    expect(describeFilter({ agentId: 'ou_me' }, {}, tz, true)).toEqual({ zh_cn: '我负责的（提问人）', en_us: 'mine (the asker’s)' });
  });
});
