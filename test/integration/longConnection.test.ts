// The bot over the long connection, through the real SDK's WSClient against the stand-in's
// WebSocket: the same command path as the webhook, acknowledgements, pushes again, reconnects,
// liveness, shutdown and refusals. No encrypt key or verification token is configured.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cardActionEvent, delivery, encrypt, messageEvent } from '@helpdesk-bot/feishu-standin/deliveries';
import { fullTicket } from '../fixtures/tickets.js';
import { makeTickets } from '../fixtures/many.js';
import { buttons, PLAIN_UPSTREAM, SECRETS, startHarness, type Harness } from '../support/harness.js';
import { until } from '../support/wait.js';

const NOW = Date.now();
const TICKET = fullTicket.ticket_id;

const repliesTo = (h: Harness, messageId: string) => [...h.standin.messages.values()].filter((m) => m.replyTo === messageId);

describe('commands over the long connection', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ connection: 'long-connection', tickets: [fullTicket, ...makeTickets(NOW, 40)] });
  });
  afterAll(() => h.close());
  beforeEach(() => {
    h.standin.clearCalls();
    h.standin.ws.clearFaults();
  });

  it('answers /ticket <id> with exactly one reply card, with no encrypt key or token set', async () => {
    expect(h.config.feishu).toMatchObject({ connection: 'long-connection', encrypt_key: '', verification_token: '' });
    const { status, messageId } = await h.say(`/ticket ${TICKET}`);
    expect(status).toBe(200);
    const [reply] = await h.replies(messageId);
    expect(reply!.content).toContain(TICKET);
    expect(reply!.card.schema).toBe('2.0');
    // The acknowledgement of a message carries nothing; the reply went through the IM API.
    const push = h.standin.ws.pushes.at(-1)!;
    expect(push.acked).toMatchObject({ code: 200 });
    expect(push.acked!.data).toBeUndefined();
    expect(repliesTo(h, messageId)).toHaveLength(1);
  });

  it('gives no second reply to an event pushed again with the same message_id', async () => {
    const event = messageEvent({ token: '', appId: SECRETS.appId, chatType: 'p2p', chatId: 'oc_dm_ws', senderOpenId: 'ou_user_asker', text: `/ticket ${TICKET}` });
    const messageId = event.event.message.message_id;
    const first = await h.standin.ws.push(event).done;
    await h.replies(messageId);
    // The platform pushes it again (a late acknowledgement, or after a reconnect): same payload.
    const again = await h.standin.ws.push(event).done;
    expect(first.acked?.code).toBe(200);
    expect(again.acked?.code).toBe(200);
    // The duplicate was recognised: the log says so and no reply is made.
    await until('the duplicate to be logged', () => h.log.lines.some((l) => l.includes('delivery.duplicate') && l.includes(messageId)));
    expect(repliesTo(h, messageId)).toHaveLength(1);
    expect(h.standin.callsTo('reply').filter((c) => c.path.includes(messageId))).toHaveLength(1);
  });

  it("carries the next page's card in a paging click's acknowledgement", async () => {
    const { messageId } = await h.say('/tickets page 1');
    const [reply] = await h.replies(messageId);
    expect(reply!.content).toContain('page 1 of');
    const next = buttons(reply!.card).find((b) => b.text === 'Next')!;
    const answer = await h.click(reply!, next.value);
    expect(answer.status).toBe(200);
    const card = (answer.body as { card: { type: string; data: Record<string, unknown> } }).card;
    expect(card.type).toBe('raw');
    expect(JSON.stringify(card.data)).toContain('page 2 of');
    // The card itself travelled in the acknowledgement: no card update call was needed.
    expect(h.standin.callsTo('card_update')).toHaveLength(0);
  });

  it('answers a group message that is just "@bot <ticket id>" with the ticket card', async () => {
    const { messageId } = await h.say(TICKET, { chatType: 'group', chatId: 'oc_group_ws' });
    const [reply] = await h.replies(messageId);
    expect(reply!.content).toContain(TICKET);
    expect(reply!.content).toContain('hidden in group chats');
  });

  it('joins the fragments of a split event', async () => {
    const event = messageEvent({ token: '', appId: SECRETS.appId, chatType: 'p2p', chatId: 'oc_dm_ws', senderOpenId: 'ou_user_asker', text: `/ticket ${TICKET}` });
    const push = await h.standin.ws.push(event, { fragments: 4, reversed: true }).done;
    expect(push.acked?.code).toBe(200);
    expect(await h.replies(event.event.message.message_id)).toHaveLength(1);
  });

  it('survives a callback sent as a "card" frame, which the SDK does not acknowledge', async () => {
    const { messageId } = await h.say('/tickets page 1');
    const [reply] = await h.replies(messageId);
    const next = buttons(reply!.card).find((b) => b.text === 'Next')!;
    const payload = cardActionEvent({ token: '', operatorOpenId: 'ou_user_asker', value: next.value, messageId: reply!.messageId, chatId: reply!.chatId, cardToken: h.standin.issueCardToken(reply!.messageId) });
    const push = await h.standin.ws.push(payload, { type: 'card', repush: false }).done;
    expect(push.attempts).toMatchObject([{ outcome: 'no-ack' }]);
    // Still connected, and the next event is answered.
    expect(h.bot.connection()).toMatchObject({ mode: 'long-connection', state: 'connected' });
    const after = await h.say(`/ticket ${TICKET}`);
    expect(after.status).toBe(200);
    expect(await h.replies(after.messageId)).toHaveLength(1);
  });

  it('acknowledges a malformed event instead of having it pushed forever', async () => {
    const push = await h.standin.ws.push({ schema: '2.0', header: { event_type: 'im.message.receive_v1' }, event: {} }).done;
    expect(push.acked?.code).toBe(200);
    expect(push.attempts).toHaveLength(1);
  });

  it('serves no webhook routes, and /healthz reports the connection', async () => {
    const d = delivery(messageEvent({ token: '', appId: SECRETS.appId, chatType: 'p2p', senderOpenId: 'ou_x', text: '/help' }));
    for (const route of ['/webhook/event', '/webhook/card']) {
      const res = await fetch(h.bot.url + route, { method: 'POST', headers: d.headers, body: d.body });
      expect(res.status).toBe(404);
    }
    const health = await fetch(h.bot.url + '/healthz');
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    expect(h.bot.health()).toMatchObject({ status: 'ok', connection: { mode: 'long-connection', state: 'connected' } });
  });

  it('pings with the service id the endpoint gave', async () => {
    await until('a ping', () => h.standin.ws.connections.some((c) => c.pings > 0));
    expect(h.standin.ws.connections.every((c) => c.badPings === 0)).toBe(true);
  });
});

