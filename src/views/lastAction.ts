// The last thing done to a ticket from chat (a reply sent, a status set, closed, tags, a note) and
// by whom, kept for as long as a card can show it: every card of the ticket says it, including
// the ones drawn again when the ticket's event arrives, not only the card that was clicked.
import type { LastAction } from '../cards/ticketActions.js';
import type { Records } from '../state/types.js';

/** Cards stay editable this long, so that is how long the last action is worth showing. */
const KEEP_MS = 14 * 24 * 3600_000;

export class LastActions {
  constructor(private readonly records: Records) {}

  note(ticketId: string, action: LastAction): Promise<void> {
    return this.records.put(`last-action:${ticketId}`, action, KEEP_MS);
  }

  of(ticketId: string): Promise<LastAction | undefined> {
    return this.records.get<LastAction>(`last-action:${ticketId}`);
  }
}
