// What a ticket card's action buttons ask for, beside showing the ticket: plain data, carried
// signed in the button (buttons.ts), answered by the bot (bot/actions.ts).
//
// Some open a part of the card (a form, suggestions, a preview) and change nothing; the others
// act: a reply sent to the customer (the bot's rights), or a change made as the clicker in the
// helpdesk (their own rights, once they signed in).

export const TICKET_ACTS = ['reply', 'preview', 'send', 'suggest', 'use', 'status', 'set-status', 'close', 'tags', 'set-tags', 'note', 'add-note', 'cancel'] as const;
export type ActName = (typeof TICKET_ACTS)[number];

export type TicketAct =
  /** Opens the reply form. */
  | { op: 'reply' }
  /** The reply form sent: shows what would go to the customer (the text is in the form). */
  | { op: 'preview' }
  /** Sends this draft to the customer: one send per draft, by whoever wrote it. */
  | { op: 'send'; text: string; draft: string }
  /** Searches the FAQs with the customer's question. */
  | { op: 'suggest' }
  /** Takes a suggested answer to the preview. */
  | { op: 'use'; text: string }
  /** Opens the status form; its Set button sends the status chosen. */
  | { op: 'status' }
  | { op: 'set-status' }
  | { op: 'close'; solved: 1 | 2 }
  /** Opens the tag form; its Save button sends the tags wanted. */
  | { op: 'tags' }
  | { op: 'set-tags' }
  /** Opens the note form; its Add button sends the note. */
  | { op: 'note' }
  | { op: 'add-note' }
  /** Closes whatever part was open. */
  | { op: 'cancel' };

/** The actions with the bot's rights, for the agents named in access.agents. */
export const FOR_AGENTS: ReadonlySet<ActName> = new Set(['reply', 'preview', 'send', 'suggest', 'use']);
