// The demo helpdesk's fixed tickets, which the README, the help card and the tests name.

/** Always the first ticket: a closed ticket with every field set (the README's example). */
export const FIRST_TICKET_ID = '6626871355780366331';
/** An open ticket from today whose guest name, comment and conversation are markup, to prove safe rendering. */
export const HOSTILE_TICKET_ID = '6626871355780366332';
