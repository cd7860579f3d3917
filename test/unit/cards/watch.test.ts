// The cards of watches and the board, as golden files (review their diffs like code), in both
// languages, with hostile data showing as text, within the platform's card limits.
import { describe, expect, it } from 'vitest';
import { boardCard } from '../../../src/cards/board.js';
import { describeQuery } from '../../../src/cards/describe.js';
import { replyBodyBytes, BODY_LIMIT_BYTES, type Json } from '../../../src/cards/kit.js';
import { problemCard } from '../../../src/cards/problem.js';
import type { Problem } from '../../../src/commands/problems.js';
import { digestCard, watchCreatedCard, watchesLabel, watchListCard, watchPostCard } from '../../../src/cards/watch.js';
import { toTicket } from '../../../src/helpdesk/map.js';
import { checkCard } from '@helpdesk-bot/feishu-standin/cards';
import type { BoardCounts } from '../../../src/cards/board.js';
import { fullTicket, sparseTicket } from '../../fixtures/tickets.js';
import { expectGolden } from '../../support/golden.js';
import { structureOf as structure } from '../../support/markdown.js';
import { buttons } from '../../support/harness.js';

const tz = 'Asia/Shanghai';
const NOW = 1616929200000 + 2 * 3600_000;
const value = (name: string): Json => ({ v: 2, k: 'x', name });
const label = describeQuery({ statuses: [1, 2, 3, 4, 5], tags: ['VIP'] }, {}, tz);
const hostile = { ...fullTicket, ticket_id: '6626871355780366332', guest: { ...fullTicket.guest, name: '<font color=red>**Bobby**</font> [x](http://evil)' }, tags: [{ id: '1', name: '`tag`|#h' }] };

/** The platform would accept the card (the stand-in's checks), and it fits a reply. */
function valid(card: Json): Json {
  expect(checkCard(card)).toMatchObject({ ok: true });
  expect(replyBodyBytes(card)).toBeLessThanOrEqual(BODY_LIMIT_BYTES);
  return card;
}

