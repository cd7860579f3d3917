// The queue board: /board (or 看板) and its Refresh button show it. Its figures are the last count,
// kept in the state and brought up to date by every ticket event (counts.ts), so /board answers
// at once; a count older than RECOUNT_MS, or one that could not read every open ticket, is done
// again in the background, and every board the bot has posted is patched when its numbers move
// (one recount for all of them, at most once per watch.board_refresh_seconds).
import { boardCard } from '../cards/board.js';
import { problemCard } from '../cards/problem.js';
import { problemFor } from '../commands/problems.js';
import type { Outcome } from '../views/show.js';
import type { Audience } from '../views/audience.js';
import { messageGone } from '../feishu/messenger.js';
import type { CallOptions } from '../helpdesk/api.js';
import { coalesce } from '../jobs/job.js';
import type { Ticket } from '../helpdesk/types.js';
import { StateUnavailable } from '../state/types.js';
import type { BoardCounts } from '../cards/board.js';
import { applyTicket, countBoard, OPEN, type BoardSnapshot } from './counts.js';
import { audienceFor, valueFor } from '../views/audience.js';
import type { WatchContext } from './context.js';
import { EDITABLE_MS } from './store.js';
import { messageOf } from '../obs/errors.js';
import { dayByHour } from '../stats/today.js';

/** The figures are read afresh at least this often, whatever the ticket events said. */
const RECOUNT_MS = 5 * 60_000;

/** The agent filter takes open_ids only (as the button values check). */
const OPEN_ID = /^ou_[A-Za-z0-9_-]{1,64}$/;

/** Boards recounted on one event, at most (the newest); older ones keep their last numbers. */
const MAX_REFRESHED = 200;

/** What a board shows of a snapshot: its counts, with the day so far by hour as of now. */
function shownCounts(snapshot: BoardSnapshot, ctx: WatchContext): BoardCounts {
  return snapshot.day ? { ...snapshot.counts, today: dayByHour(snapshot.day, ctx.clock(), ctx.timezone) } : snapshot.counts;
}

function render(snapshot: BoardSnapshot, audience: Audience, ctx: WatchContext): Outcome {
  const list = (filter: object, extra: { unassigned?: boolean } = {}) => valueFor(ctx, audience, { kind: 'list', list: { filter, page: 1, names: {}, ...extra } }, { newMessage: true });
  const counts = shownCounts(snapshot, ctx);
  // The question is the conversation's: not where it is hidden.
  const oldest = counts.oldest && audience.hide.includes('conversation') ? { id: counts.oldest.id, createdAt: counts.oldest.createdAt } : counts.oldest;
  const card = boardCard({
    counts: { ...counts, ...(oldest ? { oldest } : {}) },
    timezone: ctx.timezone,
    now: ctx.clock(),
    asOf: snapshot.at,
    actions: {
      status: (code) => list({ statuses: [code] }),
      unassigned: list(OPEN, { unassigned: true }),
      agent: (id) => (OPEN_ID.test(id) ? valueFor(ctx, audience, { kind: 'list', list: { filter: { ...OPEN, agentId: id }, page: 1, names: namesOf(counts, id) } }, { newMessage: true }) : undefined),
      ...(counts.oldest ? { oldest: valueFor(ctx, audience, { kind: 'ticket', ticketId: counts.oldest.id }, { newMessage: true }) } : {}),
      refresh: valueFor(ctx, audience, { kind: 'board' }, { fresh: true }),
    },
  });
  return { card, outcome: 'ok', ticketIds: [] };
}

/** An agent's name travels in the list's value, so its title says who (names are at most 64 chars). */
const namesOf = (counts: BoardCounts, id: string): Record<string, string> => {
  const name = counts.agents.find((a) => a.id === id)?.name;
  return name && name !== id ? { [id]: [...name].slice(0, 64).join('') } : {};
};

/**
 * The board as last counted, at once; counted first only if there is no count (or Refresh asks).
 * A count that is due again is done in the background, and the boards patched if it moved.
 */
export async function showBoard(audience: Audience, call: CallOptions, ctx: WatchContext): Promise<Outcome & { counts?: BoardCounts }> {
  try {
    const now = ctx.clock();
    let snapshot = call.fresh ? undefined : await ctx.store.boardSnapshot();
    if (!snapshot) snapshot = await recount(ctx, call);
    else if (due(snapshot, now, ctx)) await scheduleRefresh(ctx);
    return { ...render(snapshot, audience, ctx), counts: shownCounts(snapshot, ctx) };
  } catch (error) {
    if (error instanceof StateUnavailable) throw error;
    const p = problemFor(error, 'list');
    return { card: problemCard(p), outcome: p.kind, ticketIds: [] };
  }
}

