// The ticket, problem, help and welcome cards as golden files (review their diffs like code), in
// both languages, with hostile data showing as text, within the platform's card limits.
import { describe, expect, it } from 'vitest';
import { formatDuration, roughDuration } from '../../../src/cards/format.js';
import { helpCard } from '../../../src/cards/help.js';
import { BODY_LIMIT_BYTES, replyBodyBytes, type Json } from '../../../src/cards/kit.js';
import { problemCard } from '../../../src/cards/problem.js';
import type { Problem } from '../../../src/commands/problems.js';
import { ticketCard, type TicketCardOptions } from '../../../src/cards/ticket.js';
import { welcomeCard } from '../../../src/cards/welcome.js';
import { keep } from '../../../src/helpdesk/conversation.js';
import { toMessage, toTicket } from '../../../src/helpdesk/map.js';
import type { Conversation, Message } from '../../../src/helpdesk/types.js';
import { expectGolden } from '../../support/golden.js';
import { markdownTexts, structureIn } from '../../support/markdown.js';
import { fullConversation, fullTicket, sparseTicket } from '../../fixtures/tickets.js';
import { buttons } from '../../support/harness.js';

const tz = 'Asia/Shanghai';
// 2021-03-28 19:00 in Shanghai: a few hours after the full ticket was closed.
const NOW = 1616929200000 + 2 * 3600_000;
const conversation: Conversation = { total: fullConversation.length, messages: keep(fullConversation.map((m) => toMessage(m)!)) };
const opts = (extra: Partial<TicketCardOptions> = {}): TicketCardOptions => ({ timezone: tz, now: NOW, conversation, ...extra });
const full = () => toTicket(fullTicket)!;

