// Replying to the customer from a ticket card, against the stand-in over real HTTP: the form, the
// preview, one POST /open-apis/helpdesk/v1/tickets/:id/messages with the text, the tenant token
// and the helpdesk header, whatever is clicked twice; empty and over-long text refused with the
// limit; Suggest answers from the helpdesk's FAQs; and who may: the agents in access.agents only.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ticket } from '../../support/standin.js';
import { formSubmission } from '@helpdesk-bot/feishu-standin/card-forms';
import { ButtonValues } from '../../../src/views/buttons.js';
import { answerCard, buttons, SECRETS, startHarness, type Harness, type Reply } from '../../support/harness.js';

const CHEN = { id: 'ou_agent_chen', name: '陈静' };
const WANG = { id: 'ou_agent_wang', name: '王磊' };
const GUEST = { id: 'ou_guest_wxm', name: '王小明' };
const TICKET = '7100000000000000001';
const conversation = [
  {
    id: 'm1',
    message_id: 'om_m1',
    message_type: 'text',
    created_at: 1_700_000_000_000,
    content: JSON.stringify({ content: 'VPN 连不上，提示证书过期。', msg_type: 'text' }),
    user_name: GUEST.name,
    user_id: GUEST.id,
  },
];

const cardOf = answerCard;
const toastOf = (body: unknown) => (body as { toast?: { content?: string } }).toast?.content;
const button = (card: unknown, text: string) => {
  const found = buttons(card).find((b) => b.text === text && !b.disabled);
  if (!found) throw new Error(`no button "${text}" in ${JSON.stringify(buttons(card).map((b) => b.text))}`);
  return found.value;
};

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    tickets: [ticket(TICKET, { guest: GUEST, status: 2 })],
    yaml: `access: { agents: [${CHEN.id}, ${WANG.id}] }\ncache: { ticket_ttl_ms: 1, list_ttl_ms: 1 }`,
    standin: {
      people: [CHEN, WANG, GUEST],
      agents: [CHEN.id, WANG.id],
      conversations: { [TICKET]: conversation },
      faqs: [
        { faq_id: 'f1', question: 'VPN 连不上，提示证书过期', answer: '在 VPN 客户端里选择“更新证书”，重新登录后再连接。', tags: ['VPN'] },
        { faq_id: 'f2', question: '笔记本充不进电', answer: '换一个充电器试试。' },
      ],
    },
  });
});
afterAll(() => h.close());
beforeEach(() => h.standin.clearCalls());

async function ticketCard(sender = CHEN.id): Promise<Reply> {
  const { messageId } = await h.say(`/ticket ${TICKET}`, { sender });
  return (await h.replies(messageId))[0]!;
}

