// The stand-in's control API (`npm run standin`): play the platform's side by hand or from a
// script, against a bot started with `npm start` in another terminal. Everything is JSON under
// /standin/, a prefix the real platform never uses. Events are delivered the way the bot is set up
// to receive them (long connection by default, or webhook deliveries to a given bot URL), and
// every answer says what the platform saw (the acknowledgement, the HTTP status, the bot's card).
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
import { botAddedEvent, botRemovedEvent, cardActionEvent, chatDisbandedEvent, menuEvent, messageEvent, p2pChatEnteredEvent } from './deliveries.js';
import { CALLBACK_DEADLINE_MS, type Transport } from './transport.js';
import { bodyOf } from './body.js';
import { cardButtons } from './cards.js';
import { newChatId, newMessageId } from './ids.js';
import { tryParse } from './json.js';
import type { RawTicketUser, StandIn } from './index.js';
import { ROUTES } from './types.js';

/** A ticket to bring (POST /standin/tickets); what is not given is the caller's to choose. */
export interface TicketSpec {
  status?: number;
  /** Tag names. */
  tags?: string[];
  agent?: RawTicketUser | null;
}

export interface ControlOptions {
  standin: StandIn;
  appId: string;
  botOpenId: string;
  transport: Transport;
  /**
   * Brings a new ticket into the stand-in's helpdesk (POST /standin/tickets) and resolves to its
   * id; npm run standin passes the demo helpdesk's arrivals.
   */
  newTicket: (spec: TicketSpec) => Promise<string>;
  /** The agents a ticket can be given to by name (npm run standin: the demo helpdesk's). */
  agents: readonly RawTicketUser[];
}

const say = z.strictObject({
  text: z.string().min(1).max(2000),
  chat: z.enum(['dm', 'group']).default('dm'),
  chatId: z
    .string()
    .regex(/^oc_\w+$/)
    .optional(),
  sender: z
    .string()
    .regex(/^ou_\w+$/)
    .default('ou_standin_user'),
  messageId: z
    .string()
    .regex(/^om_\w+$/)
    .optional(),
});
const click = z.strictObject({
  messageId: z.string().regex(/^om_\w+$/),
  button: z.string().min(1),
  operator: z
    .string()
    .regex(/^ou_\w+$/)
    .default('ou_standin_user'),
});
const added = z.strictObject({
  chatId: z
    .string()
    .regex(/^oc_\w+$/)
    .optional(),
  operator: z
    .string()
    .regex(/^ou_\w+$/)
    .default('ou_standin_user'),
});
const gone = z.strictObject({
  chatId: z.string().regex(/^oc_\w+$/),
  operator: z
    .string()
    .regex(/^ou_\w+$/)
    .default('ou_standin_user'),
  /** false: the bot is out of the chat but never hears of it (a missed event). */
  deliver: z.boolean().default(true),
});
const entered = z.strictObject({
  user: z
    .string()
    .regex(/^ou_\w+$/)
    .default('ou_standin_user'),
  chatId: z
    .string()
    .regex(/^oc_\w+$/)
    .optional(),
});
const menu = z.strictObject({
  eventKey: z.string().min(1).max(30),
  operator: z
    .string()
    .regex(/^ou_\w+$/)
    .default('ou_standin_user'),
});
const refuse = z.strictObject({ code: z.number().int(), times: z.number().int().min(1).optional() });
const fault = z.strictObject({
  route: z.enum(ROUTES),
  delayMs: z.number().int().min(0).max(600_000).optional(),
  status: z.number().int().min(100).max(599).optional(),
  code: z.number().int().optional(),
  msg: z.string().max(500).optional(),
  times: z.number().int().min(1).optional(),
  rateLimitResetSeconds: z.number().int().min(0).optional(),
  /** Any JSON: answered as it is (a body that is not the documented shape). */
  body: z.unknown().optional(),
});
const drop = z.strictObject({ code: z.union([z.literal(1000), z.literal(1006)]).optional() });
const scopes = z.array(z.strictObject({ name: z.string().min(1), pending: z.boolean().optional() }));
const openId = z.string().regex(/^ou_\w+$/);
const ticketFields = {
  status: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5), z.literal(50), z.literal(51), z.literal(52)]).optional(),
  tags: z.array(z.string().min(1).max(50)).max(10).optional(),
  /** A known agent's name (one of `agents`, such as the demo's "王磊" or "Emily Zhang") or any open_id; null for none. */
  agent: z
    .union([openId, z.string().min(1).max(64)])
    .nullable()
    .optional(),
};
const newTicket = z.strictObject(ticketFields);
const changeTicket = z.strictObject({ ...ticketFields, score: z.number().int().min(1).max(3).optional(), solve: z.number().int().min(1).max(2).optional() });
const redeliver = z.strictObject({ eventId: z.string().regex(/^\w{1,64}$/) });

