import { describe, expect, it } from 'vitest';
import { esc } from '../cards/kit.js';
import { formatDuration } from '../cards/format.js';
import { helpCard } from '../cards/help.js';
import { problemCard, type Problem } from '../cards/problem.js';
import { ticketCard } from '../cards/ticket.js';
import { welcomeCard } from '../cards/welcome.js';
import { toTicket } from '../src/helpdesk/map.js';
import { expectGolden } from './golden.js';
import { fullTicket, sparseTicket } from './fixtures/tickets.js';

const tz = 'Asia/Shanghai';

describe('ticket card', () => {
  it('renders every field of a full ticket', () => {
    const card = ticketCard(toTicket(fullTicket)!, { timezone: tz });
    expectGolden('ticket-full', card);
    const text = JSON.stringify(card);
    for (const expected of ['6626871355780366331', '王小明', 'xiaoming.wang&#64;example.com'.replace('&#64;', '@'), '财务部', '杭州', 'Li Lei', '韩梅梅', 'Zhang Wei', '报销', 'VIP', 'Expense system', 'P2', '答案看不懂']) {
      expect(text).toContain(expected);
    }
  });

  it('leaves absent fields out instead of showing them blank', () => {
    const card = ticketCard(toTicket(sparseTicket)!, { timezone: tz });
    expectGolden('ticket-sparse', card);
    const text = JSON.stringify(card);
    expect(text).not.toMatch(/undefined|null|NaN/);
    expect(text).not.toContain('Updated');
    expect(text).not.toContain('Agents');
    expect(text).not.toContain('Durations');
  });

  it('hides the listed guest fields but says they are hidden', () => {
    const text = JSON.stringify(ticketCard(toTicket(fullTicket)!, { timezone: tz, hide: ['email'] }));
    expect(text).not.toContain('xiaoming.wang');
    expect(text).toContain('hidden in group chats');
    expect(text).toContain('财务部');
  });

  it('never lets ticket data become card markup', () => {
    const evil = { ...sparseTicket, guest: { name: "<font color='red'>x</font> **b** [l](http://e.vil) <at id=all></at>" } };
    // plain_text components show text literally; markdown ones must carry it escaped.
    const markdownTexts = (node: unknown): string[] =>
      !node || typeof node !== 'object'
        ? []
        : (node as { tag?: string }).tag === 'markdown'
          ? [JSON.stringify(node)]
          : Object.values(node).flatMap(markdownTexts);
    const text = markdownTexts(ticketCard(toTicket(evil)!, { timezone: tz })).join('\n');
    expect(text).toContain('&#60;font');
    expect(text).not.toContain("<font color='red'>x");
    expect(text).not.toContain('<at id=all>');
    expect(text).not.toContain('**b**');
    expect(text).not.toContain('[l](');
  });

  it('stays far below the 30 KB card limit even for a huge ticket', () => {
    const huge = {
      ...fullTicket,
      comments: { content: 'x'.repeat(100_000) },
      agents: Array.from({ length: 500 }, (_, i) => ({ id: `ou_${i}`, name: `Agent number ${i}` })),
      tags: Array.from({ length: 200 }, (_, i) => ({ id: String(i), name: `tag-${i}-${'y'.repeat(50)}` })),
      customized_fields: Array.from({ length: 200 }, (_, i) => ({ id: String(i), display_name: `Field ${i}`, value: 'v'.repeat(1000) })),
    };
    const size = Buffer.byteLength(JSON.stringify({ msg_type: 'interactive', content: JSON.stringify(ticketCard(toTicket(huge)!, { timezone: tz })) }));
    expect(size).toBeLessThan(30 * 1024);
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
    { kind: 'unknown-menu-item', key: 'my_team' },
  ];
  it.each(problems)('$kind', (problem) => {
    expectGolden(`problem-${problem.kind}`, problemCard(problem));
  });
  const examples = ['open today', 'mine unsolved 7d', '未关闭 今天', '我的 未解决 近7天'];
  it.each([
    { kind: 'unknown-word' as const, word: 'tody', suggestion: 'today' },
    { kind: 'missing-value' as const, word: 'agent', expected: '@someone, ou_… or me' },
    { kind: 'bad-value' as const, word: 'page', value: '0', expected: 'a page number from 1 to 10000' },
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

  it('names the missing ticket id', () => {
    expect(JSON.stringify(problemCard({ kind: 'ticket-not-found', ticketId: '987654321' }))).toContain('987654321');
  });
});

describe('help card', () => {
  it('lists the commands with examples', () => {
    const card = helpCard({ listExamples: ['open today', '处理中 本周'] });
    expectGolden('help', card);
    const text = JSON.stringify(card);
    for (const word of ['/ticket', '/t', '/工单', '/tickets open today', '/ts', '/工单列表', '/help', '/帮助']) expect(text).toContain(word);
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
    [60_000, '1 min', '1分'],
    [3_600_000, '1 h', '1小时'],
    [3_660_000, '1 h 1 min', '1小时1分'],
    [93_784_000, '1 d 2 h', '1天2小时'],
    [2_557_497_000, '29 d 14 h', '29天14小时'],
  ])('duration %i ms', (ms, en, zh) => {
    expect(formatDuration(ms)).toEqual({ en_us: en, zh_cn: zh });
  });

  it('escapes markdown and tags in data', () => {
    expect(esc('<at id=all></at> *x* [a](b) `c` #h')).toBe('&#60;at id=all&#62;&#60;/at&#62; &#42;x&#42; &#91;a&#93;&#40;b&#41; &#96;c&#96; &#35;h');
    expect(esc('- item\n1. two', { keepLines: true })).toBe('&#45; item\n1&#46; two');
  });
});