/** Whether the figures should be read again: not every open ticket is in them, or they are old. */
const due = (snapshot: BoardSnapshot, now: number, ctx: WatchContext): boolean => now - snapshot.countedAt >= RECOUNT_MS || (!snapshot.index && now - snapshot.at >= ctx.settings.board_refresh_seconds * 1000);

/** Counts, finds what the oldest ticket's customer asked, and keeps it for every board. */
async function recount(ctx: WatchContext, call: CallOptions): Promise<BoardSnapshot> {
  const snapshot = await countBoard(ctx.helpdesk, call, ctx.clock(), ctx.timezone);
  ctx.metrics.watch('board_counts');
  const withQuestion = await askOldest(ctx, snapshot, call);
  await ctx.store.keepBoardSnapshot(withQuestion);
  return withQuestion;
}

/** The oldest ticket's question (kept once fetched); without it if it cannot be had. */
async function askOldest(ctx: WatchContext, snapshot: BoardSnapshot, call: CallOptions): Promise<BoardSnapshot> {
  const oldest = snapshot.counts.oldest;
  if (!oldest || oldest.question !== undefined) return snapshot;
  const question = await ctx.helpdesk.firstMessage(oldest.id, oldest.guestId, { ...(call.deadline !== undefined ? { deadline: call.deadline } : {}), background: call.background === true }).catch(() => undefined);
  return question ? { ...snapshot, counts: { ...snapshot.counts, oldest: { ...oldest, question } } } : snapshot;
}

/** The boards are recounted and patched at the end of the current window (once for many events). */
async function scheduleRefresh(ctx: WatchContext): Promise<void> {
  const boards = coalesce(ctx.clock(), ctx.settings.board_refresh_seconds * 1000);
  await ctx.enqueue({ kind: 'boards-refresh', window: boards.window }, { delayMs: boards.delayMs });
}

/**
 * A ticket changed: the board's figures take it in at once when they hold every open ticket (no
 * call); then the posted boards are brought up to date (recounting, if the figures could not).
 */
export async function noteOnBoard(ticket: Ticket, ctx: WatchContext): Promise<void> {
  const snapshot = await ctx.store.boardSnapshot();
  const updated = snapshot && applyTicket(snapshot, ticket, ctx.clock(), ctx.timezone);
  if (updated) await ctx.store.keepBoardSnapshot(updated);
  if ((await ctx.store.boards()).length > 0) await scheduleRefresh(ctx);
}

/** What a board shows, to tell a recount that changed something from one that did not. */
export const signature = (counts: BoardCounts): string => JSON.stringify(counts);

/** Brings the figures up to date (recounting in the background if due) and patches every board whose numbers moved. */
export async function refreshBoards(ctx: WatchContext): Promise<void> {
  const boards = (await ctx.store.boards()).slice(-MAX_REFRESHED);
  if (boards.length === 0) return;
  const started = ctx.clock();
  const call: CallOptions = { fresh: true, background: true, deadline: started + ctx.commandBudgetMs };
  const kept = await ctx.store.boardSnapshot();
  const recounting = !kept || due(kept, started, ctx);
  const snapshot = await (recounting ? recount(ctx, call) : askOldest(ctx, kept, call)).catch((error: unknown) => {
    if (error instanceof StateUnavailable) throw error;
    // The next ticket event tries again; the boards keep their numbers meanwhile.
    ctx.log.warn('board.count_failed', { error: messageOf(error) });
    return undefined;
  });
  if (!snapshot) return;
  // A recount kept its own figures. A question found for the kept ones is kept only if no ticket
  // event changed them meanwhile (writing this older copy would undo what the event noted).
  if (!recounting && snapshot !== kept && (await ctx.store.boardSnapshot())?.at === kept?.at) await ctx.store.keepBoardSnapshot(snapshot);
  const shown = signature(shownCounts(snapshot, ctx));
  let patched = 0;
  for (const { messageId, board } of boards) {
    if (ctx.clock() - board.sentAt >= EDITABLE_MS) {
      await ctx.store.dropBoard(messageId);
      continue;
    }
    if (board.shown === shown) continue;
    const { card } = render(snapshot, audienceFor(ctx, board.chatId, board.chatType), ctx);
    try {
      await ctx.messenger.patch(messageId, card, { chatId: board.chatId, deadline: started + ctx.replyWaitMs });
      await ctx.store.rememberBoard(messageId, { ...board, shown }, ctx.clock());
      patched++;
      ctx.metrics.watch('board_updates');
    } catch (error) {
      if (error instanceof StateUnavailable) throw error;
      if (messageGone(error)) await ctx.store.dropBoard(messageId);
      ctx.log.warn('board.patch_failed', { message_id: messageId, error: messageOf(error) });
    }
  }
  ctx.log.info('boards.refreshed', { boards: boards.length, patched, open: snapshot.counts.open, recounted: snapshot.countedAt >= started, latency_ms: ctx.clock() - started });
}
