// What the helpdesk APIs answer, read with zod (as the configuration is) into our Ticket and
// Message types. Two levels: an answer's envelope and shape ({code, msg, data: {tickets, total}})
// must be what the API documents, else the command is told "the helpdesk answered something the bot
// cannot read" (never a false "no tickets"); inside a ticket, any field may be missing, null, of the
// wrong type or out of range (a time a date cannot hold), and is then read as absent, which cards
// show as unknown. Times of -1 (and 0) mean "no value". Durations come in mixed units and leave
// here in ms. The field readers (`field`) are for every helpdesk call, present and to come.
import { z } from 'zod';
import type { CustomField, LocalizedText, Message, Person, Tag, Ticket, TicketComment } from './types.js';

/** The latest time a JavaScript Date can hold (±8.64e15 ms around 1970). */
const MAX_DATE_MS = 8.64e15;

/** A value read as absent when it is not what `schema` accepts. */
const lenient = <T extends z.ZodType>(schema: T) => schema.optional().catch(undefined);

/** A finite number, or a string that is one (the API sends some numbers as strings). */
const numeric = z.union([
  z.number(),
  z
    .string()
    .trim()
    .regex(/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/)
    .transform(Number),
]);

/** Readers for the fields of a helpdesk answer; each reads what is wrong as absent. */
export const field = {
  /** Text that says something (not blank); a number is read as its digits (ids, custom values). */
  text: lenient(z.union([z.string().regex(/\S/), z.number().finite().transform(String)])),
  num: lenient(numeric.pipe(z.number().finite())),
  /** Epoch ms a date can hold; -1 and 0 are "never". */
  time: lenient(numeric.pipe(z.number().gt(0).max(MAX_DATE_MS))),
  /** A duration in `unitMs` units, in whole ms; negative or beyond a date's range is absent. */
  duration: (unitMs: number) =>
    lenient(
      numeric
        .pipe(
          z
            .number()
            .min(0)
            .max(MAX_DATE_MS / unitMs),
        )
        .transform((n) => Math.round(n * unitMs)),
    ),
  /** The items that can be read; anything that is not a list is an empty one. */
  list: <T>(item: z.ZodType<T | undefined>) =>
    z
      .array(z.unknown())
      .catch([])
      .transform((items) => items.map((i) => item.parse(i)).filter((x): x is T => x !== undefined)),
};

/** Drops undefined members so absent fields are absent, not present-and-undefined. */
function prune<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
/** An object of lenient fields, pruned, and absent when nothing in it was readable. */
const some = <T extends object>(o: T): T | undefined => {
  const out = prune(o);
  return Object.keys(out).length > 0 ? out : undefined;
};
const record = <S extends z.ZodRawShape>(shape: S) => lenient(z.looseObject(shape));

const person = record({ id: field.text, name: field.text, email: field.text, department: field.text, city: field.text, country: field.text }).transform(
  (p): Person | undefined => p && some({ id: p.id, name: p.name, email: p.email, department: p.department, city: p.city, country: p.country }),
);
const tag = record({ id: field.text, name: field.text }).transform((t): Tag | undefined => (t?.name ? prune({ id: t.id, name: t.name }) : undefined));
const customField = record({ id: field.text, value: field.text, key_name: field.text, display_name: field.text, position: field.num }).transform((f): CustomField | undefined => {
  const label = f?.display_name ?? f?.key_name;
  return f?.value !== undefined && label ? prune({ id: f.id, key: f.key_name, label, value: f.value, position: f.position }) : undefined;
});
const comment = record({ content: field.text, created_at: field.time, user_name: field.text }).transform((c): TicketComment | undefined =>
  c?.content ? prune({ content: c.content, createdAt: c.created_at, authorName: c.user_name }) : undefined,
);
const localized = record({ zh_cn: field.text, en_us: field.text, ja_jp: field.text }).transform((l): LocalizedText | undefined => l && some({ zh_cn: l.zh_cn, en_us: l.en_us, ja_jp: l.ja_jp }));

const MINUTE = 60_000;
const SECOND = 1000;

