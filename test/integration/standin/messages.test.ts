// The stand-in's message APIs as the platform serves them: reply, send, patch and the delayed card
// update, with their idempotency, card validation, limits, a group the bot has left, and scopes.
import type * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StandIn } from '@helpdesk-bot/feishu-standin';
import { card2, CREDS, httpFailure, markdownElements, sdkClient, startStandIn } from '../../support/standin.js';

const USER_MESSAGE = 'om_5ce6d572455d361153b7cb51da133945';
const CHAT = 'oc_5ce6d572455d361153b7c851da133945';
const T0 = 1_700_000_000_000;

let standIn: StandIn;
let client: lark.Client;
let now: number;
beforeEach(async () => {
  now = T0;
  standIn = await startStandIn({ now: () => now });
  client = sdkClient(standIn);
});
afterEach(() => standIn.close());

const replyCard = (card: unknown, extra: { uuid?: string; reply_in_thread?: boolean } = {}, target = USER_MESSAGE) =>
  client.im.v1.message.reply({
    path: { message_id: target },
    data: { msg_type: 'interactive', content: typeof card === 'string' ? card : JSON.stringify(card), ...extra },
  });

const patchCard = (messageId: string, card: unknown) => client.im.v1.message.patch({ path: { message_id: messageId }, data: { content: JSON.stringify(card) } });

const updateCard = (token: unknown, card: unknown) => client.request({ method: 'POST', url: '/open-apis/interactive/v1/card/update', data: { token, card } });

/** A column set holding one column of `count` elements: count + 2 components in all. */
const nested = (count: number) => ({
  schema: '2.0',
  body: { elements: [{ tag: 'column_set', columns: [{ tag: 'column', elements: markdownElements(count) }] }] },
});

async function sentId(card: unknown = card2()): Promise<string> {
  const res = await replyCard(card);
  return res.data?.message_id ?? '';
}

