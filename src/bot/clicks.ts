// Button clicks: checked (a valid, signed button, in the chat its card was sent to, by someone
// allowed to look), then the view it names, answered within the callback's deadline when it can
// be, else by updating the card (or opening a new one) from queued work.
import type { Json } from '../cards/kit.js';
import { toastFor } from '../cards/toast.js';
import { sendUuid } from '../feishu/messenger.js';
import { newStats } from '../helpdesk/api.js';
import type { CardAction } from '../jobs/types.js';
import { messageOf } from '../obs/errors.js';
import { realSleep } from '../resilience/timing.js';
import { checkAccess, type Who } from '../views/access.js';
import { audienceFor } from '../views/audience.js';
import { onTicketAction } from './actions.js';
import { deliver, keepCurrent, showOrFail } from './answer.js';
import { audit, logClick, type Click } from './audit.js';
import type { BotContext } from './context.js';

/** Checks a click: a valid button, in the chat its card was sent to, by someone allowed to look. */
function admitClick(ctx: BotContext, action: CardAction): { ok: false; toast: Json } | ({ ok: true } & Click) {
  const { log, metrics } = ctx;
  const decoded = ctx.values.decode(action.value);
  if (!decoded.ok) {
    log.warn('click.refused', { reason: decoded.reason, operator: action.operatorOpenId, chat_id: action.chatId });
    metrics.click('unknown', 'invalid-button');
    return { ok: false, toast: toastFor('invalid-button') };
  }
  const { view, fresh, chatId, chatType, issuedAt, act } = decoded.action;
  if (action.chatId !== chatId) {
    log.warn('click.refused', { reason: 'card moved to another chat', operator: action.operatorOpenId, chat_id: action.chatId });
    metrics.click(view.kind, 'moved-card');
    return { ok: false, toast: toastFor('moved-card') };
  }
  // The same rules as a typed command, for the person clicking, in the chat the card is in.
  const who: Who = { userOpenId: action.operatorOpenId, chatId, chatType };
  const verdict = checkAccess(ctx.access, who);
  if (!verdict.ok) {
    audit(ctx, who, { via: 'click', view: view.kind, ticket_ids: view.kind === 'ticket' ? [view.ticketId] : [] }, `refused:${verdict.reason}`);
    metrics.click(view.kind, `refused:${verdict.reason}`);
    return { ok: false, toast: toastFor('refused', ctx.access.contact) };
  }
  // A button made for one person (a reply's Send): nobody else's click counts.
  if (decoded.action.for !== undefined && decoded.action.for !== action.operatorOpenId) {
    audit(ctx, who, { via: 'click', view: view.kind, ticket_ids: view.kind === 'ticket' ? [view.ticketId] : [] }, 'refused:not-yours');
    metrics.click(view.kind, 'refused:not-yours');
    return { ok: false, toast: toastFor('not-yours') };
  }
  return { ok: true, view, fresh, newMessage: decoded.action.newMessage === true, chatId, chatType, who, issuedAt, ...(act ? { act } : {}) };
}

/** The callback's answer: the new card if it is ready within the budget, else a toast (and queued work). */
export async function onCardAction(ctx: BotContext, action: CardAction): Promise<Json> {
  const started = ctx.clock();
  const click = admitClick(ctx, action);
  if (!click.ok) return click.toast;
  if (click.act && click.view.kind === 'ticket') return onTicketAction(ctx, action, { ...click, view: click.view }, click.act);
  if (click.newMessage) {
    // The card clicked stays as it is (a board everyone in the chat looks at): the view comes
    // as a new message, from queued work.
    const queued = await ctx.enqueue({ kind: 'card-open', action }).catch(() => false);
    return toastFor(queued ? 'opening' : 'busy');
  }
  const stats = newStats();
  const deadline = started + ctx.commandBudgetMs;
  const audience = audienceFor(ctx, click.chatId, click.chatType);
  const work = showOrFail(ctx, click.view, audience, { fresh: click.fresh, stats, deadline }, click.who, { formValue: action.formValue });
  // Forgotten while the view is drawn, so the answer does not wait for it as well.
  const forgetting = action.messageId ? forgetListOf(ctx, action.messageId) : undefined;
  const budget = new AbortController();
  const inTime = await Promise.race([work, realSleep(ctx.callbackBudgetMs, budget.signal).then(() => undefined)]).finally(() => budget.abort());
  if (inTime) {
    logClick(ctx, action, click, inTime, stats, started, 'response');
    // The list page it showed is no longer filled in with questions (see questions.ts) before
    // the new card is the answer; the rest is remembered without holding the answer up.
    if (action.messageId) {
      await forgetting;
      void keepCurrent(ctx, action.messageId, inTime, audience, click.issuedAt * 1000, true);
    }
    return { card: { type: 'raw', data: inTime.card } };
  }
  // Too slow for the 3 s callback window: answer now, and update the card as queued work, so
  // the update survives this instance (the lookup under way fills the cache it will read).
  const queued = await ctx.enqueue({ kind: 'card-update', action }).catch((error: unknown) => {
    ctx.log.warn('click.not_queued', { error: messageOf(error), chat_id: click.chatId });
    return false;
  });
  return toastFor(queued ? 'loading' : 'busy');
}

/** A click too slow for the callback: show the view again (its lookup is cached or under way) and update the card. */
export async function updateCard(ctx: BotContext, action: CardAction): Promise<void> {
  const started = ctx.clock();
  const click = admitClick(ctx, action);
  if (!click.ok) return;
  const stats = newStats();
  const deadline = started + ctx.commandBudgetMs;
  const audience = audienceFor(ctx, click.chatId, click.chatType);
  const outcome = await showOrFail(ctx, click.view, audience, { fresh: click.fresh, stats, deadline }, click.who, { formValue: action.formValue });
  if (action.messageId) await forgetListOf(ctx, action.messageId);
  const { delivered } = action.updateToken
    ? await deliver(ctx.messenger.updateByToken(action.updateToken, outcome.card, { chatId: click.chatId, deadline }), 'update')
    : { delivered: 'no update token in the callback' };
  logClick(ctx, action, click, outcome, stats, started, delivered);
  if (delivered === 'update' && action.messageId) await keepCurrent(ctx, action.messageId, outcome, audience, click.issuedAt * 1000, true);
}

/** A click that opens its view as a new message in the chat (a board's counts, a digest's rows). */
export async function openCard(ctx: BotContext, action: CardAction): Promise<void> {
  const started = ctx.clock();
  const click = admitClick(ctx, action);
  if (!click.ok) return;
  const stats = newStats();
  const audience = audienceFor(ctx, click.chatId, click.chatType);
  const outcome = await ctx.worker(() => showOrFail(ctx, click.view, audience, { fresh: click.fresh, stats, deadline: started + ctx.commandBudgetMs }, click.who, { formValue: action.formValue }));
  const { delivered, sent } = await deliver(
    ctx.messenger.send({ chatId: click.chatId }, outcome.card, sendUuid(`open:${action.eventId}`), { chatId: click.chatId, deadline: started + ctx.replyWaitMs }),
    'new-message',
  );
  const remembering = sent ? keepCurrent(ctx, sent.messageId, outcome, audience, ctx.clock()) : undefined;
  logClick(ctx, action, click, outcome, stats, started, delivered);
  await remembering;
}

/** The message was clicked on to show something else: a list page it showed is not patched back over it. */
async function forgetListOf(ctx: BotContext, messageId: string): Promise<void> {
  await ctx.store.forgetList(messageId).catch((error: unknown) => ctx.log.warn('questions.not_forgotten', { message_id: messageId, error: messageOf(error) }));
}
