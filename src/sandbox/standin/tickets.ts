// Helpdesk ticket get and list.
import type { RequestHandler } from 'express';
import { E } from './codes.js';
import { pathParam, queryOf } from './request.js';
import { sendError, sendJson } from './respond.js';
import { parseTicketQuery, QueryError, runTicketQuery } from './ticket-query.js';
import type { RawTicket } from './types.js';

export class TicketStore {
  private tickets: RawTicket[] = [];
  private byId = new Map<string, RawTicket>();

  set(tickets: readonly RawTicket[]): void {
    this.tickets = [...tickets];
    this.byId = new Map(tickets.map((ticket) => [ticket.ticket_id, ticket]));
  }

  get(id: string): RawTicket | undefined {
    return this.byId.get(id);
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
