// Work that runs after a delivery is acknowledged. Plain data (JSON-safe), so that it can be queued
// anywhere (in process, or in Redis for any instance to run) and run by whichever worker is free.
import type { CardAction, ChatEvent, IncomingMessage, Mention, TicketEvent } from './types.js';

export type Job =
  | {
      kind: 'message';
      message: IncomingMessage;
      /** Epoch ms the delivery was accepted: a command's latency counts its time in the queue. */
      receivedAt?: number;
    }
  /** One of the platform events the bot acts on (welcome, menu, a chat the bot left). */
  | ChatEvent
  /**
   * A click whose card could not be ready within the callback's 3 s: show the view and replace
   * the card through the delayed update API (the action carries its update token).
   */
  | { kind: 'card-update'; action: CardAction }
  /** A click that opens its view as a new message in the chat (a board's counts, a digest's rows). */
  | { kind: 'card-open'; action: CardAction }
  /** A ticket was created or changed: watches, live cards and boards act on it. */
  | TicketEvent
  /** Posts what the chat's watches matched in the last window: one card each, or a digest. */
  | { kind: 'watch-post'; chatId: string; window: string }
  /** Re-renders the live cards of a ticket after it changed (once per window). */
  | { kind: 'cards-refresh'; ticketId: string; window: string }
  /** Recounts the boards after ticket changes (once per window). */
  | { kind: 'boards-refresh'; window: string }
  /**
   * A sign-in ended (at /oauth/callback, or a device code confirmed): the click that asked for it
   * runs now, or its card says why not. `pending` is that click, sealed as it was kept while the
   * person signed in (it may hold a note's text, and the queue is a file or Redis).
   */
  | { kind: 'sign-in-done'; id: string; ok: boolean; reason?: string; pending: string }
  /** Asks the token endpoint whether a device code shown on a card was confirmed (again after a wait). */
  | { kind: 'sign-in-poll'; nonce: string; round: number }
  /** Fetches the questions a list page showed without and updates it; `page`: which page it showed (its key). */
  | { kind: 'list-questions'; messageId: string; page: string }
  | StatsFill
  | DailyDigestJob;

/** Posts a chat's daily digest at its time (`slot`, epoch ms): one job per chat and slot. */
export interface DailyDigestJob {
  kind: 'daily-digest';
  chatId: string;
  slot: number;
}

/**
 * Fills in a /stats card sent with parts still loading: the command again (its words, who asked,
 * whom they mentioned), counted as of when it was asked, patched into the message.
 */
export interface StatsFill {
  kind: 'stats-fill';
  messageId: string;
  chatId: string;
  args: string;
  askerOpenId: string;
  mentions: Mention[];
  /** Epoch ms the command was answered: the period is resolved at this moment. */
  asOf: number;
}

/** The id a job is stored under: a second delivery of the same thing finds it already there. */
export function jobId(job: Job): string {
  switch (job.kind) {
    case 'message':
      return `message-${job.message.messageId}`;
    case 'card-update':
      return `card-update-${job.action.eventId}`;
    case 'card-open':
      return `card-open-${job.action.eventId}`;
    // Coalesced: one job per key and window (see coalesce).
    case 'watch-post':
      return `watch-post-${job.chatId}-${job.window}`;
    case 'cards-refresh':
      return `cards-refresh-${job.ticketId}-${job.window}`;
    case 'boards-refresh':
      return `boards-refresh-${job.window}`;
    case 'stats-fill':
      return `stats-fill-${job.messageId}`;
    case 'daily-digest':
      return `daily-digest-${job.chatId}-${job.slot}`;
    case 'sign-in-done':
      return `sign-in-done-${job.id}`;
    case 'sign-in-poll':
      return `sign-in-poll-${job.nonce}-${job.round}`;
    case 'list-questions':
      return `list-questions-${job.messageId}-${job.page}`;
    default:
      return `${job.kind}-${job.eventId}`;
  }
}

/**
 * The window a coalesced job belongs to, and how long until it ends: the first change in a window
 * schedules the job for the window's end and later ones find it already there (same id). The next
 * window is a new id, since a finished job's id is remembered (an hour, with Redis).
 */
export function coalesce(now: number, windowMs: number): { window: string; delayMs: number } {
  const n = Math.floor(now / windowMs);
  return { window: `${windowMs}x${n}`, delayMs: (n + 1) * windowMs - now };
}
