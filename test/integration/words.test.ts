// The words agents type, end to end (issue 18): each natural query reaches the list API as the
// call (or calls) the helpdesk needs, and the card's title says what was understood; tags and
// names come from the helpdesk (tickets read, agent schedules), words not understood are all named
// and a corrected query runs from its button. Asserts on what the stand-in received.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RawAgentSchedule, RawTicket } from '@helpdesk-bot/feishu-standin';
import { buttons, startHarness, type Harness, type Reply } from '../support/harness.js';

const zone = 'Asia/Shanghai';
const NOW = Date.now();
const HOUR = 3600_000;
const startOfToday = DateTime.fromMillis(NOW, { zone }).startOf('day').toMillis();
const yesterday = startOfToday - 24 * HOUR + 10 * HOUR; // 10:00 yesterday
const WANG_LEI = { id: 'ou_wanglei', name: '王磊' };
const WANG_FANG = { id: 'ou_wangfang', name: '王芳' };
const EMILY = { id: 'ou_emily', name: 'Emily Zhang' };
const tag = (name: string, i: number) => ({ id: String(7474857595946745000 + i), name });
const TAGS = { vip: tag('VIP', 1), urgent: tag('Urgent', 2), expense: tag('报销', 3) };

let n = 0;
const ticket = (fields: Partial<RawTicket>): RawTicket => ({
  ticket_id: String(7700000000000000000n + BigInt(++n)),
  guest: { id: `ou_guest_${n}`, name: `Guest ${n}` },
  ticket_type: 2,
  status: 2,
  created_at: NOW - n * HOUR,
  updated_at: NOW - n * HOUR,
  ...fields,
});

// Emily is on tickets; 王磊 and 王芳 are agents the bot learns of from their schedules only.
const TICKETS: RawTicket[] = [
  ticket({ tags: [TAGS.vip], agents: [EMILY], agent_owner: EMILY }),
  ticket({ tags: [TAGS.vip, TAGS.urgent], status: 5 }),
  ticket({ tags: [TAGS.expense], status: 1 }),
  ticket({ guest: { id: 'ou_james', name: 'James Wilson' }, status: 3 }),
  ticket({ status: 51, score: 1, closed_at: yesterday, updated_at: yesterday, created_at: yesterday - 5 * HOUR }),
  ticket({ status: 50, score: 3, closed_at: yesterday + HOUR, updated_at: NOW - HOUR, created_at: yesterday - 30 * HOUR }),
  // Closed two days ago, updated today: the update window catches it, its closing time does not.
  ticket({ status: 52, score: 2, closed_at: yesterday - 24 * HOUR, updated_at: NOW - 2 * HOUR, created_at: yesterday - 40 * HOUR }),
  ticket({ status: 4, agents: [WANG_LEI], agent_owner: WANG_LEI, created_at: NOW - 30 * HOUR }),
];
const SCHEDULES: RawAgentSchedule[] = [WANG_LEI, WANG_FANG, EMILY].map((agent, i) => ({ status: i + 1, agent }));

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ tickets: TICKETS, prepare: (standin) => standin.setAgentSchedules(SCHEDULES) });
});
afterAll(() => h.close());
beforeEach(() => h.standin.clearCalls());

