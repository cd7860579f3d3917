// Messages the bot sends (replies, and new messages to a chat or a person) and the patches it makes
// to them.
import type { Request, RequestHandler, Response } from 'express';
import { bodyOf } from './body.js';
import { checkCardContent, describeFailure } from './cards.js';
import type { ChatBook } from './chats.js';
import { E } from './codes.js';
import { newMessageId, newThreadId, stableHex } from './ids.js';
import { isObject, tryParse, type JsonObject } from './json.js';
import { pathParam } from './request.js';
import { sendError, sendJson } from './respond.js';
import { dropWhile } from './retention.js';
import type { SentMessage } from './types.js';

/** Cards and rich text may be at most 30 KB on the wire, text 150 KB (IM reply and patch docs). */
const MAX_BODY_BYTES: Record<string, number> = { interactive: 30 * 1024, post: 30 * 1024, text: 150 * 1024 };
const MAX_UUID_LENGTH = 50;
const UUID_WINDOW_MS = 3600_000;
const EDIT_WINDOW_MS = 14 * 24 * 3600_000;

interface KnownMessage {
  chatId: string;
  rootId?: string;
}

export interface MessageContext {
  appId: string;
  tenantKey: string;
  now: () => number;
}

export class MessageStore {
  readonly sent = new Map<string, SentMessage>();
  private readonly incoming = new Map<string, KnownMessage>();
  private readonly byUuid = new Map<string, { messageId: string; at: number }>();
  private readonly p2p = new Map<string, string>();
  /** Each chat's message ids (sent and incoming), least recently sent or changed first. */
  private readonly chats = new Map<string, Set<string>>();

  /** `perChat`: messages kept in each chat; beyond it the least recently sent or changed are forgotten. */
  constructor(private readonly perChat = Infinity) {}

  /** The DM chat between the bot and a person: registered (the console's), or derived from the open_id. */
  p2pChatFor(openId: string): string {
    return this.p2p.get(openId) ?? `oc_${stableHex(`p2p:${openId}`, 32)}`;
  }

  registerP2pChat(openId: string, chatId: string): void {
    this.p2p.set(openId, chatId);
  }

  /** Tells the stand-in about a message the platform delivered, so replies land in its chat. */
  registerIncoming(messageId: string, chatId: string, rootId?: string): void {
    this.incoming.set(messageId, { chatId, rootId });
    this.keep(chatId, messageId);
  }

  isIncoming(messageId: string): boolean {
    return this.incoming.has(messageId);
  }

  /** The message a uuid already produced within the last hour, if any. */
  byRecentUuid(uuid: string, now: number): SentMessage | undefined {
    const seen = this.byUuid.get(uuid);
    return seen && now - seen.at < UUID_WINDOW_MS ? this.sent.get(seen.messageId) : undefined;
  }

  add(message: SentMessage): void {
    this.sent.set(message.messageId, message);
    // Added in time order: the uuids whose hour is over are at the start.
    dropWhile(this.byUuid, (seen) => message.createdAt - seen.at >= UUID_WINDOW_MS);
    if (message.uuid !== undefined) this.byUuid.set(message.uuid, { messageId: message.messageId, at: message.createdAt });
    this.keep(message.chatId, message.messageId);
  }

  /** A patch or card update replaced the message's content at `now`. */
  changed(message: SentMessage, content: string, now: number): void {
    message.content = content;
    message.updates += 1;
    message.updatedAt = now;
    this.keep(message.chatId, message.messageId);
  }

  /** Moves the message to its chat's newest end, and forgets the chat's oldest beyond the cap. */
  private keep(chatId: string | undefined, messageId: string): void {
    if (chatId === undefined) return;
    const ids = this.chats.get(chatId) ?? new Set<string>();
    this.chats.set(chatId, ids);
    ids.delete(messageId);
    ids.add(messageId);
    for (const oldest of ids) {
      if (ids.size <= this.perChat) break;
      ids.delete(oldest);
      this.sent.delete(oldest);
      this.incoming.delete(oldest);
    }
  }

