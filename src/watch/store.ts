// What watches, live cards and boards keep, over the state's records (in this process and its
// file, or in Redis for every instance). Every key and every bound lives here.
import { randomBytes } from 'node:crypto';
import type { L10n } from '../cards/kit.js';
import type { ListState, View } from '../views/view.js';
import type { PendingQuestion, ReadPage } from '../views/show.js';
import type { ChatType } from '../jobs/types.js';
import type { Ticket } from '../helpdesk/types.js';
import { z } from 'zod';
import { NotKept, type RecordChecks, type Records } from '../state/types.js';
import type { BoardSnapshot } from './counts.js';

const DAY = 24 * 3600_000;
/** The platform lets a card be updated for 14 days after it was sent. */
export const EDITABLE_MS = 14 * DAY;
/** A ticket a watch posted is not posted again by it for this long. */
export const POSTED_MS = 30 * DAY;
/** Matches waiting for their chat's post window; far longer than a window, in case one is missed. */
const PENDING_MS = 10 * 60_000;
/** The most watches the bot keeps in all (each chat has its own, smaller limit). */
export const MAX_WATCHES = 1000;

export interface Watch {
  id: string;
  chatId: string;
  chatType: ChatType;
  /** The query, as a list of the first page (never with time words). */
  list: ListState;
  /** Who created it (open_id) and when. */
  createdBy: string;
  createdAt: number;
  /**
   * Its number in the chat, as announced (for /unwatch): never reused nor shifted. Watches made
   * before numbers were kept get theirs, by age, the first time their chat's watches are read.
   */
  number?: number;
}

/** A card the bot keeps current: what to show again, and where (so masking and buttons stay). */
export interface LiveCard {
  view: View & { kind: 'ticket' };
  chatId: string;
  chatType: ChatType;
  /** A watch's compact post (rather than the full ticket card): its label and why it was posted. */
  post?: { label: L10n; change: 'created' | 'updated' };
  /** When the message was sent (as far as the bot knows): updates stop 14 days later. */
  sentAt: number;
}

export interface Board {
  chatId: string;
  chatType: ChatType;
  sentAt: number;
  /** The counts last shown, so a recount that changed nothing sends nothing. */
  shown?: string;
}

/** The board's last count is kept this long; older, /board counts afresh. */
const BOARD_SNAPSHOT_MS = 3600_000;

/** A list page a message shows, while its questions are fetched (see questions.ts). */
export interface ShownList {
  /** The page as it was read, to draw it again as it was. */
  read: ReadPage;
  chatId: string;
  chatType: ChatType;
  /** Its tickets whose questions were not at hand when it was drawn. */
  pending: PendingQuestion[];
}

/** A message's list page is filled in within this long, or not at all. */
const SHOWN_LIST_MS = 10 * 60_000;

/** A chat's daily digest: posted every day at `time` (HH:MM in the configured zone). */
export interface DailyDigest {
  chatId: string;
  chatType: ChatType;
  time: string;
  /** Who set it (open_id) and when: no slot before this is owed. */
  setBy: string;
  setAt: number;
}

/** The most daily digests the bot keeps in all (one per chat). */
export const MAX_DIGESTS = 1000;
/** While one instance posts a digest, no other takes the same day's for this long. */
const DIGEST_HOLD_MS = 5 * 60_000;

/** A match waiting to be posted: the watch and the ticket as it was looked up. */
export interface PendingPost {
  watchId: string;
  ticket: Ticket;
  change: 'created' | 'updated';
}

const chatType = z.enum(['p2p', 'group']);
const kept = { chatId: z.string().min(1), chatType, sentAt: z.number() };
/**
 * What each kind of record must look like to be used, checked when the state file is read: a
 * record that is not (a watch whose query is null) is dropped there, and named in the log, rather
 * than breaking every watch that is read with it.
 */
export const RECORD_CHECKS: RecordChecks = Object.fromEntries(
  Object.entries({
    'watch:': z.looseObject({ id: z.string().min(1), chatId: z.string().min(1), chatType, list: z.looseObject({ filter: z.record(z.string(), z.unknown()) }), createdBy: z.string(), createdAt: z.number() }),
    'card:': z.looseObject({ ...kept, view: z.looseObject({ kind: z.literal('ticket'), ticketId: z.string().min(1) }) }),
    'board:': z.looseObject(kept),
    'digest:': z.looseObject({ chatId: z.string().min(1), chatType, time: z.string().regex(/^\d\d:\d\d$/), setBy: z.string(), setAt: z.number() }),
  }).map(([prefix, shape]) => [prefix, (value: unknown) => (shape.safeParse(value).error?.issues ?? []).map((i) => `${i.path.join('.') || 'value'}: ${i.message}`).join('; ') || undefined]),
);

