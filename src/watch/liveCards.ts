// Cards that stay current. Every ticket card the bot shows (a reply to /ticket, a watch's post, a
// ticket opened from a list or a board) is remembered with what is needed to draw it again for
// the same viewers (the view, the chat, whether it is a watch's compact post), never the card
// itself; boards likewise. When the ticket changes, its cards are drawn again and patched, once
// per window however many events arrive, and never past the platform's 14 days.
import type { Json } from '../cards/kit.js';
import { watchPostCard } from '../cards/watch.js';
import type { View } from '../views/view.js';
import { showView } from '../views/show.js';
import type { Audience } from '../views/audience.js';
import { messageGone } from '../feishu/messenger.js';
import { StateUnavailable } from '../state/types.js';
import { signature } from './board.js';
import type { BoardCounts } from '../cards/board.js';
import { audienceFor, valueFor } from '../views/audience.js';
import type { WatchContext } from './context.js';
import { askQuestions, questionsOf } from './questions.js';
import type { PendingQuestion, ReadPage } from '../views/show.js';
import { EDITABLE_MS, type LiveCard } from './store.js';
import { messageOf } from '../obs/errors.js';

/** Cards of one ticket patched on one change, at most (the newest). */
const MAX_REFRESHED = 100;

/**
 * Remembers what a message now shows: a ticket card or a board is kept current from here on; a
 * message that was clicked into something else (a list) is not a ticket's card any more.
 */
export async function noteShown(
  ctx: WatchContext,
  messageId: string,
  shown: { view: View; ok: boolean; counts?: BoardCounts; read?: ReadPage; pending?: PendingQuestion[] },
  audience: Audience,
  sentAt: number,
  clicked: boolean,
): Promise<void> {
  const { view } = shown;
  const now = ctx.clock();
  // A list page is filled in with its questions as they come; anything else shown there ends that.
  if (view.kind === 'list' && shown.read) await askQuestions(ctx, messageId, { read: shown.read, chatId: audience.chatId, chatType: audience.chatType, pending: shown.pending ?? [] });
  else if (clicked) await ctx.store.forgetList(messageId);
  if (view.kind === 'ticket' && shown.ok) {
    await ctx.store.rememberCard(messageId, { view, chatId: audience.chatId, chatType: audience.chatType, sentAt }, now, !clicked);
  } else if (view.kind === 'board' && shown.ok) {
    await ctx.store.rememberBoard(messageId, { chatId: audience.chatId, chatType: audience.chatType, sentAt, ...(shown.counts ? { shown: signature(shown.counts) } : {}) }, now, !clicked);
  } else if (view.kind === 'list' && clicked) {
    await ctx.store.forgetCard(messageId);
  }
}

/** Draws the card again as its viewers had it: the watch's compact post, or the full ticket card. */
async function redraw(card: LiveCard, ctx: WatchContext, deadline: number): Promise<Json | undefined> {
  const audience = audienceFor(ctx, card.chatId, card.chatType);
  if (card.post) {
    const ticket = await ctx.helpdesk.getTicket(card.view.ticketId, { deadline });
    const question = (await questionsOf(ctx.helpdesk, [ticket], audience, deadline))?.get(ticket.id);
    return watchPostCard(ticket, {
      label: card.post.label,
      change: card.post.change,
      ...(question !== undefined ? { question } : {}),
      timezone: ctx.timezone,
      now: ctx.clock(),
      hide: audience.hide,
      actions: { open: valueFor(ctx, audience, card.view) },
    });
  }
  const outcome = await showView(card.view, audience, { deadline }, ctx);
  // A ticket that cannot be shown now (gone, helpdesk failing) keeps the card it had.
  return outcome.outcome === 'ok' ? outcome.card : undefined;
}

export async function refreshCards(ticketId: string, ctx: WatchContext): Promise<void> {
  const cards = (await ctx.store.cardsOf(ticketId)).slice(-MAX_REFRESHED);
  if (cards.length === 0) return;
  const started = ctx.clock();
  let patched = 0;
  for (const { messageId, card } of cards) {
    if (ctx.clock() - card.sentAt >= EDITABLE_MS) {
      await ctx.store.dropCard(ticketId, messageId);
      continue;
    }
    try {
      const drawn = await redraw(card, ctx, started + ctx.commandBudgetMs);
      if (!drawn) continue;
      await ctx.messenger.patch(messageId, drawn, { chatId: card.chatId, deadline: started + ctx.replyWaitMs });
      patched++;
      ctx.metrics.watch('card_updates');
    } catch (error) {
      if (error instanceof StateUnavailable) throw error;
      if (messageGone(error)) await ctx.store.dropCard(ticketId, messageId);
      ctx.log.warn('card.patch_failed', { message_id: messageId, ticket_id: ticketId, error: messageOf(error) });
    }
  }
  ctx.log.info('cards.refreshed', { ticket_id: ticketId, cards: cards.length, patched, latency_ms: ctx.clock() - started });
}
