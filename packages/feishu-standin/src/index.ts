// A local stand-in for the Feishu Open Platform: the endpoints the bot uses, answering with the
// platform's statuses, codes and shapes, so the real SDK can be pointed at it (`domain: standIn.url`).
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { TenantTokens, tokenEndpoint } from './auth.js';
import { readBody } from './body.js';
import { listAgentSchedules } from './agentSchedules.js';
import { botInfo } from './bot.js';
import { CardTokens, updateCard } from './card-update.js';
import { checkCard } from './cards.js';
import { ChatBook } from './chats.js';
import { E } from './codes.js';
import { FaultBook } from './faults.js';
import { rejectBadBody, requireHelpdesk, requireTenantToken } from './guards.js';
import { tenantKeyFor } from './ids.js';
import { isObject, tryParse } from './json.js';
import { MessageStore, patchMessage, replyToMessage, sendMessage } from './messages.js';
import { LongConnectionGateway, type GatewaySettings } from './longConnection.js';
import { Recorder } from './recorder.js';
import { KEEP_ALL, type Retention } from './retention.js';
import { ScopeBook } from './scopes.js';
import { sendError } from './respond.js';
import { HelpdeskEvents, type EventSink, type PushedEvent } from './helpdeskEvents.js';
import { applyChange, getTicket, listTicketMessages, listTickets, TicketStore, type TicketChange } from './tickets.js';
import { botMessage, createTicketMessage, searchFaqs, updateTicket, type TicketUpdate, type WriteDeps } from './helpdeskWrites.js';
import { UserAuth, type UserTokenLifetimes } from './userAuth.js';
import type { Fault, RawAgentSchedule, RawFaq, RawTicket, RawTicketMessage, RawTicketTag, RawTicketUser, RecordedCall, Route, SentMessage } from './types.js';

export type { Fault, RawAgentSchedule, RawFaq, RawTicket, RawTicketMessage, RecordedCall, Route, SentMessage } from './types.js';
export type { UserAuth, UserTokenLifetimes } from './userAuth.js';
export type { TicketUpdate } from './helpdeskWrites.js';
export type { Scope } from './scopes.js';
export type { Ack, Attempt, ClientConfig, ConnectionInfo, GatewaySettings, Push, PushOptions } from './longConnection.js';
export type { EventSink, PushedEvent } from './helpdeskEvents.js';
export type { TicketChange } from './tickets.js';
export type { Retention } from './retention.js';
export { applyChange } from './tickets.js';
export { DEFAULT_SCOPES } from './scopes.js';
export type {
  RawCustomizedField,
  RawI18n,
  RawTicketComments,
  RawTicketTag,
  RawTicketUser,
} from './types.js';

export interface StandInOptions {
  appId: string;
  appSecret: string;
  helpdeskId: string;
  helpdeskToken: string;
  botOpenId: string;
  botName?: string;
  /** API-shaped ticket_v2 objects (snake_case), exactly as the get API returns them. */
  tickets?: RawTicket[];
  /** Each ticket's conversation, by ticket id, as the messages API returns its items. */
  conversations?: Record<string, RawTicketMessage[]>;
  /** Epoch ms; injectable so token and uuid windows can be tested. */
  now?: () => number;
  /** The long connection's timings and limits; the platform's by default. */
  longConnection?: Partial<GatewaySettings>;
  /** More routes (the control API of `npm run standin`), mounted before the platform's 404. */
  routes?: (app: express.Express) => void;
  /** Tags the helpdesk knows (a change naming one keeps its id). */
  tags?: readonly RawTicketTag[];
  /** Who closes a ticket that has no agent (the helpdesk's own bot). */
  helpdeskBot?: RawTicketUser;
  /** How much of its records it keeps (see retention.ts); everything by default. */
  retention?: Partial<Retention>;
  /** People of the tenant, who can sign in to the app (user_info tells their names). */
  people?: readonly RawTicketUser[];
  /** The helpdesk's agents (open_ids): who may change its tickets with their own token; others get 154003. */
  agents?: readonly string[];
  /** The helpdesk's FAQs, for faq.search. */
  faqs?: readonly RawFaq[];
  /** User tokens' lives; the platform's (2 hours, 7 days) by default. */
  userTokens?: Partial<UserTokenLifetimes>;
  /** The helpdesk's agents, as the agent schedules API lists them. */
  agentSchedules?: RawAgentSchedule[];
}

