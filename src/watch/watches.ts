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
import { understand } from '../views/tickets.js';
import type { Outcome } from '../views/show.js';
import type { Audience } from '../views/audience.js';
import type { Mention } from '../jobs/types.js';
import type { CallOptions } from '../helpdesk/api.js';
import { listingOf, readMatching } from '../views/listing.js';
import { valueFor } from '../views/audience.js';
import type { WatchContext } from './context.js';
import { MAX_WATCHES, WatchStore, type Watch } from './store.js';
import { messageOf } from '../obs/errors.js';

const problem = (p: Problem): Outcome => ({ card: problemCard(p), outcome: p.kind, ticketIds: [] });

/** The watch's query in words, as the list card would title it. */
export function watchLabel(watch: Pick<Watch, 'list'>, timezone: string): L10n {
  const { list } = watch;
  return describeQuery(list.filter, list.names, timezone, { mine: list.mine === true, unassigned: list.unassigned === true, ...(list.scores ? { scores: list.scores } : {}) });
}

/** Whether this person may start and stop watches (access.watch; empty: anyone who may use the bot). */
export const mayEdit = (ctx: WatchContext, who: Who): boolean => ctx.access.watch.length === 0 || ctx.access.watch.includes(who.userOpenId);

/** `/watch <filters>`: starts a watch in this chat. */
export async function startWatch(args: string, who: Who, mentions: Mention[], audience: Audience, call: CallOptions, ctx: WatchContext): Promise<Outcome> {
  if (!mayEdit(ctx, who)) return problem({ kind: 'watch-refused', contact: ctx.access.contact });
  const now = ctx.clock();
  const parsed = await understand(args, { openId: who.userOpenId, mentions }, now, ctx.timezone, ctx.directory, call, true);
  if ('problem' in parsed) return problem(parsed.problem);
  const list = parsed.view.list;
  const time = list.times?.created ?? list.times?.updated ?? list.times?.closed;
  if (time !== undefined) return problem({ kind: 'watch-filter', word: time, why: 'time' });
  if (list.page !== 1) return problem({ kind: 'watch-filter', word: `page ${list.page}`, why: 'page' });

  const existing = await ctx.store.chatWatches(who.chatId);
  const same = existing.find((w) => canonical(watchQuery(w.list)) === canonical(watchQuery(list)));
  if (same) return problem({ kind: 'watch-duplicate', number: same.number });
  if (existing.length >= ctx.settings.max_per_chat) return problem({ kind: 'watch-limit', max: ctx.settings.max_per_chat, scope: 'chat' });
  if ((await ctx.store.allWatches()).length >= MAX_WATCHES) return problem({ kind: 'watch-limit', max: MAX_WATCHES, scope: 'bot' });

  const watch: Watch = { id: WatchStore.newWatchId(), chatId: who.chatId, chatType: who.chatType, list, createdBy: who.userOpenId, createdAt: now, number: await ctx.store.nextNumber(who.chatId) };
  // What matches already is noted first, so none of it is posted as if it were new.
  const listing = listingOf(list, now, ctx.timezone);
  const matching = await (listing ? readMatching(ctx.helpdesk, listing, call) : Promise.reject(new Error('no listing'))).catch((error: unknown) => {
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
    number: watch.number!,
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
    watches: watches.map((w) => ({ number: w.number, label: watchLabel(w, ctx.timezone), since: w.createdAt, unwatch: valueFor(ctx, audience, { kind: 'unwatch', watchId: w.id }) })),
    max: ctx.settings.max_per_chat,
    timezone: ctx.timezone,
    now: ctx.clock(),
    ...(note ? { note } : {}),
    refresh: valueFor(ctx, audience, { kind: 'watches' }),
  });
  return { card, outcome: 'ok', ticketIds: [] };
}

/** `/unwatch <n>`: removes the watch announced as number n; alone, lists them. */
export async function stopWatchByNumber(args: string, who: Who, audience: Audience, ctx: WatchContext): Promise<Outcome> {
  const input = args.trim().replace(/^#/, '');
  if (input === '') return showWatches(audience, ctx);
  if (!mayEdit(ctx, who)) return problem({ kind: 'watch-refused', contact: ctx.access.contact });
  const watches = await ctx.store.chatWatches(who.chatId);
  const n = /^\d{1,6}$/.test(input) ? Number(input) : NaN;
  const watch = watches.find((w) => w.number === n);
  if (watch) return remove(watch, who, audience, ctx);
  // Numbers never move: a number that was given out is a watch that is gone.
  if (Number.isInteger(n) && (await ctx.store.hadNumber(who.chatId, n))) return showWatches(audience, ctx, l(`第 ${n} 个关注已经取消了。`, `Watch ${n} had already been removed.`));
  return problem({ kind: 'unwatch-number', input: args.trim(), numbers: watches.map((w) => w.number) });
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

/** What makes two watches the same: their query, not how it was typed. */
const watchQuery = (list: ListState) => ({ filter: list.filter, scores: list.scores, unassigned: list.unassigned });
