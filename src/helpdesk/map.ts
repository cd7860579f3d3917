// The API's ticket_v2 shape -> our Ticket. Defensive: any field may be missing, null, the wrong
// type, or (for times) -1 meaning "no value". Durations come in mixed units and leave here in ms.
import type { CustomField, LocalizedText, Message, Person, Tag, Ticket, TicketComment } from './types.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const text = (v: unknown): string | undefined => {
  if (typeof v === 'string') return v.trim() === '' ? undefined : v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
};
const num = (v: unknown): number | undefined => {
  const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
};
/** Epoch ms; the API uses -1 (and sometimes 0) for "never". */
const time = (v: unknown): number | undefined => {
  const n = num(v);
  return n !== undefined && n > 0 ? n : undefined;
};
const duration = (v: unknown, unitMs: number): number | undefined => {
  const n = num(v);
  return n !== undefined && n >= 0 ? Math.round(n * unitMs) : undefined;
};

const MINUTE = 60_000;
const SECOND = 1000;

export function toTicket(raw: unknown): Ticket | undefined {
  const t = obj(raw);
  const id = text(t?.ticket_id);
  if (!t || !id) return undefined;
  return prune({
    id,
    helpdeskId: text(t.helpdesk_id),
    status: num(t.status),
    type: num(t.ticket_type),
    channel: num(t.channel),
    solved: num(t.solve),
    score: num(t.score),
    dissatisfactionReason: localized(t.dissatisfaction_reason),
    guest: person(t.guest),
    agents: people(t.agents),
    agentOwner: person(t.agent_owner),
    collaborators: people(t.collaborators),
    closedBy: person(t.closed_by),
    createdAt: time(t.created_at),
    updatedAt: time(t.updated_at),
    closedAt: time(t.closed_at),
    agentEntryAt: time(t.agent_entry_time),
    agentFirstResponseAt: time(t.agent_first_response_time),
    agentLastResponseAt: time(t.agent_last_response_time),
    durations: prune({
      botService: duration(t.bot_service_duration, SECOND),
      agentFirstResponse: duration(t.agent_first_response_duration, SECOND),
      agentService: duration(t.agent_service_duration, MINUTE),
      agentResolution: duration(t.agent_resolution_time, SECOND),
      actualProcessing: duration(t.actual_processing_time, SECOND),
    }),
    tags: list(t.tags, tag),
    customFields: list(t.customized_fields, customField).sort((a, b) => (a.position ?? Infinity) - (b.position ?? Infinity)),
    comments: list(Array.isArray(t.comments) ? t.comments : [t.comments], comment),
  });
}

function person(v: unknown): Person | undefined {
  const p = obj(v);
  if (!p) return undefined;
  const out = prune({
    id: text(p.id),
    name: text(p.name),
    email: text(p.email),
    department: text(p.department),
    city: text(p.city),
    country: text(p.country),
  });
  return Object.keys(out).length > 0 ? out : undefined;
}

const people = (v: unknown): Person[] => list(v, person);

function tag(v: unknown): Tag | undefined {
  const t = obj(v);
  const name = text(t?.name);
  return name ? prune({ id: text(t?.id), name }) : undefined;
}

function customField(v: unknown): CustomField | undefined {
  const f = obj(v);
  const value = text(f?.value);
  const label = text(f?.display_name) ?? text(f?.key_name);
  if (!f || value === undefined || !label) return undefined;
  return prune({ id: text(f.id), key: text(f.key_name), label, value, position: num(f.position) });
}

function comment(v: unknown): TicketComment | undefined {
  const c = obj(v);
  const content = text(c?.content);
  return content ? prune({ content, createdAt: time(c?.created_at), authorName: text(c?.user_name) }) : undefined;
}

function localized(v: unknown): LocalizedText | undefined {
  const l = obj(v);
  if (!l) return undefined;
  const out = prune({ zh_cn: text(l.zh_cn), en_us: text(l.en_us), ja_jp: text(l.ja_jp) });
  return Object.keys(out).length > 0 ? out : undefined;
}

function list<T>(v: unknown, map: (item: unknown) => T | undefined): T[] {
  return (Array.isArray(v) ? v : []).map(map).filter((x): x is T => x !== undefined);
}

/** Drops undefined members so absent fields are absent, not present-and-undefined. */
function prune<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** A message's text is kept up to this many characters: cards show far less, and caches stay small. */
export const MAX_MESSAGE_CHARS = 600;

/**
 * The conversation API's ticket.message -> our Message. `content` is a JSON string such as
 * {"content":"…","msg_type":"text"}; rich text carries its text in post nodes, images an image_key.
 */
export function toMessage(raw: unknown): Message | undefined {
  const m = obj(raw);
  const id = text(m?.id) ?? text(m?.message_id);
  if (!m || !id) return undefined;
  const kind = text(m.message_type) ?? 'unknown';
  const body = parseContent(m.content);
  const words = kind === 'text' || kind === 'post' ? contentText(body) : undefined;
  const images = kind === 'image' ? 1 : kind === 'post' ? imageCount(body) : 0;
  return prune({
    id,
    kind,
    text: words ? clipChars(words, MAX_MESSAGE_CHARS) : undefined,
    images: images > 0 ? images : undefined,
    createdAt: time(m.created_at),
    authorName: text(m.user_name),
    authorId: text(m.user_id),
  });
}

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