describe('reply', () => {
  it('creates a message in the chat of the message replied to and answers like the platform', async () => {
    standIn.registerIncoming(USER_MESSAGE, CHAT);
    const res = await replyCard(card2());
    expect(res).toEqual({
      code: 0,
      msg: 'success',
      data: {
        message_id: expect.stringMatching(/^om_[0-9a-f]{32}$/),
        root_id: USER_MESSAGE,
        parent_id: USER_MESSAGE,
        msg_type: 'interactive',
        create_time: String(T0),
        update_time: String(T0),
        deleted: false,
        updated: false,
        chat_id: CHAT,
        sender: { id: CREDS.appId, id_type: 'app_id', sender_type: 'app', tenant_key: expect.stringMatching(/^[0-9a-f]{16}$/) },
        body: { content: JSON.stringify(card2()) },
      },
    });
    const id = res.data?.message_id ?? '';
    expect(standIn.messages.get(id)).toEqual({
      messageId: id,
      replyTo: USER_MESSAGE,
      rootId: USER_MESSAGE,
      chatId: CHAT,
      msgType: 'interactive',
      content: JSON.stringify(card2()),
      updates: 0,
      createdAt: T0,
      updatedAt: T0,
    });
  });

  it('keeps the root of a reply tree and opens a thread when asked', async () => {
    const first = await sentId();
    const second = await replyCard(card2(), { reply_in_thread: true }, first);
    expect(second.data).toMatchObject({ root_id: USER_MESSAGE, parent_id: first, thread_id: expect.stringMatching(/^omt_/) });
    expect(second.data?.chat_id).toBe(standIn.messages.get(first)?.chatId);
  });

  it('sends text and post replies too', async () => {
    const text = await client.im.v1.message.reply({
      path: { message_id: USER_MESSAGE },
      data: { msg_type: 'text', content: JSON.stringify({ text: 'hi' }) },
    });
    expect(text.data?.msg_type).toBe('text');
    const failure = await httpFailure(client.im.v1.message.reply({ path: { message_id: USER_MESSAGE }, data: { msg_type: 'text', content: 'hi' } }));
    expect(failure).toMatchObject({ status: 400, data: { code: 230001 } });
  });

  it('returns the first reply again for a repeated uuid within an hour, then accepts it anew', async () => {
    const first = await replyCard(card2(), { uuid: 'reply-1' });
    now += 59 * 60_000;
    const again = await replyCard(card2(2), { uuid: 'reply-1' });
    expect(again.code).toBe(0);
    expect(again.data?.message_id).toBe(first.data?.message_id);
    expect(standIn.messages.size).toBe(1);

    now += 60_000;
    const later = await replyCard(card2(), { uuid: 'reply-1' });
    expect(later.data?.message_id).not.toBe(first.data?.message_id);
    expect(standIn.messages.size).toBe(2);
  });

  it('rejects a uuid over 50 characters with 99992402', async () => {
    const failure = await httpFailure(replyCard(card2(), { uuid: 'u'.repeat(51) }));
    expect(failure).toMatchObject({
      status: 400,
      data: { code: 99992402, msg: 'field validation failed', error: { field_violations: [{ field: 'uuid' }] } },
    });
    expect((await replyCard(card2(), { uuid: 'u'.repeat(50) })).code).toBe(0);
  });

  it('rejects a request body over 30 KB with 230025', async () => {
    const padded = (bytes: number) => {
      const card = (pad: string) => ({ ...card2(), body: { elements: [{ tag: 'markdown', content: pad }] } });
      const envelope = JSON.stringify({ msg_type: 'interactive', content: JSON.stringify(card('')) }).length;
      return card('x'.repeat(bytes - envelope));
    };
    expect((await replyCard(padded(30 * 1024))).code).toBe(0);
    const failure = await httpFailure(replyCard(padded(30 * 1024 + 1)));
    expect(failure).toMatchObject({ status: 400, data: { code: 230025 } });
    expect(failure.data.msg).toMatch(/^The length of the message content reaches its limit\./);
  });

  it.each<[string, unknown, RegExp]>([
    ['content that is not JSON', '{"schema":', /ErrCode: 200621; ErrMsg: parse card json err/],
    ['a JSON array', '[]', /ErrCode: 200621/],
    ['a 2.0 card without body.elements', { schema: '2.0', body: {} }, /ErrCode: 11310; ErrMsg: body\.elements is required/],
    ['a 2.0 card with 201 elements', card2(201), /ErrCode: 11310; ErrMsg: element exceeds the limit/],
    ['a 2.0 card with over 200 elements counting nested ones', nested(199), /element exceeds the limit: 201 elements/],
    ['a 2.0 card using 1.0 elements', { schema: '2.0', elements: [], body: { elements: [] } }, /ErrCode: 200861/],
  ])('rejects %s with 230099 and says why', async (_name, card, why) => {
    const failure = await httpFailure(replyCard(card));
    expect(failure).toMatchObject({ status: 400, data: { code: 230099 } });
    expect(failure.data.msg).toMatch(/^Failed to create card content, ext=/);
    expect(failure.data.msg).toMatch(why);
  });

  it('accepts exactly 200 elements (the header title counts) and 1.0 cards', async () => {
    expect((await replyCard(card2(199))).code).toBe(0);
    expect((await httpFailure(replyCard(card2(200)))).data.code).toBe(230099);
    expect((await replyCard(nested(198))).code).toBe(0);
    expect((await replyCard({ config: { update_multi: true }, elements: [{ tag: 'hr' }] })).code).toBe(0);
  });

  it('rejects a message id that is not an open_message_id with 99992354', async () => {
    const failure = await httpFailure(replyCard(card2(), {}, 'msg-123'));
    expect(failure).toMatchObject({ status: 400, data: { code: 99992354 } });
  });

  it('requires msg_type and content (99992402)', async () => {
    const failure = await httpFailure(client.request({ method: 'POST', url: `/open-apis/im/v1/messages/${USER_MESSAGE}/reply`, data: { msg_type: 'interactive' } }));
    expect(failure).toMatchObject({ status: 400, data: { code: 99992402, error: { field_violations: [{ field: 'content' }] } } });
  });
});

describe('patch', () => {
  it('replaces the content of a card the bot sent', async () => {
    const id = await sentId();
    now += 1000;
    const res = await patchCard(id, card2(3));
    expect(res).toMatchObject({ code: 0, msg: 'success' });
    expect(standIn.messages.get(id)).toMatchObject({ content: JSON.stringify(card2(3)), updates: 1, updatedAt: T0 + 1000 });
  });

  it('answers an unknown message with 99992354 and a message the bot did not send with 230001', async () => {
    expect(await httpFailure(patchCard('om_00000000000000000000000000000000', card2()))).toMatchObject({
      status: 400,
      data: { code: 99992354 },
    });
    standIn.registerIncoming(USER_MESSAGE, CHAT);
    expect(await httpFailure(patchCard(USER_MESSAGE, card2()))).toMatchObject({ status: 400, data: { code: 230001 } });
  });

  it('validates the new card like a reply', async () => {
    const id = await sentId();
    const failure = await httpFailure(patchCard(id, card2(201)));
    expect(failure).toMatchObject({ status: 400, data: { code: 230099 } });
    expect(await httpFailure(patchCard(id, { ...card2(), pad: 'x'.repeat(31 * 1024) }))).toMatchObject({ data: { code: 230025 } });
    expect(standIn.messages.get(id)?.updates).toBe(0);
  });

  it('only patches cards, and only within 14 days', async () => {
    const text = await client.im.v1.message.reply({
      path: { message_id: USER_MESSAGE },
      data: { msg_type: 'text', content: JSON.stringify({ text: 'hi' }) },
    });
    expect(await httpFailure(patchCard(text.data?.message_id ?? '', card2()))).toMatchObject({ data: { code: 230001 } });

    const id = await sentId();
    now += 14 * 24 * 3600_000 + 1;
    client = sdkClient(standIn); // the old tenant token has long expired
    expect(await httpFailure(patchCard(id, card2()))).toMatchObject({ status: 400, data: { code: 230031 } });
  });
});

