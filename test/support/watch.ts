// Shared by the watch tests: tickets to create in the stand-in, and what the bot sent where.
import type { Harness } from './harness.js';
import type { RawTicket } from '@helpdesk-bot/feishu-standin';
import { until } from './wait.js';
import { WatchStore } from '../../src/watch/store.js';

export const AGENT = { id: 'ou_agent_lilei', name: 'Li Lei' };
export const GROUP = 'oc_group_test';

let next = 0n;
/** A new open ticket with a unique id (a guest, no agent, the given status and tags). */
export function newTicket(over: Omit<Partial<RawTicket>, 'tags'> & { tags?: string[] } = {}): RawTicket {
  const { tags, ...rest } = over;
  const id = String(7900000000000000000n + BigInt(Date.now() % 1_000_000) * 1000n + next++);
  return {
    ticket_id: id,
    status: 1,
    ticket_type: 1,
    guest: { id: 'ou_guest_watch', name: '王小明', email: 'xiaoming.wang@example.com' },
    channel: 2,
    ...(tags ? { tags: tags.map((name, i) => ({ id: `74748575959467458${80 + i}`, name })) } : {}),
    ...rest,
  };
}

/** Messages the bot sent on its own (not replies) to a chat. */
export const postsTo = (h: Harness, chatId: string) => [...h.standin.messages.values()].filter((m) => m.chatId === chatId && m.replyTo === undefined);

/** The parsed JSON log lines with this event. */
export const logged = (h: Harness, event: string) => h.log.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === event);

/** Waits for the bot to have handled the ticket event with this id (its one log line). */
export const handled = (h: Harness, eventId: string) => until(`the bot to handle event ${eventId}`, () => logged(h, 'ticket_event').find((l) => l.event_id === eventId));

/** Waits for a chat's post round that included this many matches or more, in all. */
export const postRounds = (h: Harness, chatId: string) => logged(h, 'watch.posted').filter((l) => l.chat_id === chatId);

/**
 * Waits until the bot remembers a message as a live card: it does so right after the platform
 * answered the send, so an event in that moment would not reach the card yet.
 */
export const remembered = (h: Harness, messageId: string) =>
  until(`message ${messageId} to be a live card`, async () => {
    const store = new WatchStore(h.bot.state.records);
    const card = await store.getCard(messageId);
    return card && (await store.cardsOf(card.view.ticketId)).some((c) => c.messageId === messageId) ? card : undefined;
  });