describe('ticket card', () => {
  it('leads with the customer’s first message and shows the latest messages', () => {
    const card = ticketCard(full(), opts());
    expectGolden('ticket-full', card);
    const text = JSON.stringify(card);
    expect(text).toContain('💬 报销单提交不了，提示附件格式不支持。');
    expect(text).toContain('可以了，谢谢！');
    expect(text).toContain('附件超过 10 MB，压缩后重新上传即可。 [Image ×1]');
    expect(text).toContain('[Image]');
    expect(text).toContain('The latest 4 of 5 messages');
    for (const expected of ['6626871355780366331', '王小明', '财务部', '杭州', 'Li Lei', '韩梅梅', 'Zhang Wei', '报销', 'VIP', 'Expense system', 'P2', '答案看不懂']) {
      expect(text).toContain(expected);
    }
  });

  it('puts status, guest, owner, age and tags above the fold, and nothing twice', () => {
    const card = ticketCard(full(), opts()) as { header: Json; body: { elements: { i18n_content?: { en_us: string; zh_cn: string } }[] } };
    const top = card.body.elements[0]!.i18n_content!;
    expect(top.en_us).toMatch(
      /^💬 .*\n\*\*Guest\*\*: 王小明 · 财务部 · 杭州, CN · xiaoming\.wang&#64;example\.com\n\*\*Owner\*\*: Li Lei · also 韩梅梅 · collaborators Zhang Wei\n\*\*Closed\*\*: 19:20 \(1 h ago\) by Li Lei, after 2 h 46 min\n\*\*Tags\*\*: /,
    );
    expect(top.zh_cn).toContain('**已关闭**：19:20（1小时前）由 Li Lei 关闭，历时 2小时46分钟');
    // The header carries the id and the status; the body repeats neither.
    expect(JSON.stringify(card.header)).toContain('Closed by agent');
    expect(JSON.stringify(card.body)).not.toContain('Closed by agent');
    expect(JSON.stringify(card.body)).not.toContain('Ticket 6626871355780366331');
  });

  it('says "Unassigned" when no agent has the ticket, and how long it has been open or waiting', () => {
    const open = { ...toTicket(sparseTicket)!, status: 5, agentLastResponseAt: NOW - 90 * 60_000, createdAt: NOW - 5 * 3600_000 };
    const text = JSON.stringify(ticketCard(open, opts({ conversation: { total: 0, messages: [] } })));
    expect(text).toContain('Unassigned');
    expect(text).toContain('未分配');
    // The card stays in its chat: how long, and since when.
    expect(text).toContain('Open for**: 5 h (since 16:00), waiting for the customer for 1 h');
    expect(text).toContain('已开启**：5小时（16:00 起），等待用户回复 1小时');
  });

  it('says a ticket opened less than a minute ago opened "just now", not "1 min", with the clock time so it does not freeze', () => {
    const card = (createdAt: number) => JSON.stringify(ticketCard({ ...toTicket(sparseTicket)!, status: 1, createdAt }, opts({ conversation: { total: 0, messages: [] } })));
    for (const createdAt of [NOW - 59_000, NOW, NOW + 5_000]) {
      const text = card(createdAt);
      expect(text).toMatch(/Opened\*\*: (20:59|21:00) \(just now\)/);
      expect(text).toMatch(/已开启\*\*：(20:59|21:00)（刚刚）/);
      expect(text).not.toMatch(/1 min|1分钟/);
    }
    expect(card(NOW - 60_000)).toContain('Open for**: 1 min (since 20:59)');
    expect(card(NOW - 60_000)).toContain('已开启**：1分钟（20:59 起）');
  });

  it('leaves a channel the API reports as 0 or unknown out, and keeps times in a collapsed panel', () => {
    const text = JSON.stringify(ticketCard({ ...full(), channel: 0 }, opts()));
    expect(text).not.toMatch(/channel \(0\)|渠道（0）|Other channel/);
    const panels = (ticketCard(full(), opts()) as { body: { elements: { tag: string; expanded?: boolean; header?: { title: { content: string } } }[] } }).body.elements.filter((e) => e.tag === 'collapsible_panel');
    expect(panels.map((p) => [p.header!.title.content, p.expanded])).toEqual([
      ['**Conversation** · 5 messages', true],
      ['**Custom fields** · 2', false],
      ['**Times and durations** (UTC+8)', false],
    ]);
  });

  it('leaves absent fields out instead of showing them blank', () => {
    const card = ticketCard(toTicket(sparseTicket)!, opts({ conversation: { total: 0, messages: [] } }));
    expectGolden('ticket-sparse', card);
    const text = JSON.stringify(card);
    expect(text).not.toMatch(/undefined|null|NaN/);
    expect(text).not.toContain('Updated');
    expect(text).not.toContain('Conversation');
    expect(text).not.toContain('Custom fields');
  });

  it('still comes when the conversation could not be loaded, and says so', () => {
    const text = JSON.stringify(ticketCard(full(), opts({ conversation: 'failed' })));
    expect(text).toContain('The conversation could not be loaded');
    expect(text).toContain('对话暂时无法加载');
    expect(text).toContain('Li Lei');
  });

  it('hides the listed fields, the conversation included, but says they are hidden', () => {
    const text = JSON.stringify(ticketCard(full(), opts({ hide: ['email', 'conversation'], conversation: 'hidden' })));
    expect(text).not.toContain('xiaoming.wang');
    expect(text).not.toContain('报销单提交不了');
    expect(text).toContain('hidden in group chats');
    expect(text).toContain('Conversation: hidden in group chats');
    expect(text).toContain('财务部');
    // A hidden name is hidden in the conversation too.
    const named = JSON.stringify(ticketCard(full(), opts({ hide: ['name'] })));
    expect(named).not.toContain('王小明');
    expect(named).toContain('**Guest**');
  });

  it('says which words after the id were not used', () => {
    const text = JSON.stringify(ticketCard(full(), opts({ ignored: 'OR 1=1' })));
    expect(text).toContain('Looked up ticket 6626871355780366331 only; the rest, “OR 1=1”, was not used.');
  });

  it('never lets ticket data, comments or the conversation become markdown structure', () => {
    const evil =
      "Title\n===\n    code\n> quote\n- item\n1. one\n| a | b |\n|---|---|\n```\nfenced\n```\n[l](http://e.vil) ![i](http://e.vil/i.png) <at id=all></at> <font color='red'>x</font> http://e.vil www.e.vil a@b.example **b** _i_ `c` #h";
    const ticket = {
      ...full(),
      guest: { id: 'ou_guest', name: evil, department: evil, email: evil },
      agentOwner: { name: evil },
      tags: [{ name: evil }],
      customFields: [{ label: evil, value: evil }],
      comments: [{ content: evil, authorName: evil }],
      dissatisfactionReason: { en_us: evil, zh_cn: evil },
    };
    const messages: Message[] = [
      { id: '1', kind: 'text', text: evil, authorId: 'ou_guest', authorName: evil, createdAt: NOW - 60_000 },
      { id: '2', kind: evil, authorName: evil },
    ];
    const card = ticketCard(ticket, opts({ conversation: { total: 2, messages }, ignored: evil }));
    for (const text of markdownTexts(card)) expect(structureIn(text)).toEqual([]);
    expect(JSON.stringify(card)).not.toContain('<at id=all>');
  });

  it('keeps the reply body under 30 KB whatever the ticket holds, shrinking the card rather than failing', () => {
    // Long JSON-like values: every quote and backslash is escaped twice on the way to the wire.
    const json = JSON.stringify({ a: '"\\"'.repeat(200), b: [1, 2, { c: '</font>' }] });
    const huge = {
      ...fullTicket,
      comments: { content: json.repeat(50) },
      agents: Array.from({ length: 500 }, (_, i) => ({ id: `ou_${i}`, name: `Agent "${i}" ${json.slice(0, 100)}` })),
      tags: Array.from({ length: 200 }, (_, i) => ({ id: String(i), name: `"tag-${i}"\\${json.slice(0, 40)}` })),
      customized_fields: Array.from({ length: 200 }, (_, i) => ({ id: String(i), display_name: `Field "${i}"`, value: json.repeat(3) })),
    };
    const longMessages: Message[] = Array.from({ length: 14 }, (_, i) => ({ id: String(i), kind: 'text', text: json.slice(0, 600), authorName: `"${i}"`.repeat(30) }));
    const card = ticketCard(toTicket(huge)!, opts({ conversation: { total: 9999, messages: longMessages } }));
    const bytes = replyBodyBytes(card);
    expect(bytes).toBeLessThanOrEqual(BODY_LIMIT_BYTES);
    expect(JSON.stringify(card)).toContain('Ticket 6626871355780366331');
    expect(JSON.stringify(card)).toContain('Custom fields');
  });
});

