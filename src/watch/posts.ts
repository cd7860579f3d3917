// A chat's post round: everything its watches matched in the window, as one compact card per
// ticket, or, when more than watch.digest_after came at once, one digest card per watch. Sent as
// new messages to the chat, under its message limit (5 a second), with a uuid per watch and
// ticket (per digest) so a round run twice shows once. Each compact post is a live card.
import type { Json } from '../cards/kit.js';
import { digestCard, watchPostCard } from '../cards/watch.js';
import { chatGone, sendUuid } from '../feishu/messenger.js';
import type { ChatGoneReason } from '../jobs/types.js';
import { StateUnavailable } from '../state/types.js';
import { audienceFor, valueFor } from '../views/audience.js';
import type { WatchContext } from './context.js';
import { forgetChat } from './forget.js';
import { BUSY_FOR_MS, schedulePosts } from './onTicket.js';
import type { PendingPost, Watch } from './store.js';
import { watchLabel, watchList } from './watches.js';
import { messageOf } from '../obs/errors.js';

export async function postMatches(chatId: string, window: string, ctx: WatchContext): Promise<void> {
  const posts = await ctx.store.takePosts(chatId);
  if (posts.length === 0) return;
  const started = ctx.clock();
  const deadline = started + ctx.replyWaitMs;
  const watches = new Map<string, Watch | undefined>();
  for (const id of new Set(posts.map((p) => p.watchId))) watches.set(id, await ctx.store.getWatch(id));
  // A watch removed since its match was noted posts nothing.
  const groups = new Map<Watch, PendingPost[]>();
  for (const post of posts) {
    const watch = watches.get(post.watchId);
    if (watch) groups.set(watch, [...(groups.get(watch) ?? []), post]);
  }
  const total = [...groups.values()].reduce((n, g) => n + g.length, 0);
  const flooded = total > ctx.settings.digest_after;
  let sent = 0;
  let digests = 0;
  let gone: ChatGoneReason | undefined;
  for (const [watch, group] of groups) {
    const audience = audienceFor(ctx, watch.chatId, watch.chatType);
    const label = watchLabel(watch, ctx.timezone);
    const send = async (card: Json, uuidKey: string) => {
      const to = await ctx.messenger.send({ chatId: watch.chatId }, card, sendUuid(uuidKey), { chatId: watch.chatId, deadline });
      sent++;
      return to;
    };
    try {
      if (flooded && group.length > 1) {
        const tickets = group.map((p) => p.ticket).sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0));
        const card = digestCard({
          label,
          tickets,
          timezone: ctx.timezone,
          now: ctx.clock(),
          hideGuestName: audience.hide.includes('name'),
          actions: {
            open: (ticketId) => valueFor(ctx, audience, { kind: 'ticket', ticketId }, { newMessage: true }),
            all: valueFor(ctx, audience, { kind: 'list', list: watchList(watch) }, { newMessage: true }),
          },
        });
        await send(card, `digest:${watch.id}:${window}:${tickets.length}`);
        digests++;
        ctx.metrics.watch('digests');
        continue;
      }
      for (const post of group) {
        const view = { kind: 'ticket' as const, ticketId: post.ticket.id };
        const card = watchPostCard(post.ticket, {
          label,
          change: post.change,
          timezone: ctx.timezone,
          now: ctx.clock(),
          hide: audience.hide,
          actions: { open: valueFor(ctx, audience, view) },
        });
        const message = await send(card, `watch:${watch.id}:${post.ticket.id}`);
        ctx.metrics.watch('posts');
        await ctx.store.rememberCard(message.messageId, { view, chatId: watch.chatId, chatType: watch.chatType, post: { label, change: post.change }, sentAt: ctx.clock() }, ctx.clock(), true);
      }
    } catch (error) {
      if (error instanceof StateUnavailable) throw error;
      // Refused or its turn never came: logged, not retried (the matches are noted as posted, so
      // a retry could only post them twice).
      const why = messageOf(error);
      ctx.log.warn('watch.post_failed', { chat_id: watch.chatId, watch_id: watch.id, error: why });
      // The bot left the chat (the event was missed) or it was disbanded: nothing more is tried there.
      gone = chatGone(error);
      if (gone) {
        await forgetChat(chatId, gone, { via: 'send-failed', error: why }, ctx);
        break;
      }
    }
  }
  ctx.log.info('watch.posted', { chat_id: chatId, matches: total, messages: sent, digests, latency_ms: ctx.clock() - started, ...(gone ? { chat_gone: gone } : {}) });
  if (gone) return;
  if (digests > 0) await ctx.store.markBusy(chatId, BUSY_FOR_MS);
  // Matches noted while this round was sending get a round of their own.
  if (await ctx.store.hasPosts(chatId)) await schedulePosts(chatId, ctx);
}
