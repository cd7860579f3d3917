// Deliveries classified into what the bot acts on (messages, clicks, chat and ticket events) or
// acknowledges and ignores; malformed ones named; and which command a text is.
import { describe, expect, it } from 'vitest';
import { interpret } from '../../../src/intake/interpret.js';
import { parseCommand } from '../../../src/commands/parse.js';
import {
  botAddedEvent,
  botRemovedEvent,
  cardActionEvent,
  chatDisbandedEvent,
  menuEvent,
  messageEvent,
  p2pChatEnteredEvent,
  ticketCreatedEvent,
  ticketUpdatedEvent,
  urlVerification,
} from '@helpdesk-bot/feishu-standin/deliveries';
import { fullTicket } from '../../fixtures/tickets.js';

const BOT = 'ou_bot';
const base = { token: 't', appId: 'cli_x', senderOpenId: 'ou_asker' };
const bot = { key: '@_user_1', openId: BOT, name: 'Helpdesk Bot' };
const alice = { key: '@_user_2', openId: 'ou_alice', name: 'Alice' };

describe('interpret', () => {
  it('answers the challenge', () => {
    expect(interpret(urlVerification({ token: 't', challenge: 'c1' }), BOT)).toEqual({ kind: 'challenge', challenge: 'c1' });
  });

  it('takes a DM as addressed to the bot', () => {
    const d = interpret(messageEvent({ ...base, chatType: 'p2p', text: '/ticket 42', messageId: 'om_1', chatId: 'oc_1' }), BOT);
    expect(d).toMatchObject({ kind: 'message', dedupeKey: 'msg:om_1', message: { text: '/ticket 42', chatType: 'p2p', chatId: 'oc_1', senderOpenId: 'ou_asker', addressedToBot: true, mentions: [] } });
  });

  it('in a group, strips the bot mention wherever it is and keeps other mentions as arguments', () => {
    const first = interpret(messageEvent({ ...base, chatType: 'group', text: '@_user_1 /tickets agent @_user_2', mentions: [bot, alice] }), BOT);
    expect(first).toMatchObject({ kind: 'message', message: { text: '/tickets agent @_user_2', addressedToBot: true, mentions: [{ key: '@_user_2', openId: 'ou_alice', name: 'Alice' }] } });
    // The bot is not the first mention.
    const botSecond = { ...bot, key: '@_user_2' };
    const aliceFirst = { ...alice, key: '@_user_1' };
    const later = interpret(messageEvent({ ...base, chatType: 'group', text: '/tickets agent @_user_1 @_user_2', mentions: [aliceFirst, botSecond] }), BOT);
    expect(later).toMatchObject({ kind: 'message', message: { text: '/tickets agent @_user_1', addressedToBot: true } });
  });

  it('drops zero-width and direction marks from the text and the names, so a pasted command is the one it looks like', () => {
    const d = interpret(messageEvent({ ...base, chatType: 'group', text: '\u200e@_user_1 /ticket\u200b\ufeff 42 agent @_user_2\u200f', mentions: [bot, { ...alice, name: '\u202aAli\u200bce\u200e' }] }), BOT);
    expect(d).toMatchObject({ kind: 'message', message: { text: '/ticket 42 agent @_user_2', mentions: [{ key: '@_user_2', name: '\u202aAlice' }] } });
    expect(parseCommand((d as { message: { text: string } }).message.text)).toMatchObject({ kind: 'ticket', id: '42' });
  });

  it('does not confuse @_user_1 with @_user_10', () => {
    const many = Array.from({ length: 10 }, (_, i) => ({ key: `@_user_${i + 1}`, openId: i === 0 ? BOT : `ou_${i + 1}`, name: `U${i + 1}` }));
    const d = interpret(messageEvent({ ...base, chatType: 'group', text: '@_user_1 /tickets agent @_user_10', mentions: many }), BOT);
    expect(d).toMatchObject({ message: { text: '/tickets agent @_user_10' } });
  });

  it('marks group messages that do not mention the bot', () => {
    const d = interpret(messageEvent({ ...base, chatType: 'group', text: '@_user_2 /ticket 1', mentions: [alice] }), BOT);
    expect(d).toMatchObject({ kind: 'message', message: { addressedToBot: false } });
    const all = interpret(messageEvent({ ...base, chatType: 'group', text: '@_all /ticket 1', mentions: [{ key: '@_all', openId: '', name: 'all' }] }), BOT);
    expect(all).toMatchObject({ kind: 'message', message: { addressedToBot: false, text: '/ticket 1' } });
  });

  it('reads rich-text (post) messages', () => {
    const d = interpret(
      messageEvent({
        ...base,
        chatType: 'group',
        mentions: [bot],
        post: [
          [
            { tag: 'at', user_id: '@_user_1' },
            { tag: 'text', text: ' /ticket ' },
          ],
          [{ tag: 'text', text: '6626871355780366331' }],
        ],
      }),
      BOT,
    );
    expect(d).toMatchObject({ kind: 'message', message: { text: '/ticket 6626871355780366331', addressedToBot: true } });
  });

  it('ignores other message types and other events, and rejects broken ones', () => {
    const image = messageEvent({ ...base, chatType: 'p2p', text: 'x' });
    (image.event.message as Record<string, unknown>).message_type = 'image';
    expect(interpret(image, BOT)).toMatchObject({ kind: 'ignored' });
    expect(interpret({ schema: '2.0', header: { event_id: 'e1', event_type: 'im.chat.member.user.added_v1' }, event: {} }, BOT)).toMatchObject({ kind: 'ignored', dedupeKey: 'evt:e1' });
    // A name that is a property of every object is still just an unknown event type.
    expect(interpret({ schema: '2.0', header: { event_id: 'e3', event_type: 'constructor' }, event: {} }, BOT)).toMatchObject({ kind: 'ignored' });
    expect(interpret({ schema: '2.0', header: { event_type: 'im.message.receive_v1' }, event: {} }, BOT)).toMatchObject({ kind: 'invalid' });
    expect(interpret({ schema: '2.0', header: { event_id: 'e2', event_type: 'im.message.receive_v1' }, event: { message: 'x' } }, BOT)).toMatchObject({ kind: 'invalid' });
  });

  it('reads card callbacks', () => {
    const d = interpret(cardActionEvent({ token: 't', operatorOpenId: 'ou_op', value: { v: 1 }, messageId: 'om_9', chatId: 'oc_9', cardToken: 'c-1', eventId: 'ev' }), BOT);
    expect(d).toEqual({ kind: 'card-action', dedupeKey: 'evt:ev', action: { eventId: 'ev', operatorOpenId: 'ou_op', value: { v: 1 }, messageId: 'om_9', chatId: 'oc_9', updateToken: 'c-1' } });
  });

  it("carries a submitted form's values and a changed select, keeping only what a form sends", () => {
    const base = { token: 't', operatorOpenId: 'ou_op', messageId: 'om_9', chatId: 'oc_9', cardToken: 'c-1', eventId: 'ev' };
    const submitted = interpret(cardActionEvent({ ...base, value: { v: 1 }, name: 'send', formValue: { text: 'hi', tags: ['VIP', 'vpn'] } }), BOT);
    expect(submitted).toMatchObject({ kind: 'card-action', action: { formValue: { text: 'hi', tags: ['VIP', 'vpn'] } } });
    const odd = cardActionEvent({ ...base, value: { v: 1 }, formValue: { text: 'hi' } });
    (odd.event.action as Record<string, unknown>).form_value = { text: 'hi', n: 5, nested: { a: 1 }, mixed: ['a', 2], list: ['a'] };
    expect(interpret(odd, BOT)).toMatchObject({ action: { formValue: { text: 'hi', list: ['a'] } } });
    expect((interpret(odd, BOT) as { action: { formValue: Record<string, unknown> } }).action.formValue).not.toHaveProperty('n');
    expect(interpret(cardActionEvent({ ...base, tag: 'select_static', option: '2' }), BOT)).toMatchObject({ action: { option: '2' } });
    expect(interpret(cardActionEvent({ ...base, tag: 'multi_select_static', options: ['1', '5'] }), BOT)).toMatchObject({ action: { options: ['1', '5'] } });
  });
});

