// What the bot writes to the helpdesk, through the official SDK, and the FAQ search. One request
// each and never retried here: neither write takes an idempotency key, so a second try could
// apply a change twice; the caller decides what may be tried again (a request refused before it
// changed anything, such as one with a stale token).
import type * as lark from '@larksuiteoapi/node-sdk';
import { fromCode, fromThrown, PlatformError } from '../feishu/errors.js';
import { sdk } from '../feishu/sdk.js';

/** A change to a ticket, as an agent makes it (ticket.update sends only what is given). */
export interface TicketChange {
  status?: number;
  /** 1 unsolved, 2 solved: with a closing status. */
  solved?: 1 | 2;
  /** The whole set of tag names wanted: whether the API adds or replaces is not documented. */
  tags?: string[];
  /** A private note (the ticket's comment). */
  note?: string;
}

export interface Faq {
  id: string;
  question: string;
  answer: string;
}

export interface HelpdeskWrites {
  /** ticket.update with the agent's own token: the helpdesk applies that agent's rights. */
  updateTicket(ticketId: string, change: TicketChange, userToken: string): Promise<void>;
  /** A text message into the ticket's conversation, sent as the helpdesk's bot account (the app's token). */
  replyToCustomer(ticketId: string, text: string): Promise<void>;
  /** The FAQs the helpdesk finds for this text, best first. */
  searchFaqs(query: string, limit: number): Promise<Faq[]>;
}

export function sdkWrites(client: lark.Client): HelpdeskWrites {
  return {
    async updateTicket(ticketId, change, userToken) {
      // Both options in one object: they are symbol-keyed, and lark.withAll would drop them.
      const asAgent = { lark: { ...sdk.withUserAccessToken(userToken).lark, ...sdk.withHelpDeskCredential().lark } };
      const data = {
        ...(change.status !== undefined ? { status: change.status } : {}),
        ...(change.solved !== undefined ? { solved: change.solved } : {}),
        ...(change.tags !== undefined ? { tag_names: change.tags } : {}),
        ...(change.note !== undefined ? { comment: change.note } : {}),
      };
      await call(() => client.helpdesk.v1.ticket.update({ path: { ticket_id: ticketId }, data }, asAgent));
    },
    async replyToCustomer(ticketId, text) {
      await call(() => client.helpdesk.v1.ticketMessage.create({ path: { ticket_id: ticketId }, data: { msg_type: 'text', content: JSON.stringify({ text }) } }, sdk.withHelpDeskCredential()));
    },
    async searchFaqs(query, limit) {
      // The SDK's query serializer percent-encodes the text, so Chinese goes as it is.
      const res = await call(() => client.helpdesk.v1.faq.search({ params: { query } }, sdk.withHelpDeskCredential()));
      const items = (res.data?.items ?? []) as { id?: string; faq_id?: string; question?: string; answer?: string }[];
      return items
        .filter((i) => typeof i.question === 'string' && typeof i.answer === 'string' && i.answer.trim() !== '')
        .slice(0, limit)
        .map((i) => ({ id: i.faq_id ?? i.id ?? '', question: i.question!, answer: i.answer! }));
    },
  };
}

async function call<T extends { code?: number; msg?: string }>(fn: () => Promise<T>): Promise<T> {
  let res: T;
  try {
    res = await fn();
  } catch (e) {
    throw fromThrown(e);
  }
  if (!res || typeof res !== 'object') throw new PlatformError('upstream', 'helpdesk answered with an empty body');
  if (res.code !== 0 && res.code !== undefined) throw fromCode(res.code, res.msg);
  return res;
}
