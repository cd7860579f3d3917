// Replying to the customer from a ticket card, with the bot's rights: the reply form, a preview of
// exactly what goes (the customer sees the helpdesk's bot account, not the agent), the send (one
// per draft, however often Send is clicked), and answers suggested from the helpdesk's FAQs that
// take the same path. Who sent what is in the audit line, never the text.
import { randomBytes } from 'node:crypto';
import { clip } from '../cards/kit.js';
import { fromThrown } from '../feishu/errors.js';
import type { Message, Ticket } from '../helpdesk/types.js';
import { REPLY_LIMIT, type FormProblem } from '../cards/ticketActions.js';
import { actValue, cancelOf, draw, type ActResult, type Target } from './acting.js';
import type { BotContext } from './context.js';

/** How long a sent draft is remembered: as long as the card with its Send button can be clicked. */
const SENT_MS = 14 * 24 * 3600_000;
const SUGGESTIONS = 3;
/** The FAQ search gets the start of the question: enough to match on. */
const QUERY_CHARS = 200;

/** A reply or a note as typed: trimmed, neither empty nor longer than one input takes. */
export function typedText(raw: unknown): { text: string } | { problem: FormProblem } {
  const text = typeof raw === 'string' ? raw.replace(/\r\n?/g, '\n').trim() : '';
  if (text === '') return { problem: { kind: 'empty' } };
  const length = [...text].length;
  if (length > REPLY_LIMIT) return { problem: { kind: 'too-long', length, limit: REPLY_LIMIT } };
  return { text };
}

export function replyForm(ctx: BotContext, target: Target, outcome: string, draft?: string, problem?: FormProblem): Promise<ActResult> {
  return draw(ctx, target, outcome, {
    kind: 'reply',
    preview: actValue(ctx, target, { op: 'preview' }),
    cancel: cancelOf(ctx, target),
    ...(draft !== undefined ? { draft } : {}),
    ...(problem ? { problem } : {}),
  });
}

/** What would be sent, with a Send button only the writer can use, for this draft alone. */
export function preview(ctx: BotContext, who: string, target: Target, raw: unknown): Promise<ActResult> {
  const typed = typedText(raw);
  if ('problem' in typed) return replyForm(ctx, target, typed.problem.kind, typeof raw === 'string' ? clip(raw, REPLY_LIMIT) : undefined, typed.problem);
  const draft = randomBytes(9).toString('base64url');
  return draw(ctx, target, 'ok', {
    kind: 'preview',
    text: typed.text,
    send: actValue(ctx, target, { op: 'send', text: typed.text, draft }, who),
    edit: actValue(ctx, target, { op: 'reply' }),
    cancel: cancelOf(ctx, target),
  });
}

export async function sendReply(ctx: BotContext, who: string, target: Target, text: string, draft: string): Promise<ActResult> {
  const key = `reply-draft:${draft}`;
  if ((await ctx.claims.claim(key, 60_000)) !== 'mine') return draw(ctx, target, 'already-sent', { kind: 'refused', who, refusal: { kind: 'not-sent-twice' } });
  try {
    await ctx.writes.replyToCustomer(target.ticketId, text);
  } catch (error) {
    const e = fromThrown(error);
    // Refused outright: nothing was sent, so the same Send may be tried again. Otherwise it may
    // have gone through, and is not sent a second time.
    const refused = !e.mayHaveHappened;
    if (refused) await ctx.claims.release(key);
    else await ctx.claims.settle(key, SENT_MS);
    ctx.log.warn('reply.failed', { ticket_id: target.ticketId, user: who, error: e.message });
    const refusal = e.kind === 'rate-limited' ? { kind: 'rate-limited' as const, ...secondsOf(e.details.retryAfterMs) } : { kind: 'failed' as const, maybeDone: !refused };
    return draw(ctx, target, refused ? `failed:${e.kind}` : 'maybe-sent', { kind: 'refused', who, refusal });
  }
  await ctx.claims.settle(key, SENT_MS);
  // Their name when they have signed in (the platform told it then); else the card mentions them.
  const name = await ctx.signIn?.tokens.nameOf(who);
  await ctx.acting.last.note(target.ticketId, { did: { kind: 'replied' }, by: who, ...(name ? { name } : {}), at: ctx.clock() });
  return draw(ctx, target, 'ok', undefined, true);
}

/** Up to three FAQs for the customer's question, each with "Send to customer" (to the preview). */
export async function suggest(ctx: BotContext, who: string, target: Target): Promise<ActResult> {
  const call = { deadline: ctx.clock() + ctx.commandBudgetMs };
  const [ticket, conversation] = await Promise.all([ctx.helpdesk.getTicket(target.ticketId, call), ctx.helpdesk.getConversation(target.ticketId, call)]);
  const question = customerQuestion(ticket, conversation.messages);
  if (!question) return draw(ctx, target, 'no-question', { kind: 'refused', who, refusal: { kind: 'no-question' } });
  const query = clip(question.replace(/\s+/g, ' '), QUERY_CHARS);
  const faqs = await ctx.writes.searchFaqs(query, SUGGESTIONS);
  return draw(ctx, target, faqs.length ? 'ok' : 'no-match', {
    kind: 'suggestions',
    query,
    faqs: faqs.map((f) => ({ question: f.question, answer: f.answer, use: actValue(ctx, target, { op: 'use', text: clip(f.answer, REPLY_LIMIT) }) })),
    cancel: cancelOf(ctx, target),
  });
}

/** What the customer asked: their first message with text. */
function customerQuestion(t: Ticket, messages: readonly Message[]): string | undefined {
  const guest = t.guest?.id;
  return messages.find((m) => m.text && guest !== undefined && m.authorId === guest)?.text ?? messages.find((m) => m.text)?.text;
}

export const secondsOf = (ms: number | undefined): { seconds?: number } => (ms !== undefined && ms > 0 ? { seconds: Math.ceil(ms / 1000) } : {});
