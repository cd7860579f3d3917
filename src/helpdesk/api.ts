// The helpdesk ticket list/get and conversation APIs through the official SDK, in our types. One
// lookup each, no caching or retrying here: those wrap this (see resilient.ts) so each layer stays small.
import type * as lark from '@larksuiteoapi/node-sdk';
import { sdk } from '../feishu/sdk.js';
import { LateForSlot } from '../resilience/slot.js';
import { PlatformError, fromCode, fromThrown } from '../feishu/errors.js';
import { conversationOf } from './conversation.js';
import type { z } from 'zod';
import type { Logger } from '../obs/log.js';
import { agentScheduleAnswer, messageListAnswer, readAnswer, ticketAnswer, ticketListAnswer } from './map.js';
import type { Agent, Conversation, Ticket, TicketFilter, TicketPage } from './types.js';

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

export function sdkHelpdesk(client: lark.Client, log: Logger): Helpdesk {
  /** One SDK call, and its answer read as `shape` says (see map.ts), or the error saying why not. */
  const ask = <T>(api: string, fn: () => Promise<unknown>, shape: z.ZodType<T>, options: CallOptions | undefined) =>
    call(fn, options).then((body) => {
      const answer = readAnswer(body, shape);
      if (answer.kind === 'data') return answer.data;
      if (answer.kind === 'refused') throw fromCode(answer.code, answer.msg);
      log.warn('helpdesk.unreadable', { api, problem: answer.problem });
      throw new PlatformError('unreadable', `helpdesk ${api} answered something that is not the documented shape (${answer.problem})`);
    });
  return {
    async getTicket(id, options) {
      const data = await ask('ticket_get', () => client.helpdesk.v1.ticket.get({ path: { ticket_id: id } }, sdk.withHelpDeskCredential()), ticketAnswer, options);
      return data.ticket;
    },
    listTickets(filter, page, pageSize, options) {
      return ask('ticket_list', () => client.helpdesk.v1.ticket.list({ params: listParams(filter, page, pageSize) }, sdk.withHelpDeskCredential()), ticketListAnswer, options);
    },
    getConversation(ticketId, options) {
      // Usually one call (page_size 200 holds most conversations); longer ones also need the last page.
      return conversationOf((page, pageSize) =>
        ask('ticket_messages', () => client.helpdesk.v1.ticketMessage.list({ path: { ticket_id: ticketId }, params: { page, page_size: pageSize } }, sdk.withHelpDeskCredential()), messageListAnswer, options),
      );
    },
    async firstMessage(ticketId, guestId, options) {
      const page = await ask(
        'ticket_messages',
        () => client.helpdesk.v1.ticketMessage.list({ path: { ticket_id: ticketId }, params: { page: 1, page_size: FIRST_MESSAGES } }, sdk.withHelpDeskCredential()),
        messageListAnswer,
        options,
      );
      const messages = page.messages.filter((m) => m.text !== undefined).sort((a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0));
      const first = messages.find((m) => guestId !== undefined && m.authorId === guestId) ?? messages[0];
      // Kept for 30 days, shown on one line: no more of it than a card shows.
      return [...(first?.text ?? '')].slice(0, QUESTION_CHARS).join('');
    },
    async knownFirstMessages() {
      return new Map();
    },
    agents(options) {
      return ask('agent_schedules', () => client.helpdesk.v1.agentSchedule.list({ params: { status: AGENT_STATUSES } }, sdk.withHelpDeskCredential()), agentScheduleAnswer, options);
    },
  };
}

/** One SDK call, counted in the command's stats as a request that left (one late for its slot did not). */
async function call(fn: () => Promise<unknown>, options: CallOptions | undefined): Promise<unknown> {
  if (options?.stats) options.stats.upstreamCalls++;
  try {
    return await fn();
  } catch (e) {
    // Not sent at all: the retry loop gives it another slot.
    if (e instanceof LateForSlot) {
      if (options?.stats) options.stats.upstreamCalls--;
      throw e;
    }
    throw fromThrown(e);
  }
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
