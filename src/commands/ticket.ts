// /ticket <id>: one ticket's detail card.
import { problemCard } from '../../cards/problem.js';
import { ticketCard } from '../../cards/ticket.js';
import type { Json } from '../../cards/kit.js';
import type { Helpdesk } from '../helpdesk/api.js';
import { problemFor } from './problems.js';

export interface TicketCommandDeps {
  helpdesk: Helpdesk;
  timezone: string;
}

export interface Outcome {
  card: Json;
  /** For the log line: "ok" or the problem's kind. */
  outcome: string;
}

export async function ticketCommand(id: string, deps: TicketCommandDeps): Promise<Outcome> {
  try {
    const ticket = await deps.helpdesk.getTicket(id);
    return { card: ticketCard(ticket, { timezone: deps.timezone }), outcome: 'ok' };
  } catch (error) {
    const problem = problemFor(error, 'ticket', id);
    return { card: problemCard(problem), outcome: problem.kind };
  }
}
