// How a list view is read from the helpdesk. Its time words are resolved at its anchor (when its
// first page was shown) and no ticket created after the anchor is asked for, so paging on never
// shows a row twice as tickets arrive. What the list API cannot filter by, the bot does itself:
// - a score range (`score 1-3`): the API takes one score, so each is asked for and the answers
//   merged, newest first, as the API orders them;
// - closing time (`closed yesterday`): the API has closed tickets updated from the window's start
//   (closing a ticket updates it, so its last update is no earlier), and the bot keeps those
//   closed within the window;
// - unassigned: the bot keeps the matching tickets no agent has.
// Where the bot filters, it reads every match (up to READ_ROWS a query) and pages through what it
// kept; where it merges, it reads as far as the page asked for. Past READ_ROWS the card says so.
import { matches } from '../commands/filters/match.js';
import { readTimeWords, resolveTime, type TimeSpec } from '../commands/filters/time.js';
import type { CallOptions, Helpdesk } from '../helpdesk/api.js';
import { lastReachablePage, pages } from '../helpdesk/paging.js';
import { isUnassigned, READ_ROWS, readTickets } from '../helpdesk/read.js';
import type { Ticket, TicketFilter } from '../helpdesk/types.js';
import type { ListState } from './view.js';

type TimeSpecs = { created?: TimeSpec; updated?: TimeSpec; closed?: TimeSpec };

export interface Listing {
  /** The query as the person asked it, its words resolved: for the card's title. */
  shown: TicketFilter;
  specs: TimeSpecs;
  /** The list API's filters: one, or one per score of a range. */
  queries: TicketFilter[];
  /** What the bot keeps of what the API answers, where the API cannot filter. */
  keep?: (t: Ticket) => boolean;
  anchor: number;
}

/** The list read at its anchor (now, if it has none); undefined if its words no longer read. */
export function listingOf(list: ListState, now: number, timezone: string): Listing | undefined {
  const anchor = list.anchor ?? now;
  const shown: TicketFilter = { ...list.filter };
  const specs: TimeSpecs = {};
  let closed: { start: number; end: number } | undefined;
  for (const field of ['created', 'updated', 'closed'] as const) {
    const words = list.times?.[field];
    if (words === undefined) continue;
    const spec = readTimeWords(words);
    const range = spec && resolveTime(spec, anchor, timezone);
    if (!spec || !range?.ok) return undefined;
    specs[field] = spec;
    if (field === 'closed') closed = range.range;
    else shown[field] = range.range;
  }
  const query: TicketFilter = { ...shown };
  // Paging on from a first page: nothing created since it. (A first page is the list as of now.)
  if (list.anchor !== undefined) query.created = { start: shown.created?.start ?? 1, end: Math.min(shown.created?.end ?? anchor, anchor) };
  const keeps: ((t: Ticket) => boolean)[] = [];
  if (closed) {
    const window = closed;
    query.updated = { start: Math.max(window.start, shown.updated?.start ?? 0), end: Math.min(anchor, shown.updated?.end ?? anchor) };
    keeps.push((t) => t.closedAt !== undefined && t.closedAt >= window.start && t.closedAt <= window.end);
  }
  if (list.unassigned) keeps.push(isUnassigned);
  const queries = list.scores && list.scores.length > 1 ? list.scores.map((score) => ({ ...query, score })) : [query];
  return { shown, specs, queries, ...(keeps.length ? { keep: (t: Ticket) => keeps.every((k) => k(t)) } : {}), anchor };
}

export interface ListPage {
  total: number;
  tickets: Ticket[];
  /** The page shown: the one asked for, or the last one when that was past the end. */
  page: number;
  /** The last page that can be shown. */
  lastPage: number;
  /** The API's 10,000-row cap hides matches (a plain list). */
  capped: boolean;
  /** Where the bot filtered and could not read every match: how many it read, of how many. */
  read?: { count: number; of: number };
}

