// The sandbox API behind the console. Everything travels the platform's real path: a typed message
// becomes an im.message.receive_v1 event, delivered as the bot is set up to receive it (an
// encrypted, signed POST to /webhook/event, or a frame over the long connection); the bot replies
// through the SDK to the stand-in; a click becomes a card.action.trigger callback, whose answer is
// applied as Feishu applies it.
import express, { type ErrorRequestHandler, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Logger } from '../../obs/log.js';
import { cardActionEvent, menuEvent, messageEvent, type CardAction } from '@helpdesk-bot/feishu-standin/deliveries';
import { cardButtons } from '@helpdesk-bot/feishu-standin/cards';
import { formSubmission, selectChange } from '@helpdesk-bot/feishu-standin/card-forms';
import { newChatId, newMessageId } from '@helpdesk-bot/feishu-standin/ids';
import { isObject, tryParse } from '@helpdesk-bot/feishu-standin/json';
import type { SentMessage, StandIn } from '@helpdesk-bot/feishu-standin';
import { addressMessage, type Person } from './mentions.js';
import { CALLBACK_DEADLINE_MS, type Transport } from '@helpdesk-bot/feishu-standin/transport';

export interface ConsoleApiDeps {
  standin: StandIn;
  appId: string;
  /** How messages and clicks reach the bot: the webhook or the long connection. */
  transport: Transport;
  bot: Person;
  /** The console's user: the sender of every message and the operator of every click. */
  you: Person;
  /** People the console offers as mentions. */
  people: readonly Person[];
  log: Logger;
  /** Commands offered as examples, in each language of the console. */
  examples: { en_us: readonly string[]; zh_cn: readonly string[] };
  /** The bot's menu (event key -> command), offered in the DM as Feishu shows it. */
  menu?: Record<string, string>;
  /** How the bot receives events, for the page's explanation. */
  connection?: 'webhook' | 'long-connection';
  /** How long a callback may take before it counts as timed out; the platform's 3 s by default. */
  callbackDeadlineMs?: number;
  /** The demo helpdesk's "new ticket now". */
  newTicket?: () => Promise<string>;
}

/** What the sandbox itself can do in the console: type as its user (to set up the demo). */
export interface ConsoleSession {
  say(chat: 'dm' | 'group', text: string): Promise<{ ok: boolean; id: string; at: number; error?: string }>;
}

/** Feishu takes text messages up to 150 KB (the content {"text": …} as sent); the console takes as much. */
const MAX_TEXT_BYTES = 150 * 1024;
const MAX_BODY = '512kb';
/** How much of a typed message the console keeps to show back; the bot gets all of it. */
const MAX_SHOWN_CHARS = 2000;
const MAX_VALUE_BYTES = 4096;
const MAX_TOAST_TEXT = 500;
/** Messages typed per chat that the console remembers; the oldest go first. */
const MAX_HISTORY = 200;
/** At most this many messages per poll answer (the newest). */
const MAX_POLL = 100;

const CHATS = ['dm', 'group'] as const;
type ChatName = (typeof CHATS)[number];

const sendSchema = z.strictObject({
  chat: z.enum(CHATS),
  text: z
    .string()
    .trim()
    .min(1, 'text is empty')
    .superRefine((t, ctx) => {
      const bytes = Buffer.byteLength(JSON.stringify({ text: t }));
      if (bytes > MAX_TEXT_BYTES) ctx.addIssue({ code: 'custom', message: `Feishu accepts text messages up to 150 KB; this one is ${Math.ceil(bytes / 1024)} KB` });
    }),
});
const picked = z.string().max(1000);
/** A click (value), a form submitted (value, name, form) or a select changed outside a form (tag, option or options). */
const actionSchema = z.strictObject({
  messageId: z.string().regex(/^om_[0-9A-Za-z_]{1,64}$/, 'messageId is not a message id'),
  value: z.record(z.string(), z.unknown()).optional(),
  name: z.string().min(1).max(100).optional(),
  form: z.record(z.string().min(1).max(100), z.union([picked, z.array(picked).max(200)])).optional(),
  tag: z.enum(['select_static', 'select_person', 'date_picker', 'picker_time', 'picker_datetime', 'multi_select_static', 'multi_select_person']).optional(),
  option: picked.optional(),
  options: z.array(picked).max(200).optional(),
});
type ActionInput = z.output<typeof actionSchema>;
const menuSchema = z.strictObject({ key: z.string().min(1).max(30) });
const pollSchema = z.strictObject({ after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0) });
const toastSchema = z.object({
  type: z.enum(['info', 'success', 'warning', 'error']).default('info'),
  content: z.string().max(MAX_TOAST_TEXT).optional(),
  i18n: z.record(z.string(), z.string().max(MAX_TOAST_TEXT)).optional(),
});
type Toast = z.output<typeof toastSchema>;