describe('interpret: chat events', () => {
  const app = { token: '', appId: 'cli_0123456789abcdef' };

  it('welcomes a group the bot was added to', () => {
    const d = interpret(botAddedEvent({ ...app, eventId: 'ev1', chatId: 'oc_g', operatorOpenId: 'ou_adder' }), BOT);
    expect(d).toEqual({ kind: 'event', dedupeKey: 'evt:ev1', event: { kind: 'bot-added', eventId: 'ev1', chatId: 'oc_g', operatorOpenId: 'ou_adder' } });
  });

  it('reads the bot leaving a group, removed or with the group disbanded: the chat and why, nothing more', () => {
    const removed = interpret(botRemovedEvent({ ...app, eventId: 'ev5', chatId: 'oc_g', operatorOpenId: 'ou_remover' }), BOT);
    expect(removed).toEqual({ kind: 'event', dedupeKey: 'evt:ev5', event: { kind: 'chat-gone', eventId: 'ev5', chatId: 'oc_g', reason: 'bot-removed' } });
    const disbanded = interpret(chatDisbandedEvent({ ...app, eventId: 'ev6', chatId: 'oc_g', operatorOpenId: 'ou_owner' }), BOT);
    expect(disbanded).toEqual({ kind: 'event', dedupeKey: 'evt:ev6', event: { kind: 'chat-gone', eventId: 'ev6', chatId: 'oc_g', reason: 'chat-disbanded' } });
    // Without a chat there is nothing to forget: refused, like any broken event.
    for (const event of [botRemovedEvent({ ...app, chatId: 'oc_g', operatorOpenId: 'ou_a' }), chatDisbandedEvent({ ...app, chatId: 'oc_g', operatorOpenId: 'ou_a' })]) {
      expect(interpret({ ...event, event: { ...event.event, chat_id: undefined } }, BOT)).toMatchObject({ kind: 'invalid', reason: expect.stringContaining('without chat_id') });
    }
  });

  it('welcomes a first DM only', () => {
    const first = interpret(p2pChatEnteredEvent({ ...app, eventId: 'ev2', chatId: 'oc_dm', userOpenId: 'ou_new' }), BOT);
    expect(first).toEqual({ kind: 'event', dedupeKey: 'evt:ev2', event: { kind: 'first-dm', eventId: 'ev2', chatId: 'oc_dm', userOpenId: 'ou_new' } });
    const back = interpret(p2pChatEnteredEvent({ ...app, eventId: 'ev3', chatId: 'oc_dm', userOpenId: 'ou_new', lastMessageId: 'om_old', lastMessageTime: 1 }), BOT);
    expect(back).toMatchObject({ kind: 'ignored', dedupeKey: 'evt:ev3' });
  });

  it('reads a menu tap', () => {
    const d = interpret(menuEvent({ ...app, eventId: 'ev4', eventKey: 'my_open', operatorOpenId: 'ou_tapper', operatorName: 'Tap' }), BOT);
    expect(d).toEqual({ kind: 'event', dedupeKey: 'evt:ev4', event: { kind: 'menu', eventId: 'ev4', eventKey: 'my_open', operatorOpenId: 'ou_tapper' } });
  });

  it('rejects chat events without the fields the bot needs', () => {
    const added = botAddedEvent({ ...app, chatId: 'oc_g', operatorOpenId: 'ou_a' });
    expect(interpret({ ...added, event: { ...added.event, chat_id: '' } }, BOT)).toMatchObject({ kind: 'invalid' });
    const tap = menuEvent({ ...app, eventKey: 'help', operatorOpenId: 'ou_a' });
    expect(interpret({ ...tap, event: { ...tap.event, event_key: undefined } }, BOT)).toMatchObject({ kind: 'invalid' });
    expect(interpret({ ...tap, event: { ...tap.event, operator: {} } }, BOT)).toMatchObject({ kind: 'invalid' });
    const entered = p2pChatEnteredEvent({ ...app, chatId: 'oc_dm', userOpenId: 'ou_a' });
    expect(interpret({ ...entered, event: { ...entered.event, operator_id: {} } }, BOT)).toMatchObject({ kind: 'invalid' });
  });
});

