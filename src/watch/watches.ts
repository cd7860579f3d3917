// /watch <filters>, /watch, /unwatch <n> and the Unwatch button: a chat's watched queries. A watch
// is the same filter as /tickets (without time or page); from its start the tickets matching it
// are noted as seen, so only tickets created later, or that come to match later, are posted.
import { describeQuery } from '../cards/describe.js';
import { esc, l, mapL, type L10n } from '../cards/kit.js';
import { problemCard } from '../cards/problem.js';
import type { Problem } from '../commands/problems.js';
import { watchCreatedCard, watchListCard } from '../cards/watch.js';
import type { Who } from '../views/access.js';
import type { ListState } from '../views/view.js';
import { canonical } from '../views/buttons.js';
import { ticketsView } from '../views/tickets.js';
import type { Outcome } from '../views/show.js';
import type { Audience } from '../views/audience.js';
import type { Mention } from '../jobs/types.js';
import type { CallOptions } from '../helpdesk/api.js';
import { readTickets } from '../helpdesk/read.js';
import { valueFor } from '../views/audience.js';
import type { WatchContext } from './context.js';
import { MAX_WATCHES, WatchStore, type Watch } from './store.js';
import { messageOf } from '../obs/errors.js';

const problem = (p: Problem): Outcome => ({ card: problemCard(p), outcome: p.kind, ticketIds: [] });

/** The watch's query in words, as the list card would title it. */
export function watchLabel(watch: Pick<Watch, 'list'>, timezone: string): L10n {
  return describeQuery(watch.list.filter, watch.list.names, timezone, { mine: watch.list.mine === true });
}

/** Whether this person may start and stop watches (access.watch; empty: anyone who may use the bot). */
export const mayEdit = (ctx: WatchContext, who: Who): boolean => ctx.access.watch.length === 0 || ctx.access.watch.includes(who.userOpenId);

/** `/watch <filters>`: starts a watch in this chat. */
export async function startWatch(args: string, who: Who, mentions: Mention[], audience: Audience, call: CallOptions, ctx: WatchContext): Promise<Outcome> {
  if (!mayEdit(ctx, who)) return problem({ kind: 'watch-refused', contact: ctx.access.contact });
  const now = ctx.clock();
  const parsed = ticketsView(args, { openId: who.userOpenId, mentions }, now, ctx.timezone, ctx.pageSize);
  if ('problem' in parsed) return problem(parsed.problem);
  if (parsed.view.kind !== 'list') return problem({ kind: 'upstream', what: 'list' });
  const list = parsed.view.list;
  const time = list.times?.created ?? list.times?.updated;
  if (time !== undefined) return problem({ kind: 'watch-filter', word: time, why: 'time' });
  if (list.page !== 1) return problem({ kind: 'watch-filter', word: `page ${list.page}`, why: 'page' });

  const existing = await ctx.store.chatWatches(who.chatId);
  const same = existing.findIndex((w) => canonical(w.list.filter) === canonical(list.filter));
  if (same >= 0) return problem({ kind: 'watch-duplicate', number: same + 1 });
  if (existing.length >= ctx.settings.max_per_chat) return problem({ kind: 'watch-limit', max: ctx.settings.max_per_chat, scope: 'chat' });
  if ((await ctx.store.allWatches()).length >= MAX_WATCHES) return problem({ kind: 'watch-limit', max: MAX_WATCHES, scope: 'bot' });

  const watch: Watch = { id: WatchStore.newWatchId(), chatId: who.chatId, chatType: who.chatType, list, createdBy: who.userOpenId, createdAt: now };
  // What matches already is noted first, so none of it is posted as if it were new.
  const matching = await readTickets(ctx.helpdesk, list.filter, call).catch((error: unknown) => {
    ctx.log.warn('watch.baseline_failed', { chat_id: who.chatId, error: messageOf(error) });
    return undefined;
  });
  if (matching)
    await ctx.store.claimPosted(
      watch.id,
      matching.tickets.map((t) => t.id),
    );
  await ctx.store.addWatch(watch);
  const label = watchLabel(watch, ctx.timezone);
  ctx.log.info('watch.started', { watch_id: watch.id, chat_id: watch.chatId, chat_type: watch.chatType, by: who.userOpenId, filters: list.filter, baseline: matching?.tickets.length ?? null });
  const card = watchCreatedCard({
    label,
    number: existing.length + 1,
    ...(matching ? { matchingNow: matching.total } : {}),
    ...(matching && matching.total > matching.tickets.length ? { capped: matching.tickets.length } : {}),
    digestAfter: ctx.settings.digest_after,
    actions: {
      matching: valueFor(ctx, audience, { kind: 'list', list: { ...list, page: 1 } }, { newMessage: true }),
      watches: valueFor(ctx, audience, { kind: 'watches' }),
    },
  });
  return { card, outcome: 'ok', ticketIds: [] };
}

