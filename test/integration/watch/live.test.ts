// Cards that stay current, and the queue board, end to end: ticket changes in the stand-in reach
// the bot as helpdesk events, and the bot patches the cards it posted (PATCH
// /open-apis/im/v1/messages/:id), keeping each as its viewers had it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttons, startHarness, type Harness, type Reply } from '../../support/harness.js';
import { busiestSecond } from '../../support/load.js';
import { sample } from '../../support/metrics.js';
import { until } from '../../support/wait.js';
import { WatchStore } from '../../../src/watch/store.js';
import { AGENT, GROUP, handled, logged, newTicket, postsTo, remembered } from '../../support/watch.js';

let h: Harness;
const open = newTicket({ tags: ['VIP'], guest: { id: 'ou_guest_live', name: 'Emily Chen', email: 'emily@example.com' } });
beforeAll(async () => {
  h = await startHarness({
    tickets: [open, ...Array.from({ length: 12 }, (_, i) => newTicket({ status: [1, 2, 2, 3, 4, 5, 51][i % 7]!, ...(i % 3 === 0 ? { agents: [AGENT], agent_owner: AGENT, ticket_type: 2 } : {}) }))],
  });
  await until('the subscription', () => h.standin.subscriptions.length === 2);
});
afterAll(() => h.close());

const patchesOf = (messageId: string) => h.standin.callsTo('patch').filter((c) => c.path.endsWith(`/${messageId}`));
const shown = (messageId: string) => h.standin.messages.get(messageId)!.content;

describe('a ticket card replied to /ticket', () => {
  it('is patched with the new status after the ticket changes, and says when it changed', async () => {
    const said = await h.say(`/ticket ${open.ticket_id}`);
    const [reply] = await h.replies(said.messageId);
    expect(reply!.content).toContain('"New"');
    await remembered(h, reply!.messageId);
    const { event } = await h.standin.changeTicket(open.ticket_id, { status: 2, agent: AGENT });
    await handled(h, event!.eventId);
    await until('the patch', () => patchesOf(reply!.messageId).length > 0);
    const now = shown(reply!.messageId);
    expect(now).toContain('"In progress"');
    expect(now).toContain('Li Lei');
    expect(now).toMatch(/changed \d\d:\d\d · as of/);
    expect(patchesOf(reply!.messageId).every((c) => c.status === 200)).toBe(true);
  });

  it('stays masked in a group, and keeps the Back button of a card opened from a list', async () => {
    const said = await h.say('/tickets tag VIP', { chatType: 'group' });
    const [list] = await h.replies(said.messageId);
    const openButton = buttons(list!.card).find((b) => b.text === 'Open')!;
    const answer = await h.click(list!, openButton.value);
    const card = (answer.body as { card: { data: Record<string, unknown> } }).card.data;
    h.standin.replaceCard(list!.messageId, card);
    expect(buttons(card).map((b) => b.text)).toContain('Back to list');
    await remembered(h, list!.messageId);

    const before = patchesOf(list!.messageId).length;
    const { event } = await h.standin.changeTicket(open.ticket_id, { status: 51 });
    await handled(h, event!.eventId);
    await until('the patch', () => patchesOf(list!.messageId).length > before);
    const now = JSON.parse(shown(list!.messageId)) as Record<string, unknown>;
    expect(JSON.stringify(now)).toContain('Closed by agent');
    expect(buttons(now).map((b) => b.text)).toEqual(['Back to list', 'Refresh']);
    expect(JSON.stringify(now)).not.toContain('emily@example.com');
    expect(JSON.stringify(now)).toContain('hidden in group chats');
  });

  it('coalesces a burst of changes: fewer patches than changes, never more than 5 a second', async () => {
    const ticket = newTicket();
    await h.standin.createTicket(ticket);
    const said = await h.say(`/ticket ${ticket.ticket_id}`);
    const [reply] = await h.replies(said.messageId);
    await remembered(h, reply!.messageId);
    const events = [];
    for (const status of [2, 3, 2, 4, 2, 5, 2, 3]) events.push((await h.standin.changeTicket(ticket.ticket_id, { status })).event!);
    for (const e of events) await handled(h, e.eventId);
    await until('the last status on the card', () => shown(reply!.messageId).includes('"Queued"'));
    const patches = patchesOf(reply!.messageId);
    expect(patches.length).toBeLessThan(events.length);
    expect(busiestSecond(patches.map((c) => c.at))).toBeLessThanOrEqual(5);
    // The metrics count it too: every event handled, every update sent.
    const text = await h.bot.metrics.registry.metrics();
    expect(sample(text, 'helpdesk_bot_watch_activity_total', { what: 'ticket_events' })).toBeGreaterThanOrEqual(events.length);
    expect(sample(text, 'helpdesk_bot_watch_activity_total', { what: 'card_updates' })).toBeGreaterThanOrEqual(patches.length);
  });

  it('is no longer patched once its 14 days are over', async () => {
    const ticket = newTicket();
    await h.standin.createTicket(ticket);
    const said = await h.say(`/ticket ${ticket.ticket_id}`);
    const [reply] = await h.replies(said.messageId);
    const store = new WatchStore(h.bot.state.records);
    // As if it had been sent 14 days ago, less a moment.
    const card = await remembered(h, reply!.messageId);
    await store.forgetCard(reply!.messageId);
    await store.rememberCard(reply!.messageId, { ...card, sentAt: Date.now() - 14 * 24 * 3600_000 + 300 }, Date.now());
    await until('the 14 days to pass', async () => (await store.getCard(reply!.messageId)) === undefined);
    const { event } = await h.standin.changeTicket(ticket.ticket_id, { status: 2 });
    const line = await handled(h, event!.eventId);
    expect(line.live_cards).toBe(false);
    expect(patchesOf(reply!.messageId)).toHaveLength(0);
  });
});

