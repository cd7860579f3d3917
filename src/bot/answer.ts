// What every answer goes through, whoever asked and however: showing a view where the person is,
// sending it, and keeping the message current once it is out.
import type { BoardCounts } from '../cards/board.js';
import type { Json } from '../cards/kit.js';
import { problemCard } from '../cards/problem.js';
import type { CallOptions } from '../helpdesk/api.js';
import type { StatsFill } from '../jobs/job.js';
import type { Sent } from '../feishu/messenger.js';
import { messageOf } from '../obs/errors.js';
import { StateUnavailable } from '../state/types.js';
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
  const queued = await ctx.enqueue({ ...answer.fill, messageId: sent.messageId, chatId: sent.chatId }).catch(() => false);
  if (!queued) ctx.log.warn('stats.fill_not_queued', { message_id: sent.messageId, chat_id: sent.chatId });
}

/**
 * Why a send failed, for the log. Without the shared state there is no rate limit to keep to:
 * that rethrows, to run the job again later.
 */
export function why(error: unknown): string {
  if (error instanceof StateUnavailable) throw error;
  return messageOf(error);
}

/** Resolves with `ok` and what was sent, or with why it could not be sent, for the log. */
export const deliver = <T>(sending: Promise<T>, ok: string): Promise<{ delivered: string; sent?: T }> =>
  sending.then(
    (sent) => ({ delivered: ok, sent }),
    (error: unknown) => ({ delivered: why(error) }),
  );

/** The card saying why this person may not use the bot here, and whom to ask. */
export const refusedCard = (ctx: BotContext, verdict: Verdict & { ok: false }): Json => problemCard({ kind: 'refused', reason: verdict.reason, contact: ctx.access.contact });
