// The queue board: /board (or 看板) and its Refresh button show it, and ticket events recount every
// board the bot has posted (at most once per watch.board_refresh_seconds, one count for all of
// them), patching only those whose numbers moved.
import { boardCard } from '../cards/board.js';
import { problemCard } from '../cards/problem.js';
import { problemFor } from '../commands/problems.js';
import type { Outcome } from '../views/show.js';
import type { Audience } from '../views/audience.js';
import { messageGone } from '../feishu/messenger.js';
import type { CallOptions } from '../helpdesk/api.js';
import { StateUnavailable } from '../state/types.js';
import type { BoardCounts } from '../cards/board.js';
import { countBoard, OPEN } from './counts.js';
import { audienceFor, valueFor } from '../views/audience.js';
import type { WatchContext } from './context.js';
import { EDITABLE_MS } from './store.js';
import { messageOf } from '../obs/errors.js';

/** The agent filter takes open_ids only (as the button values check). */
const OPEN_ID = /^ou_[A-Za-z0-9_-]{1,64}$/;

/** Boards recounted on one event, at most (the newest); older ones keep their last numbers. */
const MAX_REFRESHED = 200;

function render(counts: BoardCounts, audience: Audience, ctx: WatchContext): Outcome {
  const list = (filter: object, extra: { unassigned?: boolean } = {}) => valueFor(ctx, audience, { kind: 'list', list: { filter, page: 1, names: {}, ...extra } }, { newMessage: true });
  const card = boardCard({
    counts,
    timezone: ctx.timezone,
    now: ctx.clock(),
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

export async function showBoard(audience: Audience, call: CallOptions, ctx: WatchContext): Promise<Outcome & { counts?: BoardCounts }> {
  try {
    const counts = await countBoard(ctx.helpdesk, call, { now: ctx.clock(), timezone: ctx.timezone });
    return { ...render(counts, audience, ctx), counts };
  } catch (error) {
    const p = problemFor(error, 'list');
    return { card: problemCard(p), outcome: p.kind, ticketIds: [] };
  }
}

/** What a board shows, to tell a recount that changed something from one that did not. */
export const signature = (counts: BoardCounts): string => JSON.stringify(counts);

/** Recounts once and patches every board whose numbers moved. */
export async function refreshBoards(ctx: WatchContext): Promise<void> {
  const boards = (await ctx.store.boards()).slice(-MAX_REFRESHED);
  if (boards.length === 0) return;
  const started = ctx.clock();
  const counts = await countBoard(ctx.helpdesk, { fresh: true, deadline: started + ctx.commandBudgetMs }, { now: started, timezone: ctx.timezone }).catch((error: unknown) => {
    // The next ticket event recounts; the boards keep their numbers meanwhile.
    ctx.log.warn('board.count_failed', { error: messageOf(error) });
    return undefined;
  });
  if (!counts) return;
  ctx.metrics.watch('board_counts');
  const shown = signature(counts);
  let patched = 0;
  for (const { messageId, board } of boards) {
    if (ctx.clock() - board.sentAt >= EDITABLE_MS) {
      await ctx.store.dropBoard(messageId);
      continue;
    }
    if (board.shown === shown) continue;
    const { card } = render(counts, audienceFor(ctx, board.chatId, board.chatType), ctx);
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
  ctx.log.info('boards.refreshed', { boards: boards.length, patched, open: counts.open, latency_ms: ctx.clock() - started });
}
