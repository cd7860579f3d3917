// A click on a ticket card's action buttons, once the click is admitted (a valid button in its
// chat, by someone allowed to look; one made for a single person clicked by that person). Who may
// act: the agents named in access.agents for what the bot does with its own rights (replies to
// customers, suggestions); for changes made as the clicker, whoever the helpdesk lets (and, when
// access.agents names the agents, only them, so nobody is sent round a sign-in they cannot use).
// The card answers within the callback's budget; an action that takes longer goes on and updates
// the card when it is done (it is never started a second time).
import type { Json } from '../cards/kit.js';
import { OPEN_STATUSES, type FormProblem } from '../cards/ticketActions.js';
import { toastFor, type ToastKind } from '../cards/toast.js';
import type { TicketChange } from '../helpdesk/writes.js';
import type { CardAction } from '../jobs/types.js';
import { messageOf } from '../obs/errors.js';
import { realSleep } from '../resilience/timing.js';
import { FOR_AGENTS, type ActName, type TicketAct } from '../views/act.js';
import { actValue, auditAction, cancelOf, draw, type ActResult, type Target } from './acting.js';
import { actAsAgent, type AgentOp } from './asAgent.js';
import type { Click } from './audit.js';
import type { BotContext } from './context.js';
import { preview, replyForm, sendReply, suggest, typedText } from './customerReply.js';

/** Tags a card offers at most, and the longest tag name the helpdesk takes. */
const MAX_TAGS = 50;
const TAG_CHARS = 50;

export async function onTicketAction(ctx: BotContext, action: CardAction, click: Click & { view: { kind: 'ticket' } }, act: TicketAct): Promise<Json> {
  const who = click.who.userOpenId;
  const target: Target = {
    ticketId: click.view.ticketId,
    ...(click.view.back ? { back: click.view.back } : {}),
    chatId: click.chatId,
    chatType: click.chatType,
    ...(action.messageId ? { messageId: action.messageId } : {}),
  };
  const refused = gate(ctx, act.op, who);
  if (refused) {
    auditAction(ctx, click.who, target.ticketId, act.op, `refused:${refused}`);
    return toastFor(refused, ctx.access.contact);
  }
  const work = run(ctx, act, action.formValue ?? {}, who, target).catch((error: unknown): ActResult => {
    ctx.log.warn('action.error', { action: act.op, ticket_id: target.ticketId, user: who, error: messageOf(error) });
    return { outcome: 'error', toast: toastFor('busy') };
  });
  const budget = new AbortController();
  const inTime = await Promise.race([work, realSleep(ctx.callbackBudgetMs, budget.signal).then(() => undefined)]).finally(() => budget.abort());
  if (inTime) {
    auditAction(ctx, click.who, target.ticketId, act.op, inTime.outcome);
    return inTime.card ? { card: { type: 'raw', data: inTime.card } } : (inTime.toast ?? toastFor('busy'));
  }
  // Too slow for the callback: the card follows once the action is done.
  void work.then(async (result) => {
    auditAction(ctx, click.who, target.ticketId, act.op, result.outcome);
    if (!result.card) return;
    const options = { chatId: target.chatId, deadline: ctx.clock() + ctx.replyWaitMs };
    const updating = action.updateToken ? ctx.messenger.updateByToken(action.updateToken, result.card, options) : target.messageId ? ctx.messenger.patch(target.messageId, result.card, options) : Promise.resolve();
    await updating.catch((error: unknown) => ctx.log.warn('action.card_not_updated', { action: act.op, ticket_id: target.ticketId, error: messageOf(error) }));
  });
  return toastFor('working');
}

/** Why this person may not take this action here, or undefined. */
function gate(ctx: BotContext, op: ActName, who: string): ToastKind | undefined {
  const agents = ctx.access.agents;
  if (FOR_AGENTS.has(op)) {
    if (agents.length === 0) return 'agents-off';
    return agents.includes(who) ? undefined : 'not-agent';
  }
  if (op === 'cancel') return undefined;
  if (!ctx.signIn) return 'sign-in-off';
  return agents.length === 0 || agents.includes(who) ? undefined : 'not-agent';
}

