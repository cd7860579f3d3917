// A chat the bot can no longer post to (removed from it, or the group disbanded): its watches,
// boards and live cards are dropped, so no ticket makes the bot try to post or patch there again.
// Nothing is sent to the chat. Told by the platform's event, or, if that was missed, by a post
// the platform refused with the matching code.
import type { ChatGoneReason } from '../jobs/types.js';
import type { WatchContext } from './context.js';

/** How the bot learnt the chat is gone: the platform's event, or a refused post (its error). */
export type GoneSource = { via: 'event'; eventId: string } | { via: 'send-failed'; error: string };

export async function forgetChat(chatId: string, reason: ChatGoneReason, source: GoneSource, ctx: WatchContext): Promise<void> {
  const dropped = await ctx.store.forgetChat(chatId);
  ctx.metrics.watch('chats_forgotten');
  ctx.log.info('chat.forgotten', {
    chat_id: chatId,
    reason,
    ...(source.via === 'event' ? { via: 'event', event_id: source.eventId } : { via: 'send-failed', error: source.error }),
    ...dropped,
  });
}