describe('a watch post', () => {
  it('is itself a live card: the compact post changes with its ticket', async () => {
    const said = await h.say('/watch tag Urgent', { chatType: 'group' });
    await h.replies(said.messageId);
    const ticket = newTicket({ tags: ['Urgent'] });
    const before = postsTo(h, GROUP).length;
    await h.standin.createTicket(ticket);
    await until('the post', () => postsTo(h, GROUP).length > before);
    const post = postsTo(h, GROUP).at(-1)!;
    expect(post.content).toContain('Unassigned');
    await remembered(h, post.messageId);
    await h.standin.changeTicket(ticket.ticket_id, { status: 2, agent: AGENT });
    await until('the patch', () => patchesOf(post.messageId).length > 0 && shown(post.messageId).includes('Li Lei'));
    expect(shown(post.messageId)).toContain('New ticket · watching Tag Urgent');
    expect(shown(post.messageId)).toContain('"In progress"');
  });
});

/** The list API's total for a filter, asked of the stand-in directly (as the platform would answer). */
async function apiTotal(query: string): Promise<number> {
  const token = (await (
    await fetch(`${h.standin.url}/open-apis/auth/v3/tenant_access_token/internal`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ app_id: h.config.feishu.app_id, app_secret: h.config.feishu.app_secret }),
    })
  ).json()) as { tenant_access_token: string };
  const res = await fetch(`${h.standin.url}/open-apis/helpdesk/v1/tickets?page=1&page_size=1&${query}`, {
    headers: { authorization: `Bearer ${token.tenant_access_token}`, 'x-lark-helpdesk-authorization': Buffer.from(`${h.config.helpdesk.id}:${h.config.helpdesk.token}`).toString('base64') },
  });
  return ((await res.json()) as { data: { total: number } }).data.total;
}

