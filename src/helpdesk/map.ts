// The API's ticket_v2 shape -> our Ticket. Defensive: any field may be missing, null, the wrong
// type, or (for times) -1 meaning "no value". Durations come in mixed units and leave here in ms.
import type { CustomField, LocalizedText, Person, Tag, Ticket, TicketComment } from './types.js';

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
