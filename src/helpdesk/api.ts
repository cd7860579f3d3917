// The helpdesk ticket list/get and conversation APIs through the official SDK, in our types. One
// lookup each, no caching or retrying here: those wrap this (see resilient.ts) so each layer stays small.
import type * as lark from '@larksuiteoapi/node-sdk';
import { sdk } from '../feishu/sdk.js';
import { LateForSlot } from '../resilience/slot.js';
import { PlatformError, fromCode, fromThrown } from '../feishu/errors.js';
import { conversationOf } from './conversation.js';
import { toMessage, toTicket } from './map.js';
import type { Conversation, Message, Ticket, TicketFilter, TicketPage } from './types.js';

/** Per-call options, passed through every layer that wraps the SDK calls. */
export interface CallOptions {
  /** Skip caches (the refresh button). */
  fresh?: boolean;
  /** Epoch ms by which the whole command must be answered; layers give up in time for it. */
  deadline?: number;
  /** Counters for the command's log line, incremented by the layers. */
  stats?: CallStats;
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
}

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
