// The scopes the bot needs, and what each is for, as the doctor checks them. A need is met by any
// one of its scopes. docs/setup.md's list names the same (test/e2e/doctor.test.ts holds them together).
import type { Config } from '../config/schema.js';

export interface NeededScope {
  anyOf: string[];
  for: string;
  /** Only a feature is missing without it: a warning, not a failure. */
  optional?: boolean;
  /** Needed only with these settings. */
  when?: (config: Config) => boolean;
}

export const NEEDED_SCOPES: NeededScope[] = [
  { anyOf: ['im:message.p2p_msg:readonly'], for: 'receive direct messages', when: (c) => c.access.allow_direct_messages },
  { anyOf: ['im:message.group_at_msg:readonly', 'im:message.group_msg'], for: 'receive group messages that @-mention the bot', when: (c) => c.access.allow_groups },
  { anyOf: ['im:message:send_as_bot', 'im:message'], for: 'reply, post and update cards' },
  { anyOf: ['helpdesk:all:readonly', 'helpdesk:all'], for: 'read tickets' },
  {
    anyOf: ['im:chat:readonly', 'im:chat', 'im:chat.members:bot_access'],
    for: 'the welcome card when the bot is added to a group, and forgetting a group the bot leaves (events im.chat.member.bot.added_v1, im.chat.member.bot.deleted_v1, im.chat.disbanded_v1)',
    optional: true,
    when: (c) => c.access.allow_groups,
  },
  {
    anyOf: ['im:chat.access_event.bot_p2p_chat:read'],
    for: 'the welcome card on a first direct message (event im.chat.access_event.bot_p2p_chat_entered_v1)',
    optional: true,
    when: (c) => c.access.allow_direct_messages,
  },
];
