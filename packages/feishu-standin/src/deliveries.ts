// What the platform sends to the bot, byte for byte: encrypted and signed bodies, and the payloads
// of the events the bot handles. Used by tests and by the sandbox console.
import { createCipheriv, createHash, randomBytes, randomInt } from 'node:crypto';
import { idsForOpenId, newChatId, newEventId, newMessageId, stableHex, tenantKeyFor } from './ids.js';
import type { RawTicket } from './types.js';

/** base64(16-byte random IV + AES-256-CBC/PKCS#7 ciphertext), key = SHA-256(encryptKey). */
export function encrypt(encryptKey: string, plaintext: string): string {
  const key = createHash('sha256').update(encryptKey).digest();
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

/** hex(SHA-256(timestamp + nonce + encryptKey + rawBody)), over the exact bytes sent. */
export function sign(encryptKey: string, timestamp: number | string, nonce: string, rawBody: string): string {
  return createHash('sha256').update(`${timestamp}${nonce}${encryptKey}${rawBody}`).digest('hex');
}

export interface DeliveryOptions {
  encryptKey?: string;
  /** Seconds; now by default. */
  timestamp?: number;
  nonce?: string;
  /** Default: true when an encrypt key is given. */
  encrypt?: boolean;
  /** Default: true when an encrypt key is given. */
  sign?: boolean;
}

export interface Delivery {
  body: string;
  headers: Record<string, string>;
}

/** The HTTP body and headers of one delivery of `payload` to the bot's event or callback URL. */
export function delivery(payload: object, opts: DeliveryOptions = {}): Delivery {
  const { encryptKey } = opts;
  const shouldEncrypt = opts.encrypt ?? encryptKey !== undefined;
  const shouldSign = opts.sign ?? encryptKey !== undefined;
  if ((shouldEncrypt || shouldSign) && encryptKey === undefined) {
    throw new Error('delivery: encrypting or signing needs an encryptKey');
  }
  const plain = JSON.stringify(payload);
  const body = shouldEncrypt && encryptKey !== undefined ? JSON.stringify({ encrypt: encrypt(encryptKey, plain) }) : plain;
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = opts.nonce ?? String(randomInt(1_000_000_000, 10_000_000_000));
  const headers: Record<string, string> = {
    'Content-Type': 'application/json; charset=utf-8',
    'X-Lark-Request-Timestamp': timestamp,
    'X-Lark-Request-Nonce': nonce,
  };
  if (shouldSign && encryptKey !== undefined) headers['X-Lark-Signature'] = sign(encryptKey, timestamp, nonce, body);
  return { body, headers };
}

/** The challenge sent when the request URL is saved in the developer console (v1 style). */
export function urlVerification(opts: { token: string; challenge?: string }) {
  return { challenge: opts.challenge ?? newEventId(), token: opts.token, type: 'url_verification' as const };
}

export interface MentionSpec {
  /** The placeholder in the text, such as "@_user_1". */
  key: string;
  openId: string;
  name: string;
}

/** A rich-text node as the sender wrote it; "at" nodes name a mention key. */
export type PostNode = { tag: 'text'; text: string } | { tag: 'at'; user_id: string; user_name?: string };

export interface MessageEventOptions {
  /** The verification token. */
  token: string;
  appId: string;
  tenantKey?: string;
  messageId?: string;
  chatId?: string;
  chatType: 'p2p' | 'group';
  senderOpenId: string;
  /** A text message; mention placeholders ("@_user_1") stay in the text. */
  text?: string;
  /** A rich-text (post) message: paragraphs of nodes. */
  post?: PostNode[][];
  mentions?: MentionSpec[];
  rootId?: string;
  parentId?: string;
  eventId?: string;
  /** Epoch ms; now by default. */
  createTime?: number;
}

function postContent(post: PostNode[][], mentions: readonly MentionSpec[]): string {
  const content = post.map((paragraph) =>
    paragraph.map((node) =>
      node.tag === 'text'
        ? { tag: 'text', text: node.text, style: [] }
        : {
            tag: 'at',
            user_id: node.user_id,
            user_name: node.user_name ?? mentions.find((m) => m.key === node.user_id)?.name ?? '',
            style: [],
          },
    ),
  );
  return JSON.stringify({ title: '', content });
}

/** A schema 2.0 im.message.receive_v1 event, as delivered to the event URL. */
export function messageEvent(opts: MessageEventOptions) {
  if (opts.text !== undefined && opts.post !== undefined) throw new Error('messageEvent: give text or post, not both');
  const tenantKey = opts.tenantKey ?? tenantKeyFor(opts.appId);
  const createTime = String(opts.createTime ?? Date.now());
  const mentions = opts.mentions ?? [];
  const isPost = opts.post !== undefined;
  return {
    schema: '2.0' as const,
    header: {
      event_id: opts.eventId ?? newEventId(),
      event_type: 'im.message.receive_v1' as const,
      create_time: createTime,
      token: opts.token,
      app_id: opts.appId,
      tenant_key: tenantKey,
    },
    event: {
      sender: { sender_id: idsForOpenId(opts.senderOpenId), sender_type: 'user', tenant_key: tenantKey },
      message: {
        message_id: opts.messageId ?? newMessageId(),
        ...(opts.rootId === undefined ? {} : { root_id: opts.rootId }),
        ...(opts.parentId === undefined ? {} : { parent_id: opts.parentId }),
        create_time: createTime,
        update_time: createTime,
        chat_id: opts.chatId ?? newChatId(),
        chat_type: opts.chatType,
        message_type: isPost ? 'post' : 'text',
        content: opts.post !== undefined ? postContent(opts.post, mentions) : JSON.stringify({ text: opts.text ?? '' }),
        ...(mentions.length === 0
          ? {}
          : {
              mentions: mentions.map((m) => ({
                key: m.key,
                id: idsForOpenId(m.openId),
                name: m.name,
                tenant_key: tenantKey,
              })),
            }),
      },
    },
  };
}

/** A form's values as the platform sends them: strings, and arrays for multi-selects. */
export type FormValue = Record<string, string | string[]>;

/**
 * What was done on the card: a button clicked (with its form's values when it submits one), or,
 * outside a form, a select or picker changed (`option`; `options` for a multi-select).
 */
export type CardAction =
  | { tag?: 'button'; value: unknown; name?: string; formValue?: FormValue }
  | { tag: 'select_static' | 'select_person' | 'date_picker' | 'picker_time' | 'picker_datetime'; value?: unknown; name?: string; option: string; timezone?: string }
  | { tag: 'multi_select_static' | 'multi_select_person'; value?: unknown; name?: string; options: string[] };

export type CardActionEventOptions = CardAction & {
  /** The verification token. */
  token: string;
  operatorOpenId: string;
  messageId: string;
  chatId: string;
  /** The card update token ("c-…"), e.g. from StandIn.issueCardToken. */
  cardToken: string;
  eventId?: string;
  appId?: string;
  tenantKey?: string;
  /** Epoch ms; now by default. Sent in microseconds, as the platform does for callbacks. */
  createTime?: number;
};

/** event.action as the platform sends it (the Go SDK's CallBackAction names these fields). */
function actionOf(action: CardAction) {
  const common = { ...(action.value === undefined ? {} : { value: action.value }), tag: action.tag ?? 'button', ...(action.name === undefined ? {} : { name: action.name }) };
  if ('option' in action) return { ...common, option: action.option, ...(action.timezone === undefined ? {} : { timezone: action.timezone }) };
  if ('options' in action) return { ...common, options: action.options };
  return { ...common, ...(action.formValue === undefined ? {} : { form_value: action.formValue }) };
}

/** A schema 2.0 card.action.trigger callback: a button click, a form submitted, a select changed. */
export function cardActionEvent(opts: CardActionEventOptions) {
  const tenantKey = opts.tenantKey ?? (opts.appId === undefined ? undefined : tenantKeyFor(opts.appId));
  return {
    schema: '2.0' as const,
    header: {
      event_id: opts.eventId ?? newEventId(),
      token: opts.token,
      create_time: String((opts.createTime ?? Date.now()) * 1000),
      event_type: 'card.action.trigger' as const,
      ...(tenantKey === undefined ? {} : { tenant_key: tenantKey }),
      ...(opts.appId === undefined ? {} : { app_id: opts.appId }),
    },
    event: {
      operator: { ...(tenantKey === undefined ? {} : { tenant_key: tenantKey }), ...idsForOpenId(opts.operatorOpenId) },
      token: opts.cardToken,
      action: actionOf(opts),
      host: 'im_message',
      context: { open_message_id: opts.messageId, open_chat_id: opts.chatId },
    },
  };
}

interface EventHeaderOptions {
  /** The verification token; the long connection sends "". */
  token: string;
  appId: string;
  tenantKey?: string;
  eventId?: string;
  /** Epoch ms; now by default. */
  createTime?: number;
}

function header(type: string, opts: EventHeaderOptions) {
  return {
    event_id: opts.eventId ?? newEventId(),
    event_type: type,
    create_time: String(opts.createTime ?? Date.now()),
    token: opts.token,
    app_id: opts.appId,
    tenant_key: opts.tenantKey ?? tenantKeyFor(opts.appId),
  };
}

type GroupEventOptions = EventHeaderOptions & { chatId: string; operatorOpenId: string; chatName?: string };

/** im.chat.member.bot.added_v1: someone added the bot to a group. */
export const botAddedEvent = (opts: GroupEventOptions) => groupEvent('im.chat.member.bot.added_v1', opts);

/** im.chat.member.bot.deleted_v1: someone removed the bot from a group (sent to the bot removed). */
export const botRemovedEvent = (opts: GroupEventOptions) => groupEvent('im.chat.member.bot.deleted_v1', opts);

/** im.chat.disbanded_v1: someone disbanded a group the bot was in. */
export const chatDisbandedEvent = (opts: GroupEventOptions) => groupEvent('im.chat.disbanded_v1', opts);

/** The three group events share one payload: the chat, who did it, and the group's names. */
function groupEvent(type: string, opts: GroupEventOptions) {
  const tenantKey = opts.tenantKey ?? tenantKeyFor(opts.appId);
  return {
    schema: '2.0' as const,
    header: header(type, opts),
    event: {
      chat_id: opts.chatId,
      operator_id: idsForOpenId(opts.operatorOpenId),
      external: false,
      operator_tenant_key: tenantKey,
      name: opts.chatName ?? 'Helpdesk team',
      i18n_names: { zh_cn: opts.chatName ?? '服务台', en_us: opts.chatName ?? 'Helpdesk team' },
    },
  };
}

/**
 * im.chat.access_event.bot_p2p_chat_entered_v1: someone opened their DM with the bot. A first visit
 * has no last message.
 */
export function p2pChatEnteredEvent(opts: EventHeaderOptions & { chatId: string; userOpenId: string; lastMessageId?: string; lastMessageTime?: number }) {
  return {
    schema: '2.0' as const,
    header: header('im.chat.access_event.bot_p2p_chat_entered_v1', opts),
    event: {
      chat_id: opts.chatId,
      operator_id: idsForOpenId(opts.userOpenId),
      last_message_id: opts.lastMessageId ?? '',
      last_message_create_time: opts.lastMessageTime === undefined ? '' : String(opts.lastMessageTime),
    },
  };
}

/** application.bot.menu_v6: someone tapped an item of the bot's menu (event_key ≤ 30 characters). */
export function menuEvent(opts: EventHeaderOptions & { eventKey: string; operatorOpenId: string; operatorName?: string }) {
  return {
    schema: '2.0' as const,
    header: header('application.bot.menu_v6', opts),
    event: {
      operator: { operator_name: opts.operatorName ?? '', operator_id: idsForOpenId(opts.operatorOpenId) },
      event_key: opts.eventKey,
      timestamp: Math.floor((opts.createTime ?? Date.now()) / 1000),
    },
  };
}

/** The ticket's fields a helpdesk ticket event carries (not its tags, agents or comment). */
function ticketEventObject(ticket: RawTicket, helpdeskId: string | undefined) {
  const guestId = ticket.guest?.id;
  return {
    ticket_id: ticket.ticket_id,
    ...((ticket.helpdesk_id ?? helpdeskId) ? { helpdesk_id: ticket.helpdesk_id ?? helpdeskId } : {}),
    ...(ticket.guest ? { guest: { ...(guestId ? { id: idsForOpenId(guestId) } : {}), ...(ticket.guest.name ? { name: ticket.guest.name } : {}) } } : {}),
    // 1 bot, 2 human: the ticket's stage follows whether an agent took it.
    stage: ticket.ticket_type === 2 ? 2 : 1,
    ...(ticket.status !== undefined ? { status: ticket.status } : {}),
    ...(ticket.score !== undefined ? { score: ticket.score } : {}),
    ...(ticket.created_at !== undefined ? { created_at: ticket.created_at } : {}),
    ...(ticket.updated_at !== undefined ? { updated_at: ticket.updated_at } : {}),
    ...(ticket.closed_at !== undefined ? { closed_at: ticket.closed_at } : {}),
    ...(ticket.channel !== undefined ? { channel: ticket.channel } : {}),
    ...(ticket.solve !== undefined ? { solve: ticket.solve } : {}),
    customized_fields: ticket.customized_fields ?? [],
    chat_id: `oc_${stableHex(`ticket-chat:${ticket.ticket_id}`, 32)}`,
  };
}

/** helpdesk.ticket.created_v1: a ticket was created (pushed only to apps that subscribed). */
export function ticketCreatedEvent(opts: EventHeaderOptions & { ticket: RawTicket; helpdeskId?: string }) {
  return { schema: '2.0' as const, header: header('helpdesk.ticket.created_v1', opts), event: ticketEventObject(opts.ticket, opts.helpdeskId) };
}

/** helpdesk.ticket.updated_v1: a ticket changed; old_object has its stage, status and update time before. */
export function ticketUpdatedEvent(opts: EventHeaderOptions & { ticket: RawTicket; before: RawTicket; helpdeskId?: string }) {
  return {
    schema: '2.0' as const,
    header: header('helpdesk.ticket.updated_v1', opts),
    event: {
      object: ticketEventObject(opts.ticket, opts.helpdeskId),
      old_object: {
        stage: opts.before.ticket_type === 2 ? 2 : 1,
        ...(opts.before.status !== undefined ? { status: opts.before.status } : {}),
        ...(opts.before.updated_at !== undefined ? { updated_at: opts.before.updated_at } : {}),
      },
    },
  };
}
