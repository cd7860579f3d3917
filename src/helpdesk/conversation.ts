// Which pages of a ticket's conversation to read, and what to keep of them. The API pages the
// messages oldest first (page_size at most 200); a card needs the first messages (the guest's
// opening words) and the latest few, so at most the first and the last one or two pages are read.
import type { Conversation, Message } from './types.js';

/** The API's largest page: most conversations fit in one. */
const PAGE_SIZE = 200;
/** Kept from the start of the conversation: enough to find the guest's first message. */
const KEEP_FIRST = 8;
/** Kept from the end: the latest messages a card shows, and a few to spare. */
const KEEP_LATEST = 6;

export type MessagePage = (page: number, pageSize: number) => Promise<{ total: number; messages: Message[] }>;

export async function conversationOf(read: MessagePage): Promise<Conversation> {
  const first = await read(1, PAGE_SIZE);
  let messages = first.messages;
  const total = Math.max(first.total, messages.length);
  const pages = Math.ceil(total / PAGE_SIZE);
  if (pages > 1) {
    const last = await read(pages, PAGE_SIZE);
    const tail = last.messages.length < KEEP_LATEST && pages > 2 ? [...(await read(pages - 1, PAGE_SIZE)).messages, ...last.messages] : last.messages;
    messages = [...messages.slice(0, KEEP_FIRST), ...tail];
  }
  return { total, messages: keep(messages) };
}

/** Oldest first, each message once, only the first and the latest few. */
export function keep(messages: Message[]): Message[] {
  const seen = new Set<string>();
  const unique = messages
    .map((m, i) => ({ m, i }))
    .sort((a, b) => (a.m.createdAt ?? 0) - (b.m.createdAt ?? 0) || a.i - b.i)
    .map(({ m }) => m)
    .filter((m) => (seen.has(m.id) ? false : (seen.add(m.id), true)));
  if (unique.length <= KEEP_FIRST + KEEP_LATEST) return unique;
  return [...unique.slice(0, KEEP_FIRST), ...unique.slice(-KEEP_LATEST)];
}
