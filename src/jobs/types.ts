// The small shapes that feishu/ hands to the rest of the bot. Raw platform payloads stop here.

export type ChatType = 'p2p' | 'group';

/** Someone mentioned in a message, other than the bot itself. */
export interface Mention {
  /** The placeholder in the text, such as "@_user_2". */
  key: string;
  openId?: string;
  name?: string;
}

export interface IncomingMessage {
  messageId: string;
  chatId: string;
  chatType: ChatType;
  senderOpenId: string;
  /** The text with the bot's own mention removed; other mentions stay as their placeholders. */
  text: string;
  mentions: Mention[];
  /** Whether the bot was mentioned (always true for a DM). */
  addressedToBot: boolean;
  /** Epoch ms the message was created, as the platform says. */
  createdAt?: number;
}

export interface CardAction {
  eventId: string;
  operatorOpenId: string;
  /** The button's value, untrusted: validate before use. */
  value: unknown;
  messageId?: string;
  chatId?: string;
  /** Token for the delayed card update API (valid 30 minutes, two uses). */
  updateToken?: string;
  /**
   * What a form's fields held when it was submitted, by field name (a multi-select's as a list).
   * Untrusted input, unsigned: only strings and lists of strings are kept; validate before use.
   */
  formValue?: Record<string, string | string[]>;
  /** A select changed outside a form: the option (a multi-select: the options) now chosen. Untrusted. */
  option?: string;
  options?: string[];
}

/** Why the bot can no longer post to a chat. */
export type ChatGoneReason = 'bot-removed' | 'chat-disbanded';

/**
 * Platform events the bot acts on after the acknowledgement, other than messages and clicks.
 * Plain data: each is also a Job (job.ts), queued and run like a message.
 */
export type ChatEvent =
  /** The bot was added to a group (im.chat.member.bot.added_v1): post the welcome card there. */
  | { kind: 'bot-added'; eventId: string; chatId: string; operatorOpenId?: string }
  /**
   * The bot can no longer post to a group: it was removed (im.chat.member.bot.deleted_v1) or the
   * group was disbanded (im.chat.disbanded_v1). Its watches, boards and live cards there are dropped.
   */
  | { kind: 'chat-gone'; eventId: string; chatId: string; reason: ChatGoneReason }
  /** Someone opened a DM with the bot for the first time (im.chat.access_event.bot_p2p_chat_entered_v1). */
  | { kind: 'first-dm'; eventId: string; chatId: string; userOpenId: string }
  /** Someone tapped an item of the bot's menu (application.bot.menu_v6). */
  | { kind: 'menu'; eventId: string; eventKey: string; operatorOpenId: string };

/**
 * A helpdesk ticket was created or changed (helpdesk.ticket.created_v1 / updated_v1). The event
 * carries no tags or agents, so the bot looks the ticket up before acting on it. Plain data, a Job
 * like the others.
 */
export interface TicketEvent {
  kind: 'ticket';
  eventId: string;
  ticketId: string;
  change: 'created' | 'updated';
  /** The status the event reports, and for an update the one before it, when given. */
  status?: number;
  previousStatus?: number;
}
