// The helpdesk list API's 17 query parameters: validation as the API page states it, then real
// filtering, ordering and paging over the seeded tickets. Pure, so it is tested without HTTP.
import type { RawTicket } from './types.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 200;
/** Paging can reach at most this many rows in total; beyond, callers must narrow by time. */
export const MAX_PAGED_ROWS = 10_000;

export type QueryParams = Record<string, string | string[]>;

export interface TimeRange {
  start: number;
  end: number;
}

export interface TicketQuery {
  ticketId?: string;
  agentId?: string;
  closedById?: string;
  type?: number;
  channel?: number;
  solved?: number;
  score?: number;
  statuses?: number[];
  guestName?: string;
  guestId?: string;
  tags?: string[];
  page: number;
  pageSize: number;
  created?: TimeRange;
  updated?: TimeRange;
}

/** The request breaks one of the API's rules; the message says which. */
export class QueryError extends Error {}

const values = (params: QueryParams, name: string): string[] => {
  const value = params[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
};

// A scalar given more than once: the first value wins, as Go's query readers do.
const first = (params: QueryParams, name: string): string | undefined => values(params, name)[0];

function toInt(name: string, raw: string): number {
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(value)) {
    throw new QueryError(`${name} must be an integer, got "${raw}"`);
  }
  return value;
}

export function optionalInt(params: QueryParams, name: string): number | undefined {
  const raw = first(params, name);
  return raw === undefined ? undefined : toInt(name, raw);
}

function range(params: QueryParams, prefix: 'create_time' | 'update_time'): TimeRange | undefined {
  const start = optionalInt(params, `${prefix}_start`);
  const end = optionalInt(params, `${prefix}_end`);
  if (start === undefined && end === undefined) return undefined;
  if (start === undefined || end === undefined) {
    throw new QueryError(`${prefix}_start and ${prefix}_end must be given together`);
  }
  return { start, end };
}

/** page and page_size as the helpdesk's paged APIs (tickets, a ticket's messages) read them. */
export function readPaging(params: QueryParams): { page: number; pageSize: number } {
  const page = optionalInt(params, 'page') ?? 1;
  const pageSize = optionalInt(params, 'page_size') ?? DEFAULT_PAGE_SIZE;
  if (page < 1) throw new QueryError(`page must be at least 1, got ${page}`);
  if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new QueryError(`page_size must be between 1 and ${MAX_PAGE_SIZE}, got ${pageSize}`);
  }
  return { page, pageSize };
}

export function parseTicketQuery(params: QueryParams): TicketQuery {
  const { page, pageSize } = readPaging(params);
  if (page * pageSize > MAX_PAGED_ROWS) {
    throw new QueryError(`paging reaches at most ${MAX_PAGED_ROWS} rows; narrow the query by time`);
  }
  const statuses = values(params, 'status_list').map((raw) => toInt('status_list', raw));
  const tags = values(params, 'tags');
  return {
    ticketId: first(params, 'ticket_id'),
    agentId: first(params, 'agent_id'),
    closedById: first(params, 'closed_by_id'),
    type: optionalInt(params, 'type'),
    channel: optionalInt(params, 'channel'),
    solved: optionalInt(params, 'solved'),
    score: optionalInt(params, 'score'),
    statuses: statuses.length > 0 ? statuses : undefined,
    guestName: first(params, 'guest_name'),
    guestId: first(params, 'guest_id'),
    tags: tags.length > 0 ? tags : undefined,
    page,
    pageSize,
    created: range(params, 'create_time'),
    updated: range(params, 'update_time'),
  };
}

const within = (value: number | undefined, range: TimeRange | undefined): boolean => range === undefined || (value !== undefined && value >= range.start && value <= range.end);

const equalOrUnset = (actual: unknown, wanted: unknown): boolean => wanted === undefined || actual === wanted;

function matches(ticket: RawTicket, q: TicketQuery): boolean {
  const tagNames = new Set((ticket.tags ?? []).map((tag) => tag.name));
  return (
    equalOrUnset(ticket.ticket_id, q.ticketId) &&
    (q.agentId === undefined || (ticket.agents ?? []).some((agent) => agent.id === q.agentId)) &&
    equalOrUnset(ticket.closed_by?.id, q.closedById) &&
    equalOrUnset(ticket.ticket_type, q.type) &&
    equalOrUnset(ticket.channel, q.channel) &&
    equalOrUnset(ticket.solve, q.solved) &&
    equalOrUnset(ticket.score, q.score) &&
    (q.statuses === undefined || (ticket.status !== undefined && q.statuses.includes(ticket.status))) &&
    (q.guestName === undefined || (ticket.guest?.name ?? '').toLowerCase().includes(q.guestName.toLowerCase())) &&
    equalOrUnset(ticket.guest?.id, q.guestId) &&
    (q.tags === undefined || q.tags.every((tag) => tagNames.has(tag))) &&
    within(ticket.created_at, q.created) &&
    within(ticket.updated_at, q.updated)
  );
}

/** Ticket ids are decimal strings longer than 2^53, so they are compared as big integers. */
function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const diff = BigInt(a) - BigInt(b);
    return diff === 0n ? 0 : diff < 0n ? -1 : 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Newest first, then by ticket id. */
const byCreatedDesc = (a: RawTicket, b: RawTicket): number => (b.created_at ?? 0) - (a.created_at ?? 0) || compareIds(a.ticket_id, b.ticket_id);

export function runTicketQuery(tickets: readonly RawTicket[], q: TicketQuery): { total: number; tickets: RawTicket[] } {
  const found = tickets.filter((ticket) => matches(ticket, q)).sort(byCreatedDesc);
  const start = (q.page - 1) * q.pageSize;
  return { total: found.length, tickets: found.slice(start, start + q.pageSize) };
}
