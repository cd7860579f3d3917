// What the platform sends to the bot, byte for byte: encryption, signatures, whole deliveries and
// the payload builders of the events the bot handles.
import { createHash } from 'node:crypto';
import * as lark from '@larksuiteoapi/node-sdk';
import { describe, expect, it } from 'vitest';
import { cardActionEvent, delivery, encrypt, messageEvent, sign, urlVerification } from '@helpdesk-bot/feishu-standin/deliveries';
import { silentLogger } from '../../support/standin.js';

const KEY = 'encrypt-key-for-tests';
const APP = 'cli_a5fb0ae6a4c0d00e';

describe('encrypt', () => {
  it('round-trips through the SDK AESCipher, non-ASCII included', () => {
    const plain = JSON.stringify({ text: '工单 7000000000000000001 怎么样了？ ✓', long: 'x'.repeat(1000) });
    const sealed = encrypt(KEY, plain);
    expect(new lark.AESCipher(KEY).decrypt(sealed)).toBe(plain);
    expect(encrypt(KEY, plain)).not.toBe(sealed); // a fresh IV every time
  });
});

describe('sign', () => {
  it('is hex SHA-256 of timestamp + nonce + key + raw body', () => {
    const body = '{"encrypt":"abc"}';
    const expected = createHash('sha256')
      .update(`1700000000` + `12345` + KEY + body)
      .digest('hex');
    expect(sign(KEY, 1700000000, '12345', body)).toBe(expected);
    expect(sign(KEY, '1700000000', '12345', body)).toBe(expected);
  });
});

describe('delivery', () => {
  const payload = urlVerification({ token: 'vt', challenge: 'ch-1' });

  it('encrypts and signs by default when a key is given', () => {
    const { body, headers } = delivery(payload, { encryptKey: KEY, timestamp: 1700000000, nonce: '42' });
    const sealed = JSON.parse(body) as { encrypt: string };
    expect(Object.keys(sealed)).toEqual(['encrypt']);
    expect(JSON.parse(new lark.AESCipher(KEY).decrypt(sealed.encrypt))).toEqual(payload);
    expect(headers).toEqual({
      'Content-Type': 'application/json; charset=utf-8',
      'X-Lark-Request-Timestamp': '1700000000',
      'X-Lark-Request-Nonce': '42',
      'X-Lark-Signature': sign(KEY, 1700000000, '42', body),
    });
  });

  it('sends plain JSON without a key, and can sign without encrypting', () => {
    const plain = delivery(payload);
    expect(JSON.parse(plain.body)).toEqual(payload);
    expect(plain.headers['X-Lark-Signature']).toBeUndefined();
    expect(plain.headers['X-Lark-Request-Timestamp']).toMatch(/^\d{10}$/);

    const signedOnly = delivery(payload, { encryptKey: KEY, encrypt: false });
    expect(JSON.parse(signedOnly.body)).toEqual(payload);
    expect(signedOnly.headers['X-Lark-Signature']).toBe(sign(KEY, signedOnly.headers['X-Lark-Request-Timestamp'] ?? '', signedOnly.headers['X-Lark-Request-Nonce'] ?? '', signedOnly.body));
  });

  it('refuses to encrypt or sign without a key', () => {
    expect(() => delivery(payload, { encrypt: true })).toThrow(/encryptKey/);
    expect(() => delivery(payload, { sign: true })).toThrow(/encryptKey/);
  });

  it('is accepted by the SDK EventDispatcher, signature check included', async () => {
    let received: Record<string, unknown> | undefined;
    const dispatcher = new lark.EventDispatcher({ encryptKey: KEY, logger: silentLogger }).register({
      'im.message.receive_v1': async (data) => {
        received = data as unknown as Record<string, unknown>;
      },
    });
    const event = messageEvent({ token: 'vt', appId: APP, chatType: 'p2p', senderOpenId: 'ou_alice', text: 'status 42' });
    const { body, headers } = delivery(event, { encryptKey: KEY });
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    await dispatcher.invoke(Object.assign(Object.create({ headers: lower }) as object, JSON.parse(body) as object));
    expect(received).toMatchObject({ message: { content: JSON.stringify({ text: 'status 42' }) }, event_id: event.header.event_id });
  });
});

