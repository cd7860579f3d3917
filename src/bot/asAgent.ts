// Changing a ticket as the agent who clicked: their own token, so the helpdesk applies their own
// rights, never the bot's and never another person's. Not signed in (or signed out since): the
// card asks them, and the click runs by itself once they have, exactly once. A token the platform
// refuses is refreshed once and the change tried once more (a refused request changed nothing);
// anything else is said on the card, in the person's language, and not tried again on its own.
import { randomBytes } from 'node:crypto';
import type { Did, Refusal } from '../cards/ticketActions.js';
import { fromThrown, PlatformError } from '../feishu/errors.js';
import type { Finished } from '../feishu/signIn.js';
import { SignInNeeded } from '../feishu/userTokens.js';
import type { TicketChange } from '../helpdesk/writes.js';
import { messageOf } from '../obs/errors.js';
import { auditAction, cancelOf, draw, type ActResult, type Target } from './acting.js';
import type { BotContext } from './context.js';
import { secondsOf } from './customerReply.js';

export type AgentOp = 'set-status' | 'close' | 'set-tags' | 'add-note';

/** A change an agent asked for, and for whom: what is kept while they sign in. */
export interface Pending {
  id: string;
  openId: string;
  op: AgentOp;
  change: TicketChange;
  target: Target;
}

/** The platform no longer takes the token (invalid, expired); 99991679: the scope is not granted to the app by this person. */
const TOKEN_REFUSED = new Set([99991668, 99991677]);
const NOT_GRANTED = 99991679;
/** The helpdesk's refusals of the person: no access to the ticket, or not authorised at all. */
const NO_RIGHTS = new Set([154003, 154001]);
/** Device codes are polled for at most this many rounds (4 minutes at 5 s, with room for slow_down). */
const MAX_POLLS = 80;

export async function actAsAgent(ctx: BotContext, pending: Omit<Pending, 'id'>): Promise<ActResult> {
  const { tokens } = ctx.signIn!;
  const { openId, target } = pending;
  const update = (token: string) => ctx.writes.updateTicket(target.ticketId, pending.change, token);
  try {
    let token = await tokens.accessFor(openId);
    try {
      await update(token);
    } catch (error) {
      const code = error instanceof PlatformError ? error.details.code : undefined;
      if (code === NOT_GRANTED) throw new SignInNeeded('expired');
      if (code === undefined || !TOKEN_REFUSED.has(code)) throw error;
      token = await tokens.accessFor(openId, token);
      await update(token);
    }
  } catch (error) {
    if (error instanceof SignInNeeded) return askToSignIn(ctx, pending, error.reason === 'expired');
    const e = fromThrown(error);
    ctx.log.warn('action.failed', { action: pending.op, ticket_id: target.ticketId, user: openId, error: e.message });
    return draw(ctx, target, `failed:${e.details.code ?? e.kind}`, { kind: 'refused', who: openId, refusal: refusalOf(e) });
  }
  const name = await tokens.nameOf(openId);
  await ctx.acting.last.note(target.ticketId, { did: didOf(pending), by: openId, ...(name ? { name } : {}), at: ctx.clock() });
  return draw(ctx, target, 'ok', undefined, true);
}

function refusalOf(e: PlatformError): Refusal {
  if (e.details.code !== undefined && NO_RIGHTS.has(e.details.code)) return { kind: 'no-rights' };
  if (e.kind === 'rate-limited') return { kind: 'rate-limited', ...secondsOf(e.details.retryAfterMs) };
  return { kind: 'failed', maybeDone: e.mayHaveHappened };
}

function didOf({ op, change }: Omit<Pending, 'id'>): Did {
  switch (op) {
    case 'close':
      return { kind: 'closed', solved: change.solved ?? 2 };
    case 'set-status':
      return { kind: 'status', status: change.status ?? 0 };
    case 'set-tags':
      return { kind: 'tags', tags: change.tags ?? [] };
    case 'add-note':
      return { kind: 'note' };
  }
}