describe('watch cards', () => {
  it('confirms a watch, with how many match now and how to stop it', () => {
    const card = valid(watchCreatedCard({ label, number: 2, matchingNow: 12, digestAfter: 3, actions: { matching: value('matching'), watches: value('watches') } }));
    expectGolden('watch-created', card);
    const text = JSON.stringify(card);
    expect(text).toContain('Watching: Open · tag VIP');
    expect(text).toContain('已关注：未关闭 · 标签 VIP');
    expect(text).toContain('12 tickets match right now; those are not posted.');
    expect(text).toContain('/unwatch 2');
  });

  it('says when it noted only some of the tickets matching now, and leaves out Show when none match', () => {
    const capped = JSON.stringify(valid(watchCreatedCard({ label, number: 1, matchingNow: 1500, capped: 1000, digestAfter: 3, actions: { matching: value('m'), watches: value('w') } })));
    expect(capped).toContain('the first 1,000 of them; the others may be posted when they next change');
    const none = valid(watchCreatedCard({ label, number: 1, matchingNow: 0, digestAfter: 3, actions: { matching: value('m'), watches: value('w') } }));
    expect(JSON.stringify(none)).toContain('No tickets match right now.');
    expect(JSON.stringify(none)).not.toContain('Show those matching now');
  });

  it('lists a chat’s watches, numbered, each with Unwatch', () => {
    const card = valid(
      watchListCard({
        watches: [
          { number: 1, label, since: NOW - 3 * 24 * 3600_000, unwatch: value('u1') },
          // Watch 2 was removed: numbers are never reused nor shifted.
          { number: 3, label: describeQuery({ agentId: 'ou_x' }, { ou_x: '[evil](http://x)' }, tz), since: NOW - 60_000, unwatch: value('u2') },
        ],
        max: 20,
        timezone: tz,
        now: NOW,
        refresh: value('r'),
      }),
    );
    expectGolden('watch-list', card);
    expect(structure(card)).toEqual([]);
    const empty = JSON.stringify(valid(watchListCard({ watches: [], max: 20, timezone: tz, now: NOW, refresh: value('r') })));
    expect(empty).toContain('No watches here yet');
    expect(empty).toContain('/watch 未关闭 标签 VIP');
  });

  it('posts a ticket compactly: state, owner, age, tags and why; the guest masked in groups', () => {
    const ticket = { ...toTicket(fullTicket)!, status: 2, closedAt: undefined, closedBy: undefined };
    const group = valid(watchPostCard(ticket, { label, change: 'created', timezone: tz, now: NOW, hide: ['email'], actions: { open: value('open') } }));
    expectGolden('watch-post', group);
    const text = JSON.stringify(group);
    expect(text).toContain('New ticket · watching Open · tag VIP');
    expect(text).toContain('In progress');
    expect(text).not.toContain('xiaoming.wang');
    expect(text).toContain('changed 16:35 · as of 21:00:00');
    const dm = JSON.stringify(valid(watchPostCard(toTicket(sparseTicket)!, { label, change: 'updated', timezone: tz, now: NOW, hide: [], actions: { open: value('open') } })));
    expect(dm).toContain('Now matches · watching');
    expect(dm).toContain('Unassigned');
    // No update time yet: only when it was drawn.
    expect(dm).not.toContain('changed');
  });

  it('shows data as text, whatever the guest or the tags are called', () => {
    const card = valid(watchPostCard(toTicket(hostile)!, { label, change: 'created', timezone: tz, now: NOW, hide: [], actions: { open: value('o') } }));
    expect(structure(card)).toEqual([]);
  });

  it('sends a digest of many at once: a count, the newest ten, and Show all', () => {
    const tickets = Array.from({ length: 14 }, (_, i) => ({ ...toTicket(fullTicket)!, id: String(7300000000000000000n + BigInt(i)), status: 1, createdAt: NOW - i * 60_000 }));
    const one = [{ number: 1, label, all: value('all') }];
    const questions = new Map(tickets.map((t, i) => [t.id, i === 0 ? 'My laptop will not charge' : '']));
    const card = valid(digestCard({ watches: one, tickets, questions, timezone: tz, now: NOW, hideGuestName: false, actions: { open: (id) => value(`open ${id}`) } }));
    expectGolden('watch-digest', card);
    const text = JSON.stringify(card);
    expect(text).toContain('14 tickets match');
    expect(text).toContain('14 个工单符合关注条件');
    expect(text).toContain('4 more not listed here.');
    expect(text.match(/"open 73/g)).toHaveLength(10);
    expect(text).toContain('Show all matching');
    // The question, and times that still say when after the card has sat in the chat a while.
    expect(text).toContain('💬 My laptop will not charge');
    expect(text).toContain('opened 21:00 (just now)');
    expect(text).toContain('21:00（刚刚）创建');
    // In a group that hides names, rows lead with the id instead of the guest.
    const masked = JSON.stringify(digestCard({ watches: one, tickets, timezone: tz, now: NOW, hideGuestName: true, actions: { open: (id) => value(id) } }));
    expect(masked).not.toContain('王小明');
    expect(structure(digestCard({ watches: one, tickets: [toTicket(hostile)!], timezone: tz, now: NOW, hideGuestName: false, actions: { open: () => value('o') } }))).toEqual([]);
  });

  it('makes one digest for the chat when several of its watches matched, with a Show button for each', () => {
    const tickets = Array.from({ length: 5 }, (_, i) => ({ ...toTicket(fullTicket)!, id: String(7300000000000000000n + BigInt(i)), status: 1, createdAt: NOW - i * 60_000 }));
    const two = [
      { number: 1, label, all: value('all 1') },
      { number: 4, label: describeQuery({ statuses: [1, 2, 3, 4, 5] }, {}, tz, { unassigned: true }), all: value('all 4') },
    ];
    const text = JSON.stringify(valid(digestCard({ watches: two, tickets, timezone: tz, now: NOW, hideGuestName: false, actions: { open: (id) => value(id) } })));
    expect(text).toContain('watching 1. Open · tag VIP; 4. Open · unassigned');
    expect(text).toContain("came to match this chat's watches 1, 4");
    expect(text).toContain('All of watch 1');
    expect(text).toContain('All of watch 4');
  });

  it('names every watch a post matched', () => {
    const labels = watchesLabel([
      { number: 1, label },
      { number: 2, label: describeQuery({ statuses: [1, 2, 3, 4, 5] }, {}, tz) },
    ]);
    const ticket = { ...toTicket(fullTicket)!, status: 2, closedAt: undefined, closedBy: undefined };
    const text = JSON.stringify(valid(watchPostCard(ticket, { label: labels, change: 'created', question: 'Where is my <refund>?', timezone: tz, now: NOW, hide: [], actions: { open: value('o') } })));
    expect(text).toContain('New ticket · watching 1. Open · tag VIP; 2. Open');
    expect(text).toContain('💬 Where is my &#60;refund&#62;?');
  });
});

describe('board card', () => {
  const counts: BoardCounts = {
    byStatus: [
      { status: 1, count: 6 },
      { status: 2, count: 14 },
      { status: 3, count: 0 },
      { status: 4, count: 10 },
      { status: 5, count: 8 },
    ],
    open: 38,
    read: 38,
    unassigned: 11,
    agents: [
      { id: 'ou_a', name: '王磊', count: 11 },
      { id: 'ou_b', name: 'Emily Zhang', count: 9 },
    ],
    oldest: { id: '7518854131221400880', createdAt: NOW - 35 * 24 * 3600_000, question: 'How do I reset my VPN certificate?' },
  };
  const actions = { status: (code: number) => value(`status ${code}`), unassigned: value('unassigned'), agent: (id: string) => value(`agent ${id}`), oldest: value('oldest'), refresh: value('refresh') };

  it('shows each count as a button, the oldest open ticket, and per agent', () => {
    const card = valid(boardCard({ counts, timezone: tz, now: NOW, actions }));
    expectGolden('board', card);
    const text = JSON.stringify(card);
    for (const shown of [
      'New · 6',
      'In progress · 14',
      'Waiting for customer · 8',
      'Unassigned · 11',
      '王磊 · 11',
      '#7518854131221400880, open for 35 d (since 02-21 21:00)',
      '38 open tickets',
      '按状态',
      '💬 How do I reset my VPN certificate?',
    ])
      expect(text).toContain(shown);
    // Nothing to open behind a zero.
    expect(buttons(card).find((b) => b.text === 'Queued · 0')).toMatchObject({ disabled: true, value: undefined });
    expect(buttons(card).find((b) => b.text === 'New · 6')).toMatchObject({ disabled: false, value: value('status 1') });
  });

  it('says when unassigned, per agent and oldest come from part of the open tickets', () => {
    const text = JSON.stringify(valid(boardCard({ counts: { ...counts, open: 1234, read: 1000 }, timezone: tz, now: NOW, actions })));
    expect(text).toContain('count the first 1,000 of the 1,234 open tickets the helpdesk listed');
  });

  it('stays within the card limits with very many agents, and lists twelve of them', () => {
    const many = { ...counts, agents: Array.from({ length: 300 }, (_, i) => ({ id: `ou_${i}`, name: `Agent ${i} <b>`, count: 300 - i })) };
    const card = valid(boardCard({ counts: many, timezone: tz, now: NOW, actions }));
    expect(JSON.stringify(card)).toContain('288 more agents have open tickets.');
    const empty = JSON.stringify(valid(boardCard({ counts: { byStatus: counts.byStatus.map((s) => ({ ...s, count: 0 })), open: 0, read: 0, unassigned: 0, agents: [] }, timezone: tz, now: NOW, actions })));
    expect(empty).toContain('No open tickets');
  });
});

describe('watch problems', () => {
  const problems: Problem[] = [
    { kind: 'watch-filter', word: 'today', why: 'time' },
    { kind: 'watch-limit', max: 20, scope: 'chat' },
    { kind: 'watch-duplicate', number: 2 },
    { kind: 'unwatch-number', input: '7', numbers: [1, 3] },
    { kind: 'watch-refused', contact: 'the IT desk' },
  ];
  it.each(problems)('$kind', (problem) => {
    expectGolden(`problem-${problem.kind}`, valid(problemCard(problem)));
  });

  it('say what to do in the other cases too', () => {
    expect(JSON.stringify(problemCard({ kind: 'watch-filter', word: 'page 2', why: 'page' }))).toContain('is a page: a watch posts matching tickets one by one');
    expect(JSON.stringify(problemCard({ kind: 'watch-limit', max: 1000, scope: 'bot' }))).toContain('The bot has 1000 watches across all chats');
    expect(JSON.stringify(problemCard({ kind: 'unwatch-number', input: '1', numbers: [] }))).toContain('This chat has no watches, so there is no **1**.');
    expect(JSON.stringify(problemCard({ kind: 'unwatch-number', input: '7', numbers: [1, 3] }))).toContain("this chat's watches are 1 and 3.");
  });
});