/** Generous next to every platform limit, so the stand-in, not a parser, enforces those. */
const MAX_BODY_BYTES = 1024 * 1024;

interface Parts {
  app: express.Express;
  recorder: Recorder;
  faults: FaultBook;
  tokens: TenantTokens;
  tickets: TicketStore;
  messages: MessageStore;
  chats: ChatBook;
  cardTokens: CardTokens;
  scopes: ScopeBook;
  gateway: LongConnectionGateway;
  helpdeskEvents: HelpdeskEvents;
  userAuth: UserAuth;
  agents: Set<string>;
  now: () => number;
  /** Set once the server listens: the long connection's URLs point at it. */
  baseUrl: { value: string };
  agentSchedules: { value: RawAgentSchedule[] };
}

function buildApp(opts: StandInOptions): Parts {
  const now = opts.now ?? Date.now;
  const keep: Retention = { ...KEEP_ALL, ...opts.retention };
  const recorder = new Recorder(now, keep.calls);
  const faults = new FaultBook();
  const tokens = new TenantTokens(now);
  const tickets = new TicketStore();
  const messages = new MessageStore(keep.messagesPerChat);
  const chats = new ChatBook();
  const cardTokens = new CardTokens(now);
  const scopes = new ScopeBook();
  const baseUrl = { value: '' };
  const gateway = new LongConnectionGateway({
    appId: opts.appId,
    appSecret: opts.appSecret,
    now,
    baseUrl: () => baseUrl.value,
    keep: keep.events,
    ...(opts.longConnection ? { settings: opts.longConnection } : {}),
  });
  tickets.set(opts.tickets ?? []);
  tickets.setConversations(opts.conversations ?? {});
  const agentSchedules = { value: opts.agentSchedules ?? [] };
  const helpdeskEvents = new HelpdeskEvents(opts.appId, opts.helpdeskId, now, keep.events);
  const userAuth = new UserAuth({
    appId: opts.appId,
    appSecret: opts.appSecret,
    appName: opts.botName ?? 'Helpdesk Bot',
    tenantKey: tenantKeyFor(opts.appId),
    now,
    baseUrl: () => baseUrl.value,
    ...(opts.userTokens ? { lifetimes: opts.userTokens } : {}),
  });
  userAuth.addPeople(opts.people ?? []);
  const agents = new Set(opts.agents ?? []);
  const faqs = opts.faqs ?? [];
  const helpdeskBot = opts.helpdeskBot ?? DEFAULT_HELPDESK_BOT;
  const writes: WriteDeps = {
    ticket: (id) => tickets.get(id),
    async update(id, update, by) {
      const before = tickets.get(id)!;
      tickets.put(applyUpdate(before, update, now(), opts.tags ?? [], by));
      await helpdeskEvents.updated(tickets.get(id)!, before);
    },
    post(id, text) {
      const { messageId, message } = botMessage(text, now(), helpdeskBot);
      tickets.addMessage(id, message);
      return messageId;
    },
    isAgent: (openId) => agents.has(openId),
    person: (openId) => userAuth.person(openId),
  };

  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use(readBody(MAX_BODY_BYTES));

  const tenant = requireTenantToken(tokens);
  const helpdesk = requireHelpdesk(opts.helpdeskId, opts.helpdeskToken);
  const ctx = { appId: opts.appId, tenantKey: tenantKeyFor(opts.appId), now };
  // Every route: record, then injected faults, then the platform's own checks and handler.
  const on = (method: 'get' | 'post' | 'patch' | 'put', path: string, route: Route, ...handlers: RequestHandler[]) => app[method](path, recorder.tag(route), faults.guard(route), rejectBadBody, ...handlers);
  // The accounts host's pages and endpoints take forms as well as JSON.
  const onForm = (method: 'get' | 'post', path: string, route: Route, handler: RequestHandler) => app[method](path, recorder.tag(route), faults.guard(route), handler);

  const profile = { appName: opts.botName ?? 'Helpdesk Bot', openId: opts.botOpenId };
  const issueTokens = tokenEndpoint(tokens, opts.appId, opts.appSecret);

  on('post', '/open-apis/auth/v3/tenant_access_token/internal', 'tenant_token', issueTokens);
  // The long connection's endpoint takes the app's id and secret in its body, no token.
  on('post', '/callback/ws/endpoint', 'ws_endpoint', gateway.endpoint());
  on('get', '/open-apis/application/v6/scopes', 'scopes', tenant, scopes.handler());
  on('get', '/open-apis/bot/v3/info', 'bot_info', tenant, botInfo(profile));
  on('get', '/open-apis/helpdesk/v1/tickets/:ticket_id', 'ticket_get', tenant, helpdesk, getTicket(tickets));
  on('get', '/open-apis/helpdesk/v1/tickets', 'ticket_list', tenant, helpdesk, listTickets(tickets));
  on('get', '/open-apis/helpdesk/v1/tickets/:ticket_id/messages', 'ticket_messages', tenant, helpdesk, listTicketMessages(tickets));
  on(
    'get',
    '/open-apis/helpdesk/v1/agent_schedules',
    'agent_schedules',
    tenant,
    helpdesk,
    listAgentSchedules(() => agentSchedules.value),
  );
  on('post', '/open-apis/helpdesk/v1/events/subscribe', 'helpdesk_subscribe', tenant, helpdesk, helpdeskEvents.route(true));
  on('post', '/open-apis/helpdesk/v1/events/unsubscribe', 'helpdesk_unsubscribe', tenant, helpdesk, helpdeskEvents.route(false));
  on('post', '/open-apis/im/v1/messages/:message_id/reply', 'reply', tenant, replyToMessage(messages, ctx, chats));
  on('post', '/open-apis/im/v1/messages', 'send', tenant, sendMessage(messages, ctx, chats));
  on('patch', '/open-apis/im/v1/messages/:message_id', 'patch', tenant, patchMessage(messages, ctx));
  on('post', '/open-apis/interactive/v1/card/update', 'card_update', tenant, updateCard(cardTokens, messages, now));
  on('put', '/open-apis/helpdesk/v1/tickets/:ticket_id', 'ticket_update', userAuth.requireUserToken(), helpdesk, updateTicket(writes));
  on('post', '/open-apis/helpdesk/v1/tickets/:ticket_id/messages', 'ticket_message_create', tenant, helpdesk, createTicketMessage(writes));
  on(
    'get',
    '/open-apis/helpdesk/v1/faqs/search',
    'faq_search',
    tenant,
    helpdesk,
    searchFaqs(() => faqs),
  );
  // Signing in as a person: on the platform these live on the accounts host (FEISHU_OAUTH_URL).
  onForm('get', '/open-apis/authen/v1/authorize', 'oauth_authorize', userAuth.authorizePage());
  onForm('post', '/open-apis/authen/v1/authorize', 'oauth_consent', userAuth.consent());
  onForm('post', '/oauth/v3/token', 'oauth_token', userAuth.token());
  onForm('post', '/oauth/v1/device_authorization', 'device_authorization', userAuth.deviceAuthorization());
  onForm('get', '/oauth/v1/device/verify', 'device_verify', userAuth.devicePage());
  onForm('post', '/oauth/v1/device/verify', 'device_verify', userAuth.deviceConsent());
  on('get', '/open-apis/authen/v1/user_info', 'user_info', userAuth.userInfo());

  opts.routes?.(app);
  app.use(recorder.tag('unknown'), (_req, res) => sendError(res, E.notFound));
  const onError: ErrorRequestHandler = (error: unknown, _req, res, _next) => {
    sendError(res, E.internal, { ext: error instanceof Error ? error.message : String(error) });
  };
  app.use(onError);
  return { app, recorder, faults, tokens, tickets, messages, chats, cardTokens, scopes, gateway, helpdeskEvents, userAuth, agents, now, baseUrl, agentSchedules };
}