async function run(ctx: BotContext, act: TicketAct, form: Record<string, unknown>, who: string, target: Target): Promise<ActResult> {
  switch (act.op) {
    case 'cancel':
      return draw(ctx, target, 'ok');
    case 'reply':
      return replyForm(ctx, target, 'ok');
    case 'preview':
      return preview(ctx, who, target, form['reply']);
    case 'use':
      return preview(ctx, who, target, act.text);
    case 'send':
      return sendReply(ctx, who, target, act.text, act.draft);
    case 'suggest':
      return suggest(ctx, who, target);
    case 'status':
      return statusForm(ctx, target, 'ok');
    case 'tags':
      return tagsForm(ctx, target, 'ok');
    case 'note':
      return noteForm(ctx, target, 'ok');
    case 'set-status':
    case 'close':
    case 'set-tags':
    case 'add-note': {
      const asked = changeOf(act, form);
      if ('problem' in asked) return formAgain(ctx, act.op, target, asked.problem, form);
      return actAsAgent(ctx, { openId: who, op: act.op, change: asked.change, target });
    }
  }
}

const statusForm = (ctx: BotContext, target: Target, outcome: string, problem?: FormProblem) =>
  draw(ctx, target, outcome, { kind: 'status', submit: actValue(ctx, target, { op: 'set-status' }), cancel: cancelOf(ctx, target), ...(problem ? { problem } : {}) });

const noteForm = (ctx: BotContext, target: Target, outcome: string, draft?: string, problem?: FormProblem) =>
  draw(ctx, target, outcome, { kind: 'note', submit: actValue(ctx, target, { op: 'add-note' }), cancel: cancelOf(ctx, target), ...(draft !== undefined ? { draft } : {}), ...(problem ? { problem } : {}) });

/** The tags to choose from: those on the open tickets (one cached page of them) and the ticket's own. */
async function tagsForm(ctx: BotContext, target: Target, outcome: string, problem?: FormProblem): Promise<ActResult> {
  const call = { deadline: ctx.clock() + ctx.commandBudgetMs };
  const [page, ticket] = await Promise.all([ctx.helpdesk.listTickets({ statuses: [...OPEN_STATUSES] }, 1, 200, call).catch(() => ({ tickets: [] })), ctx.helpdesk.getTicket(target.ticketId, call)]);
  const known = [...new Set([...ticket.tags, ...page.tickets.flatMap((t) => t.tags)].map((t) => t.name))].slice(0, MAX_TAGS);
  return draw(ctx, target, outcome, { kind: 'tags', known, submit: actValue(ctx, target, { op: 'set-tags' }), cancel: cancelOf(ctx, target), ...(problem ? { problem } : {}) });
}

function formAgain(ctx: BotContext, op: AgentOp, target: Target, problem: FormProblem, form: Record<string, unknown>): Promise<ActResult> {
  if (op === 'set-status') return statusForm(ctx, target, problem.kind, problem);
  if (op === 'set-tags') return tagsForm(ctx, target, problem.kind, problem);
  return noteForm(ctx, target, problem.kind, typeof form['note'] === 'string' ? form['note'] : undefined, problem);
}

/** The change a button or a submitted form asks for; the form's values are checked like typed text. */
function changeOf(act: Extract<TicketAct, { op: AgentOp }>, form: Record<string, unknown>): { change: TicketChange } | { problem: FormProblem } {
  switch (act.op) {
    case 'close':
      return { change: { status: 51, solved: act.solved } };
    case 'set-status': {
      const status = Number(form['status']);
      return (OPEN_STATUSES as readonly number[]).includes(status) ? { change: { status } } : { problem: { kind: 'no-status' } };
    }
    case 'set-tags': {
      const raw = form['tags'] === undefined || form['tags'] === '' ? [] : Array.isArray(form['tags']) ? form['tags'] : [form['tags']];
      const tags = raw.map((t) => (typeof t === 'string' ? t.trim() : ''));
      if (tags.length > MAX_TAGS || tags.some((t) => t === '' || [...t].length > TAG_CHARS)) return { problem: { kind: 'bad-tags' } };
      return { change: { tags: [...new Set(tags)] } };
    }
    case 'add-note': {
      const typed = typedText(form['note']);
      return 'problem' in typed ? typed : { change: { note: typed.text } };
    }
  }
}
