// Turns an im.message.receive_v1 message into plain command text plus the people it mentions.
// Mentions stay in the text as their placeholders (@_user_N) so a command can take one as an
// argument; only the bot's own placeholders and @_all are removed.
import { dropInvisible } from '../cards/kit.js';
import type { Mention } from '../jobs/types.js';

export interface RawMention {
  key?: unknown;
  id?: { open_id?: unknown };
  name?: unknown;
}

/**
 * The text of a text or post message, or undefined for any other kind of message; without
 * zero-width or direction marks, so "/ticket\u200b 123" (pasted) is the command it looks like.
 */
export function messageText(messageType: unknown, content: unknown): string | undefined {
  const text = rawText(messageType, content);
  return text === undefined ? undefined : dropInvisible(text);
}

function rawText(messageType: unknown, content: unknown): string | undefined {
  if (typeof content !== 'string') return undefined;
  let body: unknown;
  try {
    body = JSON.parse(content);
  } catch {
    return undefined;
  }
  if (!body || typeof body !== 'object') return undefined;
  if (messageType === 'text') {
    const text = (body as { text?: unknown }).text;
    return typeof text === 'string' ? text : undefined;
  }
  if (messageType === 'post') return postText(body as Record<string, unknown>);
  return undefined;
}

/** Rich text: paragraphs of nodes, possibly wrapped in a locale key. */
function postText(body: Record<string, unknown>): string | undefined {
  const post = Array.isArray(body.content) ? body : Object.values(body).find((v) => v && typeof v === 'object' && Array.isArray((v as Record<string, unknown>).content));
  const paragraphs = (post as { content?: unknown } | undefined)?.content;
  if (!Array.isArray(paragraphs)) return undefined;
  const lines = paragraphs.map((paragraph) =>
    (Array.isArray(paragraph) ? paragraph : [])
      .map((node: unknown) => {
        if (!node || typeof node !== 'object') return '';
        const n = node as Record<string, unknown>;
        if ((n.tag === 'text' || n.tag === 'a' || n.tag === 'code_block') && typeof n.text === 'string') return n.text;
        if (n.tag === 'at' && typeof n.user_id === 'string') return ` ${n.user_id} `;
        return '';
      })
      .join(''),
  );
  return lines.join('\n');
}

export interface Addressed {
  text: string;
  mentions: Mention[];
  botMentioned: boolean;
}

/** Separates the bot's own mention from the others and strips its placeholder from the text. */
export function splitMentions(text: string, raw: unknown, botOpenId: string): Addressed {
  const all = (Array.isArray(raw) ? raw : []).filter((m): m is RawMention => !!m && typeof m === 'object');
  const mentions: Mention[] = [];
  const botKeys: string[] = [];
  for (const m of all) {
    if (typeof m.key !== 'string' || !/^@_[A-Za-z0-9_]+$/.test(m.key)) continue;
    const openId = typeof m.id?.open_id === 'string' ? m.id.open_id : undefined;
    if (openId && openId === botOpenId) {
      botKeys.push(m.key);
    } else if (m.key !== '@_all') {
      mentions.push({ key: m.key, ...(openId ? { openId } : {}), ...(typeof m.name === 'string' ? { name: dropInvisible(m.name) } : {}) });
    }
  }
  let stripped = text;
  for (const key of [...botKeys, '@_all']) {
    // "@_user_1" must not also strip the front of "@_user_10".
    stripped = stripped.replace(new RegExp(`${escapeRegExp(key)}(?![A-Za-z0-9_])`, 'g'), ' ');
  }
  return { text: stripped.replace(/\s+/g, ' ').trim(), mentions, botMentioned: botKeys.length > 0 };
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