export class WatchStore {
  constructor(private readonly records: Records) {}

  static newWatchId(): string {
    return `w${randomBytes(8).toString('hex')}`;
  }

  // ---- watches ----

  async allWatches(): Promise<Watch[]> {
    const ids = await this.records.members('watches');
    const found = await this.records.getMany<Watch>(ids.map((id) => `watch:${id}`));
    return found.filter((w): w is Watch => w !== undefined);
  }

  /** The chat's watches, by number. */
  async chatWatches(chatId: string): Promise<(Watch & { number: number })[]> {
    const watches = (await this.allWatches()).filter((w) => w.chatId === chatId).sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
    // Made before numbers were kept: numbered as they were then (by age), once and for all.
    const unnumbered = watches.filter((w) => w.number === undefined);
    if (unnumbered.length > 0) {
      const numbered = new Set(watches.map((w) => w.number));
      for (const [i, w] of watches.entries()) {
        if (w.number !== undefined) continue;
        w.number = numbered.has(i + 1) ? await this.nextNumber(chatId) : i + 1;
        numbered.add(w.number);
        await Promise.all([this.records.put(`watch:${w.id}`, w), this.records.add(`watch-numbers:${chatId}`, [String(w.number)])]);
      }
    }
    return (watches as (Watch & { number: number })[]).sort((a, b) => a.number - b.number);
  }

  /** A new number for a watch in the chat: one more than any it ever had (atomic across instances). */
  async nextNumber(chatId: string): Promise<number> {
    const set = `watch-numbers:${chatId}`;
    let next = Math.max(0, ...(await this.records.members(set)).map(Number)) + 1;
    while ((await this.records.add(set, [String(next)])).length === 0) next += 1;
    return next;
  }

  /** Whether the chat ever had a watch of this number (so it was removed, if none has it now). */
  async hadNumber(chatId: string, number: number): Promise<boolean> {
    return (await this.records.members(`watch-numbers:${chatId}`)).includes(String(number));
  }

  getWatch(id: string): Promise<Watch | undefined> {
    return this.records.get<Watch>(`watch:${id}`);
  }

  /**
   * Resolves once the watch (and the tickets noted for it) would survive a restart; if it cannot
   * be kept (NotKept), it is taken back, so no watch runs that a restart would lose unannounced.
   */
  async addWatch(watch: Watch): Promise<void> {
    // The record first: a watch id in the set always has its record.
    await this.records.put(`watch:${watch.id}`, watch);
    await this.records.add('watches', [watch.id]);
    await this.records.sync().catch(async (error: unknown) => {
      if (error instanceof NotKept) await this.dropWatch(watch.id);
      throw error;
    });
  }

  async removeWatch(id: string): Promise<void> {
    await this.dropWatch(id);
    await this.records.sync();
  }

  private async dropWatch(id: string): Promise<void> {
    await this.records.remove('watches', [id]);
    await this.records.delete(`watch:${id}`);
    await this.records.take(`posted:${id}`);
  }

  /** Notes tickets as posted (or as matching before the watch began); resolves with those new to it. */
  claimPosted(watchId: string, ticketIds: readonly string[]): Promise<string[]> {
    return this.records.add(`posted:${watchId}`, ticketIds, POSTED_MS);
  }

  /** Notes tickets as posted in the chat, by any of its watches; resolves with those not posted there before. */
  claimPostedInChat(chatId: string, ticketIds: readonly string[]): Promise<string[]> {
    return this.records.add(`chat-posted:${chatId}`, ticketIds, POSTED_MS);
  }

  // ---- posts waiting for their window ----

  async queuePost(chatId: string, post: PendingPost): Promise<void> {
    await this.records.add(`pending:${chatId}`, [JSON.stringify(post)], PENDING_MS);
  }

  async takePosts(chatId: string): Promise<PendingPost[]> {
    return (await this.records.take(`pending:${chatId}`)).map((text) => JSON.parse(text) as PendingPost);
  }

  async hasPosts(chatId: string): Promise<boolean> {
    return (await this.records.members(`pending:${chatId}`)).length > 0;
  }

