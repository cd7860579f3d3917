// The bot core: what it does with each piece of work after the acknowledgement (a message, a click
// too slow for its callback, a chat event, a ticket event and what that schedules) and with a card
// callback. Each kind is answered in its own module; watches, live cards and boards are in watch/.
import type { Json } from '../cards/kit.js';
import type { Job } from '../jobs/job.js';
import type { CardAction, IncomingMessage } from '../jobs/types.js';
import { refreshBoards } from '../watch/board.js';
import { forgetChat } from '../watch/forget.js';
import { refreshCards } from '../watch/liveCards.js';
import { onTicketEvent } from '../watch/onTicket.js';
import { postMatches } from '../watch/posts.js';
import { fillStats } from '../stats/show.js';
import { postDigest, resumeDigests } from '../watch/dailyDigest.js';
import { fillQuestions } from '../watch/questions.js';
import { menuTap, welcome } from './chatEvents.js';
import type { Failure } from '../feishu/signIn.js';
import { messageOf } from '../obs/errors.js';
import { afterSignIn, finishedSignIn, pollSignIn } from './asAgent.js';
import { onCardAction, openCard, updateCard } from './clicks.js';
import { onMessage } from './commands.js';
import type { BotContext } from './context.js';

export type { BotContext } from './context.js';

export interface Bot {
  /**
   * Does queued work to the end: answers a message, welcomes a chat, answers a menu tap, updates
   * or opens a card after a click, or acts on a ticket event (and on the posts, card updates and
   * recounts it schedules). Rejects when the shared state was unavailable, so the job
   * is run again (its reply's uuid keeps a second answer from showing).
   */
  run(job: Job): Promise<void>;
  /** `receivedAt`: when its delivery was accepted (epoch ms), for the latency; now if not given. */
  onMessage(message: IncomingMessage, receivedAt?: number): Promise<void>;
  onCardAction(action: CardAction): Promise<Json>;
  /** Queues the chats' daily digests again at start-up (a missed one is posted now). */
  resume(): Promise<void>;
  /** GET /oauth/callback: how the sign-in ended, for the page; the click it was for runs as queued work. */
  onSignInCallback(query: Record<string, unknown>): Promise<SignInOutcome>;
}

/** What the sign-in page tells the person: signed in (as whom), or why not; `off` when sign-in is not set up. */
export type SignInOutcome = { ok: true; name: string } | { ok: false; reason: Failure | 'off' };

export function createBot(ctx: BotContext): Bot {
  /** Ticket events and the work they schedule run in their own small pool. */
  const onEvent = (task: () => Promise<void>) => ctx.eventWorker(task);
  return {
    run(job) {
      switch (job.kind) {
        case 'message':
          return onMessage(ctx, job.message, job.receivedAt);
        case 'card-update':
          return updateCard(ctx, job.action);
        case 'bot-added':
        case 'first-dm':
          return welcome(ctx, job);
        case 'menu':
          return menuTap(ctx, job);
        case 'chat-gone':
          return forgetChat(job.chatId, job.reason, { via: 'event', eventId: job.eventId }, ctx);
        case 'card-open':
          return openCard(ctx, job.action);
        case 'ticket':
          return onEvent(() => onTicketEvent(job, ctx));
        case 'watch-post':
          return postMatches(job.chatId, job.window, ctx);
        case 'cards-refresh':
          return onEvent(() => refreshCards(job.ticketId, ctx));
        case 'boards-refresh':
          return onEvent(() => refreshBoards(ctx));
        case 'stats-fill':
          return ctx.statsWorker(() => fillStats(job, ctx));
        case 'daily-digest':
          return ctx.statsWorker(() => postDigest(job, ctx));
        case 'sign-in-done':
          return afterSignIn(ctx, job);
        case 'sign-in-poll':
          return pollSignIn(ctx, job);
        // Mostly waiting for its turn under the messages limit: no worker is held for it, so
        // ticket events do not wait behind a list's questions.
        case 'list-questions':
          return fillQuestions(job.messageId, job.page, ctx);
      }
    },
    onMessage: (message, receivedAt) => onMessage(ctx, message, receivedAt),
    onCardAction: (action) => onCardAction(ctx, action),
    resume: () => resumeDigests(ctx),
    async onSignInCallback(query) {
      if (!ctx.signIn) return { ok: false, reason: 'off' };
      const finished = await ctx.signIn.flow.finish(query).catch((error: unknown) => {
        // The state is spent by now: what went wrong is said, not only the page's "unavailable".
        ctx.log.warn('sign_in.callback_failed', { error: messageOf(error) });
        throw error;
      });
      ctx.log.info('sign_in.callback', { user: finished.openId ?? null, outcome: finished.ok ? 'ok' : finished.reason });
      await finishedSignIn(ctx, finished).catch((error: unknown) => {
        ctx.log.warn('sign_in.callback_failed', { user: finished.openId ?? null, error: messageOf(error) });
        throw error;
      });
      return finished.ok ? { ok: true, name: finished.name } : { ok: false, reason: finished.reason };
    },
  };
}
