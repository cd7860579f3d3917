// The helpdesk ticket list/get and conversation APIs through the official SDK, in our types. One
// lookup each, no caching or retrying here: those wrap this (see resilient.ts) so each layer stays small.
import type * as lark from '@larksuiteoapi/node-sdk';
import { sdk } from '../feishu/sdk.js';
import { LateForSlot } from '../resilience/slot.js';
import { PlatformError, fromCode, fromThrown } from '../feishu/errors.js';
import { conversationOf } from './conversation.js';
import { toMessage, toTicket } from './map.js';
import type { Agent, Conversation, Message, Ticket, TicketFilter, TicketPage } from './types.js';

/** Per-call options, passed through every layer that wraps the SDK calls. */
export interface CallOptions {
  /** Skip caches (the refresh button). */
  fresh?: boolean;
  /** Epoch ms by which the whole command must be answered; layers give up in time for it. */
  deadline?: number;
  /** Counters for the command's log line, incremented by the layers. */
  stats?: CallStats;
  /**
   * Work nobody is waiting for (a recount, a list's questions): it takes its turn under a smaller
   * share of the rate limit, so the calls of typed commands never queue behind it.
   */
  background?: boolean;
}

export interface CallStats {
  upstreamCalls: number;
  cacheHits: number;
}

export const newStats = (): CallStats => ({ upstreamCalls: 0, cacheHits: 0 });

export interface Helpdesk {
  getTicket(id: string, options?: CallOptions): Promise<Ticket>;
  listTickets(filter: TicketFilter, page: number, pageSize: number, options?: CallOptions): Promise<TicketPage>;
  /** The ticket's conversation: its first and latest messages and how many there are. */
  getConversation(ticketId: string, options?: CallOptions): Promise<Conversation>;
  /**
   * What the guest asked: the text of their first message in the conversation (of the first one
   * with text, if the guest's is not among the first), '' when there is none.
   */
  firstMessage(ticketId: string, guestId: string | undefined, options?: CallOptions): Promise<string>;
  /** First messages already at hand (kept from earlier), by ticket id; the others are not asked for. */
  knownFirstMessages(ticketIds: readonly string[]): Promise<Map<string, string>>;
  /** The agents in the helpdesk's agent schedules (the SDK has no API listing agents). */
  agents(options?: CallOptions): Promise<Agent[]>;
}

/** A question is kept to this many characters: a row shows at most 90 of them, a watch's post 200. */
const QUESTION_CHARS = 200;
/** Messages read to find the guest's first one: greetings by the helpdesk's bot may come first. */
const FIRST_MESSAGES = 10;
/** Agent schedule statuses listed: online, offline and off duty (4, removed, is not an agent any more). */
const AGENT_STATUSES = [1, 2, 3];

export function sdkHelpdesk(client: lark.Client): Helpdesk {
  return {
    async getTicket(id, options) {
      const res = await call(() => client.helpdesk.v1.ticket.get({ path: { ticket_id: id } }, sdk.withHelpDeskCredential()), options);
      const ticket = toTicket(res.data?.ticket);
      if (!ticket) throw new PlatformError('upstream', 'helpdesk answered without a ticket');
      return ticket;
    },
    async listTickets(filter, page, pageSize, options) {
      const res = await call(() => client.helpdesk.v1.ticket.list({ params: listParams(filter, page, pageSize) }, sdk.withHelpDeskCredential()), options);
      const tickets = (res.data?.tickets ?? []).map(toTicket).filter((t): t is Ticket => t !== undefined);
      return { total: Number(res.data?.total ?? tickets.length), tickets };
    },
    getConversation(ticketId, options) {
      // Usually one call (page_size 200 holds most conversations); longer ones also need the last page.
      return conversationOf(async (page, pageSize) => {
        const res = await call(() => client.helpdesk.v1.ticketMessage.list({ path: { ticket_id: ticketId }, params: { page, page_size: pageSize } }, sdk.withHelpDeskCredential()), options);
        const messages = (res.data?.messages ?? []).map(toMessage).filter((m): m is Message => m !== undefined);
        return { total: Number(res.data?.total ?? messages.length), messages };
      });
    },
    async firstMessage(ticketId, guestId, options) {
      const res = await call(() => client.helpdesk.v1.ticketMessage.list({ path: { ticket_id: ticketId }, params: { page: 1, page_size: FIRST_MESSAGES } }, sdk.withHelpDeskCredential()), options);
      const messages = (res.data?.messages ?? [])
        .map(toMessage)
        .filter((m): m is Message => m !== undefined && m.text !== undefined)
        .sort((a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0));
      const first = messages.find((m) => guestId !== undefined && m.authorId === guestId) ?? messages[0];
      // Kept for 30 days, shown on one line: no more of it than a card shows.
      return [...(first?.text ?? '')].slice(0, QUESTION_CHARS).join('');
    },
    async knownFirstMessages() {
      return new Map();
    },
    async agents(options) {
      const res = await call(() => client.helpdesk.v1.agentSchedule.list({ params: { status: AGENT_STATUSES } }, sdk.withHelpDeskCredential()), options);
      return (res.data?.agent_schedules ?? []).flatMap((s) => (s.agent?.id && s.agent.name ? [{ id: s.agent.id, name: s.agent.name }] : []));
    },
  };
}

/** One SDK call, counted in the command's stats as a request that left (one late for its slot did not). */
async function call<T extends { code?: number; msg?: string }>(fn: () => Promise<T>, options: CallOptions | undefined): Promise<T> {
  let res: T;
  if (options?.stats) options.stats.upstreamCalls++;
  try {
    res = await fn();
  } catch (e) {
    // Not sent at all: the retry loop gives it another slot.
    if (e instanceof LateForSlot) {
      if (options?.stats) options.stats.upstreamCalls--;
      throw e;
    }
    throw fromThrown(e);
  }
  if (!res || typeof res !== 'object') throw new PlatformError('upstream', 'helpdesk answered with an empty body');
  if (res.code !== 0 && res.code !== undefined) throw fromCode(res.code, res.msg);
  return res;
}

/** Our filter -> the list API's query parameters. Time pairs are always sent whole. */
export function listParams(filter: TicketFilter, page: number, pageSize: number) {
  const params: Record<string, string | number | number[] | string[]> = { page, page_size: pageSize };
  const set = (key: string, value: string | number | undefined) => {
    if (value !== undefined) params[key] = value;
  };
  set('ticket_id', filter.ticketId);
  set('agent_id', filter.agentId);
  set('closed_by_id', filter.closedById);
  set('type', filter.type);
  set('channel', filter.channel);
  set('solved', filter.solved);
  set('score', filter.score);
  set('guest_name', filter.guestName);
  set('guest_id', filter.guestId);
  if (filter.statuses?.length) params.status_list = filter.statuses;
  if (filter.tags?.length) params.tags = filter.tags;
  if (filter.created) {
    params.create_time_start = filter.created.start;
    params.create_time_end = filter.created.end;
  }
  if (filter.updated) {
    params.update_time_start = filter.updated.start;
    params.update_time_end = filter.updated.end;
  }
  return params;
}