describe('problem cards', () => {
  const problems: Problem[] = [
    { kind: 'ticket-not-found', ticketId: '123456' },
    { kind: 'not-a-ticket-id', input: 'abc' },
    { kind: 'missing-ticket-id', command: '/ticket' },
    { kind: 'unknown-command', word: '/tikcet', suggestion: '/ticket' },
    { kind: 'unauthorized' },
    { kind: 'rate-limited' },
    { kind: 'busy' },
    { kind: 'upstream', what: 'ticket' },
    { kind: 'too-long', length: 153_600, limit: 1000 },
    { kind: 'unknown-menu-item', key: 'my_team' },
    { kind: 'feishu-unreachable' },
    { kind: 'unreadable', what: 'list' },
    { kind: 'failed' },
    { kind: 'not-saved', what: 'watch', reason: 'the state file /data/state.json cannot be written (EACCES: permission denied)' },
  ];
  it.each(problems)('$kind', (problem) => {
    expectGolden(`problem-${problem.kind}`, problemCard(problem));
  });
  const examples = ['open today', 'mine 7d', '未关闭 今天', '我的 近7天'];
  it.each([
    { kind: 'unknown-words' as const, words: [{ word: 'tody', suggestion: 'today' }], fix: { label: 'open today', text: 'open today' } },
    { kind: 'missing-value' as const, word: 'agent', expected: 'a name, @someone, ou_… or me' },
    { kind: 'bad-value' as const, word: 'page', value: '0', expected: 'a page number such as 2' },
    { kind: 'conflict' as const, word: 'unsolved', detail: 'solved and unsolved' },
  ])('filter error $kind, each language with its own words and examples', (error) => {
    const card = problemCard({ kind: 'filter', error, examples });
    expectGolden(`problem-filter-${error.kind}`, card);
    const md = (card.body as { elements: { i18n_content: { zh_cn: string; en_us: string } }[] }).elements[0]!.i18n_content;
    expect(md.zh_cn).toContain('/tickets 未关闭 今天');
    expect(md.zh_cn).not.toContain('/tickets open today');
    expect(md.en_us).toContain('/tickets open today');
    expect(md.zh_cn).not.toMatch(/someone|page number|solved and/);
  });

  const fixes = (card: Json) => buttons(card).map((b) => [b.text, b.value]);
  it('names every word not understood, each with its nearest, and runs the corrected query from a button', () => {
    const error = {
      kind: 'unknown-words' as const,
      words: [{ word: 'opne', suggestion: 'open' }, { word: 'urgnet', suggestion: 'tag Urgent' }, { word: '<b>x</b>' }],
      fix: { label: 'open tag Urgent', text: 'open tag Urgent' },
    };
    const card = problemCard({ kind: 'filter', error, examples }, [{ run: 'fix' }]);
    expectGolden('problem-filter-unknown-words-several', card);
    const text = JSON.stringify(card);
    expect(text).toContain("I don't understand **opne**, **urgnet** and **&#60;b&#62;x&#60;/b&#62;**.");
    expect(text).toContain('**opne** → **open**');
    expect(text).toContain('**urgnet** → **tag Urgent**');
    expect(fixes(card)).toEqual([['/tickets open tag Urgent', { run: 'fix' }]]);
    // No button value: no button (a watch's card, say).
    expect(buttons(problemCard({ kind: 'filter', error, examples }))).toEqual([]);
  });

  it('an unknown tag names the tags in use, the nearest as a button, and how to search for it anyway', () => {
    const card = problemCard({ kind: 'filter', error: { kind: 'unknown-tag', tag: 'vlp', inUse: ['VIP', '报销', 'Urgent'], fix: { label: 'VIP', text: 'tag VIP' } }, examples }, [{ tag: 'VIP' }]);
    expectGolden('problem-filter-unknown-tag', card);
    const text = JSON.stringify(card);
    expect(text).toContain('The helpdesk has no tag called **vlp**. Tags in use: **VIP**, **报销**, **Urgent**.');
    expect(text).toContain('To search for it anyway, quote it: **tag \\"vlp\\"**');
    expect(fixes(card)).toEqual([['VIP', { tag: 'VIP' }]]);
  });

  it('a name several people have: a button for each', () => {
    const error = {
      kind: 'which-person' as const,
      word: 'agent',
      value: '王',
      choices: [
        { label: '王磊', text: 'agent 王磊' },
        { label: '王芳', text: 'agent 王芳' },
      ],
    };
    const card = problemCard({ kind: 'filter', error, examples }, [{ p: 1 }, { p: 2 }]);
    expectGolden('problem-filter-which-person', card);
    expect(JSON.stringify(card)).toContain('**王** could be several people: **王磊** and **王芳**.');
    expect(fixes(card)).toEqual([
      ['王磊', { p: 1 }],
      ['王芳', { p: 2 }],
    ]);
  });

  it('a name nobody has: where names come from, the nearest, and mentioning instead', () => {
    const card = problemCard({ kind: 'filter', error: { kind: 'unknown-person', word: 'agent', value: '王蕾', choices: [{ label: '王磊', text: 'agent 王磊' }] }, examples }, [{ p: 1 }]);
    expectGolden('problem-filter-unknown-person', card);
    const text = JSON.stringify(card);
    expect(text).toContain('No one called **王蕾** is known');
    expect(text).toContain('Did you mean **王磊**?');
    expect(fixes(card)).toEqual([['王磊', { p: 1 }]]);
    const two = problemCard(
      {
        kind: 'filter',
        error: {
          kind: 'unknown-person',
          word: 'agent',
          value: '王蕾',
          choices: [
            { label: '王磊', text: 'agent 王磊' },
            { label: '王芳', text: 'agent 王芳' },
          ],
        },
        examples,
      },
      [{ p: 1 }, { p: 2 }],
    );
    expect(JSON.stringify(two)).toContain('Did you mean **王磊** or **王芳**?');
    expect(fixes(two).map(([t]) => t)).toEqual(['王磊', '王芳']);
  });

  it('names a bad date once, and gives a readable limit', () => {
    const date = JSON.stringify(problemCard({ kind: 'filter', error: { kind: 'bad-value', word: '2026-02-30', value: '2026-02-30', expected: 'a real date such as 2026-11-20' }, examples }));
    expect(date).toContain('**2026-02-30** is not valid');
    expect(date).not.toContain('2026-02-30** **2026-02-30');
    const long = JSON.stringify(problemCard({ kind: 'filter', error: { kind: 'too-long', unit: 'words', limit: 60, word: 'query' }, examples }));
    expect(long).toContain('Filters are at most 60 words long.');
    expect(long).toContain('筛选条件最多 60 个词。');
  });

  it('names the missing ticket id, and the words that were not used', () => {
    const text = JSON.stringify(problemCard({ kind: 'ticket-not-found', ticketId: '1', ignored: 'OR 1=1' }));
    expect(text).toContain('The helpdesk has no ticket **1**.');
    expect(text).toContain('the rest, “OR 1=1”, was not used');
  });
});