const DEFAULT_HELPDESK_BOT: RawTicketUser = { id: 'ou_helpdesk_bot', name: 'Helpdesk Assistant' };

/** The ticket after an agent's ticket.update: as a change by them, their note as its comment. */
function applyUpdate(ticket: RawTicket, update: TicketUpdate, now: number, knownTags: readonly RawTicketTag[], by: RawTicketUser): RawTicket {
  const next = applyChange(
    ticket,
    { ...(update.status !== undefined ? { status: update.status } : {}), ...(update.tag_names ? { tags: update.tag_names } : {}), ...(update.solved !== undefined ? { solve: update.solved } : {}) },
    now,
    knownTags,
    by,
  );
  // Whoever closes it is who closed it (not the owner), as the helpdesk records it.
  if (update.status !== undefined && update.status >= 50 && update.status !== ticket.status) next.closed_by = by;
  if (update.comment !== undefined) next.comments = { id: now, content: update.comment, created_at: now, ...(by.name ? { user_name: by.name } : {}) };
  return next;
}

export class StandIn {
  /** Listens on 127.0.0.1; port 0 picks a free one. */
  static async start(opts: StandInOptions, port = 0): Promise<StandIn> {
    const parts = buildApp(opts);
    const server = await new Promise<Server>((resolve, reject) => {
      const listening = parts.app.listen(port, '127.0.0.1', (error?: Error) => (error ? reject(error) : resolve(listening)));
    });
    const { port: actual } = server.address() as AddressInfo;
    parts.baseUrl.value = `http://127.0.0.1:${actual}`;
    parts.gateway.attach(server);
    return new StandIn(parts, server, parts.baseUrl.value, opts);
  }