async function ask(text: string): Promise<Reply> {
  const { messageId } = await h.say(text);
  return (await h.replies(messageId))[0]!;
}
/** The list calls a command made, without the directory's read of the newest tickets. */
const listCalls = () => h.standin.callsTo('ticket_list').filter((c) => Object.keys(c.query).some((k) => k !== 'page' && k !== 'page_size'));
const title = (r: Reply | Record<string, unknown>) => (('card' in r ? r.card : r) as { header: { title: { content: string } } }).header.title.content;
const ids = (card: unknown) => [...new Set([...JSON.stringify(card).matchAll(/<font color='grey'>#(\d+)<\/font>/g)].map((m) => m[1]))];
const cardOf = (body: unknown) => (body as { card: { data: Record<string, unknown> } }).card.data;

describe('the tags and agents the helpdesk has', () => {
  it('are read when first needed (the schedules and the newest tickets), then kept', async () => {
    await ask('/tickets open');
    expect(h.standin.callsTo('agent_schedules')).toEqual([]);
    await ask('/tickets tag vip');
    expect(h.standin.callsTo('agent_schedules').map((c) => c.query.status)).toEqual([['1', '2', '3']]);
    expect(
      h.standin
        .callsTo('ticket_list')
        .filter((c) => !listCalls().includes(c))
        .map((c) => c.query),
    ).toEqual([{ page: '1', page_size: '200' }]);
    await ask('/tickets agent 王磊');
    expect(h.standin.callsTo('agent_schedules')).toHaveLength(1);
  });
});

describe('tags as the helpdesk spells them', () => {
  it.each(['tag vip', 'tag Vip', '标签 vip', 'tag ＶＩＰ', 'vip'])('%s asks for the tag VIP', async (words) => {
    const reply = await ask(`/tickets ${words}`);
    expect(listCalls().map((c) => c.query.tags)).toEqual(['VIP']);
    expect(title(reply)).toBe('Tag VIP');
    expect(ids(reply.card)).toEqual([TICKETS[0]!.ticket_id, TICKETS[1]!.ticket_id]);
  });

  it('a bare tag with other words, Chinese too', async () => {
    expect(title(await ask('/tickets vip open'))).toBe('Open · tag VIP');
    expect(listCalls().at(-1)!.query).toMatchObject({ tags: 'VIP', status_list: ['1', '2', '3', '4', '5'] });
    expect(title(await ask('/tickets 报销'))).toBe('Tag 报销');
    expect(listCalls().at(-1)!.query.tags).toBe('报销');
  });

  it('an unknown tag names the tags in use, with the nearest as a button that runs the query', async () => {
    const reply = await ask('/tickets tag urgnet open');
    expect(reply.content).toContain('The helpdesk has no tag called **urgnet**. Tags in use: ');
    for (const name of ['VIP', 'Urgent', '报销']) expect(reply.content).toContain(`**${name}**`);
    expect(listCalls()).toEqual([]);
    const fix = buttons(reply.card).find((b) => b.text === 'Urgent')!;
    const answer = await h.click(reply, fix.value);
    expect(title(cardOf(answer.body))).toBe('Open · tag Urgent');
    expect(listCalls().at(-1)!.query).toMatchObject({ tags: 'Urgent' });
  });
});

describe('unassigned', () => {
  it.each(['unassigned', '未分配', 'no owner'])('%s: the open tickets no agent has, as the board’s Unassigned', async (words) => {
    const reply = await ask(`/tickets ${words}`);
    expect(title(reply)).toBe('Open · unassigned');
    // The API has no such filter: the open tickets are read and those with an agent left out.
    expect(listCalls().map((c) => [c.query.status_list, c.query.page_size])).toEqual([[['1', '2', '3', '4', '5'], '200']]);
    const unassigned = TICKETS.filter((t) => (t.status ?? 0) < 50 && !t.agents?.length).map((t) => t.ticket_id);
    expect(ids(reply.card)).toEqual(unassigned);
  });
});

describe('people by name', () => {
  it('an agent known from the schedules only, by name', async () => {
    const reply = await ask('/tickets agent 王磊');
    expect(listCalls().map((c) => c.query.agent_id)).toEqual(['ou_wanglei']);
    expect(title(reply)).toBe('Agent 王磊');
    expect(ids(reply.card)).toEqual([TICKETS[7]!.ticket_id]);
  });

  it.each(['owner emily', 'by Emily Zhang', 'owner "Emily Zhang"'])('%s', async (words) => {
    expect(title(await ask(`/tickets ${words}`))).toBe('Agent Emily Zhang');
    expect(listCalls().map((c) => c.query.agent_id)).toEqual(['ou_emily']);
  });

  it('a name several people have asks which, with a button each that lists theirs', async () => {
    const reply = await ask('/tickets agent 王 open');
    expect(reply.content).toContain('could be several people');
    expect(listCalls()).toEqual([]);
    const choice = buttons(reply.card).find((b) => b.text === '王磊')!;
    expect(buttons(reply.card).map((b) => b.text)).toEqual(['王磊', '王芳']);
    const answer = await h.click(reply, choice.value);
    expect(title(cardOf(answer.body))).toBe('Open · agent 王磊');
    expect(listCalls().at(-1)!.query).toMatchObject({ agent_id: 'ou_wanglei' });
  });

  it('a name nobody has says so, offering the nearest', async () => {
    const reply = await ask('/tickets agent 王蕾');
    expect(reply.content).toContain('No one called **王蕾** is known');
    expect(buttons(reply.card).map((b) => b.text)).toEqual(['王磊', '王芳']);
    expect(listCalls()).toEqual([]);
    expect(buttons((await ask('/tickets owner emliy')).card).map((b) => b.text)).toEqual(['Emily Zhang']);
  });
});

describe('guest names, status phrases, score ranges', () => {
  it.each(['guest james wilson', 'guest "James Wilson"', 'guest James Wilson open'])('%s', async (words) => {
    const reply = await ask(`/tickets ${words}`);
    expect(listCalls().at(-1)!.query.guest_name).toMatch(/^james wilson$/i);
    expect(title(reply)).toMatch(/Guest “James Wilson”|guest “james wilson”/i);
    expect(ids(reply.card)).toEqual([TICKETS[3]!.ticket_id]);
  });

  it.each([
    ['waiting for customer', '5', 'Waiting for customer'],
    ['waiting on customer', '5', 'Waiting for customer'],
    ['待用户响应', '5', 'Waiting for customer'],
    ['pending', '4', 'Pending'],
    ['in progress', '2', 'In progress'],
    ['处理中', '2', 'In progress'],
  ])('%s', async (words, status, named) => {
    expect(title(await ask(`/tickets ${words}`))).toBe(named);
    expect(listCalls().at(-1)!.query.status_list).toBe(status);
  });

  it.each(['score 1-3', '评分 1-3'])('%s asks once per score and adds them up', async (words) => {
    const reply = await ask(`/tickets ${words}`);
    expect(
      listCalls()
        .map((c) => c.query.score)
        .sort(),
    ).toEqual(['1', '2', '3']);
    expect(title(reply)).toBe('Score 1–3');
    expect(reply.content).toContain('3 tickets');
  });
});

describe('which time a time word filters', () => {
  it('a bare time is creation time, and the title says so', async () => {
    expect(title(await ask('/tickets today'))).toBe('Created today');
    expect(listCalls().at(-1)!.query.create_time_start).toBe(String(startOfToday));
    expect(title(await ask('/tickets updated today'))).toBe('Updated today');
    expect(listCalls().at(-1)!.query.update_time_start).toBe(String(startOfToday));
  });

  it.each(['closed yesterday', '已关闭 昨天', 'yesterday closed'])('%s: closed tickets updated since yesterday, kept if closed yesterday', async (words) => {
    const before = Date.now();
    const reply = await ask(`/tickets ${words}`);
    expect(title(reply)).toBe('Closed yesterday');
    const [call] = listCalls();
    expect(call!.query).toMatchObject({ status_list: ['50', '51', '52'], update_time_start: String(startOfToday - 24 * HOUR) });
    expect(Number(call!.query.update_time_end)).toBeGreaterThanOrEqual(before);
    expect(ids(reply.card).sort()).toEqual([TICKETS[4]!.ticket_id, TICKETS[5]!.ticket_id].sort());
  });
});

describe('words not understood', () => {
  it('names every one, each with its nearest, and runs the corrected query from a button', async () => {
    const reply = await ask('/tickets opne urgnet tody');
    for (const word of ['**opne** → **open**', '**urgnet** → **tag Urgent**', '**tody** → **today**']) expect(reply.content).toContain(word);
    expect(listCalls()).toEqual([]);
    const run = buttons(reply.card).find((b) => b.text === '/tickets open tag Urgent today')!;
    const answer = await h.click(reply, run.value);
    expect(title(cardOf(answer.body))).toBe('Open · created today · tag Urgent');
  });

  it('names them all even when one has no nearest word, and offers no query then', async () => {
    const reply = await ask('/tickets opne xylophone tody');
    expect(reply.content).toContain("I don't understand **opne**, **xylophone** and **tody**.");
    expect(buttons(reply.card)).toEqual([]);
  });
});
