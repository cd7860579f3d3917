// One job per ticket event does all of it: look the ticket up (the event carries no tags or agents;
// fresh, through the resilient helpdesk), match it against every watch, note each match once per
// watch and queue it for its chat's post window, then schedule the refresh of the ticket's live
// cards and of the boards. Posting, patching and recounting are jobs of their own, coalesced per
// window (a delayed job with one id per window), so a burst of events costs one post round per
// chat, one patch per card and one recount per window.
import { checkChat } from '../views/access.js';
import { matchesList } from '../views/listing.js';
import type { TicketEvent } from '../jobs/types.js';
import { newStats } from '../helpdesk/api.js';
import { slim } from '../helpdesk/read.js';
import { PlatformError } from '../feishu/errors.js';
import type { Ticket } from '../helpdesk/types.js';
import { coalesce } from '../jobs/job.js';
import type { WatchContext } from './context.js';
import { noteOnBoard } from './board.js';

/** A chat's matches are posted together at the end of this window... */
export const POST_WINDOW_MS = 2000;
/** ...and, for a minute after it got a digest (a bulk import), of this one. */
export const BUSY_POST_WINDOW_MS = 20_000;
export const BUSY_FOR_MS = 60_000;
/** A ticket's cards are patched at most once per window (the platform takes 5 a second per message). */
export const CARDS_WINDOW_MS = 2000;

export async function onTicketEvent(event: TicketEvent, ctx: WatchContext): Promise<void> {
  const started = ctx.clock();
  const stats = newStats();
  let ticket: Ticket;
  try {
    ticket = await ctx.helpdesk.getTicket(event.ticketId, { fresh: true, deadline: started + ctx.commandBudgetMs, stats });
  } catch (error) {
    if (error instanceof PlatformError && (error.kind === 'not-found' || error.kind === 'bad-request' || error.kind === 'unauthorized')) {
      // Not a ticket this helpdesk credential can see: nothing to do, now or later.
      ctx.log.warn('ticket_event.skipped', { event_id: event.eventId, ticket_id: event.ticketId, change: event.change, reason: error.kind });
      return;
    }
    // Busy or failing: run the job again later (with Redis; in one process the failure is logged).
    throw error;
  }

  const watches = await ctx.store.allWatches();
  const chats = new Map<string, number>();
  for (const watch of watches) {
    if (!matchesList(watch.list, ticket)) continue;
    // A chat the access rules no longer allow gets nothing.
    if (!checkChat(ctx.access, watch.chatId, watch.chatType).ok) continue;
    const [first] = await ctx.store.claimPosted(watch.id, [ticket.id]);
    if (!first) continue;
    await ctx.store.queuePost(watch.chatId, { watchId: watch.id, ticket: slim(ticket), change: event.change });
    chats.set(watch.chatId, (chats.get(watch.chatId) ?? 0) + 1);
  }
  for (const chatId of chats.keys()) await schedulePosts(chatId, ctx);

  const now = ctx.clock();
  const cards = coalesce(now, CARDS_WINDOW_MS);
  const hasCards = (await ctx.store.cardsOf(ticket.id)).length > 0;
  if (hasCards) await ctx.enqueue({ kind: 'cards-refresh', ticketId: ticket.id, window: cards.window }, { delayMs: cards.delayMs });
  await noteOnBoard(ticket, ctx);
  ctx.metrics.watch('ticket_events');
  ctx.log.info('ticket_event', {
    event_id: event.eventId,
    ticket_id: ticket.id,
    change: event.change,
    status: ticket.status ?? null,
    ...(event.previousStatus !== undefined ? { previous_status: event.previousStatus } : {}),
    watches: watches.length,
    posted_to: [...chats.keys()],
    live_cards: hasCards,
    upstream_calls: stats.upstreamCalls,
    latency_ms: ctx.clock() - started,
  });
}

/** The chat's post round at the end of its window (a longer one while it is flooded). */
export async function schedulePosts(chatId: string, ctx: WatchContext): Promise<void> {
  const windowMs = (await ctx.store.isBusy(chatId)) ? BUSY_POST_WINDOW_MS : POST_WINDOW_MS;
  const { window, delayMs } = coalesce(ctx.clock(), windowMs);
  const queued = await ctx.enqueue({ kind: 'watch-post', chatId, window }, { delayMs });
  if (!queued) ctx.log.warn('watch.post_not_queued', { chat_id: chatId });
}
