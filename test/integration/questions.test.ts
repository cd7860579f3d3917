// Rows you can triage from (issue 18): the list card is sent before the questions are fetched, then
// updated in place so every row carries its ticket's first customer message, fetched once per
// ticket across repeated lists; paging stays put while tickets arrive; a chat that hides the
// conversation gets no questions, and none are fetched for it. Asserts on the stand-in's calls.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RawTicket, RawTicketMessage } from '@helpdesk-bot/feishu-standin';
import { answerCard, buttons, PLAIN_UPSTREAM, startHarness, type Harness, type Reply } from '../support/harness.js';
import { until } from '../support/wait.js';

const NOW = Date.now();
const tickets: RawTicket[] = Array.from({ length: 14 }, (_, i) => ({
  ticket_id: String(7800000000000000000n + BigInt(i)),
  guest: { id: `ou_guest_${i}`, name: `Guest ${i}` },
  status: 2,
  created_at: NOW - (i + 1) * 60_000,
  updated_at: NOW - (i + 1) * 60_000,
}));
/** Each conversation: the helpdesk's bot greets first, then the guest asks (no question for the last ticket). */
const conversations: Record<string, RawTicketMessage[]> = Object.fromEntries(
  tickets.slice(0, 13).map((t, i) => [
    t.ticket_id,
    [
      { id: `${i}a`, message_type: 'text', created_at: NOW - 50_000, content: JSON.stringify({ content: 'Hello, how can I help?', msg_type: 'text' }), user_id: 'ou_helpdesk_bot' },
      { id: `${i}b`, message_type: 'text', created_at: NOW - 40_000, content: JSON.stringify({ content: `Question ${i}: <b>printer</b> jams`, msg_type: 'text' }), user_id: `ou_guest_${i}` },
    ],
  ]),
);
const question = (i: number) => `💬 Question ${i}&#58; &#60;b&#62;printer&#60;/b&#62; jams`;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ tickets, prepare: (standin) => standin.setConversations(conversations) });
});
afterAll(() => h.close());
beforeEach(() => h.standin.clearCalls());