  readonly app: express.Express;
  /** Messages the bot sent, by message_id, kept current by patches and card updates. */
  readonly messages: Map<string, SentMessage>;
  /** The long connection: push events and callbacks, switch faults, read what happened. */
  readonly ws: LongConnectionGateway;
  /** The app's scopes and their grants, as GET /open-apis/application/v6/scopes reports them. */
  readonly scopes: ScopeBook;
  /** People signing in: who is at the browser, redirect URLs, revoking, and every code and token issued. */
  readonly userAuth: UserAuth;

  private constructor(
    private readonly parts: Parts,
    private readonly server: Server,
    readonly url: string,
    private readonly opts: StandInOptions,
  ) {
    this.app = parts.app;
    this.messages = parts.messages.sent;
    this.ws = parts.gateway;
    this.scopes = parts.scopes;
    this.userAuth = parts.userAuth;
  }

  /** Makes this person an agent of the helpdesk (or no longer one): what ticket.update allows them. */
  setAgent(openId: string, agent = true): void {
    if (agent) this.parts.agents.add(openId);
    else this.parts.agents.delete(openId);
  }

  /** A ticket's conversation as the messages API has it, oldest first. */
  conversation(id: string): readonly RawTicketMessage[] {
    return this.parts.tickets.conversation(id);
  }

  /** Requests received, in order, rejected ones included (the newest, if `retention.calls` is set). */
  get calls(): RecordedCall[] {
    return this.parts.recorder.calls;
  }

  callsTo(route: Route): RecordedCall[] {
    return this.parts.recorder.callsTo(route);
  }

  clearCalls(): void {
    this.parts.recorder.clear();
  }

  /** Replaces the route's fault; it applies to every request until `times` runs out. */
  inject(route: Route, fault: Fault): void {
    this.parts.faults.inject(route, fault);
  }

  clearFaults(): void {
    this.parts.faults.clear();
  }

  /**
   * Refuses every tenant token issued so far (99991663, as for an expired one) while the token
   * endpoint goes on working: a client that asks again gets a new token.
   */
  revokeTenantTokens(): void {
    this.parts.tokens.revokeAll();
  }

  setTickets(tickets: RawTicket[]): void {
    this.parts.tickets.set(tickets);
  }

  ticket(id: string): RawTicket | undefined {
    return this.parts.tickets.get(id);
  }

  get tickets(): readonly RawTicket[] {
    return this.parts.tickets.all();
  }

  /** Helpdesk events the bot subscribed to ("type/subtype"). */
  get subscriptions(): string[] {
    return this.parts.helpdeskEvents.subscriptions;
  }

  /** Helpdesk ticket events pushed, in order, with whether the bot acknowledged it (the newest, if `retention.events` is set). */
  get ticketEvents(): readonly PushedEvent[] {
    return this.parts.helpdeskEvents.pushed;
  }

  /** Where helpdesk ticket events go (the bot's transport); none: they are recorded as undelivered. */
  pushTicketEventsTo(sink: EventSink | undefined): void {
    this.parts.helpdeskEvents.setSink(sink);
  }

  /**
   * A ticket arrives in the helpdesk (with its conversation, if given): pushed to the bot as
   * helpdesk.ticket.created_v1 if it subscribed. Resolves once the bot answered the push.
   */
  async createTicket(ticket: RawTicket, conversation?: RawTicketMessage[]): Promise<PushedEvent | undefined> {
    const now = this.parts.now();
    const created: RawTicket = { created_at: now, updated_at: now, ...structuredClone(ticket) };
    this.parts.tickets.put(created);
    if (conversation) this.parts.tickets.addConversation(created.ticket_id, conversation);
    return this.parts.helpdeskEvents.created(created);
  }