  /** A chat that just got a digest gets its next posts in a longer window (a bulk import). */
  markBusy(chatId: string, ms: number): Promise<void> {
    return this.records.put(`busy:${chatId}`, 1, ms);
  }

  async isBusy(chatId: string): Promise<boolean> {
    return (await this.records.get(`busy:${chatId}`)) !== undefined;
  }

  // ---- live cards ----

  /**
   * Remembers (or updates) what a message shows. The send time only moves back: a message clicked
   * later was still sent when it was first known to be. A message just sent has nothing earlier:
   * it is written at once (in this process, before the call returns).
   */
  async rememberCard(messageId: string, shown: LiveCard, now: number, justSent = false): Promise<void> {
    const before = justSent ? undefined : await this.getCard(messageId);
    const card = before ? { ...shown, sentAt: Math.min(before.sentAt, shown.sentAt) } : shown;
    const left = card.sentAt + EDITABLE_MS - now;
    if (left <= 0) return;
    // All at once: a ticket event in between must find the card in its ticket's set. The chat's
    // set is how the card is found when the bot leaves the chat.
    await Promise.all([this.records.put(`card:${messageId}`, card, left), this.records.add(`cards:${card.view.ticketId}`, [messageId], left), this.records.add(`chat-cards:${card.chatId}`, [messageId], left)]);
  }

  getCard(messageId: string): Promise<LiveCard | undefined> {
    return this.records.get<LiveCard>(`card:${messageId}`);
  }

  /** The message shows something else now (a list): it is no longer a ticket's card. */
  forgetCard(messageId: string): Promise<void> {
    return this.records.delete(`card:${messageId}`);
  }

  /** The messages showing this ticket, with what each shows (stale entries are dropped). */
  async cardsOf(ticketId: string): Promise<{ messageId: string; card: LiveCard }[]> {
    const ids = await this.records.members(`cards:${ticketId}`);
    const cards = await this.records.getMany<LiveCard>(ids.map((id) => `card:${id}`));
    const live = ids.flatMap((messageId, i) => (cards[i] && cards[i]!.view.ticketId === ticketId ? [{ messageId, card: cards[i]! }] : []));
    const stale = ids.filter((id) => !live.some((c) => c.messageId === id));
    if (stale.length) await this.records.remove(`cards:${ticketId}`, stale);
    return live;
  }

  async dropCard(ticketId: string, messageId: string): Promise<void> {
    await Promise.all([this.records.remove(`cards:${ticketId}`, [messageId]), this.records.delete(`card:${messageId}`)]);
  }

  // ---- list pages waiting for their questions ----

  /** The list page a message shows now (replacing what it showed before). */
  rememberList(messageId: string, shown: ShownList): Promise<void> {
    return this.records.put(`list:${messageId}`, shown, SHOWN_LIST_MS);
  }

  shownList(messageId: string): Promise<ShownList | undefined> {
    return this.records.get<ShownList>(`list:${messageId}`);
  }

  /** The message shows something else now (a ticket, a board). */
  forgetList(messageId: string): Promise<void> {
    return this.records.delete(`list:${messageId}`);
  }

  // ---- a chat the bot can no longer post to ----

  /**
   * Drops everything kept for a chat: its watches (with the tickets they posted), its boards, its
   * live cards, the posts waiting for its window and its daily digest. Resolves with how many of each it dropped,
   * once that would survive a restart.
   */
  async forgetChat(chatId: string): Promise<{ watches: number; boards: number; cards: number; digests: number }> {
    const watches = (await this.allWatches()).filter((w) => w.chatId === chatId);
    for (const watch of watches) await this.dropWatch(watch.id);
    const boards = (await this.boards()).filter((b) => b.board.chatId === chatId);
    await Promise.all(boards.map((b) => this.dropBoard(b.messageId)));
    const ids = await this.records.take(`chat-cards:${chatId}`);
    const found = await this.records.getMany<LiveCard>(ids.map((id) => `card:${id}`));
    const cards = ids.flatMap((messageId, i) => (found[i]?.chatId === chatId ? [{ messageId, card: found[i]! }] : []));
    await Promise.all(cards.map(({ messageId, card }) => this.dropCard(card.view.ticketId, messageId)));
    await Promise.all([this.records.take(`pending:${chatId}`), this.records.delete(`busy:${chatId}`), this.records.take(`chat-posted:${chatId}`), this.records.take(`watch-numbers:${chatId}`)]);
    const digest = await this.getDigest(chatId);
    if (digest) await this.dropDigest(chatId);
    await this.records.sync();
    return { watches: watches.length, boards: boards.length, cards: cards.length, digests: digest ? 1 : 0 };
  }

