// What every answer goes through, whoever asked and however: showing a view where the person is,
// sending it, and keeping the message current once it is out.
import type { BoardCounts } from '../cards/board.js';
import type { Json } from '../cards/kit.js';
import { problemCard } from '../cards/problem.js';
import type { CallOptions } from '../helpdesk/api.js';
import type { StatsFill } from '../jobs/job.js';
import { PlatformError } from '../feishu/errors.js';
import type { Sent } from '../feishu/messenger.js';
import { messageOf } from '../obs/errors.js';
import { NotKept, StateUnavailable } from '../state/types.js';
import type { Verdict, Who } from '../views/access.js';
import type { Audience } from '../views/audience.js';
import { showView, type Outcome } from '../views/show.js';
import { showFiltered, showFilterForm } from '../views/showFilterForm.js';
import type { View } from '../views/view.js';
import { showBoard } from '../watch/board.js';
import { noteShown } from '../watch/liveCards.js';
import { showWatches, stopWatchById } from '../watch/watches.js';
import type { BotContext } from './context.js';

/** What a command or click showed, so the message can be kept current (a ticket card, a board). */
export type Shown = Outcome & { shown?: View; counts?: BoardCounts };
/** A command's answer, with what its log line names, and the job that fills it in once sent. */
export type Answer = Shown & { command: string; filters?: unknown; fill?: Omit<StatsFill, 'messageId' | 'chatId'> };

/**
 * Any view, for the person asking where they are: list and ticket cards, the board, the watches,
 * the filter form and what its submission gives (`formValue`: the form's values, untrusted).
 */
export async function show(ctx: BotContext, view: View, audience: Audience, call: CallOptions, who: Who, hints: { ignored?: string; formValue?: unknown } = {}): Promise<Shown> {
  switch (view.kind) {
    case 'list':
    case 'ticket': {
      const outcome = await showView(view, audience, call, ctx, hints);
      return { ...outcome, shown: outcome.view ?? view };
    }
    case 'board':
      return { ...(await showBoard(audience, call, ctx)), shown: view };
    case 'watches':
      return { ...(await showWatches(audience, ctx)), shown: view };
    case 'unwatch':
      return { ...(await stopWatchById(view.watchId, who, audience, ctx)), shown: view };
    case 'filter':
      return { ...(await showFilterForm(view.list, audience, call, ctx)), shown: view };
    case 'filtered':
      return showFiltered(view, hints.formValue, { openId: who.userOpenId, mentions: [] }, audience, call, ctx);
  }
}

/**
 * A ticket card or board just shown on this message (a new one, or one clicked) is kept current
 * from now on. Done after the answer is out and logged; if it cannot be remembered the card just
 * stays as it is, which is no reason to answer again.
 */
export function keepCurrent(ctx: BotContext, messageId: string, answer: Shown, audience: Audience, sentAt: number, clicked = false): Promise<void> {
  if (!answer.shown) return Promise.resolve();
  const shown = {
    view: answer.shown,
    ok: answer.outcome === 'ok',
    ...(answer.counts ? { counts: answer.counts } : {}),
    ...(answer.read ? { read: answer.read } : {}),
    ...(answer.pendingQuestions ? { pending: answer.pendingQuestions } : {}),
  };
  return noteShown(ctx, messageId, shown, audience, sentAt, clicked).catch((error: unknown) => ctx.log.warn('card.not_remembered', { message_id: messageId, error: messageOf(error) }));
}

/** A card sent with parts still loading (/stats) is filled in by a job of its own, run by any instance. */
export async function fillLater(ctx: BotContext, answer: Answer, sent: Sent): Promise<void> {
  if (!answer.fill) return;
  const queued = await ctx.enqueue({ ...answer.fill, messageId: sent.messageId, chatId: sent.chatId }).catch((error: unknown) => messageOf(error));
  if (queued !== true) ctx.log.warn('stats.fill_not_queued', { message_id: sent.messageId, chat_id: sent.chatId, error: queued === false ? 'not taken (the queue is full)' : queued });
}

/**
 * Why a send failed, for the log. Without the shared state there is no rate limit to keep to:
 * that rethrows, to run the job again later.
 */
export function why(error: unknown): string {
  if (error instanceof StateUnavailable) throw error;
  return messageOf(error);
}

/** What a failure's log line names: the command (or the view clicked), its tickets, the chat. */
export interface Asked {
  command: string;
  ticketIds: string[];
  chatId: string;
}

/**
 * Whatever went wrong preparing an answer is said out loud: the card saying so (a change that
 * could not be kept says why) and a log line naming the command, the tickets and the chat. The
 * shared state being away is the one exception: that rethrows, so the job runs again later.
 */
export function failure(ctx: BotContext, asked: Asked, error: unknown): Outcome {
  if (error instanceof StateUnavailable) throw error;
  const where = { command: asked.command, ticket_ids: asked.ticketIds, chat_id: asked.chatId };
  if (error instanceof NotKept) {
    ctx.log.warn('command.not_saved', { ...where, reason: error.reason });
    const problem = { kind: 'not-saved', what: asked.command === 'watch' ? 'watch' : 'change', reason: error.reason } as const;
    return { card: problemCard(problem), outcome: problem.kind, ticketIds: asked.ticketIds };
  }
  ctx.log.error('command.failed', { ...where, error: messageOf(error) });
  return { card: problemCard({ kind: 'failed' }), outcome: 'failed', ticketIds: asked.ticketIds };
}

/** A view, for a click: its card, or the card saying why there is none (see failure). */
export const showOrFail = (ctx: BotContext, view: View, audience: Audience, call: CallOptions, who: Who, hints: { formValue?: unknown } = {}): Promise<Shown> =>
  show(ctx, view, audience, call, who, hints).catch((error: unknown) => failure(ctx, { command: `click:${view.kind}`, ticketIds: view.kind === 'ticket' ? [view.ticketId] : [], chatId: audience.chatId }, error));

/** Resolves with `ok` and what was sent, or with why it could not be sent (and the error), for the log. */
export const deliver = <T>(sending: Promise<T>, ok: string): Promise<{ delivered: string; sent?: T; error?: unknown }> =>
  sending.then(
    (sent) => ({ delivered: ok, sent }),
    (error: unknown) => ({ delivered: why(error), error }),
  );

/** The platform refused the card itself (230099 not a valid card, 230025 too long): no retry sends it. */
const CARD_REFUSED = new Set([230099, 230025]);
export const cardRefused = (error: unknown): boolean => error instanceof PlatformError && error.details.code !== undefined && CARD_REFUSED.has(error.details.code);

/**
 * Sends `card` with `send`; a card the platform refuses is a card that failed to build: the
 * failure card goes instead, and an error line names the command, the tickets and the chat.
 */
export async function deliverCard<T>(ctx: BotContext, asked: Asked, card: Json, send: (card: Json) => Promise<T>, ok: string): Promise<{ delivered: string; sent?: T; refused?: true }> {
  const first = await deliver(send(card), ok);
  if (!cardRefused(first.error)) return first;
  ctx.log.error('command.card_refused', { command: asked.command, ticket_ids: asked.ticketIds, chat_id: asked.chatId, error: first.delivered });
  return { ...(await deliver(send(problemCard({ kind: 'failed' })), ok)), refused: true };
}

/** The card saying why this person may not use the bot here, and whom to ask. */
export const refusedCard = (ctx: BotContext, verdict: Verdict & { ok: false }): Json => problemCard({ kind: 'refused', reason: verdict.reason, contact: ctx.access.contact });