/** The card asks the clicker to sign in (a link, or a code to confirm) and keeps what they asked for. */
async function askToSignIn(ctx: BotContext, asked: Omit<Pending, 'id'>, again: boolean): Promise<ActResult> {
  const { flow } = ctx.signIn!;
  const pending: Pending = { id: randomBytes(9).toString('base64url'), ...asked };
  const { openId: who, target } = pending;
  try {
    const begun = await flow.begin(who, pending);
    if (begun.kind === 'link') return draw(ctx, target, 'sign-in', { kind: 'sign-in', who, url: begun.url, expiresAt: begun.expiresAt, again, cancel: cancelOf(ctx, target) });
    await ctx.enqueue({ kind: 'sign-in-poll', nonce: begun.nonce, round: 1 }, { delayMs: begun.intervalMs });
    return draw(ctx, target, 'sign-in', { kind: 'device', who, code: begun.userCode, url: begun.url, expiresAt: begun.expiresAt, again, cancel: cancelOf(ctx, target) });
  } catch (error) {
    ctx.log.warn('sign_in.not_started', { user: who, error: messageOf(error) });
    return draw(ctx, target, 'sign-in-failed', { kind: 'refused', who, refusal: { kind: 'sign-in', reason: 'failed' } });
  }
}

/**
 * A sign-in ended: the click it was for runs now (or its card says why it cannot), and the card
 * it was clicked on shows the outcome. Once per sign-in, even when this job runs again.
 */
export async function afterSignIn(ctx: BotContext, done: { id: string; ok: boolean; reason?: string; pending: string }): Promise<void> {
  const pending = ctx.signIn ? pendingOf(ctx.signIn.flow.openPending(done.id, done.pending)) : undefined;
  if (!pending || pending.id !== done.id) return;
  const key = `sign-in-ran:${pending.id}`;
  if ((await ctx.claims.claim(key, 60_000)) !== 'mine') return;
  const who = { userOpenId: pending.openId, chatId: pending.target.chatId, chatType: pending.target.chatType };
  const result = done.ok
    ? await actAsAgent(ctx, pending)
    : await draw(ctx, pending.target, `sign-in:${done.reason}`, { kind: 'refused', who: pending.openId, refusal: { kind: 'sign-in', reason: signInReason(done.reason) } });
  await ctx.claims.settle(key, 24 * 3600_000);
  auditAction(ctx, who, pending.target.ticketId, pending.op, result.outcome, 'sign-in');
  const { messageId, chatId } = pending.target;
  if (!messageId || !result.card) return;
  await ctx.messenger
    .patch(messageId, result.card, { chatId, deadline: ctx.clock() + ctx.replyWaitMs })
    .catch((error: unknown) => ctx.log.warn('card.patch_failed', { message_id: messageId, ticket_id: pending.target.ticketId, error: messageOf(error) }));
}

/** One poll of a device code shown on a card; again later while it waits, or the sign-in's end. */
export async function pollSignIn(ctx: BotContext, job: { nonce: string; round: number }): Promise<void> {
  if (!ctx.signIn) return;
  const polled = await ctx.signIn.flow.poll(job.nonce);
  if (polled.kind === 'wait') {
    if (job.round < MAX_POLLS) await ctx.enqueue({ kind: 'sign-in-poll', nonce: job.nonce, round: job.round + 1 }, { delayMs: polled.afterMs });
    return;
  }
  await finishedSignIn(ctx, polled);
}

/** Hands a finished sign-in (the callback's or a poll's) to a job of its own, which runs the click. */
export async function finishedSignIn(ctx: BotContext, finished: Finished): Promise<void> {
  const pending = pendingOf(finished.pending);
  if (!pending || !ctx.signIn) return;
  const sealed = ctx.signIn.flow.sealPending(pending.id, pending);
  await ctx.enqueue({ kind: 'sign-in-done', id: pending.id, ok: finished.ok, ...(finished.ok ? {} : { reason: finished.reason }), pending: sealed });
}

const signInReason = (reason: string | undefined): Extract<Refusal, { kind: 'sign-in' }>['reason'] =>
  reason === 'denied' || reason === 'mismatch' || reason === 'outside' || reason === 'expired' ? reason : 'failed';

/** The pending click as kept: it was sealed by the bot itself, but is checked before use all the same. */
function pendingOf(value: unknown): Pending | undefined {
  const p = value as Partial<Pending> | undefined;
  if (!p || typeof p.id !== 'string' || typeof p.openId !== 'string' || typeof p.op !== 'string' || !p.change || !p.target || typeof p.target.ticketId !== 'string') return undefined;
  return p as Pending;
}
