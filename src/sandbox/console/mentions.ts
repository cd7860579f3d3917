// What a person types in the console ("@Helpdesk Bot /tickets agent @王磊") -> the text and
// mentions of a Feishu message: each "@Name" of a known person becomes a placeholder "@_user_N",
// numbered in the order of mention, with a matching entry in `mentions`.
import type { MentionSpec } from '@helpdesk-bot/feishu-standin/deliveries';

export interface Person {
  openId: string;
  name: string;
}

export interface Addressed {
  /** The text as the platform delivers it, with placeholders. */
  text: string;
  mentions: MentionSpec[];
}

/**
 * In a group the bot only hears messages that mention it, so a group message that does not
 * already mention the bot gets the mention in front, as if the person had picked it first.
 */
export function addressMessage(typed: string, chatType: 'p2p' | 'group', bot: Person, people: readonly Person[]): Addressed {
  const known = [bot, ...people].sort((a, b) => b.name.length - a.name.length);
  const found = mentionsIn(typed, known);
  const text = chatType === 'group' && !found.some((m) => m.person === bot) ? `@${bot.name} ${typed}` : typed;

  const mentions: MentionSpec[] = [];
  let out = '';
  let from = 0;
  for (const m of mentionsIn(text, known)) {
    const key = `@_user_${mentions.length + 1}`;
    mentions.push({ key, openId: m.person.openId, name: m.person.name });
    out += text.slice(from, m.at) + key;
    from = m.at + 1 + m.person.name.length;
  }
  return { text: out + text.slice(from), mentions };
}

function mentionsIn(text: string, known: readonly Person[]): { at: number; person: Person }[] {
  const found: { at: number; person: Person }[] = [];
  for (let at = text.indexOf('@'); at !== -1; ) {
    const person = known.find((p) => text.startsWith(p.name, at + 1));
    if (person) found.push({ at, person });
    at = text.indexOf('@', at + 1 + (person?.name.length ?? 0));
  }
  return found;
}