/** The page asked for, or the last one when it is past the end (the caller says so). */
export async function readListPage(helpdesk: Helpdesk, listing: Listing, asked: number, pageSize: number, call: CallOptions): Promise<ListPage> {
  return listing.queries.length === 1 && !listing.keep ? apiPage(helpdesk, listing.queries[0]!, asked, pageSize, call) : ownPage(helpdesk, listing, asked, pageSize, call);
}

/** The API pages: never asked for a page past its 10,000 rows. */
async function apiPage(helpdesk: Helpdesk, query: TicketFilter, asked: number, pageSize: number, call: CallOptions): Promise<ListPage> {
  let page = Math.min(asked, lastReachablePage(pageSize));
  let result = await helpdesk.listTickets(query, page, pageSize, call);
  const p = pages(result.total, pageSize);
  if (result.total > 0 && page > p.lastReachable) {
    page = p.lastReachable;
    result = await helpdesk.listTickets(query, page, pageSize, call);
  }
  return { total: result.total, tickets: result.tickets, page, lastPage: p.lastReachable, capped: p.capped };
}

export interface Matching {
  /** What matches, newest first, of what was read. */
  tickets: Ticket[];
  /** Matches in all: the API's totals, or (where the bot filters) those kept. */
  total: number;
  /** Some query matched more than READ_ROWS: how many could be read, of how many the API has. */
  read?: { count: number; of: number };
}

/**
 * The tickets matching a listing, newest first: those the API answers, merged and kept as the
 * listing says, each query read down to `rows` (READ_ROWS at most; a listing that keeps reads them all).
 */
export async function readMatching(helpdesk: Helpdesk, listing: Listing, call: CallOptions, rows = READ_ROWS): Promise<Matching> {
  const reads = await Promise.all(listing.queries.map((q) => readTickets(helpdesk, q, call, listing.keep ? READ_ROWS : rows)));
  const seen = new Set<string>();
  const read = reads.flatMap((r) => r.tickets).filter((t) => !seen.has(t.id) && !!seen.add(t.id));
  const tickets = (listing.keep ? read.filter(listing.keep) : read).sort(newestFirst);
  const of = reads.reduce((n, r) => n + r.total, 0);
  const cut = reads.some((r) => r.total > READ_ROWS);
  return {
    tickets,
    total: listing.keep ? tickets.length : of,
    ...(cut ? { read: { count: reads.reduce((n, r) => n + Math.min(r.total, READ_ROWS), 0), of } } : {}),
  };
}

/** The bot merges (a score range) or filters (closing time, unassigned) the API's answers itself. */
async function ownPage(helpdesk: Helpdesk, listing: Listing, asked: number, pageSize: number, call: CallOptions): Promise<ListPage> {
  // Merging needs each query's rows down to the page asked for; filtering needs them all.
  const { tickets, total, read } = await readMatching(helpdesk, listing, call, asked * pageSize);
  // Filtered: what was kept is all there is to page through. Merged: the API's totals add up, and
  // pages can be merged as far as every query could be read.
  const reachable = listing.keep || !read ? total : READ_ROWS;
  const lastPage = Math.max(1, Math.ceil(Math.min(total, reachable) / pageSize));
  const page = total > 0 ? Math.min(asked, lastPage) : asked;
  return { total, tickets: tickets.slice((page - 1) * pageSize, page * pageSize), page, lastPage, capped: false, ...(read ? { read } : {}) };
}

/** Whether a ticket the bot has matches a list (a watch's): the API's filter, and what the bot keeps. */
export function matchesList(list: Pick<ListState, 'filter' | 'scores' | 'unassigned'>, ticket: Ticket): boolean {
  const scores = list.scores && list.scores.length > 1 ? list.scores : undefined;
  return matches(list.filter, ticket) && (!scores || (ticket.score !== undefined && scores.includes(ticket.score))) && (!list.unassigned || isUnassigned(ticket));
}

/** As the list API orders tickets: newest first, then by id. */
export function newestFirst(a: Ticket, b: Ticket): number {
  return (b.createdAt ?? 0) - (a.createdAt ?? 0) || compareIds(a.id, b.id);
}

/** Ticket ids are decimal strings longer than 2^53: the shorter is the smaller, else by their digits. */
const compareIds = (a: string, b: string): number => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