describe('interpret: helpdesk ticket events', () => {
  const app = { token: 'tok', appId: 'cli_0123456789abcdef' };

  it("reads a created ticket: its id and status, nothing of the platform's shape past the edge", () => {
    const d = interpret(ticketCreatedEvent({ ...app, eventId: 'ev5', ticket: { ...fullTicket, status: 1 } }), BOT);
    expect(d).toEqual({ kind: 'event', dedupeKey: 'evt:ev5', event: { kind: 'ticket', eventId: 'ev5', ticketId: fullTicket.ticket_id, change: 'created', status: 1 } });
  });

  it('reads an update with the status before it', () => {
    const d = interpret(ticketUpdatedEvent({ ...app, eventId: 'ev6', ticket: { ...fullTicket, status: 51 }, before: { ...fullTicket, status: 2 } }), BOT);
    expect(d).toEqual({ kind: 'event', dedupeKey: 'evt:ev6', event: { kind: 'ticket', eventId: 'ev6', ticketId: fullTicket.ticket_id, change: 'updated', status: 51, previousStatus: 2 } });
  });

  it('refuses a ticket event without a ticket id it could look up', () => {
    const created = ticketCreatedEvent({ ...app, ticket: fullTicket });
    expect(interpret({ ...created, event: { ...created.event, ticket_id: '' } }, BOT)).toMatchObject({ kind: 'invalid' });
    expect(interpret({ ...created, event: { ...created.event, ticket_id: 'abc' } }, BOT)).toMatchObject({ kind: 'invalid' });
    const updated = ticketUpdatedEvent({ ...app, ticket: fullTicket, before: fullTicket });
    expect(interpret({ ...updated, event: { old_object: updated.event.old_object } }, BOT)).toMatchObject({ kind: 'invalid' });
    // A status that is not a status code is left out, not guessed.
    expect(interpret({ ...created, event: { ...created.event, status: 'open' } }, BOT)).toMatchObject({ event: { kind: 'ticket' } });
    expect(interpret({ ...created, event: { ...created.event, status: 'open' } }, BOT)).not.toMatchObject({ event: { status: expect.anything() } });
  });
});

