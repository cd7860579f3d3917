// The one mapping from a helpdesk failure to what the user is told.
import type { Problem } from '../cards/problem.js';
import { HelpdeskError } from '../helpdesk/errors.js';

export function problemFor(error: unknown, what: 'ticket' | 'list', ticketId?: string): Problem {
  const kind = error instanceof HelpdeskError ? error.kind : 'upstream';
  switch (kind) {
    case 'not-found':
      return ticketId ? { kind: 'ticket-not-found', ticketId } : { kind: 'upstream', what };
    case 'unauthorized':
      return { kind: 'unauthorized' };
    case 'rate-limited':
      return { kind: 'rate-limited' };
    case 'busy':
      return { kind: 'busy' };
    case 'bad-request':
      return ticketId ? { kind: 'not-a-ticket-id', input: ticketId } : { kind: 'upstream', what };
    default:
      return { kind: 'upstream', what };
  }
}
