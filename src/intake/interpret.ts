// Classifies a verified delivery into the few things the bot acts on. This is the edge where the
// platform's payload shapes end; everything past it sees IncomingMessage, CardAction, ChatEvent or
// TicketEvent.
// Both intakes (webhook and long connection) hand their payloads here. Each event type the bot
// handles is one entry of EVENTS.
import { messageText, splitMentions } from './message.js';
import type { CardAction, ChatEvent, ChatGoneReason, ChatType, IncomingMessage, TicketEvent } from '../jobs/types.js';

export type Delivery =
  | { kind: 'challenge'; challenge: string }
  | { kind: 'message'; dedupeKey: string; message: IncomingMessage }
  | { kind: 'card-action'; dedupeKey: string; action: CardAction }
  | { kind: 'event'; dedupeKey: string; event: ChatEvent | TicketEvent }
  /** Something we acknowledge and do nothing with (other events, messages not for the bot). */
  | { kind: 'ignored'; dedupeKey?: string; why: string }
  | { kind: 'invalid'; reason: string };

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
/** A status code, which the platform sends as a number (a numeric string is taken too). */
const code = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && /^\d{1,4}$/.test(v) ? Number(v) : v;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
};
const TICKET_ID = /^\d{1,32}$/;

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

  const type = String(header.event_type);
  const handler = Object.hasOwn(EVENTS, type) ? EVENTS[type] : undefined;
  if (!handler) return { kind: 'ignored', dedupeKey: `evt:${eventId}`, why: `event type ${type}` };
  return handler(event, { eventId, botOpenId });
}

interface Context {
  eventId: string;
  botOpenId: string;
}

/** Every event type the bot handles. Others are acknowledged and ignored. */
const EVENTS: Record<string, (event: Obj, ctx: Context) => Delivery> = {
  'im.message.receive_v1': (event, ctx) => messageDelivery(event, ctx.botOpenId),
  'card.action.trigger': (event, ctx) => cardDelivery(ctx.eventId, event),
  'im.chat.member.bot.added_v1': (event, ctx) => {
    const chatId = str(event.chat_id);
    if (!chatId) return { kind: 'invalid', reason: 'bot added event without chat_id' };
    const operatorOpenId = str(obj(event.operator_id).open_id);
    return chatEvent(ctx, { kind: 'bot-added', eventId: ctx.eventId, chatId, ...(operatorOpenId ? { operatorOpenId } : {}) });
  },
  // The same payload shape: {chat_id, operator_id, external, operator_tenant_key, name, i18n_names}.
  'im.chat.member.bot.deleted_v1': (event, ctx) => goneDelivery(event, ctx, 'bot-removed'),
  'im.chat.disbanded_v1': (event, ctx) => goneDelivery(event, ctx, 'chat-disbanded'),
  'im.chat.access_event.bot_p2p_chat_entered_v1': (event, ctx) => {
    const chatId = str(event.chat_id);
    const userOpenId = str(obj(event.operator_id).open_id);
    if (!chatId || !userOpenId) return { kind: 'invalid', reason: 'DM entered event without chat_id or operator_id.open_id' };
    // Only a chat with no earlier message is new; someone coming back is not welcomed again.
    if (str(event.last_message_id)) return { kind: 'ignored', dedupeKey: `evt:${ctx.eventId}`, why: 'DM entered again' };
    return chatEvent(ctx, { kind: 'first-dm', eventId: ctx.eventId, chatId, userOpenId });
  },
  // Pushed only after the bot subscribed (POST /open-apis/helpdesk/v1/events/subscribe, at start-up).
  'helpdesk.ticket.created_v1': (event, ctx) => ticketEvent(ctx, 'created', event, {}),
  'helpdesk.ticket.updated_v1': (event, ctx) => ticketEvent(ctx, 'updated', obj(event.object), obj(event.old_object)),
  'application.bot.menu_v6': (event, ctx) => {
    const eventKey = str(event.event_key);
    const operatorOpenId = str(obj(obj(event.operator).operator_id).open_id);
    if (!eventKey || !operatorOpenId) return { kind: 'invalid', reason: 'menu event without event_key or operator open_id' };
    return chatEvent(ctx, { kind: 'menu', eventId: ctx.eventId, eventKey, operatorOpenId });
  },
};

const chatEvent = (ctx: Context, event: ChatEvent | TicketEvent): Delivery => ({ kind: 'event', dedupeKey: `evt:${ctx.eventId}`, event });

/** The bot left a chat or the chat is gone: the same for the bot, whichever event said so. */
function goneDelivery(event: Obj, ctx: Context, reason: ChatGoneReason): Delivery {
  const chatId = str(event.chat_id);
  if (!chatId) return { kind: 'invalid', reason: `${reason === 'bot-removed' ? 'bot removed' : 'chat disbanded'} event without chat_id` };
  return chatEvent(ctx, { kind: 'chat-gone', eventId: ctx.eventId, chatId, reason });
}

/** The ticket's id and status; the rest of the payload (guest, custom fields) is not needed. */
function ticketEvent(ctx: Context, change: 'created' | 'updated', ticket: Obj, before: Obj): Delivery {
  const ticketId = typeof ticket.ticket_id === 'number' && Number.isSafeInteger(ticket.ticket_id) ? String(ticket.ticket_id) : str(ticket.ticket_id);
  if (!ticketId || !TICKET_ID.test(ticketId)) return { kind: 'invalid', reason: `helpdesk ticket ${change} event without a ticket_id` };
  const status = code(ticket.status);
  const previousStatus = code(before.status);
  return chatEvent(ctx, {
    kind: 'ticket',
    eventId: ctx.eventId,
    ticketId,
    change,
    ...(status !== undefined ? { status } : {}),
    ...(previousStatus !== undefined ? { previousStatus } : {}),
  });
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
  const formValue = fields(action.form_value);
  const option = typeof action.option === 'string' ? action.option : undefined;
  const options = strings(action.options);
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
      ...(formValue ? { formValue } : {}),
      ...(option !== undefined ? { option } : {}),
      ...(options ? { options } : {}),
    },
  };
}

/** A list of strings, or undefined (anything else in it drops the whole list: it is not what a select sends). */
const strings = (v: unknown): string[] | undefined => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined);

/**
 * A form's values by field name, keeping only what a form sends (a string, or a list of strings
 * from a multi-select); a field of any other shape is dropped, and the bot then sees it as empty.
 */
function fields(v: unknown): Record<string, string | string[]> | undefined {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const kept: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(v as Obj)) {
    const list = strings(value);
    if (typeof value === 'string') kept[name] = value;
    else if (list) kept[name] = list;
  }
  return kept;
}