/** ticket_v2: a ticket needs its id; every other field is read as well as it can be. */
export const ticketSchema = z
  .looseObject({
    ticket_id: z.union([z.string().regex(/\S/), z.number().finite().transform(String)]),
    helpdesk_id: field.text,
    status: field.num,
    ticket_type: field.num,
    channel: field.num,
    solve: field.num,
    score: field.num,
    dissatisfaction_reason: localized,
    guest: person,
    agents: field.list(person),
    agent_owner: person,
    collaborators: field.list(person),
    closed_by: person,
    created_at: field.time,
    updated_at: field.time,
    closed_at: field.time,
    agent_entry_time: field.time,
    agent_first_response_time: field.time,
    agent_last_response_time: field.time,
    bot_service_duration: field.duration(SECOND),
    agent_first_response_duration: field.duration(SECOND),
    agent_service_duration: field.duration(MINUTE),
    agent_resolution_time: field.duration(SECOND),
    actual_processing_time: field.duration(SECOND),
    tags: field.list(tag),
    customized_fields: field.list(customField),
    // Documented as one object; read as a list of them too.
    comments: lenient(z.unknown()).transform((v) => field.list(comment).parse(Array.isArray(v) ? v : [v])),
  })
  .transform(
    (t): Ticket =>
      prune({
        id: t.ticket_id,
        helpdeskId: t.helpdesk_id,
        status: t.status,
        type: t.ticket_type,
        channel: t.channel,
        solved: t.solve,
        score: t.score,
        dissatisfactionReason: t.dissatisfaction_reason,
        guest: t.guest,
        agents: t.agents,
        agentOwner: t.agent_owner,
        collaborators: t.collaborators,
        closedBy: t.closed_by,
        createdAt: t.created_at,
        updatedAt: t.updated_at,
        closedAt: t.closed_at,
        agentEntryAt: t.agent_entry_time,
        agentFirstResponseAt: t.agent_first_response_time,
        agentLastResponseAt: t.agent_last_response_time,
        durations: prune({
          botService: t.bot_service_duration,
          agentFirstResponse: t.agent_first_response_duration,
          agentService: t.agent_service_duration,
          agentResolution: t.agent_resolution_time,
          actualProcessing: t.actual_processing_time,
        }),
        tags: t.tags,
        customFields: t.customized_fields.sort((a, b) => (a.position ?? Infinity) - (b.position ?? Infinity)),
        comments: t.comments,
      }),
  );

/**
 * Every helpdesk API answers `{code, msg, data}`: the code a number (0 for success), data an
 * object. Reads `data` with `shape`; says what is not as documented, by path and expectation
 * (never the values, which may be a customer's words).
 */
export function readAnswer<T>(body: unknown, shape: z.ZodType<T>): Answer<T> {
  const envelope = z.looseObject({ code: z.number().int(), msg: lenient(z.string()), data: z.unknown().optional() }).safeParse(body);
  if (!envelope.success) return { kind: 'unreadable', problem: describe(envelope.error) };
  const { code, msg, data } = envelope.data;
  if (code !== 0) return { kind: 'refused', code, msg: msg ?? '' };
  const read = shape.safeParse(data);
  return read.success ? { kind: 'data', data: read.data } : { kind: 'unreadable', problem: describe(read.error, 'data') };
}

export type Answer<T> = { kind: 'data'; data: T } | { kind: 'refused'; code: number; msg: string } | { kind: 'unreadable'; problem: string };

