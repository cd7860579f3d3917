// Who may use the bot, where. Checked for every typed command and every click, before any
// helpdesk call, with the same rules; pure so each rule is testable.
import type { MaskedField } from '../cards/ticket.js';
import type { RefusalReason } from '../commands/problems.js';
import type { AccessConfig, PrivacyConfig } from '../config/schema.js';
import type { ChatType } from '../jobs/types.js';

/** The rules about people and chats (access.* in app.yaml, where each is explained). */
export type AccessRules = Pick<AccessConfig, 'allow_direct_messages' | 'allow_groups' | 'users' | 'chats'>;

export interface Who {
  userOpenId: string;
  chatId: string;
  chatType: ChatType;
}

export type Verdict = { ok: true } | { ok: false; reason: RefusalReason };

export function checkAccess(rules: AccessRules, who: Who): Verdict {
  const refuse = (reason: RefusalReason): Verdict => ({ ok: false, reason });
  if (rules.users.deny.includes(who.userOpenId)) return refuse('user-denied');
  if (rules.chats.deny.includes(who.chatId)) return refuse('chat-denied');
  if (who.chatType === 'p2p' && !rules.allow_direct_messages) return refuse('direct-messages-off');
  if (who.chatType === 'group' && !rules.allow_groups) return refuse('groups-off');
  if (rules.users.allow.length > 0 && !rules.users.allow.includes(who.userOpenId)) return refuse('user-not-allowed');
  if (who.chatType === 'group' && rules.chats.allow.length > 0 && !rules.chats.allow.includes(who.chatId)) return refuse('chat-not-allowed');
  return { ok: true };
}

/**
 * Whether the bot may answer anyone in this chat, whoever asks: the rules about chats only. Used
 * where there is no asker yet (the welcome card when the bot is added to a group).
 */
export function checkChat(rules: AccessRules, chatId: string, chatType: ChatType): Verdict {
  const refuse = (reason: RefusalReason): Verdict => ({ ok: false, reason });
  if (rules.chats.deny.includes(chatId)) return refuse('chat-denied');
  if (chatType === 'p2p' && !rules.allow_direct_messages) return refuse('direct-messages-off');
  if (chatType === 'group' && !rules.allow_groups) return refuse('groups-off');
  if (chatType === 'group' && rules.chats.allow.length > 0 && !rules.chats.allow.includes(chatId)) return refuse('chat-not-allowed');
  return { ok: true };
}

/** Guest details to hide in a chat of this kind. */
export function hiddenFields(privacy: PrivacyConfig, chatType: ChatType): MaskedField[] {
  if (privacy.masking === 'off') return [];
  if (privacy.masking === 'groups' && chatType === 'p2p') return [];
  return privacy.masked_fields;
}