/** `/watch` alone, Refresh on the list, or the list after a change (with a note first). */
export async function showWatches(audience: Audience, ctx: WatchContext, note?: L10n): Promise<Outcome> {
  const watches = await ctx.store.chatWatches(audience.chatId);
  const card = watchListCard({
    watches: watches.map((w) => ({ label: watchLabel(w, ctx.timezone), since: w.createdAt, unwatch: valueFor(ctx, audience, { kind: 'unwatch', watchId: w.id }) })),
    max: ctx.settings.max_per_chat,
    timezone: ctx.timezone,
    now: ctx.clock(),
    ...(note ? { note } : {}),
    refresh: valueFor(ctx, audience, { kind: 'watches' }),
  });
  return { card, outcome: 'ok', ticketIds: [] };
}

/** `/unwatch <n>`: removes the chat's n-th watch; alone, lists them. */
export async function stopWatchByNumber(args: string, who: Who, audience: Audience, ctx: WatchContext): Promise<Outcome> {
  const input = args.trim().replace(/^#/, '');
  if (input === '') return showWatches(audience, ctx);
  if (!mayEdit(ctx, who)) return problem({ kind: 'watch-refused', contact: ctx.access.contact });
  const watches = await ctx.store.chatWatches(who.chatId);
  const n = /^\d{1,3}$/.test(input) ? Number(input) : NaN;
  const watch = watches[n - 1];
  if (!watch) return problem({ kind: 'unwatch-number', input: args.trim(), count: watches.length });
  return remove(watch, who, audience, ctx);
}

/** The Unwatch button (bound to the watch's id, so it removes that one even if numbers moved). */
export async function stopWatchById(watchId: string, who: Who, audience: Audience, ctx: WatchContext): Promise<Outcome> {
  if (!mayEdit(ctx, who)) return problem({ kind: 'watch-refused', contact: ctx.access.contact });
  const watch = await ctx.store.getWatch(watchId);
  // Already gone (removed by someone else): the list as it is now says so by its absence.
  if (!watch || watch.chatId !== audience.chatId) return showWatches(audience, ctx, l('这个关注已经取消了。', 'That watch had already been removed.'));
  return remove(watch, who, audience, ctx);
}

async function remove(watch: Watch, who: Who, audience: Audience, ctx: WatchContext): Promise<Outcome> {
  await ctx.store.removeWatch(watch.id);
  ctx.log.info('watch.stopped', { watch_id: watch.id, chat_id: watch.chatId, by: who.userOpenId, filters: watch.list.filter });
  // The note repeats the query, which holds the user's words: escaped like any data.
  const note = mapL(watchLabel(watch, ctx.timezone), (s, loc) => (loc === 'zh_cn' ? `**已取消关注**：${esc(s)}` : `**Stopped watching**: ${esc(s)}`));
  return showWatches(audience, ctx, note);
}

/** The list state a watch would show (the first page of its query). */
export const watchList = (watch: Watch): ListState => ({ ...watch.list, page: 1 });
