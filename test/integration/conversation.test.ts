// The detail card through real HTTP: the ticket and its conversation come from the stand-in's
// get and messages APIs (through the SDK), and the card still comes when the messages call fails.
// Plus the list's must-shows: Refresh means now, and "1 ticket".
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fullConversation, fullTicket } from '../fixtures/tickets.js';
import { makeTickets } from '../fixtures/many.js';
import { buttons, startHarness, type Harness, type Reply } from '../support/harness.js';
import { until } from '../support/wait.js';

const NOW = Date.now();
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ tickets: [fullTicket, ...makeTickets(NOW, 30)] });
  // A long conversation: more than one page of 200, so the latest message is on a later page.
  const filler = Array.from({ length: 230 }, (_, i) => ({
    id: `69487282063922${String(i).padStart(5, '0')}`,
    message_type: 'text',
    created_at: 1616920600000 + i * 1000,
    content: JSON.stringify({ content: `message ${i}`, msg_type: 'text' }),
    user_name: 'Li Lei',
    user_id: 'ou_agent_lilei',
  }));
  h.standin.setConversations({ [fullTicket.ticket_id]: [...fullConversation.slice(0, 4), ...filler, fullConversation[4]!] });
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
const cardOf = (body: unknown) => (body as { card: { data: Record<string, unknown> } }).card.data;

describe('/ticket <id>', () => {
  it('carries the customer’s first message and the latest message, as the messages API serves them', async () => {
    const reply = await ask(`/ticket ${fullTicket.ticket_id}`);
    const calls = h.standin.callsTo('ticket_messages');
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(calls[0]!.path).toBe(`/open-apis/helpdesk/v1/tickets/${fullTicket.ticket_id}/messages`);
    expect(calls[0]!.query).toMatchObject({ page: '1', page_size: '200' });
    expect(calls[0]!.headers['x-lark-helpdesk-authorization']).toBeDefined();
    expect(calls.at(-1)!.query).toMatchObject({ page: '2', page_size: '200' });
    expect(reply.content).toContain('💬 报销单提交不了，提示附件格式不支持。');
    expect(reply.content).toContain('可以了，谢谢！');
    expect(reply.content).toContain('The latest 4 of 235 messages');
  });

  it('still comes when the conversation call fails, saying so, and the log line tells', async () => {
    h.standin.inject('ticket_messages', { status: 400, code: 154000 });
    const { messageId } = await h.say(`/ticket ${fullTicket.ticket_id}`);
    const [reply] = await h.replies(messageId);
    expect(reply!.content).toContain('The conversation could not be loaded');
    expect(reply!.content).toContain('Li Lei');
    // The line is written once the reply is sent, a moment after the stand-in has it.
    const line = await until('the command line', () => h.log.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.event === 'command' && l.message_id === messageId));
    expect(line).toMatchObject({ outcome: 'ok', degraded: 'conversation', reply: 'sent' });
  });

  it('says what it used when more words follow the id', async () => {
    const reply = await ask(`/ticket ${fullTicket.ticket_id} OR 1=1`);
    expect(reply.content).toContain(`Looked up ticket ${fullTicket.ticket_id} only; the rest, “OR 1=1”, was not used.`);
    expect(h.standin.callsTo('ticket_get')[0]!.path).toBe(`/open-apis/helpdesk/v1/tickets/${fullTicket.ticket_id}`);
  });

  it('does not fetch the conversation where it is masked, and says it is hidden', async () => {
    const masked = await startHarness({ tickets: [fullTicket], yaml: 'privacy: { masked_fields: [email, conversation] }\ncache: { ticket_ttl_ms: 1, list_ttl_ms: 1 }' });
    try {
      const { messageId } = await masked.say(`/ticket ${fullTicket.ticket_id}`, { chatType: 'group' });
      const [reply] = await masked.replies(messageId);
      expect(reply!.content).toContain('Conversation: hidden in group chats');
      expect(masked.standin.callsTo('ticket_messages')).toEqual([]);
    } finally {
      await masked.close();
    }
  });
});

describe('refresh means now', () => {
  it('a Refresh a little later asks for a time window that ends later, and the card shows the new time', async () => {
    const reply = await ask('/tickets today');
    const first = h.standin.callsTo('ticket_list').at(-1)!.query;
    await new Promise((r) => setTimeout(r, 1100));
    const refresh = buttons(reply.card).find((b) => b.text === 'Refresh')!;
    expect(JSON.stringify(refresh.value)).toContain('"w":{"c":"today"}');
    const res = await h.click(reply, refresh.value);
    const second = h.standin.callsTo('ticket_list').at(-1)!.query;
    expect(second.create_time_start).toBe(first.create_time_start);
    expect(Number(second.create_time_end)).toBeGreaterThan(Number(first.create_time_end));
    const asOf = (card: unknown) => /as of (\d\d:\d\d:\d\d)/.exec(JSON.stringify(card))![1];
    expect(asOf(cardOf(res.body))).not.toBe(asOf(reply.card));
  });
});

describe('counting', () => {
  it('a filter matching one ticket says "1 ticket" and shows no paging buttons', async () => {
    const reply = await ask(`/tickets id ${fullTicket.ticket_id}`);
    expect(reply.card).toMatchObject({ header: { subtitle: { content: '1 ticket' } } });
    expect(buttons(reply.card).map((b) => b.text)).toEqual(['Open', 'Refresh', 'Filter']);
  });

  it('a page past the end shows the last page and says so', async () => {
    const reply = await ask('/tickets page 9');
    expect(reply.content).toContain('Page 9 is past the end; this is the last page, 4.');
    expect(h.standin.callsTo('ticket_list').map((c) => c.query.page)).toEqual(['9', '4']);
  });
});
