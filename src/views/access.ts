// Who may use the bot, where. Checked for every typed command and every click, before any
// helpdesk call, with the same rules; pure so each rule is testable.
import type { MaskedField } from '../cards/ticket.js';
import type { RefusalReason } from '../commands/problems.js';
import type { ChatType } from '../jobs/types.js';

export interface AccessRules {
  allowDirectMessages: boolean;
  allowGroups: boolean;
  /** open_ids; an empty allow list puts no limit on users. Deny always wins. */
  users: { allow: string[]; deny: string[] };
  /** chat ids; the allow list (when not empty) applies to group chats. Deny always wins. */
  chats: { allow: string[]; deny: string[] };
}

export interface Privacy {
  /** Where guest details are hidden. */
  masking: 'groups' | 'everywhere' | 'off';
  fields: MaskedField[];
}

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
  if (who.chatType === 'p2p' && !rules.allowDirectMessages) return refuse('direct-messages-off');
  if (who.chatType === 'group' && !rules.allowGroups) return refuse('groups-off');
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
  if (chatType === 'p2p' && !rules.allowDirectMessages) return refuse('direct-messages-off');
  if (chatType === 'group' && !rules.allowGroups) return refuse('groups-off');
  if (chatType === 'group' && rules.chats.allow.length > 0 && !rules.chats.allow.includes(chatId)) return refuse('chat-not-allowed');
  return { ok: true };
}

/** Guest details to hide in a chat of this kind. */
export function hiddenFields(privacy: Privacy, chatType: ChatType): MaskedField[] {
  if (privacy.masking === 'off') return [];
  if (privacy.masking === 'groups' && chatType === 'p2p') return [];
  return privacy.fields;
}