export function controlRoutes(options: ControlOptions): express.Router {
  const { standin, transport } = options;
  const app = { token: transport.token, appId: options.appId };
  const r = express.Router();
  // The stand-in has already read the body (its own reader, which keeps the raw size).
  r.use((req, res, next) => {
    const read = bodyOf(req);
    if (read.malformed || read.tooLarge) return void res.status(400).json({ error: 'send a JSON body' });
    req.body = read.json;
    next();
  });

  const body = <T extends z.ZodType>(schema: T, req: Request, res: Response): z.output<T> | undefined => {
    const parsed = schema.safeParse(req.body ?? {});
    if (parsed.success) return parsed.data;
    res.status(400).json({ error: parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') });
    return undefined;
  };
  /** Delivers an event and waits (a little) for what the bot sent because of it. */
  const deliver = async (res: Response, payload: object, sent: () => unknown[]) => {
    const before = sent().length;
    const result = await transport.event(payload);
    if (!result.ok) return void res.status(502).json({ delivered: false, error: result.error });
    const deadline = Date.now() + 5000;
    while (sent().length === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
    res.json({ delivered: true, sent: sent().slice(before) });
  };
  const messages = () => [...standin.messages.values()].map((m) => ({ ...m, card: m.msgType === 'interactive' ? tryParse(m.content)?.value : undefined, content: undefined }));
  const p2p = new Map<string, string>();
  const dmOf = (user: string) => p2p.get(user) ?? (p2p.set(user, newChatId()).get(user) as string);

  r.post('/say', async (req, res) => {
    const input = body(say, req, res);
    if (!input) return;
    const messageId = input.messageId ?? newMessageId();
    const chatId = input.chatId ?? (input.chat === 'dm' ? dmOf(input.sender) : 'oc_standin_group');
    standin.registerIncoming(messageId, chatId);
    standin.registerP2pChat(input.sender, dmOf(input.sender));
    // In a group the bot only hears messages that mention it.
    const mentions = input.chat === 'group' ? [{ key: '@_user_1', openId: options.botOpenId, name: 'Helpdesk Bot' }] : [];
    const text = input.chat === 'group' ? `@_user_1 ${input.text}` : input.text;
    const event = messageEvent({ ...app, chatType: input.chat === 'dm' ? 'p2p' : 'group', chatId, senderOpenId: input.sender, messageId, text, mentions });
    await deliver(res, event, () => messages().filter((m) => m.replyTo === messageId));
  });

  r.post('/click', async (req, res) => {
    const input = body(click, req, res);
    if (!input) return;
    const message = standin.messages.get(input.messageId);
    if (!message?.chatId) return void res.status(404).json({ error: 'the bot sent no such message' });
    const value = buttonValue(tryParse(message.content)?.value, input.button);
    if (value === undefined) return void res.status(404).json({ error: `no live button "${input.button}" on that card` });
    const event = cardActionEvent({ ...app, operatorOpenId: input.operator, value, messageId: input.messageId, chatId: message.chatId, cardToken: standin.issueCardToken(input.messageId) });
    const answer = await transport.callback(event, CALLBACK_DEADLINE_MS);
    if (!answer.ok) return void res.status(502).json({ answered: false, error: answer.error });
    const card = (answer.body as { card?: { type?: string; data?: unknown } } | undefined)?.card;
    if (card?.type === 'raw' && card.data) standin.replaceCard(input.messageId, card.data);
    res.json({ answered: true, answer: answer.body });
  });

  r.post('/add-bot', async (req, res) => {
    const input = body(added, req, res);
    if (!input) return;
    const chatId = input.chatId ?? newChatId();
    standin.botAdded(chatId);
    await deliver(res, botAddedEvent({ ...app, chatId, operatorOpenId: input.operator }), () => messages().filter((m) => m.chatId === chatId && !m.replyTo));
  });

  // The bot leaves a group (removed, or the group disbanded): the stand-in refuses posts there from
  // now on, and the bot is told unless `deliver` is false. The bot sends nothing back.
  const leave = (change: (chatId: string) => void, event: typeof botRemovedEvent) => async (req: Request, res: Response) => {
    const input = body(gone, req, res);
    if (!input) return;
    change(input.chatId);
    if (!input.deliver) return void res.json({ delivered: false, chatId: input.chatId });
    const payload = event({ ...app, chatId: input.chatId, operatorOpenId: input.operator });
    const result = await transport.event(payload);
    if (!result.ok) return void res.status(502).json({ delivered: false, error: result.error });
    res.json({ delivered: true, chatId: input.chatId, eventId: payload.header.event_id });
  };
  r.post(
    '/remove-bot',
    leave((chatId) => standin.removeBot(chatId), botRemovedEvent),
  );
  r.post(
    '/disband',
    leave((chatId) => standin.disbandChat(chatId), chatDisbandedEvent),
  );

  r.post('/open-dm', async (req, res) => {
    const input = body(entered, req, res);
    if (!input) return;
    const chatId = input.chatId ?? dmOf(input.user);
    standin.registerP2pChat(input.user, chatId);
    await deliver(res, p2pChatEnteredEvent({ ...app, chatId, userOpenId: input.user }), () => messages().filter((m) => m.chatId === chatId && !m.replyTo));
  });

  r.post('/menu', async (req, res) => {
    const input = body(menu, req, res);
    if (!input) return;
    const chatId = dmOf(input.operator);
    standin.registerP2pChat(input.operator, chatId);
    await deliver(res, menuEvent({ ...app, eventKey: input.eventKey, operatorOpenId: input.operator }), () => messages().filter((m) => m.chatId === chatId && !m.replyTo));
  });

  // The helpdesk's side: tickets arriving and changing, pushed to the bot as ticket events once it
  // has subscribed (POST /open-apis/helpdesk/v1/events/subscribe).
  /** The agent named (a known agent's name or an open_id); a name nobody has is an error for the caller. */
  const agentOf = (named: string | null | undefined, res: Response): RawTicketUser | null | undefined | false => {
    if (named === undefined || named === null) return named;
    const found = options.agents.find((a) => a.id === named || a.name === named);
    if (found) return found;
    if (named.startsWith('ou_')) return { id: named };
    res.status(400).json({ error: `agent: no demo agent is called "${named}"; use one of ${options.agents.map((a) => a.name).join(', ')}, an open_id, or null` });
    return false;
  };
  const eventOf = (e: { eventId: string; type: string; delivered: boolean; error?: string } | undefined) =>
    e ? { eventId: e.eventId, type: e.type, delivered: e.delivered, ...(e.error ? { error: e.error } : {}) } : null;
  const summary = (t: { ticket_id: string; status?: number; tags?: { name?: string }[]; agent_owner?: { id?: string; name?: string } }) => ({
    ticket_id: t.ticket_id,
    status: t.status,
    tags: (t.tags ?? []).map((x) => x.name),
    agent: t.agent_owner ?? null,
  });
  r.post('/tickets', async (req, res) => {
    const input = body(newTicket, req, res);
    if (!input) return;
    const agent = agentOf(input.agent, res);
    if (agent === false) return;
    const id = await options.newTicket({ ...(input.status !== undefined ? { status: input.status } : {}), ...(input.tags ? { tags: input.tags } : {}), ...(agent !== undefined ? { agent } : {}) });
    res.json({ ticket: summary(standin.ticket(id)!), event: eventOf(standin.ticketEvents.at(-1)?.ticketId === id ? standin.ticketEvents.at(-1) : undefined) });
  });
  r.patch('/tickets/:id', async (req, res) => {
    const input = body(changeTicket, req, res);
    if (!input) return;
    const id = String(req.params['id']);
    if (!standin.ticket(id)) return void res.status(404).json({ error: `the helpdesk has no ticket ${id}` });
    const agent = agentOf(input.agent, res);
    if (agent === false) return;
    const { agent: _agent, ...rest } = input;
    const changed = await standin.changeTicket(id, { ...rest, ...(agent !== undefined ? { agent } : {}) });
    res.json({ ticket: summary(changed.ticket), event: eventOf(changed.event) });
  });
  r.post('/redeliver', async (req, res) => {
    const input = body(redeliver, req, res);
    if (!input) return;
    const event = await standin.redeliverTicketEvent(input.eventId);
    if (!event) return void res.status(404).json({ error: 'no ticket event with that eventId was pushed' });
    res.json({ event: eventOf(event) });
  });
  r.get('/ticket-events', (_req, res) => void res.json(standin.ticketEvents.map((e) => ({ ...eventOf(e), ticketId: e.ticketId }))));
  r.get('/subscriptions', (_req, res) => void res.json(standin.subscriptions));

  r.get('/messages', (_req, res) => void res.json(messages()));
  r.get('/calls', (req, res) => void res.json(typeof req.query['route'] === 'string' ? standin.callsTo(req.query['route'] as never) : standin.calls));
  r.get('/long-connection', (_req, res) => {
    const ws = standin.ws;
    res.json({ open: ws.open, connections: ws.connections, pushes: ws.pushes.map(({ id, type, attempts, acked }) => ({ id, type, attempts, acked })), events: ws.events });
  });
  r.post('/drop', (req, res) => {
    const input = body(drop, req, res);
    if (!input) return;
    const dropped = standin.ws.open.length;
    standin.ws.drop(input.code ? { code: input.code } : {});
    res.json({ dropped });
  });
  r.post('/silence', (_req, res) => {
    standin.ws.silence();
    res.json({ silenced: standin.ws.open.length });
  });
  r.post('/refuse-endpoint', (req, res) => {
    const input = body(refuse, req, res);
    if (!input) return;
    standin.ws.refuseEndpoint(input.code, input.times);
    res.json({ refusing: input });
  });
  // The platform misbehaving on one route: slow, failing, or answering what its docs do not say.
  r.post('/faults', (req, res) => {
    const input = body(fault, req, res);
    if (!input) return;
    const { route, ...given } = input;
    standin.inject(route, given);
    res.json({ injected: input });
  });
  r.post('/revoke-tokens', (_req, res) => {
    standin.revokeTenantTokens();
    res.json({ revoked: true });
  });
  r.post('/clear-faults', (_req, res) => {
    standin.clearFaults();
    standin.ws.clearFaults();
    res.json({ cleared: true });
  });
  r.put('/scopes', (req, res) => {
    const input = body(scopes, req, res);
    if (!input) return;
    standin.scopes.set(input);
    res.json({ scopes: input });
  });
  r.delete('/scopes/:name', (req, res) => {
    standin.scopes.remove(String(req.params['name']));
    res.json({ removed: req.params['name'] });
  });
  r.use((_req, res) => void res.status(404).json({ error: 'no such control route; see README, "A stand-in to run by hand"' }));
  return r;
}

/** The callback value of the live button with this (English) text, wherever it is on the card. */
const buttonValue = (card: unknown, text: string): unknown => cardButtons(card).find((b) => !b.disabled && b.text === text && b.value !== undefined)?.value;
