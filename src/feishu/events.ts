// Classifies a verified delivery into the few things the bot acts on. This is the edge where the
// platform's payload shapes end; everything past it sees IncomingMessage or CardAction.
import { messageText, splitMentions } from './message.js';
import type { CardAction, ChatType, IncomingMessage } from './types.js';

export type Delivery =
  | { kind: 'challenge'; challenge: string }
  | { kind: 'message'; dedupeKey: string; message: IncomingMessage }
  | { kind: 'card-action'; dedupeKey: string; action: CardAction }
  /** Something we acknowledge and do nothing with (other events, messages not for the bot). */
  | { kind: 'ignored'; dedupeKey?: string; why: string }
  | { kind: 'invalid'; reason: string };

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

export function interpret(payload: Obj, botOpenId: string): Delivery {
  if (payload.type === 'url_verification') {
    const challenge = str(payload.challenge);
    return challenge ? { kind: 'challenge', challenge } : { kind: 'invalid', reason: 'url_verification without a challenge' };
  }
  if (payload.schema !== '2.0') {
    // v1 events: nothing we subscribe to speaks v1, but they must still be acknowledged.
    return { kind: 'ignored', why: 'v1 event' };
  }
  const header = obj(payload.header);
  const event = obj(payload.event);
  const eventId = str(header.event_id);
  if (!eventId) return { kind: 'invalid', reason: 'event without header.event_id' };

  switch (header.event_type) {
    case 'im.message.receive_v1':
      return messageDelivery(event, botOpenId);
    case 'card.action.trigger':
      return cardDelivery(eventId, event);
    default:
      return { kind: 'ignored', dedupeKey: `evt:${eventId}`, why: `event type ${String(header.event_type)}` };
  }
}

function messageDelivery(event: Obj, botOpenId: string): Delivery {
  const message = obj(event.message);
  const sender = obj(event.sender);
  const messageId = str(message.message_id);
  const chatId = str(message.chat_id);
  const chatType = message.chat_type;
  const senderOpenId = str(obj(sender.sender_id).open_id);
  if (!messageId || !chatId || !senderOpenId || (chatType !== 'p2p' && chatType !== 'group')) {
    return { kind: 'invalid', reason: 'message event without message_id, chat_id, chat_type or sender' };
  }
  const dedupeKey = `msg:${messageId}`;
  if (sender.sender_type !== undefined && sender.sender_type !== 'user') {
    return { kind: 'ignored', dedupeKey, why: 'message not sent by a user' };
  }
  const text = messageText(message.message_type, message.content);
  if (text === undefined) return { kind: 'ignored', dedupeKey, why: `message type ${String(message.message_type)}` };

  const { text: commandText, mentions, botMentioned } = splitMentions(text, message.mentions, botOpenId);
  const createdAt = Number(message.create_time);
  const incoming: IncomingMessage = {
    messageId,
    chatId,
    chatType: chatType as ChatType,
    senderOpenId,
    text: commandText,
    mentions,
    addressedToBot: chatType === 'p2p' || botMentioned,
    ...(Number.isFinite(createdAt) && createdAt > 0 ? { createdAt } : {}),
  };
  return { kind: 'message', dedupeKey, message: incoming };
}

function cardDelivery(eventId: string, event: Obj): Delivery {
  const operator = obj(event.operator);
  const action = obj(event.action);
  const context = obj(event.context);
  const operatorOpenId = str(operator.open_id);
  if (!operatorOpenId) return { kind: 'invalid', reason: 'card action without operator.open_id' };
  const messageId = str(context.open_message_id);
  const chatId = str(context.open_chat_id);
  const updateToken = str(event.token);
  return {
    kind: 'card-action',
    dedupeKey: `evt:${eventId}`,
    action: {
      eventId,
      operatorOpenId,
      value: action.value,
      ...(messageId ? { messageId } : {}),
      ...(chatId ? { chatId } : {}),
      ...(updateToken ? { updateToken } : {}),
    },
  };
}