  // ---- boards ----

  /** The board's last count, kept current by ticket events (see counts.ts). */
  boardSnapshot(): Promise<BoardSnapshot | undefined> {
    return this.records.get<BoardSnapshot>('board-snapshot');
  }

  keepBoardSnapshot(snapshot: BoardSnapshot): Promise<void> {
    return this.records.put('board-snapshot', snapshot, BOARD_SNAPSHOT_MS);
  }

  async rememberBoard(messageId: string, shown: Board, now: number, justSent = false): Promise<void> {
    const before = justSent ? undefined : await this.getBoard(messageId);
    const board = before ? { ...shown, sentAt: Math.min(before.sentAt, shown.sentAt) } : shown;
    const left = board.sentAt + EDITABLE_MS - now;
    if (left <= 0) return;
    await Promise.all([this.records.put(`board:${messageId}`, board, left), this.records.add('boards', [messageId], left)]);
  }

  async boards(): Promise<{ messageId: string; board: Board }[]> {
    const ids = await this.records.members('boards');
    const boards = await this.records.getMany<Board>(ids.map((id) => `board:${id}`));
    return ids.flatMap((messageId, i) => (boards[i] ? [{ messageId, board: boards[i]! }] : []));
  }

  getBoard(messageId: string): Promise<Board | undefined> {
    return this.records.get<Board>(`board:${messageId}`);
  }

  async dropBoard(messageId: string): Promise<void> {
    await Promise.all([this.records.remove('boards', [messageId]), this.records.delete(`board:${messageId}`)]);
  }

  // ---- daily digests ----

  getDigest(chatId: string): Promise<DailyDigest | undefined> {
    return this.records.get<DailyDigest>(`digest:${chatId}`);
  }

  async allDigests(): Promise<DailyDigest[]> {
    const chats = await this.records.members('digests');
    const found = await this.records.getMany<DailyDigest>(chats.map((id) => `digest:${id}`));
    return found.filter((d): d is DailyDigest => d !== undefined);
  }

  /**
   * Sets (or replaces) the chat's digest; resolves once that would survive a restart. If it
   * cannot be kept (NotKept), the chat's setting goes back to `previous`, so no digest runs
   * that a restart would lose unannounced.
   */
  async setDigest(digest: DailyDigest, previous?: DailyDigest): Promise<void> {
    await this.records.put(`digest:${digest.chatId}`, digest);
    await this.records.add('digests', [digest.chatId]);
    await this.records.sync().catch(async (error: unknown) => {
      if (error instanceof NotKept) await (previous ? this.records.put(`digest:${previous.chatId}`, previous) : this.dropDigest(digest.chatId));
      throw error;
    });
  }

  async removeDigest(chatId: string): Promise<void> {
    await this.dropDigest(chatId);
    await this.records.sync();
  }

  private async dropDigest(chatId: string): Promise<void> {
    await this.records.remove('digests', [chatId]);
    await this.records.delete(`digest:${chatId}`);
  }

  /**
   * Takes the right to post the chat's digest of `day`: 'mine' for one caller (on any instance)
   * until it posts, gives it back, or DIGEST_HOLD_MS pass; 'held' while another has it; 'done'
   * once the day is posted.
   */
  async claimDigest(chatId: string, day: string): Promise<'mine' | 'held' | 'done'> {
    const posted = await this.records.get<string>(`digest-posted:${chatId}`);
    if (posted !== undefined && posted >= day) return 'done';
    return (await this.records.add(`digest-posting:${chatId}`, [day], DIGEST_HOLD_MS)).length > 0 ? 'mine' : 'held';
  }

  /** The claim given back (the post failed): the next try may take it. */
  releaseDigest(chatId: string, day: string): Promise<void> {
    return this.records.remove(`digest-posting:${chatId}`, [day]);
  }

  /** The day (yyyy-MM-dd) is posted: no run takes it again, after a restart either, whatever the time is changed to. */
  async digestPosted(chatId: string, day: string): Promise<void> {
    // Kept past a /digest off, so one turned off and on again the same day does not post twice.
    await this.records.put(`digest-posted:${chatId}`, day, 2 * DAY);
    await this.records.sync();
  }
}