  /** An agent changes a ticket (status, owner, tags, score): pushed as helpdesk.ticket.updated_v1 if subscribed. */
  async changeTicket(id: string, change: TicketChange): Promise<{ ticket: RawTicket; event?: PushedEvent }> {
    const before = this.parts.tickets.get(id);
    if (!before) throw new Error(`changeTicket: no ticket ${id}`);
    const after = applyChange(before, change, this.parts.now(), this.opts.tags ?? [], this.opts.helpdeskBot ?? DEFAULT_HELPDESK_BOT);
    this.parts.tickets.put(after);
    const event = await this.parts.helpdeskEvents.updated(after, before);
    return { ticket: after, ...(event ? { event } : {}) };
  }

  /**
   * The helpdesk forgets a ticket and its conversation (the demo's activity retires old ones it
   * brought); no event is pushed: the get API answers "not found" from then on.
   */
  removeTicket(id: string): void {
    this.parts.tickets.remove(id);
  }

  /** Pushes a ticket event again, unchanged (same event_id), as the platform's retries do. */
  redeliverTicketEvent(eventId: string): Promise<PushedEvent | undefined> {
    return this.parts.helpdeskEvents.again(eventId);
  }

  /** Replaces the helpdesk's agents (what the agent schedules API lists). */
  setAgentSchedules(schedules: RawAgentSchedule[]): void {
    this.parts.agentSchedules.value = schedules;
  }

  /** Replaces every ticket's conversation (by ticket id). */
  setConversations(conversations: Record<string, RawTicketMessage[]>): void {
    this.parts.tickets.setConversations(conversations);
  }

  /**
   * Tells the stand-in about a message the platform delivered to the bot (see ./deliveries.ts),
   * so that replies to it report its chat and root. Replies to unknown messages still work.
   */
  registerIncoming(messageId: string, chatId: string, rootId?: string): void {
    this.parts.messages.registerIncoming(messageId, chatId, rootId);
  }

  /** Makes messages the bot sends to this person land in this chat (their DM with the bot). */
  registerP2pChat(openId: string, chatId: string): void {
    this.parts.messages.registerP2pChat(openId, chatId);
  }

  /** The bot was added to a group: it may post there again (unless the group was disbanded). */
  botAdded(chatId: string): void {
    this.parts.chats.added(chatId);
  }

  /**
   * The bot is taken out of a group: from now on sends and replies there are refused with 230002.
   * Delivering im.chat.member.bot.deleted_v1 is up to the caller (see ./deliveries.ts).
   */
  removeBot(chatId: string): void {
    this.parts.chats.removed(chatId);
  }

  /** The group is disbanded: from now on sends and replies there are refused with 232009. */
  disbandChat(chatId: string): void {
    this.parts.chats.disbanded(chatId);
  }

  /** Mints a card update token ("c-…") bound to a message the bot sent: 30 minutes, 2 uses. */
  issueCardToken(messageId: string): string {
    if (!this.messages.has(messageId)) throw new Error(`issueCardToken: the bot sent no message ${messageId}`);
    return this.parts.cardTokens.issue(messageId);
  }

  /**
   * Replaces a card the bot sent, as the platform does with the card in a callback's answer
   * (`{card: {type: "raw", data}}`): the card update checks apply, and a 2.0 card can only be
   * replaced by a 2.0 card. When the platform would refuse the card, says why and changes nothing.
   */
  replaceCard(messageId: string, card: unknown): { ok: true } | { ok: false; reason: string } {
    const message = this.messages.get(messageId);
    if (!message) throw new Error(`replaceCard: the bot sent no message ${messageId}`);
    const check = checkCard(card);
    if (!check.ok) return { ok: false, reason: check.reason };
    const current = tryParse(message.content)?.value;
    if (isObject(current) && current['schema'] === '2.0' && check.card['schema'] !== '2.0') {
      return { ok: false, reason: 'a schema 2.0 card can only be replaced by a schema 2.0 card' };
    }
    this.parts.messages.changed(message, JSON.stringify(check.card), this.parts.now());
    return { ok: true };
  }

  close(): Promise<void> {
    this.parts.gateway.close();
    return new Promise((resolve, reject) => {
      this.server.close((error) => (error ? reject(error) : resolve()));
      this.server.closeAllConnections();
    });
  }
}
