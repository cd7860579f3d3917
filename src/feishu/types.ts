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
}