describe('delayed card update', () => {
  it('updates the message twice with one token, then refuses (300040)', async () => {
    const id = await sentId();
    const token = standIn.issueCardToken(id);
    expect(token).toMatch(/^c-[0-9a-f]{40}$/);

    expect(await updateCard(token, card2(2))).toEqual({ code: 0, msg: 'ok' });
    expect(await updateCard(token, card2(3))).toEqual({ code: 0, msg: 'ok' });
    expect(standIn.messages.get(id)).toMatchObject({ content: JSON.stringify(card2(3)), updates: 2 });

    expect(await httpFailure(updateCard(token, card2(4)))).toMatchObject({ status: 400, data: { code: 300040 } });
  });

  it('refuses a token older than 30 minutes or never issued (300030)', async () => {
    const id = await sentId();
    const token = standIn.issueCardToken(id);
    now += 30 * 60_000;
    expect(await httpFailure(updateCard(token, card2()))).toMatchObject({ status: 400, data: { code: 300030 } });
    expect(await httpFailure(updateCard(`c-${'0'.repeat(40)}`, card2()))).toMatchObject({ data: { code: 300030 } });
  });

  it('refuses a token not shaped c-… (300020)', async () => {
    expect(await httpFailure(updateCard('t-abc', card2()))).toMatchObject({ status: 400, data: { code: 300020 } });
    expect(await httpFailure(updateCard(undefined, card2()))).toMatchObject({ data: { code: 300020 } });
  });

  it('checks the card: an object (10002), a valid structure (11311), 2.0 stays 2.0 (200830), shared or with open_ids (300090)', async () => {
    const token = standIn.issueCardToken(await sentId());
    expect(await httpFailure(updateCard(token, '{"schema":"2.0"}'))).toMatchObject({ data: { code: 10002 } });
    expect(await httpFailure(updateCard(token, card2(201)))).toMatchObject({ data: { code: 11311 } });
    // A 2.0 card can only be replaced by a 2.0 card.
    expect(await httpFailure(updateCard(token, { config: { update_multi: true }, elements: [] }))).toMatchObject({ data: { code: 200830 } });
    // Failed attempts do not use the token up.
    expect(await updateCard(token, card2())).toEqual({ code: 0, msg: 'ok' });
    // A 1.0 card that is not shared must say whose copy to update.
    const old = standIn.issueCardToken(await sentId({ config: { update_multi: true }, elements: [{ tag: 'hr' }] }));
    expect(await httpFailure(updateCard(old, { elements: [] }))).toMatchObject({ data: { code: 300090 } });
    expect(await updateCard(old, { config: { update_multi: true }, elements: [] })).toEqual({ code: 0, msg: 'ok' });
  });

  it('mints tokens only for messages the bot sent', () => {
    expect(() => standIn.issueCardToken('om_nope')).toThrow(/sent no message/);
  });
});

