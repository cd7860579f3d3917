// Button values: small, versioned, signed objects that carry everything a click needs (the view to
// show, the whole query and page, and the chat the card was sent to), so any instance of the bot
// can answer any click with no shared state. This codec only encodes, signs and checks them; what
// a view is lives in view.ts.
//
// A value comes back from the platform as untrusted input. It is accepted only if its HMAC matches
// (so nobody can widen a query, switch chats or claim a DM), then validated field by field anyway
// before anything is built from it.
//
// Version 2 keeps time filters as words ("today", "7d"), resolved again at every click, so Refresh
// on "open today" an hour later includes that hour's tickets. Version 3 adds what a list needs
// beyond the list API's filters (a closing time, a score range) and the list's anchor (the time
// its first page was shown, so Next and Back show the pages as they were), and what a ticket
// card's action buttons carry: the action, and the one person a button is for (a reply's Send,
// made for whoever wrote it). Version 1 values (absolute time ranges) and version 2 values still
// answer, until they expire; an action on a ticket reached from a version 1 list keeps that list's
// ranges in a version 3 value.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { ChatType } from '../jobs/types.js';
import type { TicketFilter } from '../helpdesk/types.js';
import { readTimeWords } from '../commands/filters/time.js';
import { REPLY_LIMIT } from '../cards/ticketActions.js';
import { TICKET_ACTS, type TicketAct } from './act.js';
import { WATCH_ID, type ListState, type View } from './view.js';

export const VALUE_VERSION = 3;
/** Versions still accepted: buttons on cards sent before an upgrade keep working. */
const ACCEPTED_VERSIONS = [1, 2, 3] as const;

export interface Action {
  view: View;
  /** Bypass caches (the refresh buttons). */
  fresh: boolean;
  /** Show the view in a new message, leaving the card clicked as it is (a board's counts). */
  newMessage?: boolean;
  /** The chat the card was sent to, and its kind: decides who may click and what is shown. */
  chatId: string;
  chatType: ChatType;
  /** Epoch seconds the button was made. */
  issuedAt: number;
  /** What a ticket card's action button asks for (with a ticket view). */
  act?: TicketAct;
  /** The only person who may click it (open_id). */
  for?: string;
}

export type Decoded = { ok: true; action: Action } | { ok: false; reason: string };

/** Buttons stop working after this long (cards stay interactive for 14 days). */
const MAX_AGE_SECONDS = 14 * 24 * 3600;

// The wire form uses short keys: every button on a card carries one.
const id = z.string().regex(/^\d{1,32}$/);
const openId = z.string().regex(/^ou_[A-Za-z0-9_-]{1,64}$/);
const int = (min: number, max: number) => z.number().int().min(min).max(max);
const ms = int(0, 8_640_000_000_000);
const range = z.strictObject({ start: ms, end: ms }).refine((r) => r.start <= r.end, 'range ends before it starts');
const text = (max: number) => z.string().min(1).max(max);

const filterSchema = z.strictObject({
  ticketId: id.optional(),
  agentId: openId.optional(),
  closedById: openId.optional(),
  type: int(1, 2).optional(),
  channel: int(0, 2_147_483_647).optional(),
  solved: int(1, 2).optional(),
  score: int(1, 3).optional(),
  statuses: z.array(int(1, 99)).min(1).max(8).optional(),
  guestName: text(100).optional(),
  guestId: openId.optional(),
  tags: z.array(text(100)).min(1).max(10).optional(),
  created: range.optional(),
  updated: range.optional(),
});

const timeWords = z
  .string()
  .max(40)
  .refine((w) => readTimeWords(w) !== undefined, 'not time words');

const listSchema = z.strictObject({
  f: filterSchema,
  p: int(1, 10_000),
  n: z
    .record(openId, text(64))
    .refine((n) => Object.keys(n).length <= 10, 'too many names')
    .optional(),
  m: z.literal(1).optional(),
  w: z.strictObject({ c: timeWords.optional(), u: timeWords.optional(), d: timeWords.optional() }).optional(),
  a: z.literal(1).optional(),
  r: z.array(int(1, 3)).min(2).max(3).optional(),
  t: ms.optional(),
});

const actSchema = z.strictObject({
  o: z.enum(TICKET_ACTS),
  // A reply's text (a draft to send, an FAQ's answer), at most what a reply may be.
  x: z
    .string()
    .min(1)
    .refine((x) => [...x].length <= REPLY_LIMIT, 'text too long')
    .optional(),
  // A draft's id: one send per draft.
  d: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,32}$/)
    .optional(),
  // Close as solved (2) or unsolved (1).
  s: int(1, 2).optional(),
});

