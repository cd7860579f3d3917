// /digest 09:00 (日报): a chat's daily digest, posted every day at that time in the configured zone
// with the day before's figures, until /digest off. Kept in the records (a restart keeps it; with
// Redis every instance sees it) and run by delayed jobs: each post schedules the next day's. A
// post is claimed in the records first, so of the instances (or the runs after a restart) that
// come to the same day, one posts; the day is then noted as posted, so none posts it again. After
// a restart the last slot is owed if it was missed (resume), so a missed minute posts once, late.
import { DateTime } from 'luxon';
import { dailyDigestCard, digestSettingCard } from '../cards/dailyDigest.js';
import { problemCard } from '../cards/problem.js';
import type { Problem } from '../commands/problems.js';
import { chatGone, sendUuid } from '../feishu/messenger.js';
import type { DailyDigestJob } from '../jobs/job.js';
import { messageOf } from '../obs/errors.js';
import { StateUnavailable } from '../state/types.js';
import { countStats, loadingParts } from '../stats/compute.js';
import { periodOf } from '../stats/request.js';
import type { Who } from '../views/access.js';
import type { Audience } from '../views/audience.js';
import { audienceFor, valueFor } from '../views/audience.js';
import type { Outcome } from '../views/show.js';
import type { WatchContext } from './context.js';
import { countBoard } from './counts.js';
import type { BoardCounts } from '../cards/board.js';
import type { CallOptions } from '../helpdesk/api.js';
import { forgetChat } from './forget.js';
import { MAX_DIGESTS, type DailyDigest } from './store.js';
import { mayEdit } from './watches.js';

/** A job this much before its slot is early (timers may fire a little ahead of the clock). */
const EARLY_MS = 1000;
const OFF_WORDS = new Set(['off', 'stop', 'none', '关', '关闭', '停止', '取消']);
/** 9, 9:00, 09:30, 9点, 9点30, 9:30pm, 21：30 (a full-width colon too). */
const TIME = /^(\d{1,2})(?:[:：点.](\d{2})?分?)?\s*(am|pm)?$/i;

