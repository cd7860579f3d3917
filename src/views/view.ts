// What a person looks at, or asks to look at: a list page, a ticket, the board, the chat's watches.
// A view is plain data: typed commands and clicks both end in one (buttons carry it, signed, in
// buttons.ts), and showing it is show.ts's (lists and tickets) or watch/'s (the board, watches).
import type { TimeWords } from '../commands/filters/types.js';
import type { TicketFilter } from '../helpdesk/types.js';

/** What the user is looking at, or asks to look at. */
export type View =
  | { kind: 'list'; list: ListState }
  | { kind: 'ticket'; ticketId: string; back?: ListState }
  /** The queue board, counted now. */
  | { kind: 'board' }
  /** The chat's watches. */
  | { kind: 'watches' }
  /** The chat's watches once this one is removed (its Unwatch button). */
  | { kind: 'unwatch'; watchId: string }
  /** The filter form: empty (`/tickets` alone), or filled in with a list's filters (its Filter button). */
  | { kind: 'filter'; list?: ListState }
  /**
   * The list a submitted filter form gives (its values come with the click, unsigned), with what a
   * list's Filter kept that the form has no field for.
   */
  | { kind: 'filtered'; keep?: ListState };

export interface ListState {
  /** Without time ranges, except those of a version 1 value (which has no words). */
  filter: TicketFilter;
  /** Time filters as words, resolved when the list is shown (at its anchor). */
  times?: TimeWords;
  /** Several scores, any of them (`score 1-3`): the API takes one, so each is asked for (see listing.ts). */
  scores?: number[];
  /**
   * Epoch ms the list was first shown (its first page): its time words are resolved then, and no
   * ticket created later is listed, so paging on does not shift as tickets arrive. Absent: now,
   * which is what Refresh asks for.
   */
  anchor?: number;
  page: number;
  names: Record<string, string>;
  /** The agent filter is the person who asked ("mine"), whose name the bot does not know. */
  mine?: boolean;
  /**
   * Only tickets no agent has (the board's "Unassigned"). The list API has no such filter: the bot
   * reads the matching tickets and keeps these (see listing.ts).
   */
  unassigned?: boolean;
}

/** The views shown by the list and ticket cards (show.ts). */
export type PageView = Extract<View, { kind: 'list' | 'ticket' }>;

/** A watch's id (made by src/watch/store.ts). */
export const WATCH_ID = /^w[a-z0-9]{8,24}$/;