  /** Chat and root of a reply to `target`; an unknown target gets a chat id derived from its id. */
  placeReplyTo(target: string): KnownMessage {
    const own = this.sent.get(target);
    if (own) return { chatId: own.chatId ?? chatFor(target), rootId: own.rootId };
    const incoming = this.incoming.get(target);
    return { chatId: incoming?.chatId ?? chatFor(target), rootId: incoming?.rootId ?? target };
  }
}

const chatFor = (messageId: string): string => `oc_${stableHex(`chat:${messageId}`, 32)}`;

/** The message object the IM APIs answer with. */
export function messageData(message: SentMessage, ctx: MessageContext): JsonObject {
  return {
    message_id: message.messageId,
    ...(message.rootId === undefined ? {} : { root_id: message.rootId }),
    ...(message.replyTo === undefined ? {} : { parent_id: message.replyTo }),
    ...(message.threadId === undefined ? {} : { thread_id: message.threadId }),
    msg_type: message.msgType,
    create_time: String(message.createdAt),
    update_time: String(message.updatedAt),
    deleted: false,
    updated: message.updates > 0,
    chat_id: message.chatId,
    sender: { id: ctx.appId, id_type: 'app_id', sender_type: 'app', tenant_key: ctx.tenantKey },
    body: { content: message.content },
  };
}

const fieldViolation = (res: Response, field: string, description: string, value?: unknown) =>
  sendError(res, E.fieldValidation, {
    detail: { field_violations: [{ field, description, ...(value === undefined ? {} : { value }) }] },
  });

/** Size and content checks shared by reply and patch; answers and returns false on failure. */
function contentAccepted(req: Request, res: Response, msgType: string, content: string): boolean {
  const limit = MAX_BODY_BYTES[msgType];
  if (limit !== undefined && bodyOf(req).size > limit) {
    sendError(res, E.imContentTooLong, { ext: `request body is ${bodyOf(req).size} bytes, at most ${limit}` });
    return false;
  }
  if (msgType === 'interactive') {
    const check = checkCardContent(content);
    if (!check.ok) {
      sendError(res, E.imBadCard, { ext: describeFailure(check) });
      return false;
    }
  } else if (!isObject(tryParse(content)?.value)) {
    sendError(res, E.imInvalidParam, { ext: `content of a ${msgType} message must be a JSON object string` });
    return false;
  }
  return true;
}

interface NewMessage {
  msgType: string;
  content: string;
  uuid?: string;
}

/** The fields a reply and a send share, checked as the platform does; answers and returns undefined on failure. */
function newMessageFields(req: Request, res: Response, fields: JsonObject): NewMessage | undefined {
  const { msg_type: msgType, content, uuid } = fields;
  if (typeof msgType !== 'string' || msgType === '') return void fieldViolation(res, 'msg_type', 'msg_type is required');
  if (typeof content !== 'string' || content === '') return void fieldViolation(res, 'content', 'content is required');
  if (uuid !== undefined && typeof uuid !== 'string') return void fieldViolation(res, 'uuid', 'uuid must be a string');
  if (typeof uuid === 'string' && uuid.length > MAX_UUID_LENGTH) return void fieldViolation(res, 'uuid', `the max len is ${MAX_UUID_LENGTH}`, uuid);
  if (!contentAccepted(req, res, msgType, content)) return undefined;
  return { msgType, content, ...(uuid === undefined ? {} : { uuid }) };
}

/**
 * Creates the message and answers with it; at most one success per uuid within an hour, so a
 * repeat gets the first message back.
 */
function createOnce(store: MessageStore, ctx: MessageContext, res: Response, fields: NewMessage, place: Pick<SentMessage, 'chatId' | 'replyTo' | 'rootId' | 'threadId'>): void {
  const now = ctx.now();
  const earlier = fields.uuid === undefined ? undefined : store.byRecentUuid(fields.uuid, now);
  if (earlier) return sendJson(res, 200, { code: 0, msg: 'success', data: messageData(earlier, ctx) });
  const message: SentMessage = { messageId: newMessageId(), ...place, ...fields, updates: 0, createdAt: now, updatedAt: now };
  store.add(message);
  sendJson(res, 200, { code: 0, msg: 'success', data: messageData(message, ctx) });
}