const wireSchema = z.strictObject({
  v: z.union(ACCEPTED_VERSIONS.map((v) => z.literal(v))),
  // list, ticket, board, watches, unwatch, filter form, filter form's submission
  k: z.enum(['l', 't', 'b', 'w', 'u', 'f', 's']),
  l: listSchema.optional(),
  t: id.optional(),
  u: z.string().regex(WATCH_ID).optional(),
  r: z.literal(1).optional(),
  x: z.literal(1).optional(),
  c: z.string().regex(/^oc_[A-Za-z0-9_-]{1,64}$/),
  ct: z.enum(['p', 'g']),
  i: int(0, 2 ** 40),
  a: actSchema.optional(),
  b: openId.optional(),
  s: z.string().regex(/^[A-Za-z0-9_-]{43}$/),
});

type Wire = z.infer<typeof wireSchema>;

export class ButtonValues {
  constructor(
    private readonly key: Buffer,
    private readonly now: () => number,
  ) {}

  /** Derives the signing key from secrets every instance of the bot shares. */
  static keyFrom(appSecret: string, encryptKey: string): Buffer {
    return createHmac('sha256', `${appSecret}\u0000${encryptKey}`).update('helpdesk-bot/button-values/v1').digest();
  }

  encode(action: Omit<Action, 'issuedAt'>): Record<string, unknown> {
    const { view } = action;
    // A list reached from a version 1 button has absolute ranges and no words: it stays version 1.
    const lists =
      view.kind === 'list' ? [view.list] : view.kind === 'ticket' && view.back ? [view.back] : view.kind === 'filter' && view.list ? [view.list] : view.kind === 'filtered' && view.keep ? [view.keep] : [];
    const legacy = lists.some((list) => list.filter.created !== undefined || list.filter.updated !== undefined);
    const acting = action.act !== undefined || action.for !== undefined;
    const wire: Omit<Wire, 's'> = {
      v: legacy && !acting ? 1 : VALUE_VERSION,
      ...viewWire(view),
      ...(action.fresh ? { r: 1 as const } : {}),
      ...(action.newMessage ? { x: 1 as const } : {}),
      c: action.chatId,
      ct: action.chatType === 'p2p' ? 'p' : 'g',
      i: Math.floor(this.now() / 1000),
      ...(action.act ? { a: actWire(action.act) } : {}),
      ...(action.for ? { b: action.for } : {}),
    };
    return { ...wire, s: this.sign(wire) };
  }

  decode(value: unknown): Decoded {
    const parsed = wireSchema.safeParse(value);
    if (!parsed.success) return { ok: false, reason: 'malformed value' };
    const { s, ...unsigned } = parsed.data;
    const expected = Buffer.from(this.sign(unsigned));
    if (!timingSafeEqual(expected, Buffer.from(s))) return { ok: false, reason: 'bad signature' };
    const ageSeconds = this.now() / 1000 - unsigned.i;
    if (ageSeconds > MAX_AGE_SECONDS || ageSeconds < -300) return { ok: false, reason: 'expired' };

    const w = parsed.data;
    // Version 1 had no words; versions 2 and 3 keep times as words.
    const lists = [w.l].filter((x) => x !== undefined);
    if (w.v === 1 && lists.some((x) => x.w)) return { ok: false, reason: 'malformed value' };
    // Ranges only in a list from version 1: in version 2 never, in version 3 only without words.
    const ranged = (x: (typeof lists)[number]) => x.f.created !== undefined || x.f.updated !== undefined;
    if (w.v === 2 && lists.some(ranged)) return { ok: false, reason: 'malformed value' };
    if (w.v === 3 && lists.some((x) => ranged(x) && x.w)) return { ok: false, reason: 'malformed value' };
    // A list's extras, actions and people came with version 3, and only ticket cards have actions.
    if (w.v < 3 && (w.a !== undefined || w.b !== undefined || lists.some((x) => x.r || x.t !== undefined || x.w?.d))) return { ok: false, reason: 'malformed value' };
    if (w.a !== undefined && w.k !== 't') return { ok: false, reason: 'malformed value' };
    const view = viewOf(w);
    const act = w.a && actOf(w.a);
    if (!view || act === null) return { ok: false, reason: 'malformed value' };
    return {
      ok: true,
      action: {
        view,
        fresh: w.r === 1,
        ...(w.x === 1 ? { newMessage: true } : {}),
        chatId: w.c,
        chatType: w.ct === 'p' ? 'p2p' : 'group',
        issuedAt: w.i,
        ...(act ? { act } : {}),
        ...(w.b ? { for: w.b } : {}),
      },
    };
  }

  private sign(unsigned: object): string {
    return createHmac('sha256', this.key).update(canonical(unsigned)).digest('base64url');
  }
}