function describe(error: z.ZodError, under?: string): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${[under, ...i.path.map(String)].filter(Boolean).join('.') || 'the body'}: ${i.message}`)
    .join('; ');
}

/** The most a count can be (a total of 1e300 is not a count). */
const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** ticket get: `data.ticket`, a ticket. */
export const ticketAnswer = z.object({ ticket: ticketSchema });
/**
 * ticket list: `data.tickets` and `data.total`, either of which may be left out when there are
 * none; every item a ticket. One that is not makes the answer unreadable: a list shown without it
 * would say something untrue (a false "no tickets", a wrong count).
 */
export const ticketListAnswer = z.object({ total: count.optional(), tickets: z.array(ticketSchema).optional() }).transform((d) => ({ total: d.total ?? d.tickets?.length ?? 0, tickets: d.tickets ?? [] }));

/** A ticket as our Ticket, or undefined for what is not one (no object, no id). */
export function toTicket(raw: unknown): Ticket | undefined {
  return ticketSchema.safeParse(raw).data;
}

/** A message's text is kept up to this many characters: cards show far less, and caches stay small. */
export const MAX_MESSAGE_CHARS = 600;

/**
 * The conversation API's ticket.message -> our Message: a message needs its id. `content` is a
 * JSON string such as {"content":"…","msg_type":"text"}; rich text carries its text in post nodes,
 * images an image_key.
 */
export const messageSchema = z
  .looseObject({ id: field.text, message_id: field.text, message_type: field.text, content: lenient(z.unknown()), created_at: field.time, user_name: field.text, user_id: field.text })
  .refine((m) => m.id !== undefined || m.message_id !== undefined, 'a message has an id')
  .transform((m): Message => {
    const kind = m.message_type ?? 'unknown';
    const body = parseContent(m.content);
    const words = kind === 'text' || kind === 'post' ? contentText(body) : undefined;
    const images = kind === 'image' ? 1 : kind === 'post' ? imageCount(body) : 0;
    return prune({
      id: (m.id ?? m.message_id)!,
      kind,
      text: words ? clipChars(words, MAX_MESSAGE_CHARS) : undefined,
      images: images > 0 ? images : undefined,
      createdAt: m.created_at,
      authorName: m.user_name,
      authorId: m.user_id,
    });
  });

/** A ticket's messages: `data.messages` and `data.total`, as the ticket list. */
export const messageListAnswer = z.object({ total: count.optional(), messages: z.array(messageSchema).optional() }).transform((d) => ({ total: d.total ?? d.messages?.length ?? 0, messages: d.messages ?? [] }));

/**
 * agent schedules: `data.agent_schedules`, each naming its agent; those without an id and a name
 * are of no use to find people by name, and are left out.
 */
export const agentScheduleAnswer = z
  .object({ agent_schedules: field.list(lenient(z.looseObject({ agent: z.looseObject({ id: field.text, name: field.text }) }))).optional() })
  .transform((d) => (d.agent_schedules ?? []).flatMap((s) => (s.agent.id && s.agent.name ? [{ id: s.agent.id, name: s.agent.name }] : [])));

/** A message as our Message, or undefined for what is not one. */
export function toMessage(raw: unknown): Message | undefined {
  return messageSchema.safeParse(raw).data;
}

const text = (v: unknown): string | undefined => field.text.parse(v);
const obj = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);

function parseContent(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return v; // not JSON: the text itself
  }
}

/** Text of a content value: a string, {content: …}, or a post's paragraphs of {tag:"text"} nodes. */
function contentText(v: unknown, depth = 0): string | undefined {
  if (depth > 6) return undefined;
  if (typeof v === 'string') {
    const inner = v.trim().startsWith('{') || v.trim().startsWith('[') ? parseContent(v) : v;
    return inner === v ? text(v) : contentText(inner, depth + 1);
  }
  if (Array.isArray(v)) {
    const parts = v.map((item) => contentText(item, depth + 1)).filter((x): x is string => x !== undefined);
    // A post is a list of paragraphs, each a list of nodes: nodes join, paragraphs break lines.
    return parts.length ? parts.join(v.every(Array.isArray) ? '\n' : '') : undefined;
  }
  const o = obj(v);
  if (!o) return undefined;
  if (o.tag === 'text' || o.tag === 'a' || o.tag === 'md') return text(o.text);
  if (o.tag === 'at') return text(o.user_name) ? `@${String(o.user_name)}` : undefined;
  if (o.tag !== undefined) return undefined; // images, emotions, media: not words
  const title = text(o.title);
  const inner = contentText(o.content ?? o.zh_cn ?? o.en_us ?? o.text, depth + 1);
  return [title, inner].filter(Boolean).join('\n') || undefined;
}

function imageCount(v: unknown): number {
  const keys = obj(v)?.image_keys;
  if (Array.isArray(keys)) return keys.length;
  const json = typeof v === 'string' ? v : JSON.stringify(v ?? '');
  return (json.match(/"tag":"img"/g) ?? []).length;
}

const clipChars = (s: string, max: number) => {
  const chars = [...s];
  return chars.length <= max ? s : chars.slice(0, max).join('');
};
