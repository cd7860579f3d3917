// The list card (rows, paging, buttons, its size at the largest page) and the words that describe
// a query on it.
import { describe, expect, it } from 'vitest';
import { describeQuery, filtersUsed } from '../../../src/cards/describe.js';
import { BODY_LIMIT_BYTES, replyBodyBytes } from '../../../src/cards/kit.js';
import { listCard, type ListCardData } from '../../../src/cards/list.js';
import { toTicket } from '../../../src/helpdesk/map.js';
import type { Ticket, TicketFilter } from '../../../src/helpdesk/types.js';
import { expectGolden } from '../../support/golden.js';
import { makeTickets } from '../../fixtures/many.js';
import { buttons } from '../../support/harness.js';

const tz = 'Asia/Shanghai';
const NOW = Date.UTC(2026, 10, 22, 6, 5); // 14:05 in Shanghai
const tickets = makeTickets(NOW, 40).map((t) => toTicket(t)!);
const value = (what: string) => ({ test: what });
const openToday: TicketFilter = { statuses: [1, 2, 3, 4, 5], created: { start: Date.UTC(2026, 10, 21, 16), end: NOW } };

function data(overrides: Partial<ListCardData> = {}): ListCardData {
  return {
    query: describeQuery(openToday, {}, tz, { times: { created: { kind: 'period', period: 'today' } } }),
    used: filtersUsed(openToday),
    page: 1,
    pageSize: 10,
    total: 40,
    lastPage: 4,
    capped: false,
    tickets: tickets.slice(0, 10),
    questions: new Map(tickets.map((t, i) => [t.id, i % 3 === 2 ? '' : `Question of ${t.id}: the VPN <b>drops</b> *every* ten minutes, again and again, since the office move on Monday morning`])),
    timezone: tz,
    now: NOW,
    actions: { open: (id) => value(`open ${id}`), next: value('next'), paged: true, refresh: value('refresh') },
    ...overrides,
  };
}
const buttonStates = (card: unknown) => buttons(card).map((b) => `${b.text}${b.disabled ? ' (disabled)' : ''}`);
const header = (card: unknown) => (card as { header: { title: { content: string }; subtitle: { content: string; i18n_content?: { zh_cn: string } } } }).header;

