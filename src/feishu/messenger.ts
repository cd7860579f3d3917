// Sending cards: reply to a message, send a new one to a chat or a person, patch a sent card, or
// update a card after a callback.
import { createHash } from 'node:crypto';
import type * as lark from '@larksuiteoapi/node-sdk';
import { LateForSlot } from '../resilience/slot.js';
import { fromCode, fromThrown, PlatformError } from './errors.js';
import type { ChatGoneReason } from '../jobs/types.js';

/** A card's JSON, as cards/ builds it: sent as it is. */
export type Card = Record<string, unknown>;

export interface SendOptions {
  /** The chat the message goes to, for the per-chat rate limit. */
  chatId?: string;
  /** Epoch ms after which sending is no longer worth trying. */
  deadline?: number;
  /**
   * A patch only: asked once the patch has its turn under the limits, just before it goes. False:
   * the card shows something else by now (a person clicked on it), so the patch is not sent.
   */
  stillWanted?: () => Promise<boolean>;
}

/** Where a new message goes: a chat, or a person (their DM with the bot). */
export type Recipient = { chatId: string } | { openId: string };

/** The message the platform created. */
export interface Sent {
  messageId: string;
  chatId: string;
}

export interface Messenger {
  /** Replies with a card; idempotent per message id, even across instances. Resolves with the reply. */
  reply(messageId: string, card: Card, options?: SendOptions): Promise<Sent>;
  /**
   * Sends a card as a new message (not a reply); idempotent per `uuid` for an hour, even across
   * instances, so a redelivered event posts it once.
   */
  send(to: Recipient, card: Card, uuid: string, options?: SendOptions): Promise<Sent>;
  /** Replaces the content of a card message the bot sent. */
  patch(messageId: string, card: Card, options?: SendOptions): Promise<void>;
  /** Replaces a card after a callback, with the callback's update token. */
  updateByToken(token: string, card: Card, options?: SendOptions): Promise<void>;
}

/**
 * The platform will never take an update of this message again: past the 14 days (230031), or the
 * message no longer exists (99992354, not a valid message id; 230011, recalled).
 */
export function messageGone(error: unknown): boolean {
  return error instanceof PlatformError && [230031, 99992354, 230011].includes(error.details.code ?? 0);
}

/**
 * The bot can never post to this chat again, per the send and reply APIs' error tables: it is not
 * in the group (230002, "The bot can not be outside the group"), or the group was disbanded
 * (232009, "Your request specifies a chat which has already been dissolved"). Undefined for every
 * other failure.
 */
export function chatGone(error: unknown): ChatGoneReason | undefined {
  if (!(error instanceof PlatformError)) return undefined;
  if (error.details.code === 230002) return 'bot-removed';
  if (error.details.code === 232009) return 'chat-disbanded';
  return undefined;
}

/**
 * The reply's uuid: the platform keeps at most one successful reply per uuid for an hour, so a
 * redelivered message, or the same message handled by two instances, gets one answer.
 */
export function replyUuid(messageId: string): string {
  return 'r' + createHash('sha256').update(messageId).digest('hex').slice(0, 40);
}

/** A uuid for a message sent because of an event (the same event always gives the same uuid). */
export function sendUuid(key: string): string {
  return 's' + createHash('sha256').update(key).digest('hex').slice(0, 40);
}

export function sdkMessenger(client: lark.Client): Messenger {
  return {
    async reply(messageId, card) {
      const res = await send(() =>
        client.im.v1.message.reply({
          path: { message_id: messageId },
          data: { msg_type: 'interactive', content: JSON.stringify(card), uuid: replyUuid(messageId) },
        }),
      );
      return created(res, 'reply');
    },
    async send(to, card, uuid) {
      const [receiveIdType, receiveId] = 'chatId' in to ? (['chat_id', to.chatId] as const) : (['open_id', to.openId] as const);
      const res = await send(() =>
        client.im.v1.message.create({
          params: { receive_id_type: receiveIdType },
          data: { receive_id: receiveId, msg_type: 'interactive', content: JSON.stringify(card), uuid },
        }),
      );
      return created(res, 'send');
    },
    async patch(messageId, card) {
      await send(() => client.im.v1.message.patch({ path: { message_id: messageId }, data: { content: JSON.stringify(card) } }));
    },
    async updateByToken(token, card) {
      // The SDK has no wrapper for this API; client.request still adds the tenant token.
      await send(() => client.request({ method: 'POST', url: '/open-apis/interactive/v1/card/update', data: { token, card } }));
    },
  };
}

/** The message the platform says it created. */
function created(res: unknown, op: string): Sent {
  const data = (res as { data?: { message_id?: unknown; chat_id?: unknown } } | undefined)?.data;
  const messageId = data?.message_id;
  const chatId = data?.chat_id;
  if (typeof messageId !== 'string' || typeof chatId !== 'string') throw new PlatformError('upstream', `${op} failed: the answer names no message_id and chat_id`);
  return { messageId, chatId };
}

/** Calls the SDK and turns every failure into a PlatformError; resolves with the platform's answer. */
async function send(fn: () => Promise<unknown>): Promise<unknown> {
  let res: { code?: unknown; msg?: unknown } | undefined;
  try {
    res = (await fn()) as typeof res;
  } catch (e) {
    // Not sent at all: the retry loop gives it another slot.
    if (e instanceof LateForSlot) throw e;
    throw fromThrown(e, 'send failed:');
  }
  if (res && typeof res.code === 'number' && res.code !== 0) throw fromCode(res.code, res.msg, undefined, 'send failed: the platform');
  return res;
}