describe('payload builders', () => {
  it('builds the v1-style URL verification challenge', () => {
    expect(urlVerification({ token: 'vt', challenge: 'c1' })).toEqual({ challenge: 'c1', token: 'vt', type: 'url_verification' });
    expect(urlVerification({ token: 'vt' }).challenge).toMatch(/^[0-9a-f]{32}$/);
  });

  it('builds an im.message.receive_v1 text event', () => {
    const event = messageEvent({
      token: 'vt',
      appId: APP,
      chatType: 'group',
      chatId: 'oc_group',
      messageId: 'om_msg',
      senderOpenId: 'ou_alice',
      text: '@_user_1 status 42 @_user_2',
      mentions: [
        { key: '@_user_1', openId: 'ou_bot', name: 'Helpdesk Bot' },
        { key: '@_user_2', openId: 'ou_agent', name: 'Agent Smith' },
      ],
      createTime: 1_700_000_000_123,
    });
    expect(event.schema).toBe('2.0');
    expect(event.header).toEqual({
      event_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      event_type: 'im.message.receive_v1',
      create_time: '1700000000123',
      token: 'vt',
      app_id: APP,
      tenant_key: expect.stringMatching(/^[0-9a-f]{16}$/),
    });
    expect(event.event.sender).toEqual({
      sender_id: { open_id: 'ou_alice', union_id: expect.stringMatching(/^on_[0-9a-f]{32}$/), user_id: expect.any(String) },
      sender_type: 'user',
      tenant_key: event.header.tenant_key,
    });
    expect(event.event.message).toEqual({
      message_id: 'om_msg',
      create_time: '1700000000123',
      update_time: '1700000000123',
      chat_id: 'oc_group',
      chat_type: 'group',
      message_type: 'text',
      content: JSON.stringify({ text: '@_user_1 status 42 @_user_2' }),
      mentions: [
        { key: '@_user_1', id: expect.objectContaining({ open_id: 'ou_bot' }), name: 'Helpdesk Bot', tenant_key: event.header.tenant_key },
        { key: '@_user_2', id: expect.objectContaining({ open_id: 'ou_agent' }), name: 'Agent Smith', tenant_key: event.header.tenant_key },
      ],
    });
    // The same person always gets the same derived ids.
    const again = messageEvent({ token: 'vt', appId: APP, chatType: 'p2p', senderOpenId: 'ou_alice', text: 'x' });
    expect(again.event.sender.sender_id).toEqual(event.event.sender.sender_id);
    expect(again.event.message).not.toHaveProperty('mentions');
    expect(again.event.message.message_id).toMatch(/^om_[0-9a-f]{32}$/);
    expect(again.event.message.chat_id).toMatch(/^oc_[0-9a-f]{32}$/);
  });

  it('builds a post event with at nodes named from the mentions', () => {
    const event = messageEvent({
      token: 'vt',
      appId: APP,
      chatType: 'group',
      senderOpenId: 'ou_alice',
      post: [
        [
          { tag: 'at', user_id: '@_user_1' },
          { tag: 'text', text: ' list open' },
        ],
      ],
      mentions: [{ key: '@_user_1', openId: 'ou_bot', name: 'Helpdesk Bot' }],
    });
    expect(event.event.message.message_type).toBe('post');
    expect(JSON.parse(event.event.message.content)).toEqual({
      title: '',
      content: [
        [
          { tag: 'at', user_id: '@_user_1', user_name: 'Helpdesk Bot', style: [] },
          { tag: 'text', text: ' list open', style: [] },
        ],
      ],
    });
    expect(() => messageEvent({ token: 'vt', appId: APP, chatType: 'p2p', senderOpenId: 'ou_a', text: 'a', post: [] })).toThrow();
  });

  it('builds a card.action.trigger callback with a microsecond create_time', () => {
    const event = cardActionEvent({
      token: 'vt',
      appId: APP,
      operatorOpenId: 'ou_alice',
      value: { action: 'refresh', ticket: '7000000000000000001' },
      messageId: 'om_card',
      chatId: 'oc_chat',
      cardToken: 'c-abc',
      createTime: 1_700_000_000_123,
    });
    expect(event).toEqual({
      schema: '2.0',
      header: {
        event_id: expect.stringMatching(/^[0-9a-f]{32}$/),
        token: 'vt',
        create_time: '1700000000123000',
        event_type: 'card.action.trigger',
        tenant_key: expect.stringMatching(/^[0-9a-f]{16}$/),
        app_id: APP,
      },
      event: {
        operator: { tenant_key: event.header.tenant_key, open_id: 'ou_alice', union_id: expect.any(String), user_id: expect.any(String) },
        token: 'c-abc',
        action: { value: { action: 'refresh', ticket: '7000000000000000001' }, tag: 'button' },
        host: 'im_message',
        context: { open_message_id: 'om_card', open_chat_id: 'oc_chat' },
      },
    });
  });

  const base = { token: 'vt', appId: APP, operatorOpenId: 'ou_alice', messageId: 'om_card', chatId: 'oc_chat', cardToken: 'c-abc' };

  it('sends a form submission as the submit button with its name, value and form_value', () => {
    const event = cardActionEvent({ ...base, value: { v: 1, sig: 's' }, name: 'tk_save', formValue: { status: '2', tags: ['vpn', 'login'], due: '2026-11-01 +0800' } });
    expect(event.event.action).toEqual({ tag: 'button', name: 'tk_save', value: { v: 1, sig: 's' }, form_value: { status: '2', tags: ['vpn', 'login'], due: '2026-11-01 +0800' } });
  });

  it('sends a select changed outside a form as action.option, a multi-select as action.options', () => {
    expect(cardActionEvent({ ...base, tag: 'select_static', name: 'status', value: { v: 1 }, option: '5' }).event.action).toEqual({ tag: 'select_static', name: 'status', value: { v: 1 }, option: '5' });
    expect(cardActionEvent({ ...base, tag: 'date_picker', option: '2026-11-01 +0800', timezone: 'Asia/Shanghai' }).event.action).toEqual({
      tag: 'date_picker',
      option: '2026-11-01 +0800',
      timezone: 'Asia/Shanghai',
    });
    expect(cardActionEvent({ ...base, tag: 'multi_select_static', options: ['a', 'b'] }).event.action).toEqual({ tag: 'multi_select_static', options: ['a', 'b'] });
  });
});
