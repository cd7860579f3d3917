// Where a card goes, and so what its buttons are bound to and what it hides: the chat and its kind.
import type { MaskedField } from '../cards/ticket.js';
import type { PrivacyConfig } from '../config/schema.js';
import type { ChatType } from '../jobs/types.js';
import { hiddenFields } from './access.js';
import type { ButtonValues } from './buttons.js';
import type { TicketAct } from './act.js';
import type { View } from './view.js';

/** Where the card goes: decides the buttons' bound chat and what is hidden. */
export interface Audience {
  chatId: string;
  chatType: ChatType;
  hide: readonly MaskedField[];
}

/** The audience of a card sent to this chat, under the privacy settings. */
export const audienceFor = (ctx: { privacy: PrivacyConfig }, chatId: string, chatType: ChatType): Audience => ({
  chatId,
  chatType,
  hide: hiddenFields(ctx.privacy, chatType),
});

/** A button bound to the chat of the card it is on (and, for an action, what it does and whose it is). */
export const valueFor = (ctx: { values: ButtonValues }, audience: Audience, view: View, extra: { fresh?: boolean; newMessage?: boolean; act?: TicketAct; for?: string } = {}) =>
  ctx.values.encode({
    view,
    fresh: extra.fresh ?? false,
    ...(extra.newMessage ? { newMessage: true } : {}),
    chatId: audience.chatId,
    chatType: audience.chatType,
    ...(extra.act ? { act: extra.act } : {}),
    ...(extra.for ? { for: extra.for } : {}),
  });