describe('/board', () => {
  let board: Reply;
  let counting: ReturnType<Harness['standin']['callsTo']>;
  beforeAll(async () => {
    h.standin.clearCalls();
    const said = await h.say('/board', { chatType: 'group' });
    board = (await h.replies(said.messageId))[0]!;
    counting = h.standin.callsTo('ticket_list');
    await until('the board to be remembered', () => new WatchStore(h.bot.state.records).getBoard(board.messageId));
  });

  it('counts open tickets by status exactly as the list API reports them', async () => {
    const labels: [number, string][] = [
      [1, 'New'],
      [2, 'In progress'],
      [3, 'Queued'],
      [4, 'Pending'],
      [5, 'Waiting for customer'],
    ];
    const texts = buttons(board.card).map((b) => b.text);
    for (const [status, label] of labels) expect(texts).toContain(`${label} · ${await apiTotal(`status_list=${status}`)}`);
    expect(board.content).toContain(`${await apiTotal('status_list=1&status_list=2&status_list=3&status_list=4&status_list=5')} open tickets`);
    expect(texts.some((t) => t.startsWith('Unassigned · '))).toBe(true);
    expect(texts.some((t) => t.startsWith('Li Lei · '))).toBe(true);
    // Every open ticket fits one page of 200: one read counts them all (the API's totals per
    // status are asked for only when there are more); the day's created and closed tickets are
    // read for the chart of the day.
    const reads = counting.map((c) => [c.query.page_size, c.query.status_list ?? (c.query.create_time_start ? 'created today' : undefined)]);
    expect(reads).toEqual(
      expect.arrayContaining([
        ['200', ['1', '2', '3', '4', '5']],
        ['200', ['50', '51', '52']],
        ['200', 'created today'],
      ]),
    );
    expect(reads).toHaveLength(3);
  });

  it('opens the list behind a count as a new message, leaving the board as it is', async () => {
    const processing = buttons(board.card).find((b) => b.text.startsWith('In progress · '))!;
    const before = postsTo(h, GROUP).length;
    const answer = await h.click(board, processing.value);
    expect(JSON.stringify(answer.body)).toContain('Opening it as a new message');
    await until('the list', () => postsTo(h, GROUP).length > before);
    const list = postsTo(h, GROUP).at(-1)!;
    expect(list.content).toContain('In progress');
    expect(list.content).toMatch(/\d+ tickets?/);
    expect(shown(board.messageId)).toBe(board.content);
  });

  it("opens the unassigned tickets (read and filtered, the API has no such filter) and an agent's", async () => {
    const unassigned = buttons(board.card).find((b) => b.text.startsWith('Unassigned · '))!;
    const count = Number(unassigned.text.split(' · ')[1]);
    const before = postsTo(h, GROUP).length;
    await h.click(board, unassigned.value);
    await until('the list', () => postsTo(h, GROUP).length > before);
    const list = postsTo(h, GROUP).at(-1)!;
    expect(list.content).toContain('Open · unassigned');
    expect(list.content).toContain(`${count} tickets`);
    expect(list.content).not.toContain('Li Lei');
    const agent = buttons(board.card).find((b) => b.text.startsWith('Li Lei · '))!;
    await h.click(board, agent.value);
    await until('the agent list', () => postsTo(h, GROUP).at(-1)!.content.includes('Open · agent Li Lei'));
    expect(postsTo(h, GROUP).at(-1)!.content).toContain(`${agent.text.split(' · ')[1]} ticket`);
  });

  it('recounts on Refresh at once, bypassing the caches', async () => {
    const refresh = buttons(board.card).find((b) => b.text === 'Refresh')!;
    const before = h.standin.callsTo('ticket_list').length;
    const answer = await h.click(board, refresh.value);
    expect(JSON.stringify(answer.body)).toContain('Queue board');
    expect(h.standin.callsTo('ticket_list').length).toBeGreaterThanOrEqual(before + 1);
  });

  it('moves by itself when tickets change, updated at most once per window however many change, without a list call', async () => {
    const before = patchesOf(board.messageId).length;
    const newOnes = Array.from({ length: 5 }, () => newTicket({ status: 3 }));
    const events = [];
    for (const t of newOnes) events.push((await h.standin.createTicket(t))!);
    const queued = await apiTotal('status_list=3');
    const lists = h.standin.callsTo('ticket_list').length;
    await until('the board to move', () => patchesOf(board.messageId).length > before && shown(board.messageId).includes(`Queued · ${queued}`), 20_000);
    // One recount per board_refresh_seconds window the events were handled in (5 s by default).
    const handledAt = await Promise.all(events.map((e) => handled(h, e.eventId)));
    const windows = new Set(handledAt.map((l) => Math.floor(Date.parse(String(l.time)) / 5000))).size;
    expect(windows).toBeLessThan(events.length);
    expect(patchesOf(board.messageId).length - before).toBeLessThanOrEqual(windows);
    await until('the update to be logged', () => logged(h, 'boards.refreshed').length > 0);
    // Every open ticket was counted: each event brought the counts up to date, no recount was needed.
    expect(
      h.standin
        .callsTo('ticket_list')
        .slice(lists)
        .map((c) => c.query),
    ).toEqual([]);
    expect(logged(h, 'boards.refreshed').every((l) => l.recounted === false)).toBe(true);
  });

  it('a /board typed meanwhile answers from the kept count, with no call', async () => {
    const open = await apiTotal('status_list=1&status_list=2&status_list=3&status_list=4&status_list=5');
    const calls = h.standin.calls.length;
    const said = await h.say('/board', { chatType: 'group' });
    const [again] = await h.replies(said.messageId);
    expect(again!.content).toContain(`${open} open tickets`);
    // No count and no ticket read. The watch posts of the test before may still be fetching their
    // tickets' questions in the background: only a question the board shows would be this /board's.
    const shownIds = again!.content.match(/\d{19}/g) ?? [];
    expect(shownIds.length).toBeGreaterThan(0);
    const made = h.standin.calls.slice(calls).filter((c) => c.route.startsWith('ticket'));
    expect(made.filter((c) => c.route !== 'ticket_messages' || shownIds.some((id) => c.path.includes(id)))).toEqual([]);
  });
});