function viewWire(view: View): Pick<Wire, 'k' | 'l' | 't' | 'u'> {
  switch (view.kind) {
    case 'list':
      return { k: 'l', l: listWire(view.list) };
    case 'ticket':
      return { k: 't', t: view.ticketId, ...(view.back ? { l: listWire(view.back) } : {}) };
    case 'board':
      return { k: 'b' };
    case 'watches':
      return { k: 'w' };
    case 'unwatch':
      return { k: 'u', u: view.watchId };
    case 'filter':
      return { k: 'f', ...(view.list ? { l: listWire(view.list) } : {}) };
    case 'filtered':
      return { k: 's', ...(view.keep ? { l: listWire(view.keep) } : {}) };
  }
}

/** The view a value names, or undefined when its fields do not fit its kind. */
function viewOf(w: Wire): View | undefined {
  switch (w.k) {
    case 'l':
      return w.l && w.t === undefined && w.u === undefined ? { kind: 'list', list: listState(w.l) } : undefined;
    case 't':
      return w.t && w.u === undefined ? { kind: 'ticket', ticketId: w.t, ...(w.l ? { back: listState(w.l) } : {}) } : undefined;
    case 'b':
    case 'w':
      return w.l === undefined && w.t === undefined && w.u === undefined ? { kind: w.k === 'b' ? 'board' : 'watches' } : undefined;
    case 'u':
      return w.u && w.l === undefined && w.t === undefined ? { kind: 'unwatch', watchId: w.u } : undefined;
    case 'f':
    case 's': {
      if (w.t !== undefined || w.u !== undefined) return undefined;
      const list = w.l ? listState(w.l) : undefined;
      if (w.k === 'f') return list ? { kind: 'filter', list } : { kind: 'filter' };
      return list ? { kind: 'filtered', keep: list } : { kind: 'filtered' };
    }
  }
}

function actWire(act: TicketAct): z.infer<typeof actSchema> {
  switch (act.op) {
    case 'send':
      return { o: act.op, x: act.text, d: act.draft };
    case 'use':
      return { o: act.op, x: act.text };
    case 'close':
      return { o: act.op, s: act.solved };
    default:
      return { o: act.op };
  }
}

/** The action a value names, or null when its fields do not fit it. */
function actOf(a: z.infer<typeof actSchema>): TicketAct | null {
  switch (a.o) {
    case 'send':
      return a.x !== undefined && a.d !== undefined && a.s === undefined ? { op: 'send', text: a.x, draft: a.d } : null;
    case 'use':
      return a.x !== undefined && a.d === undefined && a.s === undefined ? { op: 'use', text: a.x } : null;
    case 'close':
      return a.s !== undefined && a.x === undefined && a.d === undefined ? { op: 'close', solved: a.s as 1 | 2 } : null;
    default:
      return a.x === undefined && a.d === undefined && a.s === undefined ? { op: a.o } : null;
  }
}

function listWire(list: ListState): z.infer<typeof listSchema> {
  const names = Object.fromEntries(
    Object.entries(list.names)
      .slice(0, 10)
      .map(([k, v]) => [k, [...v].slice(0, 64).join('')]),
  );
  // Times travel as words; only a list from a version 1 value has ranges in its filter, and keeps them.
  const filter = list.filter;
  const words = {
    ...(list.times?.created ? { c: list.times.created } : {}),
    ...(list.times?.updated ? { u: list.times.updated } : {}),
    ...(list.times?.closed ? { d: list.times.closed } : {}),
  };
  return {
    f: filter,
    p: list.page,
    ...(Object.keys(names).length ? { n: names } : {}),
    ...(list.mine ? { m: 1 as const } : {}),
    ...(Object.keys(words).length ? { w: words } : {}),
    ...(list.unassigned ? { a: 1 as const } : {}),
    ...(list.scores && list.scores.length > 1 ? { r: list.scores } : {}),
    ...(list.anchor !== undefined ? { t: list.anchor } : {}),
  };
}

function listState(l: z.infer<typeof listSchema>): ListState {
  const times = { ...(l.w?.c ? { created: l.w.c } : {}), ...(l.w?.u ? { updated: l.w.u } : {}), ...(l.w?.d ? { closed: l.w.d } : {}) };
  return {
    filter: l.f as TicketFilter,
    page: l.p,
    names: l.n ?? {},
    ...(l.m ? { mine: true } : {}),
    ...(Object.keys(times).length ? { times } : {}),
    ...(l.a ? { unassigned: true } : {}),
    ...(l.r ? { scores: l.r } : {}),
    ...(l.t !== undefined ? { anchor: l.t } : {}),
  };
}

/** JSON with object keys sorted at every level, so the signature survives key reordering. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