/** POST /open-apis/im/v1/messages/:message_id/reply */
export function replyToMessage(store: MessageStore, ctx: MessageContext, chats: ChatBook): RequestHandler {
  return (req, res) => {
    const target = pathParam(req, 'message_id');
    if (!target.startsWith('om_')) return sendError(res, E.invalidMessageId);
    const body = bodyOf(req).json;
    const fields = isObject(body) ? body : {};
    const inThread = fields['reply_in_thread'];
    if (inThread !== undefined && typeof inThread !== 'boolean') {
      return fieldViolation(res, 'reply_in_thread', 'reply_in_thread must be a boolean');
    }
    const message = newMessageFields(req, res, fields);
    if (!message) return;
    const place = store.placeReplyTo(target);
    const refused = chats.refusal(place.chatId);
    if (refused) return sendError(res, refused);
    createOnce(store, ctx, res, message, {
      replyTo: target,
      rootId: place.rootId ?? target,
      chatId: place.chatId,
      ...(inThread === true ? { threadId: newThreadId() } : {}),
    });
  };
}

const RECEIVE_ID_TYPES: Record<string, RegExp> = {
  chat_id: /^oc_[A-Za-z0-9_-]+$/,
  open_id: /^ou_[A-Za-z0-9_-]+$/,
  union_id: /^on_[A-Za-z0-9_-]+$/,
  user_id: /^[A-Za-z0-9_-]+$/,
  email: /^[^@\s]+@[^@\s]+$/,
};

/** POST /open-apis/im/v1/messages?receive_id_type=… */
export function sendMessage(store: MessageStore, ctx: MessageContext, chats: ChatBook): RequestHandler {
  return (req, res) => {
    const type = req.query['receive_id_type'];
    if (typeof type !== 'string' || type === '') return fieldViolation(res, 'receive_id_type', 'receive_id_type is required');
    const shape = RECEIVE_ID_TYPES[type];
    if (!shape) return fieldViolation(res, 'receive_id_type', `receive_id_type must be one of ${Object.keys(RECEIVE_ID_TYPES).join(', ')}`, type);
    const body = bodyOf(req).json;
    const fields = isObject(body) ? body : {};
    const receiveId = fields['receive_id'];
    if (typeof receiveId !== 'string' || receiveId === '') return fieldViolation(res, 'receive_id', 'receive_id is required');
    if (!shape.test(receiveId)) return sendError(res, E.imInvalidParam, { ext: `receive_id is not a valid ${type}` });
    const message = newMessageFields(req, res, fields);
    if (!message) return;
    // Other id kinds would need the directory; the bot sends to chats and open_ids only.
    const refused = type === 'chat_id' ? chats.refusal(receiveId) : undefined;
    if (refused) return sendError(res, refused);
    createOnce(store, ctx, res, message, { chatId: type === 'chat_id' ? receiveId : store.p2pChatFor(receiveId) });
  };
}

/** PATCH /open-apis/im/v1/messages/:message_id */
export function patchMessage(store: MessageStore, ctx: MessageContext): RequestHandler {
  return (req, res) => {
    const id = pathParam(req, 'message_id');
    const message = store.sent.get(id);
    if (!message) {
      return store.isIncoming(id) ? sendError(res, E.imInvalidParam, { ext: 'the message was not sent by this bot' }) : sendError(res, E.invalidMessageId);
    }
    const body = bodyOf(req).json;
    const content = isObject(body) ? body['content'] : undefined;
    if (typeof content !== 'string' || content === '') return fieldViolation(res, 'content', 'content is required');
    if (message.msgType !== 'interactive') {
      return sendError(res, E.imInvalidParam, { ext: 'only card (interactive) messages can be patched' });
    }
    const now = ctx.now();
    if (now - message.createdAt > EDIT_WINDOW_MS) return sendError(res, E.imEditWindowOver);
    if (!contentAccepted(req, res, message.msgType, content)) return;

    store.changed(message, content, now);
    sendJson(res, 200, { code: 0, msg: 'success', data: {} });
  };
}
