// What every ticket action shares: where its card is, drawing the ticket again with the part the
// click opened, the buttons of that part, and the action's audit line and metric.
import type { Json } from '../cards/kit.js';
import type { Panel } from '../cards/ticketActions.js';
import type { ChatType } from '../jobs/types.js';
import type { TicketAct } from '../views/act.js';
import type { Who } from '../views/access.js';
import { audienceFor, valueFor } from '../views/audience.js';
import { showView } from '../views/show.js';
import type { ListState, View } from '../views/view.js';
import { audit } from './audit.js';
import type { BotContext } from './context.js';

/** The card an action was clicked on: the ticket it shows (and the list it came from), and where it is. */
export interface Target {
  ticketId: string;
  back?: ListState;
  chatId: string;
  chatType: ChatType;
  /** The card's message, to update it once a sign-in finishes; absent if the callback named none. */
  messageId?: string;
}

/** What an action comes to: the card to show (or a toast), and its outcome for the audit line. */
export interface ActResult {
  outcome: string;
  card?: Json;
  toast?: Json;
}

const viewOf = (target: Target): Extract<View, { kind: 'ticket' }> => ({ kind: 'ticket', ticketId: target.ticketId, ...(target.back ? { back: target.back } : {}) });

/** A button of the part a click opened: an action on the same ticket card, bound to its chat (and to one person, with `forWho`). */
export function actValue(ctx: BotContext, target: Target, act: TicketAct, forWho?: string): Json {
  return valueFor(ctx, audienceFor(ctx, target.chatId, target.chatType), viewOf(target), { act, ...(forWho ? { for: forWho } : {}) });
}

/** The ticket card again, as its chat sees it, with `panel` open; `fresh` after a change. */
export async function draw(ctx: BotContext, target: Target, outcome: string, panel?: Panel, fresh = false): Promise<ActResult> {
  const shown = await showView(viewOf(target), audienceFor(ctx, target.chatId, target.chatType), { fresh, deadline: ctx.clock() + ctx.commandBudgetMs }, ctx, panel ? { panel } : {});
  // A ticket that cannot be loaded shows the problem card instead, as a refresh would.
  return { outcome: shown.outcome === 'ok' ? outcome : shown.outcome, card: shown.card };
}

/** The cancel button every opened part has. */
export const cancelOf = (ctx: BotContext, target: Target): Json => actValue(ctx, target, { op: 'cancel' });

/**
 * One audit line per action (who, which ticket, what, where, the outcome) and its counter; never
 * the text of a reply or a note, never a token.
 */
export function auditAction(ctx: BotContext, who: Who, ticketId: string, action: string, outcome: string, via = 'click'): void {
  audit(ctx, who, { via, action, ticket_ids: [ticketId] }, outcome);
  ctx.metrics.action(action, outcome);
}