describe('list card', () => {
  it('names the query in its title, with the count, the page and when it was fetched', () => {
    const card = listCard(data());
    expectGolden('list-page1', card);
    expect(header(card).title.content).toBe('Open · created today');
    expect(header(card).subtitle.content).toBe('40 tickets · page 1 of 4');
    expect(header(card).subtitle.i18n_content!.zh_cn).toBe('共 40 个工单 · 第 1/4 页');
    expect(JSON.stringify(card)).toContain('as of 14:05:00');
    expect(JSON.stringify(card).match(/"content":"Open"/g)).toHaveLength(10);
  });

  it('leads each row with the guest and the state, then the question on one line, clipped and escaped; the id comes last', () => {
    const text = JSON.stringify(listCard(data()));
    const first = tickets[0]!;
    expect(text).toContain(`**${first.guest!.name}** <text_tag color='`);
    expect(text).toContain(`<font color='grey'>#${first.id}</font>`);
    expect(text).toMatch(/ · opened (just now|\d+ (min|h) ago)/);
    expect(text).toContain(`\\n💬 Question of ${first.id}&#58; the VPN &#60;b&#62;drops&#60;/b&#62; &#42;every&#42; ten minutes, agai…\\n`);
    // About one line whatever the script: a Chinese character takes the room of two letters.
    const zh = JSON.stringify(listCard(data({ questions: new Map([[first.id, '报销单提交不了'.repeat(10)]]) })));
    expect(zh).toContain(`💬 ${'报销单提交不了'.repeat(6).slice(0, 39)}…`);
    // A question that is empty, or not loaded (yet, or at all), says nothing: 7 of the 10 rows have one.
    expect(text).not.toContain(`💬 Question of ${tickets[2]!.id}`);
    const rows = JSON.stringify(listCard(data({ questions: new Map([[first.id, 'Only this one']]) })));
    expect(rows.match(/💬 /g)).toHaveLength(3); // the row's markdown: content, and each language
    expect(rows).toContain('💬 Only this one');
    const closed = JSON.stringify(listCard(data({ tickets: [{ ...first, status: 51, closedAt: NOW - 20 * 60_000 }] })));
    expect(closed).toContain('closed 20 min ago');
    expect(closed).toContain('20分钟前关闭');
    const unassigned = JSON.stringify(listCard(data({ tickets: [{ ...first, agents: [], agentOwner: undefined } as Ticket] })));
    expect(unassigned).toContain("<font color='grey'>Unassigned</font>");
  });

  it('leads with the id instead where guest names are hidden', () => {
    const first = tickets[0]!;
    const text = JSON.stringify(listCard(data({ hideGuestName: true })));
    expect(text).not.toContain(first.guest!.name!);
    expect(text).toContain(`**#${first.id}** <text_tag color='`);
  });

  it('says "1 ticket", and shows no Previous/Next when there is one page', () => {
    const one = listCard(data({ total: 1, tickets: tickets.slice(0, 1), actions: { open: () => value('o'), paged: false, refresh: value('r') } }));
    expect(header(one).subtitle.content).toBe('1 ticket');
    expect(buttonStates(one)).toEqual(['Open', 'Refresh']);
  });

  it('disables previous on the first page and next where no value is given', () => {
    expect(buttonStates(listCard(data()))).toEqual([...Array(10).fill('Open'), 'Previous (disabled)', 'Next', 'Refresh']);
    const last = listCard(data({ page: 4, actions: { open: () => value('o'), prev: value('prev'), paged: true, refresh: value('r') } }));
    expect(buttonStates(last).slice(-3)).toEqual(['Previous', 'Next (disabled)', 'Refresh']);
  });

  it('says when the page asked for is past the end', () => {
    const text = JSON.stringify(listCard(data({ page: 4, pastEnd: 9 })));
    expect(text).toContain('Page 9 is past the end; this is the last page, 4.');
  });

  it('speaks to the filters used when nothing matches, with no paging buttons', () => {
    const empty = listCard(data({ total: 0, tickets: [], actions: { open: () => value('o'), paged: false, refresh: value('r') } }));
    expectGolden('list-empty', empty);
    expect(buttonStates(empty)).toEqual(['Refresh']);
    expect(JSON.stringify(empty)).toContain('widen the time range');
    const noTime = JSON.stringify(listCard(data({ total: 0, tickets: [], used: filtersUsed({ statuses: [2] }), actions: { open: () => value('o'), paged: false, refresh: value('r') } })));
    expect(noTime).not.toContain('time range');
    expect(noTime).toContain('try another status');
  });

  it('says when paging is capped at 10,000 rows', () => {
    const capped = JSON.stringify(listCard(data({ total: 25_000, lastPage: 1000, capped: true })));
    expect(capped).toContain('at most the first 10,000 tickets (page 1000)');
  });

  it('says when the bot filtered the matches itself and could not read them all', () => {
    expect(JSON.stringify(listCard(data({ read: { count: 1000, of: 4321 } })))).toContain('the bot read the first 1,000 of the 4,321 tickets matching the rest');
  });

  it('says which agent a row is on when the list is for an agent who does not own it', () => {
    const t = {
      ...tickets[0]!,
      agentOwner: { id: 'ou_owner', name: '王磊' },
      agents: [
        { id: 'ou_owner', name: '王磊' },
        { id: 'ou_cj', name: '陈静' },
      ],
    };
    const text = JSON.stringify(listCard(data({ tickets: [t], agentId: 'ou_cj' })));
    expect(text).toContain("王磊 · <font color='grey'>also 陈静</font>");
    expect(text).toContain("<font color='grey'>其他客服 陈静</font>");
    expect(JSON.stringify(listCard(data({ tickets: [t], agentId: 'ou_owner' })))).not.toContain('also');
  });

  it('keeps the reply body under 30 KB at the largest page size (15) with long data', () => {
    const long: Ticket[] = tickets.slice(0, 15).map((t) => ({
      ...t,
      guest: { name: '"名"'.repeat(200) },
      agents: [{ name: 'A\\'.repeat(200) }],
      tags: Array.from({ length: 30 }, (_, i) => ({ name: `"tag${i}"`.repeat(20) })),
    }));
    const big = {
      open: () => ({ v: 2, k: 't', t: '7'.repeat(19), l: { f: { statuses: [1, 2, 3, 4, 5] }, w: { c: 'today' }, p: 666 }, c: 'oc_' + 'x'.repeat(32), ct: 'g', i: 1, s: 'x'.repeat(43) }),
      paged: true,
      refresh: value('r'),
    };
    const card = listCard(data({ pageSize: 15, tickets: long, actions: big }));
    expect(replyBodyBytes(card)).toBeLessThanOrEqual(BODY_LIMIT_BYTES);
    expect(buttons(card).filter((b) => b.text === 'Open')).toHaveLength(15);
  });
});