describe('send (a new message, not a reply)', () => {
  const send = (receiveIdType: string | undefined, data: Record<string, unknown>) =>
    client.request({ method: 'POST', url: '/open-apis/im/v1/messages', ...(receiveIdType ? { params: { receive_id_type: receiveIdType } } : {}), data });

  it('posts to a chat, or to a person in their DM with the bot, answering like the platform', async () => {
    const res = await client.im.v1.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: CHAT, msg_type: 'interactive', content: JSON.stringify(card2()) } });
    expect(res).toMatchObject({ code: 0, msg: 'success', data: { chat_id: CHAT, msg_type: 'interactive', sender: { id: CREDS.appId, sender_type: 'app' } } });
    expect(res.data).not.toHaveProperty('parent_id');
    expect(res.data).not.toHaveProperty('root_id');
    expect(standIn.messages.get(res.data!.message_id!)).toMatchObject({ chatId: CHAT });
    expect(standIn.messages.get(res.data!.message_id!)!.replyTo).toBeUndefined();

    const dm = await client.im.v1.message.create({ params: { receive_id_type: 'open_id' }, data: { receive_id: 'ou_someone', msg_type: 'interactive', content: JSON.stringify(card2()) } });
    const again = await client.im.v1.message.create({ params: { receive_id_type: 'open_id' }, data: { receive_id: 'ou_someone', msg_type: 'interactive', content: JSON.stringify(card2()) } });
    expect(dm.data!.chat_id).toMatch(/^oc_[0-9a-f]{32}$/);
    expect(again.data!.chat_id).toBe(dm.data!.chat_id);
    standIn.registerP2pChat('ou_registered', CHAT);
    const registered = await client.im.v1.message.create({ params: { receive_id_type: 'open_id' }, data: { receive_id: 'ou_registered', msg_type: 'interactive', content: JSON.stringify(card2()) } });
    expect(registered.data!.chat_id).toBe(CHAT);
  });

  it('keeps one message per uuid for an hour', async () => {
    const data = { receive_id: CHAT, msg_type: 'interactive', content: JSON.stringify(card2()), uuid: 'welcome-1' };
    const first = await client.im.v1.message.create({ params: { receive_id_type: 'chat_id' }, data });
    const second = await client.im.v1.message.create({ params: { receive_id_type: 'chat_id' }, data });
    expect(second.data!.message_id).toBe(first.data!.message_id);
    now += 3600_000;
    const later = await client.im.v1.message.create({ params: { receive_id_type: 'chat_id' }, data });
    expect(later.data!.message_id).not.toBe(first.data!.message_id);
  });

  it('refuses what the platform refuses', async () => {
    const card = JSON.stringify(card2());
    expect((await httpFailure(send(undefined, { receive_id: CHAT, msg_type: 'interactive', content: card }))).data).toMatchObject({
      code: 99992402,
      error: { field_violations: [{ field: 'receive_id_type' }] },
    });
    expect((await httpFailure(send('group_id', { receive_id: CHAT, msg_type: 'interactive', content: card }))).data.code).toBe(99992402);
    expect((await httpFailure(send('chat_id', { msg_type: 'interactive', content: card }))).data).toMatchObject({ code: 99992402, error: { field_violations: [{ field: 'receive_id' }] } });
    expect((await httpFailure(send('chat_id', { receive_id: 'ou_not_a_chat', msg_type: 'interactive', content: card }))).data.code).toBe(230001);
    expect((await httpFailure(send('chat_id', { receive_id: CHAT, msg_type: 'interactive', content: '{"schema":"2.0","elements":[]}' }))).data.code).toBe(230099);
    expect((await httpFailure(send('chat_id', { receive_id: CHAT, msg_type: 'interactive', content: card, uuid: 'u'.repeat(51) }))).data.code).toBe(99992402);
    expect(standIn.callsTo('send').every((c) => c.status === 400)).toBe(true);
  });
});

describe('a group the bot has left', () => {
  const sendTo = (chatId: string) => client.im.v1.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: chatId, msg_type: 'interactive', content: JSON.stringify(card2()) } });

  it('refuses sends and replies there with 230002 until the bot is added again', async () => {
    standIn.registerIncoming(USER_MESSAGE, CHAT);
    expect((await sendTo(CHAT)).code).toBe(0);
    standIn.removeBot(CHAT);
    const sent = await httpFailure(sendTo(CHAT));
    expect(sent.status).toBe(400);
    expect(sent.data).toMatchObject({ code: 230002, msg: 'The bot can not be outside the group.' });
    expect((await httpFailure(replyCard(card2()))).data.code).toBe(230002);
    // Other chats and DMs are not affected.
    expect((await sendTo('oc_another_group')).code).toBe(0);
    expect((await client.im.v1.message.create({ params: { receive_id_type: 'open_id' }, data: { receive_id: 'ou_someone', msg_type: 'interactive', content: JSON.stringify(card2()) } })).code).toBe(0);
    standIn.botAdded(CHAT);
    expect((await sendTo(CHAT)).code).toBe(0);
  });

  it('refuses sends to a disbanded group with 232009, for good', async () => {
    standIn.disbandChat(CHAT);
    const sent = await httpFailure(sendTo(CHAT));
    expect(sent.status).toBe(400);
    expect(sent.data).toMatchObject({ code: 232009, msg: 'Your request specifies a chat which has already been dissolved.' });
    standIn.botAdded(CHAT);
    expect((await httpFailure(sendTo(CHAT))).data.code).toBe(232009);
  });
});

describe('application scopes', () => {
  it('lists the app scopes and their grants, behind the tenant token', async () => {
    const res = await client.application.scope.list();
    expect(res.code).toBe(0);
    expect(res.data!.scopes).toContainEqual({ scope_name: 'helpdesk:all:readonly', grant_status: 1, scope_type: 'tenant' });
    standIn.scopes.set([{ name: 'im:message:send_as_bot', pending: true }]);
    expect((await client.application.scope.list()).data!.scopes).toEqual([{ scope_name: 'im:message:send_as_bot', grant_status: 2, scope_type: 'tenant' }]);
    const bare = await fetch(`${standIn.url}/open-apis/application/v6/scopes`);
    expect(bare.status).toBe(400);
    expect(await bare.json()).toMatchObject({ code: 99991661 });
  });
});