describe('parseCommand', () => {
  it.each([
    ['/watch open tag VIP', { kind: 'watch', args: 'open tag VIP' }],
    ['/关注 未关闭 标签 VIP', { kind: 'watch', args: '未关闭 标签 VIP' }],
    ['/watch', { kind: 'watch', args: '' }],
    ['/unwatch 2', { kind: 'unwatch', args: '2' }],
    ['/取消关注 1', { kind: 'unwatch', args: '1' }],
    ['/board', { kind: 'board' }],
    ['/看板', { kind: 'board' }],
    ['/stats', { kind: 'stats', args: '' }],
    ['/stats 30d tag VIP', { kind: 'stats', args: '30d tag VIP' }],
    ['/statistics 7d', { kind: 'stats', args: '7d' }],
    ['/统计 近30天', { kind: 'stats', args: '近30天' }],
    ['统计 今天', { kind: 'stats', args: '今天' }],
    ['/digest 09:00', { kind: 'digest', args: '09:00' }],
    ['/日报 off', { kind: 'digest', args: 'off' }],
    ['/digest', { kind: 'digest', args: '' }],
    ['看板', { kind: 'board' }],
    ['board', { kind: 'board' }],
    ['/ticket 6626871355780366331', { kind: 'ticket', id: '6626871355780366331' }],
    ['/t 42', { kind: 'ticket', id: '42' }],
    ['/工单 42', { kind: 'ticket', id: '42' }],
    ['／工单 42', { kind: 'ticket', id: '42' }],
    ['/TICKET #42', { kind: 'ticket', id: '42' }],
    ['ticket 42', { kind: 'ticket', id: '42' }],
    ['@_user_2 /ticket 42', { kind: 'ticket', id: '42' }],
    ['/tickets open today', { kind: 'tickets', args: 'open today' }],
    ['/ts', { kind: 'tickets', args: '' }],
    ['/工单列表 处理中', { kind: 'tickets', args: '处理中' }],
    ['', { kind: 'help' }],
    ['/help', { kind: 'help' }],
    ['/帮助', { kind: 'help' }],
    // A ticket id on its own, as "@bot 6626871355780366331" in a group or just the id in a DM.
    ['6626871355780366331', { kind: 'ticket', id: '6626871355780366331' }],
    ['  #6626871355780366331 ', { kind: 'ticket', id: '6626871355780366331' }],
    ['@_user_2 6626871355780366331', { kind: 'ticket', id: '6626871355780366331' }],
    ['６６２６８７１３５５７８０３６６３３１', { kind: 'ticket', id: '6626871355780366331' }],
  ])('%s', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it('asks for a missing id and refuses a non-id', () => {
    expect(parseCommand('/ticket')).toEqual({ kind: 'problem', problem: { kind: 'missing-ticket-id', command: '/ticket' } });
    expect(parseCommand('/ticket abc')).toEqual({ kind: 'problem', problem: { kind: 'not-a-ticket-id', input: 'abc' } });
    expect(parseCommand('/ticket 12a')).toMatchObject({ problem: { kind: 'not-a-ticket-id' } });
  });

  it('suggests the closest command for a typo', () => {
    expect(parseCommand('/tickte 1')).toEqual({ kind: 'problem', problem: { kind: 'unknown-command', word: '/tickte', suggestion: '/ticket' } });
    expect(parseCommand('/stat 7d')).toEqual({ kind: 'problem', problem: { kind: 'unknown-command', word: '/stat', suggestion: '/stats' } });
    expect(parseCommand('/digets 9:00')).toEqual({ kind: 'problem', problem: { kind: 'unknown-command', word: '/digets', suggestion: '/digest' } });
    expect(parseCommand('/zzzzzz')).toEqual({ kind: 'problem', problem: { kind: 'unknown-command', word: '/zzzzzz' } });
    expect(parseCommand('hello there')).toMatchObject({ problem: { kind: 'unknown-command', word: 'hello' } });
    // Digits followed by more words are not a bare ticket id.
    expect(parseCommand('6626871355780366331 please')).toMatchObject({ problem: { kind: 'unknown-command', word: '6626871355780366331' } });
  });
});
