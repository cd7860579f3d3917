// What the helpdesk answers that the bot cannot use, through the real bot over HTTP: a field no card
// can show is shown as unknown, an answer that is not the documented shape gets the "cannot read"
// card (never silence, never a false "No tickets"); a card the platform refuses is replaced by the
// failure card. (A card that fails to build for any other reason, a bug, is in
// test/unit/bot/failure.test.ts.)
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fullTicket } from '../fixtures/tickets.js';
import { startHarness, type Harness } from '../support/harness.js';
import { until } from '../support/wait.js';

const ID = '7420000000000000000';
const FAR = '7420000000000000001';
let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    tickets: [
      { ...fullTicket, ticket_id: ID },
      { ...fullTicket, ticket_id: FAR, created_at: 1e16, status: 1 },
    ],
  });
});
afterAll(() => h.close());
beforeEach(() => {
  h.standin.clearFaults();
});

const logged = (event: string) => h.log.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === event);
/** The command's log line, written just after its reply reached the stand-in. */
const commandLine = async (messageId: string) => {
  await until(`the command line of ${messageId}`, () => logged('command').some((l) => l.message_id === messageId));
  return logged('command').find((l) => l.message_id === messageId);
};

async function ask(text: string, chatId = 'oc_dm_test') {
  const { status, messageId } = await h.say(text, { chatId });
  expect(status).toBe(200);
  const [reply] = await h.replies(messageId, 1, 15_000);
  return { content: reply!.content, messageId };
}

describe('a ticket with a field no card can show', () => {
  it('created_at 1e16 (past what a date can hold): the ticket card, its created time unknown', async () => {
    const { content, messageId } = await ask(`/ticket ${FAR}`);
    expect(content).toContain(`Ticket ${FAR}`);
    expect(content).toContain("**Created**: <font color='grey'>unknown</font>");
    expect(content).toContain('王小明');
    expect(await commandLine(messageId)).toMatchObject({ command: 'ticket', outcome: 'ok', reply: 'sent' });
  });

  it('in a list too: the row is shown', async () => {
    const { content } = await ask('/tickets open');
    expect(content).toContain(FAR);
  });
});

describe('an answer that is not the documented shape', () => {
  it.each([
    ['[1,2,3]', [1, 2, 3]],
    ['{"code":"0"}', { code: '0' }],
    ['total: 1e300', { code: 0, msg: 'success', data: { total: 1e300, tickets: [] } }],
    ['tickets that are not tickets', { code: 0, msg: 'success', data: { total: 3, tickets: [1, 2, 3] } }],
  ])('/tickets answered %s: the "cannot read" card, not "No tickets", and a warning saying where', async (_, body) => {
    h.standin.inject('ticket_list', { body });
    const before = logged('helpdesk.unreadable').length;
    const { content, messageId } = await ask('/tickets open');
    expect(content).toContain('The helpdesk answered something the bot cannot read.');
    expect(content).toContain('服务台返回了机器人看不懂的内容。');
    expect(content).not.toMatch(/No tickets|没有工单/);
    expect(await commandLine(messageId)).toMatchObject({ command: 'tickets', outcome: 'unreadable', reply: 'sent' });
    expect(logged('helpdesk.unreadable').slice(before)[0]).toMatchObject({ level: 'warn', api: 'ticket_list', problem: expect.any(String) });
  });

  it('/ticket answered without a ticket: the "cannot read" card', async () => {
    h.standin.inject('ticket_get', { body: { code: 0, msg: 'success', data: { ticket: 'gone' } } });
    const { content } = await ask(`/ticket ${ID}`);
    expect(content).toContain('Ticket lookup failed');
    expect(content).toContain('The helpdesk answered something the bot cannot read.');
  });

  it('a conversation that cannot be read: the ticket card all the same, saying so', async () => {
    h.standin.inject('ticket_messages', { body: { code: 0, data: { messages: [{ no: 'id' }] } } });
    const { content, messageId } = await ask(`/ticket ${ID}`);
    expect(content).toContain(`Ticket ${ID}`);
    expect(content).toContain('The conversation could not be loaded');
    expect(await commandLine(messageId)).toMatchObject({ outcome: 'ok', degraded: 'conversation' });
  });

  it('a list answered with no tickets in the shape the API may use for none: "No tickets", rightly', async () => {
    h.standin.inject('ticket_list', { body: { code: 0, msg: 'success', data: {} } });
    const { content } = await ask('/tickets open');
    expect(content).toMatch(/No tickets/);
  });
});

describe('a card the platform refuses', () => {
  it('is a card that failed to build: the failure card goes instead, and an error line names the command, the ticket and the chat', async () => {
    h.standin.inject('reply', { status: 400, code: 230099, times: 1 });
    h.standin.clearCalls();
    const { content, messageId } = await ask(`/ticket ${ID}`, 'oc_refused_chat');
    expect(content).toContain('Something went wrong');
    expect(h.standin.callsTo('reply').map((c) => c.responseCode)).toEqual([230099, 0]);
    expect([...h.standin.messages.values()].filter((m) => m.replyTo === messageId)).toHaveLength(1);
    expect(await commandLine(messageId)).toMatchObject({ command: 'ticket', outcome: 'failed', reply: 'sent' });
    expect(logged('command.card_refused').at(-1)).toMatchObject({ level: 'error', command: 'ticket', ticket_ids: [ID], chat_id: 'oc_refused_chat' });
  });
});