describe('Reply', () => {
  it('opens a form, previews exactly what goes, and sends it once: one POST with the text, the tenant token and the helpdesk header', async () => {
    const card = await ticketCard();
    const form = await h.click(card, button(card.card, 'Reply'), { operator: CHEN.id });
    const formCard = cardOf(form.body);
    expect(JSON.stringify(formCard)).toContain('Ticket 7100000000000000001');
    const text = '您好，请在 VPN 客户端里更新证书后重试。<b>*不是标记*</b>';
    // What the client sends when the form is filled in and submitted.
    const submitted = formSubmission(formCard, { name: 'reply_submit', value: button(formCard, 'Preview') }, { reply: `  ${text}\n` });
    if (!submitted.ok) throw new Error(submitted.reason);
    const preview = cardOf((await h.click(card, button(formCard, 'Preview'), { operator: CHEN.id, formValue: submitted.formValue })).body);
    // The preview says who the customer sees, and shows the text escaped, as text.
    expect(JSON.stringify(preview)).toContain("from the helpdesk's bot account, not in your name");
    expect(JSON.stringify(preview)).toContain('&#60;b&#62;&#42;不是标记&#42;&#60;/b&#62;');
    expect(h.standin.callsTo('ticket_message_create')).toHaveLength(0);

    const send = button(preview, 'Send');
    const sent = await h.click(card, send, { operator: CHEN.id });
    const calls = h.standin.callsTo('ticket_message_create');
    expect(calls).toHaveLength(1);
    const call = calls[0]!;
    expect(call.path).toBe(`/open-apis/helpdesk/v1/tickets/${TICKET}/messages`);
    expect(call.body).toEqual({ msg_type: 'text', content: JSON.stringify({ text }) });
    expect(call.headers.authorization).toMatch(/^Bearer t-/);
    expect(call.headers['x-lark-helpdesk-authorization']).toBe(`Bearer ${Buffer.from(`${SECRETS.helpdeskId}:${SECRETS.helpdeskToken}`).toString('base64')}`);
    // The card shows it in the conversation, and who sent it.
    const after = JSON.stringify(cardOf(sent.body));
    expect(after).toContain('请在 VPN 客户端里更新证书后重试');
    expect(after).toContain(`Last from chat: <at id=${CHEN.id}></at> replied to the customer`);

    // Send again (a double click, or a second person): nothing more goes.
    const again = await h.click(card, send, { operator: CHEN.id });
    expect(JSON.stringify(cardOf(again.body))).toContain('This reply was sent already; it is not sent twice.');
    const other = await h.click(card, send, { operator: WANG.id });
    expect(toastOf(other.body)).toContain('belongs to whoever wrote this reply');
    expect(h.standin.callsTo('ticket_message_create')).toHaveLength(1);
    // The audit line names who sent it, never the text.
    const audit = h.log.lines.filter((l) => l.includes('"event":"audit"') && l.includes('"action":"send"'));
    expect(audit.length).toBeGreaterThanOrEqual(1);
    expect(audit.join('\n')).toContain(CHEN.id);
    expect(h.log.lines.join('\n')).not.toContain('请在 VPN 客户端里更新证书后重试');
    // A counter per action and outcome.
    const metrics = await h.bot.metrics.registry.metrics();
    expect(metrics).toContain('helpdesk_bot_actions_total{action="send",outcome="ok"} 1');
    expect(metrics).toContain('helpdesk_bot_actions_total{action="send",outcome="already-sent"} 1');
    expect(metrics).toContain('helpdesk_bot_actions_total{action="preview",outcome="ok"} 1');
  });

  it('refuses an empty or over-long text with the limit named, and sends nothing', async () => {
    const card = await ticketCard();
    const preview = button(cardOf((await h.click(card, button(card.card, 'Reply'), { operator: CHEN.id })).body), 'Preview');
    const empty = await h.click(card, preview, { operator: CHEN.id, formValue: { reply: '   ' } });
    expect(JSON.stringify(cardOf(empty.body))).toContain('Type the reply first');
    const long = await h.click(card, preview, { operator: CHEN.id, formValue: { reply: '长'.repeat(1001) } });
    expect(JSON.stringify(cardOf(long.body))).toContain('1001 characters; at most 1000');
    expect(h.standin.callsTo('ticket_message_create')).toHaveLength(0);
  });

  it('is for the agents in access.agents: anyone else gets a toast saying why, and nothing is sent', async () => {
    const card = await ticketCard('ou_someone_else');
    const refused = await h.click(card, button(card.card, 'Reply'), { operator: 'ou_someone_else' });
    expect(toastOf(refused.body)).toBe("Only the helpdesk's agents may act on tickets here; nothing was sent or changed. To be added, ask your helpdesk administrators.");
    expect(h.standin.callsTo('ticket_message_create')).toHaveLength(0);
  });
});

describe('Suggest answers', () => {
  it("searches the FAQs with the customer's question and offers each answer for the customer, by the same path as Reply", async () => {
    const card = await ticketCard();
    const suggested = cardOf((await h.click(card, button(card.card, 'Suggest answers'), { operator: CHEN.id })).body);
    const search = h.standin.callsTo('faq_search');
    expect(search).toHaveLength(1);
    expect(search[0]!.query.query).toBe('VPN 连不上，提示证书过期。');
    expect(JSON.stringify(suggested)).toContain('在 VPN 客户端里选择“更新证书”');
    expect(buttons(suggested).filter((b) => b.text === 'Send to customer')).toHaveLength(1);
    const preview = cardOf((await h.click(card, button(suggested, 'Send to customer'), { operator: WANG.id })).body);
    await h.click(card, button(preview, 'Send'), { operator: WANG.id });
    const calls = h.standin.callsTo('ticket_message_create');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.body).toEqual({ msg_type: 'text', content: JSON.stringify({ text: '在 VPN 客户端里选择“更新证书”，重新登录后再连接。' }) });
  });
});

describe('without access.agents', () => {
  it('offers no Reply or Suggest, says how to turn them on, and refuses an old button with a toast', async () => {
    const off = await startHarness({ tickets: [ticket(TICKET, { guest: GUEST })] });
    try {
      const { messageId } = await off.say(`/ticket ${TICKET}`, { sender: CHEN.id });
      const card = (await off.replies(messageId))[0]!;
      expect(buttons(card.card).map((b) => b.text)).not.toContain('Reply');
      expect(card.content).toContain('Reply and Suggest are off: an operator lists the agents in access.agents in app.yaml.');
      // A Reply button from a card drawn before the setting was removed.
      const stale = new ButtonValues(ButtonValues.keyFrom(SECRETS.appSecret, SECRETS.encryptKey), Date.now).encode({
        view: { kind: 'ticket', ticketId: TICKET },
        fresh: false,
        chatId: card.chatId,
        chatType: 'p2p',
        act: { op: 'reply' },
      });
      const refused = await off.click(card, stale, { operator: CHEN.id });
      expect(toastOf(refused.body)).toBe('Reply and Suggest are off: an operator must list the agents in access.agents in app.yaml.');
      expect(off.standin.callsTo('ticket_message_create')).toHaveLength(0);
    } finally {
      await off.close();
    }
  });
});