/** The words after /digest: show the setting, stop, or a time of day as HH:MM; undefined if none of these. */
export function readDigestArgs(args: string): { kind: 'show' } | { kind: 'off' } | { kind: 'set'; time: string } | undefined {
  const text = args.normalize('NFKC').trim().toLowerCase();
  if (text === '') return { kind: 'show' };
  if (OFF_WORDS.has(text)) return { kind: 'off' };
  const m = TIME.exec(text);
  if (!m) return undefined;
  let hour = Number(m[1]);
  const minute = Number(m[2] ?? '0');
  if (m[3]) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (m[3] === 'pm' ? 12 : 0);
  }
  if (hour > 23 || minute > 59) return undefined;
  return { kind: 'set', time: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}` };
}

/** The instant of `time` on the zone's day of `day` (a time a DST change skips moves forward). */
function slotOn(day: DateTime, time: string): DateTime {
  const [hour, minute] = time.split(':').map(Number);
  return day.set({ hour: hour!, minute: minute!, second: 0, millisecond: 0 });
}

/** The first slot after `after`. */
export function nextSlot(time: string, after: number, zone: string): number {
  const today = DateTime.fromMillis(after, { zone });
  const slot = slotOn(today, time);
  return (slot.toMillis() > after ? slot : slotOn(today.plus({ days: 1 }), time)).toMillis();
}

/** The last slot at or before `now`, if it came after `since` (none is owed from before a digest was set). */
export function lastSlot(time: string, since: number, now: number, zone: string): number | undefined {
  const today = DateTime.fromMillis(now, { zone });
  const slot = slotOn(today, time);
  const last = (slot.toMillis() <= now ? slot : slotOn(today.minus({ days: 1 }), time)).toMillis();
  return last > since ? last : undefined;
}

const dayOf = (ms: number, zone: string): string => DateTime.fromMillis(ms, { zone }).toFormat('yyyy-MM-dd');

const problem = (p: Problem): Outcome => ({ card: problemCard(p), outcome: p.kind, ticketIds: [] });

/** `/digest`, `/digest 09:00`, `/digest off`. */
export async function digestCommand(args: string, who: Who, ctx: WatchContext): Promise<Outcome> {
  const asked = readDigestArgs(args);
  if (!asked) return problem({ kind: 'digest-time', input: args.trim() });
  const now = ctx.clock();
  const current = await ctx.store.getDigest(who.chatId);
  const setting = (time: string | undefined, change?: 'set' | 'off'): Outcome => ({
    card: digestSettingCard({ ...(time ? { time, next: nextSlot(time, now, ctx.timezone) } : {}), ...(change ? { change } : {}), timezone: ctx.timezone, now }),
    outcome: 'ok',
    ticketIds: [],
  });
  if (asked.kind === 'show') return setting(current?.time);
  if (!mayEdit(ctx, who)) return problem({ kind: 'watch-refused', contact: ctx.access.contact });
  if (asked.kind === 'off') {
    if (current) await ctx.store.removeDigest(who.chatId);
    ctx.log.info('digest.stopped', { chat_id: who.chatId, by: who.userOpenId, was: current?.time ?? null });
    return setting(undefined, 'off');
  }
  if (!current && (await ctx.store.allDigests()).length >= MAX_DIGESTS) return problem({ kind: 'digest-limit', max: MAX_DIGESTS });
  const digest: DailyDigest = { chatId: who.chatId, chatType: who.chatType, time: asked.time, setBy: who.userOpenId, setAt: now };
  await ctx.store.setDigest(digest, current);
  await schedule(digest, nextSlot(digest.time, now, ctx.timezone), ctx);
  ctx.log.info('digest.set', { chat_id: who.chatId, by: who.userOpenId, time: digest.time, was: current?.time ?? null });
  return setting(digest.time, 'set');
}

/** Queues the digest's post for `slot` (once: the job's id names the chat and the slot). */
async function schedule(digest: DailyDigest, slot: number, ctx: WatchContext): Promise<void> {
  const queued = await ctx.enqueue({ kind: 'daily-digest', chatId: digest.chatId, slot }, { delayMs: Math.max(0, slot - ctx.clock()) });
  if (!queued) ctx.log.warn('digest.not_scheduled', { chat_id: digest.chatId, slot });
}

/**
 * At start-up: every digest's next post is queued again (the memory queue lost it; on Redis it is
 * there already, and the same id adds nothing), and the last one too if it may have been missed
 * while no instance ran: its run posts it unless that day is noted as posted.
 */
export async function resumeDigests(ctx: WatchContext): Promise<void> {
  const now = ctx.clock();
  for (const digest of await ctx.store.allDigests()) {
    const missed = lastSlot(digest.time, digest.setAt, now, ctx.timezone);
    if (missed !== undefined) await schedule(digest, missed, ctx);
    await schedule(digest, nextSlot(digest.time, now, ctx.timezone), ctx);
  }
}

/** A digest's job at its slot: posts the day before's figures, unless done or changed; then queues the next. */
export async function postDigest(job: DailyDigestJob, ctx: WatchContext): Promise<void> {
  // Run before its time: a process stopping runs what it holds (the memory queue's drain). The
  // next start queues it again.
  if (ctx.clock() < job.slot - EARLY_MS) return;
  const digest = await ctx.store.getDigest(job.chatId);
  // Stopped, or the chat forgotten: nothing more.
  if (!digest) return;
  const zone = ctx.timezone;
  const slotDay = DateTime.fromMillis(job.slot, { zone });
  // The time was changed since this was queued: the new time's job posts instead.
  if (slotOn(slotDay, digest.time).toMillis() !== job.slot || job.slot <= digest.setAt) return;
  const day = dayOf(job.slot, zone);
  try {
    const claim = await ctx.store.claimDigest(digest.chatId, day);
    if (claim === 'mine') await post(digest, day, slotDay.minus({ days: 1 }).toFormat('yyyy-MM-dd'), ctx);
    else if (claim === 'done') ctx.log.debug('digest.skipped', { chat_id: digest.chatId, day, reason: 'posted' });
    // Another run holds the day: it may be posting, or may have died posting (a crash, the state
    // away). This job runs again after its backoff; by then the day is posted, or the hold has
    // lapsed and this run posts it (the send's uuid keeps the platform from posting it twice).
    else throw new Error(`the digest of ${day} for this chat is being posted by another run`);
  } finally {
    // Whatever became of this one, tomorrow's is queued (a stopped digest has no record by then).
    if (await ctx.store.getDigest(job.chatId)) await schedule(digest, nextSlot(digest.time, Math.max(job.slot, ctx.clock()), zone), ctx);
  }
}

async function post(digest: DailyDigest, day: string, yesterday: string, ctx: WatchContext): Promise<void> {
  const started = ctx.clock();
  const audience = audienceFor(ctx, digest.chatId, digest.chatType);
  const period = periodOf({ filter: {}, names: {}, period: yesterday }, started, ctx.timezone)!;
  const parts = loadingParts();
  const call = { deadline: started + ctx.stats.budget_ms };
  const [, open] = await Promise.all([
    countStats({ filter: {}, period, asOf: started, targetMs: ctx.stats.first_response_target_minutes * 60_000 }, ctx.helpdesk, call, (name, part) => Object.assign(parts, { [name]: part })),
    // The board's kept count (ticket events keep it current), else a count of the open tickets.
    openNow(ctx, call, started).catch((error: unknown) => {
      ctx.log.warn('digest.open_not_counted', { chat_id: digest.chatId, error: messageOf(error) });
      return undefined;
    }),
  ]);
  const card = dailyDigestCard({
    day: yesterday,
    stats: { ...period, parts, targetMinutes: ctx.stats.first_response_target_minutes, timezone: ctx.timezone, asOf: started },
    ...(open ? { open: { count: open.open, ...(open.oldest ? { oldest: open.oldest } : {}) } } : {}),
    time: digest.time,
    actions: actionsFor(audience, yesterday, open?.oldest?.id, ctx),
  });
  try {
    await ctx.messenger.send({ chatId: digest.chatId }, card, sendUuid(`daily-digest:${digest.chatId}:${day}`), { chatId: digest.chatId, deadline: ctx.clock() + ctx.replyWaitMs });
  } catch (error) {
    if (error instanceof StateUnavailable) throw error;
    const gone = chatGone(error);
    ctx.log.warn('digest.post_failed', { chat_id: digest.chatId, day, error: messageOf(error) });
    if (gone) return forgetChat(digest.chatId, gone, { via: 'send-failed', error: messageOf(error) }, ctx);
    // Given back, and the job run again later.
    await ctx.store.releaseDigest(digest.chatId, day);
    throw error;
  }
  await ctx.store.digestPosted(digest.chatId, day);
  ctx.metrics.watch('daily_digests');
  ctx.log.info('digest.posted', { chat_id: digest.chatId, day, of: yesterday, latency_ms: ctx.clock() - started });
}

async function openNow(ctx: WatchContext, call: CallOptions, now: number): Promise<BoardCounts> {
  return ((await ctx.store.boardSnapshot()) ?? (await countBoard(ctx.helpdesk, call, now))).counts;
}

/** Its buttons open their view as a new message: the digest stays as posted. */
function actionsFor(audience: Audience, yesterday: string, oldest: string | undefined, ctx: WatchContext) {
  const open = (view: Parameters<typeof valueFor>[2]) => valueFor(ctx, audience, view, { newMessage: true });
  return {
    unhappy: open({ kind: 'list', list: { filter: { score: 1 }, times: { created: yesterday }, page: 1, names: {} } }),
    ...(oldest ? { oldest: open({ kind: 'ticket', ticketId: oldest }) } : {}),
    board: open({ kind: 'board' }),
  };
}