interface Typed {
  id: string;
  at: number;
  text: string;
}

type ChatItem =
  | { from: 'user'; id: string; at: number; updatedAt: number; sender: string; text: string }
  | { from: 'bot'; id: string; at: number; updatedAt: number; updates: number; replyTo?: string; msgType: string; card?: unknown; text?: string };

export function consoleApi(deps: ConsoleApiDeps): { router: express.Router; session: ConsoleSession } {
  const { standin, transport, log } = deps;
  const chats: Record<ChatName, { id: string; type: 'p2p' | 'group'; typed: Typed[] }> = {
    dm: { id: newChatId(), type: 'p2p', typed: [] },
    group: { id: newChatId(), type: 'group', typed: [] },
  };
  const chatOfMessage = (message: SentMessage) => CHATS.find((c) => chats[c].id === message.chatId);
  // The console's user is in these chats: messages the bot sends to them land in the DM.
  standin.registerP2pChat(deps.you.openId, chats.dm.id);

  const api = express.Router();
  api.use((_req, res, next) => {
    res.set({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
    next();
  });
  api.use(express.json({ limit: MAX_BODY, strict: true, type: 'application/json' }));

  api.get('/info', (_req, res) => {
    res.json({
      you: deps.you,
      bot: { name: deps.bot.name },
      people: deps.people,
      examples: deps.examples,
      chats: Object.fromEntries(CHATS.map((c) => [c, chats[c].type])),
      menu: Object.entries(deps.menu ?? {}).map(([key, command]) => ({ key, command })),
      connection: deps.connection ?? 'webhook',
      activity: deps.newTicket !== undefined,
    });
  });

  api.get('/chats/:chat/messages', (req, res) => {
    const chat = chatName(req.params['chat']);
    if (!chat) return void res.status(404).json({ error: 'no such chat: use dm or group' });
    const query = pollSchema.safeParse(req.query);
    if (!query.success) return void badRequest(res, query.error);
    // Anything written after this instant has updatedAt >= cursor, so the next poll sees it.
    const cursor = Date.now();
    const after = query.data.after;
    const items: ChatItem[] = chats[chat].typed.filter((m) => m.at >= after).map((m) => ({ from: 'user' as const, id: m.id, at: m.at, updatedAt: m.at, sender: deps.you.name, text: m.text }));
    for (const message of standin.messages.values()) {
      if (chatOfMessage(message) === chat && message.updatedAt >= after) items.push(botItem(message));
    }
    items.sort((a, b) => a.at - b.at || (a.from === b.from ? 0 : a.from === 'user' ? -1 : 1));
    res.json({ cursor, messages: items.slice(-MAX_POLL) });
  });

  /** A message typed in a chat: shown there, and delivered to the bot as Feishu would. */
  const say: ConsoleSession['say'] = async (name, typed) => {
    const chat = chats[name];
    const addressed = addressMessage(typed, chat.type, deps.bot, deps.people);
    const messageId = newMessageId();
    const at = Date.now();
    const shown = [...typed].length > MAX_SHOWN_CHARS ? `${[...typed].slice(0, MAX_SHOWN_CHARS).join('')}… (${[...typed].length.toLocaleString('en-US')} characters)` : typed;
    chat.typed.push({ id: messageId, at, text: shown });
    if (chat.typed.length > MAX_HISTORY) chat.typed.shift();
    standin.registerIncoming(messageId, chat.id);
    const event = messageEvent({
      token: transport.token,
      appId: deps.appId,
      chatType: chat.type,
      chatId: chat.id,
      senderOpenId: deps.you.openId,
      messageId,
      text: addressed.text,
      mentions: addressed.mentions,
      createTime: at,
    });
    const delivered = await transport.event(event);
    if (!delivered.ok) {
      log.warn('sandbox.delivery_failed', { error: delivered.error });
      return { ok: false, id: messageId, at, error: delivered.error };
    }
    return { ok: true, id: messageId, at };
  };

  api.post('/messages', async (req, res) => {
    if (!isJson(req, res)) return;
    const input = sendSchema.safeParse(req.body);
    if (!input.success) return void badRequest(res, input.error);
    const said = await say(input.data.chat, input.data.text);
    if (!said.ok) return void res.status(502).json({ id: said.id, error: said.error });
    res.json({ id: said.id, at: said.at });
  });

  // The demo helpdesk: a ticket arrives now (and its event reaches the bot like any other).
  api.post('/new-ticket', async (req, res) => {
    if (!isJson(req, res)) return;
    if (!deps.newTicket) return void res.status(404).json({ error: 'The demo helpdesk has no activity here.' });
    res.json({ ticketId: await deps.newTicket() });
  });

  // A tap on the bot's menu: Feishu sends only the keys set up in the developer console.
  api.post('/menu', async (req, res) => {
    if (!isJson(req, res)) return;
    const input = menuSchema.safeParse(req.body);
    if (!input.success) return void badRequest(res, input.error);
    if (!Object.hasOwn(deps.menu ?? {}, input.data.key)) return void res.status(404).json({ error: 'The bot has no such menu item.' });
    const delivered = await transport.event(menuEvent({ token: transport.token, appId: deps.appId, eventKey: input.data.key, operatorOpenId: deps.you.openId, operatorName: deps.you.name }));
    if (!delivered.ok) {
      log.warn('sandbox.delivery_failed', { error: delivered.error });
      return void res.status(502).json({ error: delivered.error });
    }
    res.json({ key: input.data.key });
  });

  api.post('/actions', async (req, res) => {
    if (!isJson(req, res)) return;
    const input = actionSchema.safeParse(req.body);
    if (!input.success) return void badRequest(res, input.error);
    const { messageId, value } = input.data;
    const message = standin.messages.get(messageId);
    const chat = message && chatOfMessage(message);
    if (!message || !chat) return void res.status(404).json({ error: 'The bot sent no such message in the console.' });
    if (Buffer.byteLength(JSON.stringify(value ?? {})) > MAX_VALUE_BYTES) return void res.status(413).json({ error: 'The button value is too large.' });
    // Feishu only sends what the card holds, as its client shapes it.
    const action = cardAction(tryParse(message.content)?.value, input.data);
    if (!action.ok) return void res.status(409).json({ error: action.error });

    const event = cardActionEvent({
      token: transport.token,
      appId: deps.appId,
      operatorOpenId: deps.you.openId,
      ...action.action,
      messageId,
      chatId: chats[chat].id,
      cardToken: standin.issueCardToken(messageId),
    });
    const answer = await transport.callback(event, deps.callbackDeadlineMs ?? CALLBACK_DEADLINE_MS);
    if (!answer.ok) return void callbackFailed(res, answer.error);
    const body = answer.body;
    if (!isObject(body)) return void callbackFailed(res, 'The callback answer is not a JSON object (Feishu shows error 200672).');

    let toast: Toast | undefined;
    if (body['toast'] !== undefined) {
      const parsed = toastSchema.safeParse(body['toast']);
      if (!parsed.success || (parsed.data.content === undefined && parsed.data.i18n === undefined)) {
        return void callbackFailed(res, 'The callback answer has a malformed toast (Feishu shows error 200672).');
      }
      toast = parsed.data;
    }
    let updated = false;
    if (body['card'] !== undefined) {
      const card = body['card'];
      if (!isObject(card) || card['type'] !== 'raw' || !isObject(card['data'])) {
        return void callbackFailed(res, 'The callback answer\'s card is not {"type": "raw", "data": {…}} (Feishu shows error 200672).');
      }
      const replaced = standin.replaceCard(messageId, card['data']);
      if (!replaced.ok) return void callbackFailed(res, `Feishu refuses the card in the callback answer (error 200673): ${replaced.reason}`);
      updated = true;
    }
    res.json({ updated, ...(toast ? { toast } : {}) });
  });

  const onError: ErrorRequestHandler = (err: { type?: string; status?: number }, _req, res, next) => {
    if (res.headersSent) return next(err);
    if (err.type === 'entity.too.large') return void res.status(413).json({ error: `The request is larger than ${MAX_BODY}.` });
    if (err.status && err.status >= 400 && err.status < 500) return void res.status(400).json({ error: 'The request body is not valid JSON.' });
    log.error('sandbox.api_failed', { error: String((err as Error).message ?? err) });
    res.status(500).json({ error: 'internal error' });
  };
  api.use(onError);
  return { router: api, session: { say } };
}

function botItem(message: SentMessage): ChatItem {
  const content = tryParse(message.content)?.value;
  const base = {
    from: 'bot' as const,
    id: message.messageId,
    at: message.createdAt,
    updatedAt: message.updatedAt,
    updates: message.updates,
    ...(message.replyTo === undefined ? {} : { replyTo: message.replyTo }),
    msgType: message.msgType,
  };
  if (message.msgType === 'interactive') return { ...base, card: content };
  const text = isObject(content) && typeof content['text'] === 'string' ? content['text'] : message.content;
  return { ...base, text };
}

/** JSON of every callback value on a card's live (not disabled) buttons, a form's aside (they submit it). */
const callbackValues = (card: unknown): Set<string> => new Set(cardButtons(card).flatMap((b) => (!b.disabled && !b.formAction && isObject(b.value) ? [JSON.stringify(b.value)] : [])));

/** What the platform's client would send for this input on `card`, or why it would send nothing. */
function cardAction(card: unknown, input: ActionInput): { ok: true; action: CardAction } | { ok: false; error: string } {
  const { value, name, form, tag, option, options } = input;
  if (form !== undefined) {
    if (!value || !name) return { ok: false, error: 'A form is submitted by its submit button: give its value and name.' };
    const submission = formSubmission(card, { name, value }, form);
    return submission.ok ? { ok: true, action: { value, name, formValue: submission.formValue } } : { ok: false, error: `Feishu would send nothing: ${submission.reason}.` };
  }
  if (tag !== undefined) {
    const pick = option ?? options;
    if (pick === undefined) return { ok: false, error: 'A select sends the option picked (option, or options for a multi-select).' };
    const change = selectChange(card, { tag, ...(name ? { name } : {}), ...(value ? { value } : {}), ...(typeof pick === 'string' ? { option: pick } : { options: pick }) });
    if (!change.ok) return { ok: false, error: `Feishu would send nothing: ${change.reason}.` };
    const common = { ...(name ? { name } : {}), ...(value ? { value } : {}) };
    if (tag === 'multi_select_static' || tag === 'multi_select_person') return { ok: true, action: { tag, ...common, options: [change.picked].flat() } };
    return { ok: true, action: { tag, ...common, option: String(change.picked) } };
  }
  if (!value || !callbackValues(card).has(JSON.stringify(value))) return { ok: false, error: 'That button is not on the card any more (it has changed).' };
  return { ok: true, action: { value } };
}

const chatName = (value: unknown): ChatName | undefined => CHATS.find((c) => c === value);

function isJson(req: Request, res: Response): boolean {
  if (req.is('application/json')) return true;
  res.status(415).json({ error: 'Send the request as application/json.' });
  return false;
}

function badRequest(res: Response, error: z.ZodError): void {
  res.status(400).json({ error: error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ') });
}

function callbackFailed(res: Response, error: string): void {
  res.status(502).json({ error });
}
