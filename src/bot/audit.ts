// The lines a command or click leaves: one log line with what it cost, one audit line (who asked,
// where, what, and what came of it, refused or not) and its metrics.
import type { CallStats } from '../helpdesk/api.js';
import type { CardAction } from '../jobs/types.js';
import type { Who } from '../views/access.js';
import type { Outcome } from '../views/show.js';
import type { TicketAct } from '../views/act.js';
import type { View } from '../views/view.js';
import type { Answer } from './answer.js';
import type { BotContext } from './context.js';

/** One audit line per lookup, refused or not: who asked, where, what, and what came of it. */
export const audit = (ctx: BotContext, who: Who, what: Record<string, unknown>, outcome: string): void =>
  ctx.log.info('audit', { user: who.userOpenId, chat_id: who.chatId, chat_type: who.chatType, ...what, outcome });

/**
 * One log line, one audit line and the metrics of a command, however it was asked. `arrived`:
 * when its delivery was accepted, for the latency metric (which counts the time in the queue).
 */
export function logCommand(ctx: BotContext, who: Who, answer: Answer, via: 'message' | 'menu', ref: Record<string, unknown>, reply: string, stats: CallStats, started: number, arrived = started): void {
  const { clock } = ctx;
  ctx.log.info('command', {
    command: answer.command,
    ...(answer.filters ? { filters: answer.filters } : {}),
    ticket_ids: answer.ticketIds,
    asker: who.userOpenId,
    chat_id: who.chatId,
    chat_type: who.chatType,
    ...ref,
    outcome: answer.outcome,
    ...(answer.degraded ? { degraded: answer.degraded } : {}),
    reply,
    upstream_calls: stats.upstreamCalls,
    cache_hits: stats.cacheHits,
    latency_ms: clock() - started,
  });
  audit(ctx, who, { via, command: answer.command, ...(answer.filters ? { filters: answer.filters } : {}), ticket_ids: answer.ticketIds }, answer.outcome);
  ctx.metrics.command(answer.command, answer.outcome, reply === 'sent' ? 'sent' : 'failed', (clock() - arrived) / 1000);
}

/** What a click was, once admitted: the view, where, by whom. */
export interface Click {
  view: View;
  fresh: boolean;
  /** Open the view as a new message rather than in place. */
  newMessage: boolean;
  chatId: string;
  chatType: Who['chatType'];
  who: Who;
  /** Epoch seconds the button was made: the card was sent no later. */
  issuedAt: number;
  /** What an action button on a ticket card asks for. */
  act?: TicketAct;
}

/** The click's log and audit lines, once its card is delivered (in the callback's answer or by update). */
export function logClick(ctx: BotContext, action: CardAction, click: Click, outcome: Outcome, stats: CallStats, started: number, delivered: string): void {
  const { view } = click;
  audit(ctx, click.who, { via: 'click', view: view.kind, ticket_ids: outcome.ticketIds }, outcome.outcome);
  ctx.log.info('click', {
    view: view.kind,
    ...(view.kind === 'list' ? { filters: { ...view.list.filter, ...view.list.times, page: view.list.page } } : view.kind === 'ticket' ? { ticket_ids: [view.ticketId] } : {}),
    ...(click.newMessage ? { new_message: true } : {}),
    fresh: click.fresh,
    operator: action.operatorOpenId,
    chat_id: click.chatId,
    chat_type: click.chatType,
    outcome: outcome.outcome,
    ...(outcome.degraded ? { degraded: outcome.degraded } : {}),
    delivered,
    upstream_calls: stats.upstreamCalls,
    cache_hits: stats.cacheHits,
    latency_ms: ctx.clock() - started,
  });
  ctx.metrics.click(view.kind, outcome.outcome, (ctx.clock() - started) / 1000);
}