describe('help card', () => {
  it('lists the commands with examples', () => {
    const card = helpCard({ listExamples: ['open today', '未关闭 今天'], dates: { day: '2026-11-20', from: '2026-11-14', to: '2026-11-21' } });
    expectGolden('help', card);
    const text = JSON.stringify(card);
    for (const word of ['/ticket', '/t', '/工单', '/tickets open today', '/ts', '/工单列表', '/help', '/帮助', '2026-11-14..2026-11-21']) expect(text).toContain(word);
  });
});

describe('welcome card', () => {
  const texts = (card: unknown) => {
    const md = (card as { body: { elements: { i18n_content?: { zh_cn: string; en_us: string } }[] } }).body.elements.flatMap((e) => (e.i18n_content ? [e.i18n_content] : []));
    return { zh: md.map((m) => m.zh_cn).join('\n'), en: md.map((m) => m.en_us).join('\n') };
  };

  it('says what the bot does, the three commands, and what groups do not see', () => {
    const card = welcomeCard({ masking: 'groups', maskedFields: ['email'] });
    expectGolden('welcome', card);
    const { zh, en } = texts(card);
    for (const command of ['/ticket 6626871355780366331', '`6626871355780366331`', '/tickets open today', '/help']) expect(en).toContain(command);
    expect(zh).toContain('/tickets 未关闭 今天');
    expect(en).toContain("the guest's email is hidden");
    expect(zh).toContain('不显示用户的邮箱');
  });

  it('follows the privacy settings', () => {
    expect(texts(welcomeCard({ masking: 'everywhere', maskedFields: ['email', 'department'] })).en).toContain("never show the guest's email, department");
    expect(texts(welcomeCard({ masking: 'groups', maskedFields: ['email', 'city'] })).zh).toContain('邮箱、城市');
    expect(texts(welcomeCard({ masking: 'off', maskedFields: ['email'] })).en).toContain('everyone in the group sees the ticket cards');
    expect(texts(welcomeCard({ masking: 'groups', maskedFields: [] })).en).toContain('guest contact details included');
  });
});

describe('formatting', () => {
  it.each([
    [500, '500 ms', '500毫秒'],
    [45_000, '45 s', '45秒'],
    [60_000, '1 min', '1分钟'],
    [3_600_000, '1 h', '1小时'],
    [3_660_000, '1 h 1 min', '1小时1分钟'],
    [93_784_000, '1 d 2 h', '1天2小时'],
    [2_557_497_000, '29 d 14 h', '29天14小时'],
  ])('duration %i ms', (ms, en, zh) => {
    expect(formatDuration(ms)).toEqual({ en_us: en, zh_cn: zh });
  });

  it('rough durations take the largest unit, never seconds', () => {
    expect(roughDuration(30_000)).toEqual({ en_us: '1 min', zh_cn: '1分钟' });
    expect(roughDuration(7_300_000)).toEqual({ en_us: '2 h', zh_cn: '2小时' });
    expect(roughDuration(3 * 86_400_000)).toEqual({ en_us: '3 d', zh_cn: '3天' });
  });
});
