// Helpdesk ticket get and list, and a ticket's conversation.
import type { RequestHandler } from 'express';
import { E } from './codes.js';
import { stableHex } from './ids.js';
import { pathParam, queryOf } from './request.js';
import { sendError, sendJson } from './respond.js';
import { optionalInt, parseTicketQuery, QueryError, readPaging, runTicketQuery } from './ticket-query.js';
import type { RawTicket, RawTicketMessage, RawTicketTag, RawTicketUser } from './types.js';

export class TicketStore {
  private tickets: RawTicket[] = [];
  private byId = new Map<string, RawTicket>();
  private conversations = new Map<string, RawTicketMessage[]>();

  /** Conversations by ticket id, oldest message first; tickets without one have none. */
  setConversations(conversations: Record<string, RawTicketMessage[]>): void {
    this.conversations = new Map();
    for (const [id, messages] of Object.entries(conversations)) this.addConversation(id, messages);
  }

  conversation(id: string): readonly RawTicketMessage[] {
    return this.conversations.get(id) ?? [];
  }

  set(tickets: readonly RawTicket[]): void {
    this.tickets = [...tickets];
    this.byId = new Map(tickets.map((ticket) => [ticket.ticket_id, ticket]));
  }

  get(id: string): RawTicket | undefined {
    return this.byId.get(id);
  }

  /** Adds a ticket, or replaces the one with its id. */
  put(ticket: RawTicket): void {
    const at = this.tickets.findIndex((t) => t.ticket_id === ticket.ticket_id);
    if (at >= 0) this.tickets[at] = ticket;
    else this.tickets.push(ticket);
    this.byId.set(ticket.ticket_id, ticket);
  }

  /** Forgets a ticket and its conversation. */
  remove(id: string): void {
    if (!this.byId.delete(id)) return;
    this.tickets = this.tickets.filter((t) => t.ticket_id !== id);
    this.conversations.delete(id);
  }

  addConversation(id: string, messages: readonly RawTicketMessage[]): void {
    this.conversations.set(
      id,
      [...messages].sort((a, b) => (a.created_at ?? 0) - (b.created_at ?? 0)),
    );
  }

  /** Appends a message to a ticket's conversation (the newest last). */
  addMessage(id: string, message: RawTicketMessage): void {
    this.conversations.set(id, [...this.conversation(id), message]);
  }

  all(): readonly RawTicket[] {
    return this.tickets;
  }
}

/** GET /open-apis/helpdesk/v1/tickets/:ticket_id */
export function getTicket(store: TicketStore): RequestHandler {
  return (req, res) => {
    const id = pathParam(req, 'ticket_id');
    if (!/^\d+$/.test(id)) return sendError(res, E.helpdeskBadRequest, { ext: `ticket_id must be numeric, got "${id}"` });
    const ticket = store.get(id);
    if (!ticket) return sendError(res, E.helpdeskNotFound);
    sendJson(res, 200, { code: 0, msg: 'success', data: { ticket } });
  };
}

/** GET /open-apis/helpdesk/v1/tickets */
export function listTickets(store: TicketStore): RequestHandler {
  return (req, res) => {
    try {
      const { total, tickets } = runTicketQuery(store.all(), parseTicketQuery(queryOf(req)));
      sendJson(res, 200, { code: 0, msg: 'success', data: { total, tickets } });
    } catch (error) {
      if (!(error instanceof QueryError)) throw error;
      sendError(res, E.helpdeskBadRequest, { ext: error.message });
    }
  };
}

/**
 * GET /open-apis/helpdesk/v1/tickets/:ticket_id/messages: the conversation, oldest first, paged
 * like the ticket list (page from 1, page_size 1-200, default 20), optionally within
 * time_start..time_end (ms).
 */
export function listTicketMessages(store: TicketStore): RequestHandler {
  return (req, res) => {
    const id = pathParam(req, 'ticket_id');
    if (!/^\d+$/.test(id)) return sendError(res, E.helpdeskBadRequest, { ext: `ticket_id must be numeric, got "${id}"` });
    const query = queryOf(req);
    let asked: { page: number; pageSize: number; start: number | undefined; end: number | undefined };
    try {
      asked = { ...readPaging(query), start: optionalInt(query, 'time_start'), end: optionalInt(query, 'time_end') };
    } catch (error) {
      if (!(error instanceof QueryError)) throw error;
      return sendError(res, E.helpdeskBadRequest, { ext: error.message });
    }
    const { page, pageSize, start, end } = asked;
    if (!store.get(id)) return sendError(res, E.helpdeskNotFound);
    const within = store.conversation(id).filter((m) => (start === undefined || (m.created_at ?? 0) >= start) && (end === undefined || (m.created_at ?? 0) <= end));
    const messages = within.slice((page - 1) * pageSize, page * pageSize);
    sendJson(res, 200, { code: 0, msg: 'success', data: { messages, total: within.length } });
  };
}

/** What an agent (or the helpdesk itself) may change on a ticket. */
export interface TicketChange {
  status?: number;
  /** The agent who takes the ticket; null to leave it unassigned. */
  agent?: RawTicketUser | null;
  /** Tag names (known ones keep their ids). */
  tags?: string[];
  score?: number;
  /** 1 unsolved, 2 solved. */
  solve?: number;
}

/**
 * The ticket after a change at `now`, as the helpdesk records it: an agent taking it makes it a
 * human ticket with an entry time; closing sets who and when; reopening clears them.
 */
export function applyChange(ticket: RawTicket, change: TicketChange, now: number, knownTags: readonly RawTicketTag[], closer: RawTicketUser): RawTicket {
  const next: RawTicket = structuredClone(ticket);
  if (change.agent !== undefined) {
    if (change.agent === null) {
      delete next.agents;
      delete next.agent_owner;
    } else {
      next.agents = [change.agent];
      next.agent_owner = change.agent;
      next.ticket_type = 2;
      next.agent_entry_time ??= now;
    }
  }
  if (change.tags !== undefined) {
    next.tags = change.tags.map((name) => knownTags.find((t) => t.name === name) ?? { id: BigInt(`0x${stableHex(`tag:${name}`, 15)}`).toString(), name });
    if (next.tags.length === 0) delete next.tags;
  }
  if (change.score !== undefined) next.score = change.score;
  if (change.solve !== undefined) next.solve = change.solve;
  if (change.status !== undefined && change.status !== ticket.status) {
    next.status = change.status;
    if (change.status >= 50) {
      next.closed_at = now;
      next.closed_by = change.status === 52 ? (next.guest ?? closer) : (next.agent_owner ?? closer);
      next.solve ??= 2;
    } else {
      delete next.closed_at;
      delete next.closed_by;
    }
  }
  next.updated_at = now;
  return next;
}