describe('slow lookups and access rules over the long connection', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      connection: 'long-connection',
      tickets: makeTickets(NOW, 40),
      yaml: `${PLAIN_UPSTREAM}\nserver: { callback_budget_ms: 200 }\naccess:\n  users: { deny: [ou_denied] }\n`,
    });
  });
  afterAll(() => h.close());

  it('answers a slow click with the loading toast in the acknowledgement, then updates the card', async () => {
    const { messageId } = await h.say('/tickets page 1');
    const [reply] = await h.replies(messageId);
    const next = buttons(reply!.card).find((b) => b.text === 'Next')!;
    h.standin.inject('ticket_list', { delayMs: 800, times: 1 });
    const answer = await h.click(reply!, next.value);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ toast: { type: 'info', content: 'Loading…' } });
    await until('the card update', () => h.standin.callsTo('card_update').find((c) => c.status === 200));
    expect(h.standin.messages.get(reply!.messageId)!.content).toContain('page 2 of');
  });

  it('applies the access rules: a denied user gets the refusal card and no lookup is made', async () => {
    h.standin.clearCalls();
    const { messageId } = await h.say('/tickets page 1', { sender: 'ou_denied' });
    const [reply] = await h.replies(messageId);
    expect(reply!.content).toContain('You cannot use the helpdesk bot here');
    expect(h.standin.callsTo('ticket_list')).toHaveLength(0);
  });
});

describe('encrypted events over the long connection', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ connection: 'long-connection', tickets: [fullTicket], env: { FEISHU_ENCRYPT_KEY: SECRETS.encryptKey } });
  });
  afterAll(() => h.close());

  it('decrypts them with the encrypt key, and acknowledges (without acting on) what does not decrypt', async () => {
    const event = messageEvent({ token: '', appId: SECRETS.appId, chatType: 'p2p', chatId: 'oc_dm_enc', senderOpenId: 'ou_user_asker', text: `/ticket ${TICKET}` });
    const push = await h.standin.ws.push({ encrypt: encrypt(SECRETS.encryptKey, JSON.stringify(event)) }).done;
    expect(push.acked?.code).toBe(200);
    expect(await h.replies(event.event.message.message_id)).toHaveLength(1);

    const other = messageEvent({ token: '', appId: SECRETS.appId, chatType: 'p2p', chatId: 'oc_dm_enc', senderOpenId: 'ou_user_asker', text: `/ticket ${TICKET}` });
    const wrong = await h.standin.ws.push({ encrypt: encrypt('another-key', JSON.stringify(other)) }).done;
    expect(wrong.acked?.code).toBe(200);
    expect(wrong.attempts).toHaveLength(1);
    expect(h.log.lines.some((l) => l.includes('delivery.invalid') && l.includes('does not decrypt'))).toBe(true);
    expect(repliesTo(h, other.event.message.message_id)).toHaveLength(0);
  });
});
