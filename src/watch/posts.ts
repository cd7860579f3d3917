// A chat's post round: everything its watches matched in the window. Each ticket is posted once
// in a chat, whichever and however many of its watches it matched (the post names them all), and
// never again there for another watch; when more than watch.digest_after come at once, they come as
// one digest card for the chat. Sent as new messages, under the chat's message limit (5 a second),
// with a uuid per chat and ticket (per digest) so a round run twice shows once. Each post says
// what the customer asked, and is a live card.
import type { Json } from '../cards/kit.js';
import { DIGEST_ROWS, digestCard, watchesLabel, watchPostCard } from '../cards/watch.js';
import { chatGone, sendUuid } from '../feishu/messenger.js';
import type { Ticket } from '../helpdesk/types.js';
import type { ChatGoneReason } from '../jobs/types.js';
import { StateUnavailable } from '../state/types.js';
import { audienceFor, valueFor } from '../views/audience.js';
import { newestFirst } from '../views/listing.js';
import type { WatchContext } from './context.js';
import { forgetChat } from './forget.js';
import { questionsOf } from './questions.js';
import { BUSY_FOR_MS, schedulePosts } from './onTicket.js';
import type { Watch } from './store.js';
import { watchLabel, watchList } from './watches.js';
import { messageOf } from '../obs/errors.js';

/** A ticket to post in the chat, with the watches it matched. */
interface Match {
  ticket: Ticket;
  change: 'created' | 'updated';
  watches: (Watch & { number: number })[];
}

export async function postMatches(chatId: string, window: string, ctx: WatchContext): Promise<void> {
  const posts = await ctx.store.takePosts(chatId);
  if (posts.length === 0) return;
  const started = ctx.clock();
  const deadline = started + ctx.replyWaitMs;
  // A watch removed since its match was noted posts nothing.
  const watches = new Map((await ctx.store.chatWatches(chatId)).map((w) => [w.id, w]));
  const byTicket = new Map<string, Match>();
  for (const post of posts) {
    const watch = watches.get(post.watchId);
    if (!watch) continue;
    const match = byTicket.get(post.ticket.id) ?? { ticket: post.ticket, change: post.change, watches: [] };
    // The ticket as last looked up; "new" if it was created within the window.
    if ((post.ticket.updatedAt ?? 0) >= (match.ticket.updatedAt ?? 0)) match.ticket = post.ticket;
    if (post.change === 'created') match.change = 'created';
    if (!match.watches.includes(watch)) match.watches.push(watch);
    byTicket.set(post.ticket.id, match);
  }
  // Posted here before, for another watch: the chat has it already (kept current as it changes).
  const fresh = new Set(await ctx.store.claimPostedInChat(chatId, [...byTicket.keys()]));
  const matches = [...byTicket.values()].filter((m) => fresh.has(m.ticket.id)).sort((a, b) => newestFirst(a.ticket, b.ticket));
  const first = matches[0]?.watches[0];
  if (!first) return;
  const audience = audienceFor(ctx, chatId, first.chatType);
  const flooded = matches.length > ctx.settings.digest_after;
  // A digest shows its first rows only: only theirs are asked for (a bulk import is not hundreds of calls).
  const shown = flooded ? matches.slice(0, DIGEST_ROWS) : matches;
  const questions = await questionsOf(
    ctx.helpdesk,
    shown.map((m) => m.ticket),
    audience,
    deadline,
  );
  let sent = 0;
  let gone: ChatGoneReason | undefined;
  /** Sends one card; a refusal is logged, not retried (the matches are noted as posted, so a retry could only post them twice). */
  const send = async (card: Json, uuidKey: string): Promise<string | undefined> => {
    try {
      const to = await ctx.messenger.send({ chatId }, card, sendUuid(uuidKey), { chatId, deadline });
      sent++;
      return to.messageId;
    } catch (error) {
      if (error instanceof StateUnavailable) throw error;
      const why = messageOf(error);
      ctx.log.warn('watch.post_failed', { chat_id: chatId, error: why });
      // The bot left the chat (the event was missed) or it was disbanded: nothing more is tried there.
      gone = chatGone(error);
      if (gone) await forgetChat(chatId, gone, { via: 'send-failed', error: why }, ctx);
      return undefined;
    }
  };
  if (flooded) {
    const involved = [...new Set(matches.flatMap((m) => m.watches))].sort((a, b) => a.number - b.number);
    const card = digestCard({
      watches: involved.map((w) => ({ number: w.number, label: watchLabel(w, ctx.timezone), all: valueFor(ctx, audience, { kind: 'list', list: watchList(w) }, { newMessage: true }) })),
      tickets: matches.map((m) => m.ticket),
      ...(questions ? { questions } : {}),
      timezone: ctx.timezone,
      now: ctx.clock(),
      hideGuestName: audience.hide.includes('name'),
      actions: { open: (ticketId) => valueFor(ctx, audience, { kind: 'ticket', ticketId }, { newMessage: true }) },
    });
    if (await send(card, `digest:${chatId}:${window}:${matches.length}`)) ctx.metrics.watch('digests');
  } else {
    for (const match of matches) {
      const { ticket, change } = match;
      const view = { kind: 'ticket' as const, ticketId: ticket.id };
      const label = watchesLabel(match.watches.sort((a, b) => a.number - b.number).map((w) => ({ number: w.number, label: watchLabel(w, ctx.timezone) })));
      const card = watchPostCard(ticket, {
        label,
        change,
        ...(questions?.has(ticket.id) ? { question: questions.get(ticket.id)! } : {}),
        timezone: ctx.timezone,
        now: ctx.clock(),
        hide: audience.hide,
        actions: { open: valueFor(ctx, audience, view) },
      });
      const messageId = await send(card, `watch:${chatId}:${ticket.id}`);
      if (gone) break;
      if (!messageId) continue;
      ctx.metrics.watch('posts');
      await ctx.store.rememberCard(messageId, { view, chatId, chatType: audience.chatType, post: { label, change }, sentAt: ctx.clock() }, ctx.clock(), true);
    }
  }
  ctx.log.info('watch.posted', { chat_id: chatId, matches: matches.length, messages: sent, digests: flooded && sent > 0 ? 1 : 0, latency_ms: ctx.clock() - started, ...(gone ? { chat_gone: gone } : {}) });
  if (gone) return;
  if (flooded) await ctx.store.markBusy(chatId, BUSY_FOR_MS);
  // Matches noted while this round was sending get a round of their own.
  if (await ctx.store.hasPosts(chatId)) await schedulePosts(chatId, ctx);
}
