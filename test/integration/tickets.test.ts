// Ticket lists through real HTTP: /tickets, the list card, and paging by card callbacks.
import { DateTime } from 'luxon';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makeTickets } from '../fixtures/many.js';
import { buttons, startHarness, type Harness, type Reply } from '../support/harness.js';

const NOW = Date.now();
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ tickets: makeTickets(NOW, 120) });
});
afterAll(() => h.close());
beforeEach(() => {
  h.standin.clearCalls();
  h.standin.clearFaults();
});

async function ask(text: string, options: Parameters<Harness['say']>[1] = {}): Promise<Reply> {
  const { messageId } = await h.say(text, options);
  return (await h.replies(messageId))[0]!;
}
const lastListQuery = () => h.standin.callsTo('ticket_list').at(-1)!.query;
const button = (card: unknown, text: string) => {
  const found = buttons(card).find((b) => b.text === text);
  if (!found) throw new Error(`no button "${text}" in ${JSON.stringify(buttons(card).map((b) => b.text))}`);
  return found;
};
const cardOf = (body: unknown) => (body as { card: { type: string; data: Record<string, unknown> } }).card.data;
// Each row's id appears once per language; keep the first of each.
const ids = (card: unknown) => [...new Set([...JSON.stringify(card).matchAll(/<font color='grey'>#(\d+)<\/font>/g)].map((m) => m[1]))];

describe('/tickets open today', () => {
  it('asks for statuses 1-5 and today in Asia/Shanghai, and shows the total and the first page', async () => {
    const before = Date.now();
    const reply = await ask('/tickets open today');
    const q = lastListQuery();
    expect(q.status_list).toEqual(['1', '2', '3', '4', '5']);
    const startOfDay = DateTime.fromMillis(before, { zone: 'Asia/Shanghai' }).startOf('day');
    expect(Number(q.create_time_start)).toBe(startOfDay.toMillis());
    const end = Number(q.create_time_end);
    expect(end).toBeGreaterThanOrEqual(before);
    expect(end).toBeLessThanOrEqual(startOfDay.endOf('day').toMillis());
    expect(q.page).toBe('1');
    expect(q.page_size).toBe('10');

    const created = (i: number) => NOW - i * 30 * 60_000 - 1000;
    const expected = makeTickets(NOW, 120).filter((t, i) => (t.status ?? 0) <= 5 && created(i) >= startOfDay.toMillis());
    // Just after midnight in Shanghai only one ticket (or, in the first second, none) is from today.
    if (expected.length > 0) expect(reply.content).toContain(`${expected.length} ticket${expected.length === 1 ? '' : 's'}`);
    expect(ids(reply.card)).toEqual(expected.slice(0, 10).map((t) => t.ticket_id));
  });
});

describe('paging and opening by card callbacks', () => {
  it('next returns the following page; open shows the detail; back returns to the same page', async () => {
    const all = makeTickets(NOW, 120);
    const reply = await ask('/tickets page 1');
    expect(reply.content).toContain('page 1 of 12');
    expect(button(reply.card, 'Previous').disabled).toBe(true);

    const next = await h.click(reply, button(reply.card, 'Next').value);
    expect(next.status).toBe(200);
    const page2 = cardOf(next.body);
    expect(ids(page2)).toEqual(all.slice(10, 20).map((t) => t.ticket_id));
    expect(JSON.stringify(page2)).toContain('page 2 of 12');
    expect(button(page2, 'Previous').disabled).toBe(false);

    const open = await h.click(reply, buttons(page2).filter((b) => b.text === 'Open')[3]!.value);
    const detail = cardOf(open.body);
    expect(JSON.stringify(detail)).toContain(`Ticket ${all[13]!.ticket_id}`);
    expect(h.standin.callsTo('ticket_get').at(-1)!.path).toContain(all[13]!.ticket_id);

    const back = await h.click(reply, button(detail, 'Back to list').value);
    expect(ids(cardOf(back.body))).toEqual(all.slice(10, 20).map((t) => t.ticket_id));
  });

  it('disables next on the last page, and refresh reloads the same page', async () => {
    const reply = await ask('/tickets page 12');
    expect(button(reply.card, 'Next').disabled).toBe(true);
    expect(ids(reply.card)).toHaveLength(10);
    const calls = h.standin.callsTo('ticket_list').length;
    const refreshed = await h.click(reply, button(reply.card, 'Refresh').value);
    expect(ids(cardOf(refreshed.body))).toEqual(ids(reply.card));
    expect(h.standin.callsTo('ticket_list').length).toBe(calls + 1);
  });

  it('refuses forged, tampered and malformed values with an error toast and no API call', async () => {
    const reply = await ask('/tickets page 1');
    h.standin.clearCalls();
    const genuine = button(reply.card, 'Next').value as Record<string, unknown>;
    const forged: unknown[] = [
      { ...genuine, l: { ...(genuine.l as object), p: 5 } },
      { ...genuine, ct: genuine.ct === 'p' ? 'g' : 'p' },
      { ...genuine, s: 'A'.repeat(43) },
      { v: 2 },
      'next',
      null,
      { ...genuine, extra: 1 },
    ];
    for (const value of forged) {
      const res = await h.click(reply, value);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ toast: { type: 'error' } });
    }
    // A genuine value clicked from another chat is refused too.
    const moved = await h.click(reply, genuine, { chatId: 'oc_elsewhere' });
    expect(moved.body).toMatchObject({ toast: { type: 'error' } });
    expect(h.standin.calls.filter((c) => c.route === 'ticket_list' || c.route === 'ticket_get')).toEqual([]);
  });

  it('falls back to a toast and the delayed update API when the helpdesk is slow', async () => {
    const reply = await ask('/tickets page 1');
    h.standin.inject('ticket_list', { delayMs: 3500, times: 1 });
    const res = await h.click(reply, button(reply.card, 'Refresh').value);
    expect(res.body).toMatchObject({ toast: { type: 'info' } });
    const deadline = Date.now() + 10_000;
    while (h.standin.callsTo('card_update').length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const update = h.standin.callsTo('card_update')[0]!;
    expect(update.status).toBe(200);
    expect(JSON.stringify((update.body as { card: unknown }).card)).toContain('page 1 of 12');
  });
});

describe('the 10,000-row limit', () => {
  let big: Harness;
  beforeAll(async () => {
    big = await startHarness({ tickets: makeTickets(NOW, 10_050) });
  });
  afterAll(() => big.close());

  it('says so, disables next at the last reachable page, and never asks past it', async () => {
    const { messageId } = await big.say('/tickets page 1000');
    const [reply] = await big.replies(messageId);
    expect(reply!.content).toContain('at most the first 10,000');
    expect(buttons(reply!.card).find((b) => b.text === 'Next')!.disabled).toBe(true);

    // A page past what the cap allows is answered as the last reachable page, and says so; the
    // API is never asked past it.
    for (const far of ['page 1001', 'page 99999', '第99999页']) {
      big.standin.clearCalls();
      const { messageId: asked } = await big.say(`/tickets ${far}`);
      const [last] = await big.replies(asked);
      expect(last!.content).toContain(`is past the end; this is the last page, 1000.`);
      expect(last!.content).toContain('page 1000 of 1005');
      expect(big.standin.callsTo('ticket_list').map((c) => c.query.page)).toEqual(['1000']);
    }
  });
});

describe('filters reach the API', () => {
  const zone = 'Asia/Shanghai';
  const day = (iso: string) => DateTime.fromISO(iso, { zone });
  const alice = { key: '@_user_2', openId: 'ou_agentalice', name: 'Alice Chen' };
  // [what the user types, the query parameters the list API must receive]
  const table: [string, Record<string, string | string[]>][] = [
    ['open', { status_list: ['1', '2', '3', '4', '5'] }],
    ['closed', { status_list: ['50', '51', '52'] }],
    ['processing', { status_list: ['2'] }],
    ['in progress', { status_list: ['2'] }],
    ['处理中', { status_list: ['2'] }],
    ['queued pending', { status_list: ['3', '4'] }],
    ['waiting', { status_list: ['5'] }],
    ['new', { status_list: ['1'] }],
    ['closed-by-bot', { status_list: ['50'] }],
    ['客服关闭', { status_list: ['51'] }],
    ['closed-by-user', { status_list: ['52'] }],
    ['2026-11-20', { create_time_start: String(day('2026-11-20').toMillis()), create_time_end: String(day('2026-11-20').endOf('day').toMillis()) }],
    ['2026-11-01..2026-11-20', { create_time_start: String(day('2026-11-01').toMillis()), create_time_end: String(day('2026-11-20').endOf('day').toMillis()) }],
    ['updated 2026-11-20', { update_time_start: String(day('2026-11-20').toMillis()), update_time_end: String(day('2026-11-20').endOf('day').toMillis()) }],
    ['agent @_user_2', { agent_id: 'ou_agentalice' }],
    ['agent ou_agentbob', { agent_id: 'ou_agentbob' }],
    ['mine', { agent_id: 'ou_user_asker' }],
    ['closed-by @_user_2', { closed_by_id: 'ou_agentalice' }],
    ['guest "Guest 1"', { guest_name: 'Guest 1' }],
    ['guest @_user_2', { guest_id: 'ou_agentalice' }],
    ['solved', { solved: '2' }],
    ['unsolved', { solved: '1' }],
    ['score 3', { score: '3' }],
    ['unhappy', { score: '1' }],
    ['neutral', { score: '2' }],
    ['满意', { score: '3' }],
    ['bot', { type: '1' }],
    ['human', { type: '2' }],
    ['channel qr', { channel: '2' }],
    ['渠道 9', { channel: '9' }],
    ['tag vip tag 报销', { tags: ['vip', '报销'] }],
    ['id 7100000000000000003', { ticket_id: '7100000000000000003' }],
    ['page 3', { page: '3' }],
  ];
  it.each(table)('%s', async (words, params) => {
    await ask(`/tickets ${words}`, { chatType: 'group', mentions: [alice] });
    const q = lastListQuery();
    for (const [key, value] of Object.entries(params)) {
      const got = q[key];
      expect([key, Array.isArray(value) && !Array.isArray(got) ? [got] : got]).toEqual([key, value]);
    }
  });

  it('works in a group where the bot is not the first mention and another person is an argument', async () => {
    const aliceFirst = { ...alice, key: '@_user_1' };
    const reply = await ask('/tickets agent @_user_1 open @_user_2', { chatType: 'group', botKey: '@_user_2', mentions: [aliceFirst] });
    expect(lastListQuery().agent_id).toBe('ou_agentalice');
    expect(reply.content).toContain('Alice Chen');
  });

  it('says "mine" in the list card, and keeps saying it after a click', async () => {
    const reply = await ask('/tickets mine');
    expect(reply.card).toMatchObject({ header: { title: { content: 'Mine' } } });
    const refreshed = await h.click(reply, button(reply.card, 'Refresh').value);
    expect(cardOf(refreshed.body)).toMatchObject({ header: { title: { content: 'Mine' } } });
  });

  it('names a word it does not understand and suggests the closest', async () => {
    h.standin.clearCalls();
    const reply = await ask('/tickets open tody');
    expect(reply.content).toContain('tody');
    expect(reply.content).toContain('today');
    expect(reply.content).toContain('/tickets open today');
    // Nothing is listed for it; at most the newest tickets are read, for the tags in use (it
    // might have been a tag's name).
    expect(h.standin.callsTo('ticket_list').map((c) => c.query)).toEqual(expect.arrayContaining([]));
    for (const c of h.standin.callsTo('ticket_list')) expect(c.query).toEqual({ page: '1', page_size: '200' });
  });
});

describe('help', () => {
  it.each(['/help', '/帮助', ''])('"%s" answers with the help card', async (text) => {
    const reply = await ask(text, { chatType: 'group' });
    expect(reply.content).toContain('/tickets open today');
    expect(reply.content).toContain('/ticket 6626871355780366331');
  });
});