async function ask(text: string, options: Parameters<Harness['say']>[1] = {}): Promise<Reply> {
  const { messageId } = await h.say(text, options);
  return (await h.replies(messageId))[0]!;
}
const messagesCalls = () => h.standin.callsTo('ticket_messages');
const patches = (messageId: string) => h.standin.callsTo('patch').filter((c) => c.path.endsWith(`/${messageId}`));
const shown = (messageId: string) => h.standin.messages.get(messageId)!.content;
const ids = (card: unknown) => [...new Set([...JSON.stringify(card).matchAll(/<font color='grey'>#(\d+)<\/font>/g)].map((m) => m[1]))];

describe("each row's question", () => {
  it('the card goes out first, then is updated in place with every question, one messages call per ticket', async () => {
    const reply = await ask('/tickets page 1');
    expect(reply.content).not.toContain('💬');
    await until('the questions', () => patches(reply.messageId).length > 0, 10_000);
    // Sent before any question was asked for; updated once they all had come.
    const order = h.standin.calls.map((c) => c.route);
    expect(order.indexOf('reply')).toBeLessThan(order.indexOf('ticket_messages'));
    expect(order.lastIndexOf('ticket_messages')).toBeLessThan(order.indexOf('patch'));
    const now = shown(reply.messageId);
    for (let i = 0; i < 10; i++) expect(now).toContain(question(i));
    // One call for each of the ten rows, the first page of each conversation.
    expect(
      messagesCalls()
        .map((c) => c.path.split('/')[5])
        .sort(),
    ).toEqual(tickets.slice(0, 10).map((t) => t.ticket_id));
    expect(messagesCalls().every((c) => c.query.page === '1')).toBe(true);
    expect(patches(reply.messageId)).toHaveLength(1);
    // The rows are the same as sent: only the questions came.
    expect(ids(JSON.parse(now))).toEqual(ids(reply.card));
  });

  it('a repeated list has them at once: no messages call, no update', async () => {
    const reply = await ask('/tickets page 1');
    for (let i = 0; i < 10; i++) expect(reply.content).toContain(question(i));
    await new Promise((r) => setTimeout(r, 500));
    expect(messagesCalls()).toEqual([]);
    expect(patches(reply.messageId)).toEqual([]);
  });

  it('the next page asks only for its own, and a ticket without a question shows none', async () => {
    const reply = await ask('/tickets page 1');
    const next = await h.click(reply, buttons(reply.card).find((b) => b.text === 'Next')!.value);
    h.standin.replaceCard(reply.messageId, (next.body as { card: { data: unknown } }).card.data);
    await until('the questions of page 2', () => patches(reply.messageId).length > 0, 10_000);
    expect(
      messagesCalls()
        .map((c) => c.path.split('/')[5])
        .sort(),
    ).toEqual(tickets.slice(10, 14).map((t) => t.ticket_id));
    const page2 = shown(reply.messageId);
    for (let i = 10; i < 13; i++) expect(page2).toContain(question(i));
    expect(page2.match(/💬/g)).toHaveLength(3 * 3); // three rows, each in its markdown and both languages
  });

  it('a chat that hides the conversation gets no questions, and none are fetched for it', async () => {
    const masked = await startHarness({ tickets, yaml: `${PLAIN_UPSTREAM}\nprivacy: { masked_fields: [email, conversation] }`, prepare: (standin) => standin.setConversations(conversations) });
    try {
      const { messageId } = await masked.say('/tickets page 1', { chatType: 'group' });
      const [reply] = await masked.replies(messageId);
      expect(reply!.content).not.toContain('💬');
      await new Promise((r) => setTimeout(r, 1000));
      expect(masked.standin.callsTo('ticket_messages')).toEqual([]);
      expect(masked.standin.callsTo('patch')).toEqual([]);
    } finally {
      await masked.close();
    }
  });
});

describe('a row opened while its list is being filled in', () => {
  // A bot of its own, so no question is at hand yet.
  let fresh: Harness;
  beforeEach(async () => {
    fresh = await startHarness({ tickets, prepare: (standin) => standin.setConversations(conversations) });
  });
  afterEach(() => fresh.close());
  const patchesOf = (messageId: string) => fresh.standin.callsTo('patch').filter((c) => c.path.endsWith(`/${messageId}`));
  const content = (messageId: string) => fresh.standin.messages.get(messageId)!.content;
  /** Opens the list's first row, and shows the callback's answer as the platform does. */
  async function openFirst(reply: Reply): Promise<void> {
    const answer = await fresh.click(reply, buttons(reply.card).find((b) => b.text === 'Open')!.value);
    expect(fresh.standin.replaceCard(reply.messageId, answerCard(answer.body)).ok).toBe(true);
  }

  it('stays open: a list patch that reached the platform after the click is followed by the ticket again', async () => {
    // The list's patch is held up at the platform long enough for a person to click Open.
    fresh.standin.inject('patch', { delayMs: 1500, times: 1 });
    const { messageId } = await fresh.say('/tickets page 1');
    const [reply] = await fresh.replies(messageId);
    await until('the questions patch on its way', () => patchesOf(reply!.messageId).length > 0, 10_000);
    await openFirst(reply!);
    await until('the ticket drawn again after the late list', () => patchesOf(reply!.messageId).length >= 2, 10_000);
    await until('the ticket shown', () => content(reply!.messageId).includes('Back to list'), 5000);
    expect(content(reply!.messageId)).not.toContain(question(1));
    expect(fresh.log.lines.some((l) => l.includes('"event":"questions.redrawn"') && l.includes('"shows":"ticket"'))).toBe(true);
  });

  it('stays open when the click comes while the questions are fetched: the list is not patched at all', async () => {
    fresh.standin.inject('ticket_messages', { delayMs: 800, times: 10 });
    const { messageId } = await fresh.say('/tickets page 1');
    const [reply] = await fresh.replies(messageId);
    await openFirst(reply!);
    await until('the questions fetched', () => fresh.standin.callsTo('ticket_messages').length >= 10, 10_000);
    await new Promise((r) => setTimeout(r, 1500));
    expect(patchesOf(reply!.messageId)).toEqual([]);
    expect(content(reply!.messageId)).toContain('Back to list');
  });
});

describe('paging while tickets arrive', () => {
  it('page 2 after Next shows no row of page 1; Refresh is now', async () => {
    const reply = await ask('/tickets page 1');
    const first = ids(reply.card);
    // Three new tickets arrive before Next is clicked.
    for (let i = 0; i < 3; i++) {
      await h.standin.createTicket({ ticket_id: String(7800000000000000100n + BigInt(i)), guest: { id: 'ou_new', name: 'New guest' }, status: 1 });
    }
    const next = await h.click(reply, buttons(reply.card).find((b) => b.text === 'Next')!.value);
    const page2 = (next.body as { card: { data: unknown } }).card.data;
    expect(ids(page2)).toEqual(tickets.slice(10, 14).map((t) => t.ticket_id));
    expect(ids(page2).filter((id) => first.includes(id))).toEqual([]);
    // Back on page 1 it is as it was; Refresh shows the new ones.
    const back = await h.click(reply, buttons(page2).find((b) => b.text === 'Previous')!.value);
    const again = (back.body as { card: { data: unknown } }).card.data;
    expect(ids(again)).toEqual(first);
    const refreshed = await h.click(reply, buttons(again).find((b) => b.text === 'Refresh')!.value);
    expect(ids((refreshed.body as { card: { data: unknown } }).card.data).slice(0, 3)).toEqual(['7800000000000000102', '7800000000000000101', '7800000000000000100']);
  });
});
