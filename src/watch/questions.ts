// A list card goes out with the questions already at hand (each ticket's first message, kept once
// fetched); the others are fetched here, as background work that takes its turn under a share of
// the messages API's rate (so no typed command waits behind it), and the card is then drawn again
// from the same rows and updated in place, if it still shows that page. A question that cannot be
// loaded leaves its row as it was.
import { createHash } from 'node:crypto';
import { messageOf } from '../obs/errors.js';
import { StateUnavailable } from '../state/types.js';
import type { Helpdesk } from '../helpdesk/api.js';
import type { Ticket } from '../helpdesk/types.js';
import { audienceFor, type Audience } from '../views/audience.js';
import { canonical } from '../views/buttons.js';
import { drawList, showView } from '../views/show.js';
import type { ListState } from '../views/view.js';
import type { WatchContext } from './context.js';
import type { ShownList } from './store.js';

/** Which page of which list a message shows: a job for it is for that page only. */
export const pageKey = (list: ListState): string => createHash('sha256').update(canonical(list)).digest('base64url').slice(0, 16);

/** A message now shows this list page: its missing questions are fetched, then it is updated. */
export async function askQuestions(ctx: WatchContext, messageId: string, shown: ShownList): Promise<void> {
  await ctx.store.rememberList(messageId, shown);
  if (shown.pending.length === 0) return;
  const queued = await ctx.enqueue({ kind: 'list-questions', messageId, page: pageKey(shown.read.list) });
  if (!queued) ctx.log.warn('questions.not_queued', { message_id: messageId });
}

export async function fillQuestions(messageId: string, page: string, ctx: WatchContext): Promise<void> {
  const stillShown = async () => {
    const shown = await ctx.store.shownList(messageId);
    return shown && pageKey(shown.read.list) === page ? shown : undefined;
  };
  const shown = await stillShown();
  if (!shown) return;
  const started = ctx.clock();
  const deadline = started + ctx.commandBudgetMs;
  const asked = await Promise.allSettled(shown.pending.map((t) => ctx.helpdesk.firstMessage(t.id, t.guestId, { background: true, deadline })));
  const loaded = asked.filter((a) => a.status === 'fulfilled').length;
  // Clicked on to another page or a ticket meanwhile: that is what the card shows now.
  if (loaded === 0 || !(await stillShown())) return;
  const audience = audienceFor(ctx, shown.chatId, shown.chatType);
  try {
    const outcome = await drawList(shown.read, audience, ctx);
    if (outcome.outcome !== 'ok') return;
    // The patch waits for its turn under the message limits: a click meanwhile (another page, a
    // ticket) is what the card shows, and the patch must not put the list back over it.
    await ctx.messenger.patch(messageId, outcome.card, { chatId: shown.chatId, deadline: started + ctx.replyWaitMs, stillWanted: async () => (await stillShown()) !== undefined });
    // Clicked while the patch was on its way: which reached the platform last is unknown, so
    // what the card shows now is drawn again.
    if (!(await stillShown())) return void (await drawAgain(ctx, messageId, started + ctx.replyWaitMs));
    await ctx.store.rememberList(messageId, { ...shown, pending: [] });
    ctx.metrics.watch('list_questions');
    ctx.log.info('questions.filled', { message_id: messageId, asked: shown.pending.length, loaded, latency_ms: ctx.clock() - started });
  } catch (error) {
    if (error instanceof StateUnavailable) throw error;
    ctx.log.warn('questions.patch_failed', { message_id: messageId, error: messageOf(error) });
  }
}

/** What a message was clicked on to show (a ticket, another page), drawn again; nothing if neither. */
async function drawAgain(ctx: WatchContext, messageId: string, deadline: number): Promise<void> {
  const [card, page] = await Promise.all([ctx.store.getCard(messageId), ctx.store.shownList(messageId)]);
  const where = card ?? page;
  if (!where) return;
  const audience = audienceFor(ctx, where.chatId, where.chatType);
  const outcome = card ? await showView(card.view, audience, { deadline }, ctx) : await drawList(page!.read, audience, ctx);
  if (outcome.outcome !== 'ok') return;
  await ctx.messenger.patch(messageId, outcome.card, { chatId: where.chatId, deadline });
  ctx.log.info('questions.redrawn', { message_id: messageId, shows: card ? 'ticket' : 'list' });
}

/**
 * The tickets' questions (first messages), by id, as background work (kept once fetched); one that
 * cannot be had is left out. Undefined where the conversation is hidden from the chat.
 */
export async function questionsOf(helpdesk: Helpdesk, tickets: readonly Ticket[], audience: Audience, deadline: number): Promise<Map<string, string> | undefined> {
  if (audience.hide.includes('conversation')) return undefined;
  const asked = await Promise.allSettled(tickets.map(async (t) => [t.id, await helpdesk.firstMessage(t.id, t.guest?.id, { background: true, deadline })] as const));
  return new Map(asked.flatMap((a) => (a.status === 'fulfilled' ? [a.value] : [])));
}