describe('describeQuery', () => {
  it.each([
    [{}, 'All tickets'],
    [{ statuses: [50, 51, 52] }, 'Closed'],
    [{ statuses: [2, 4] }, 'In progress or Pending'],
    [{ created: { start: Date.UTC(2026, 10, 19, 16), end: Date.UTC(2026, 10, 20, 15, 59, 59, 999) } }, 'Created 2026-11-20'],
    [{ updated: { start: Date.UTC(2026, 9, 31, 16), end: Date.UTC(2026, 10, 20, 15, 59, 59, 999) } }, 'Updated 2026-11-01 → 2026-11-20'],
    [{ agentId: 'ou_a' }, 'Agent Alice'],
    [{ agentId: 'ou_unknown' }, 'Agent ou_unknown'],
    [{ guestName: '*x*' }, 'Guest “*x*”'],
    [{ channel: 6 }, 'Channel: 6'],
    [{ solved: 1, score: 1, type: 2, channel: 2, tags: ['a', 'b'], ticketId: '12' }, 'Unsolved · score: unsatisfied · human tickets · channel: QR code · tag a, b · #12'],
  ])('%j', (filter, expected) => {
    expect(describeQuery(filter, { ou_a: 'Alice' }, tz).en_us).toBe(expected);
  });

  it('says time words as words, and "mine" for the asker', () => {
    const q = describeQuery({ statuses: [1, 2, 3, 4, 5], agentId: 'ou_me' }, {}, tz, {
      mine: true,
      times: { created: { kind: 'span', amount: 7, unit: 'days' }, updated: { kind: 'period', period: 'today' } },
    });
    expect(q).toEqual({ en_us: 'Open · created in the last 7 days · updated today · mine', zh_cn: '未关闭 · 近7天创建 · 今天更新 · 我负责的' });
  });

  it('says which time a time filters, closing time as well', () => {
    const closed = describeQuery({ statuses: [50, 51, 52] }, {}, tz, { times: { closed: { kind: 'period', period: 'yesterday' } } });
    expect(closed).toEqual({ en_us: 'Closed yesterday', zh_cn: '昨天关闭' });
    const byAgent = describeQuery({ statuses: [51] }, {}, tz, { times: { closed: { kind: 'span', amount: 7, unit: 'days' } } });
    expect(byAgent.en_us).toBe('Closed by agent · closed in the last 7 days');
    const today = describeQuery({}, {}, tz, { times: { created: { kind: 'period', period: 'today' } } });
    expect(today).toEqual({ en_us: 'Created today', zh_cn: '今天创建' });
    const dates = describeQuery({}, {}, tz, { times: { created: { kind: 'days', from: { year: 2026, month: 11, day: 1 }, to: { year: 2026, month: 11, day: 20 } } } });
    expect(dates).toEqual({ en_us: 'Created 2026-11-01 → 2026-11-20', zh_cn: '创建于 2026-11-01 → 2026-11-20' });
  });

  it('says unassigned and a score range', () => {
    expect(describeQuery({ statuses: [1, 2, 3, 4, 5] }, {}, tz, { unassigned: true }).en_us).toBe('Open · unassigned');
    expect(describeQuery({}, {}, tz, { scores: [1, 2, 3] })).toEqual({ en_us: 'Score 1–3', zh_cn: '评分 1–3' });
  });
});
