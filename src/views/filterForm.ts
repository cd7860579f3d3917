// The filter form behind `/tickets` alone and a list's Filter button: what it holds (a draft of
// filters), a draft from a list (so Filter opens the form filled in), and the submission read back
// into the words `/tickets` would be typed with, which the parser then reads like typed words. So
// a submission gives exactly the list the typed command gives, with the same error cards; its
// form_value is untrusted input, and everything in it is checked before it becomes a word.
import { FIELDS, OWNER_ME, OWNER_NONE, TIME_FIELDS, type FormDraft } from '../cards/filterForm.js';
import type { Problem } from '../commands/problems.js';
import { readTimeWords } from '../commands/filters/time.js';
import type { TicketFilter } from '../helpdesk/types.js';
import { listWords, quoteValue, STATUS_WORD, timeMarker } from './listWords.js';
import type { ListState } from './view.js';

/**
 * What a list's Filter keeps that the form has no field for (carried, signed, by its submit button):
 * filters such as a channel, a score range, and other times (the form has one).
 */
export type Kept = ListState;

const OPEN_ID = /^ou_[0-9a-z]{1,64}$/;
const DAY = /^(\d{4}-\d{2}-\d{2})(?:\s+[+-]\d{4})?$/;

/** The form filled in with a list's filters, and what it keeps that it has no field for. */
export function draftOf(list: ListState | undefined): { draft: FormDraft; keep?: Kept } {
  const f = list?.filter ?? {};
  const times = list?.times ?? {};
  // The form shows one time, the first there is; the others are kept.
  const field = TIME_FIELDS.find((t) => times[t] !== undefined) ?? 'created';
  const words = times[field];
  const range = words?.match(/^(\d{4}-\d{2}-\d{2})(?:\.\.(\d{4}-\d{2}-\d{2}))?$/);
  const owner = list?.mine ? OWNER_ME : list?.unassigned ? OWNER_NONE : f.agentId;
  const draft: FormDraft = {
    statuses: f.statuses ?? [],
    ...(owner ? { owner } : {}),
    tags: f.tags ?? [],
    timeField: field,
    ...(range ? { time: 'range', from: range[1]!, to: range[2] ?? range[1]! } : words ? { time: words } : {}),
    ...(f.guestName !== undefined ? { guest: f.guestName } : {}),
    ...(f.score !== undefined ? { score: f.score } : {}),
  };
  const filter: TicketFilter = Object.fromEntries(
    Object.entries({ type: f.type, channel: f.channel, solved: f.solved, closedById: f.closedById, guestId: f.guestId, ticketId: f.ticketId }).filter(([, v]) => v !== undefined),
  );
  const { [field]: _shown, ...others } = times;
  const keep: Kept = { filter, page: 1, names: {}, ...(Object.keys(others).length ? { times: others } : {}), ...(list?.scores ? { scores: list.scores } : {}) };
  return { draft, ...(Object.keys(filter).length || keep.times || keep.scores ? { keep } : {}) };
}

/** Examples on the error card of a submission the words cannot take. */
const EXAMPLES = ['open today', 'open tag VIP 7d', '未关闭 今天', '标签 报销 近7天'];

const bad = (field: string, value: unknown, expected: string): { problem: Problem } => ({
  problem: { kind: 'filter', error: { kind: 'bad-value', word: field, value: typeof value === 'string' ? value.slice(0, 60) : JSON.stringify(value ?? null).slice(0, 60), expected }, examples: EXAMPLES },
});

/** One value of form_value: strings for inputs and selects, arrays of strings for multi-selects; "" and absent are none. */
const one = (value: unknown): string | undefined | null => (value === undefined || value === null || value === '' ? undefined : typeof value === 'string' ? value.trim() : null);
const many = (value: unknown): string[] | null =>
  value === undefined || value === null || value === '' ? [] : Array.isArray(value) && value.every((v) => typeof v === 'string') ? value : typeof value === 'string' ? [value] : null;

/** A submission's form_value, checked field by field, as a draft (or the problem with the first bad field). */
export function readForm(formValue: unknown): { draft: FormDraft } | { problem: Problem } {
  const form = formValue && typeof formValue === 'object' && !Array.isArray(formValue) ? (formValue as Record<string, unknown>) : {};
  const statuses = many(form[FIELDS.statuses]);
  if (statuses === null || statuses.some((s) => !STATUS_WORD.has(Number(s)))) return bad(FIELDS.statuses, form[FIELDS.statuses], 'statuses from the list');
  const tags = many(form[FIELDS.tags]);
  if (tags === null) return bad(FIELDS.tags, form[FIELDS.tags], 'tags from the list');
  const [owner, timeField, time, from, to, guest, score] = (['owner', 'timeField', 'time', 'from', 'to', 'guest', 'score'] as const).map((k) => one(form[FIELDS[k]]));
  for (const [name, v] of [
    ['owner', owner],
    ['timeField', timeField],
    ['time', time],
    ['from', from],
    ['to', to],
    ['guest', guest],
    ['score', score],
  ] as const) {
    if (v === null) return bad(FIELDS[name], form[FIELDS[name]], 'one value');
  }
  // One word each: nothing in a value may become a filter of its own.
  if (owner !== undefined && owner !== OWNER_ME && owner !== OWNER_NONE && !OPEN_ID.test(owner!)) return bad(FIELDS.owner, owner, 'an agent from the list');
  if (timeField !== undefined && !(TIME_FIELDS as readonly string[]).includes(timeField!)) return bad(FIELDS.timeField, timeField, 'created, updated or closed');
  if (time !== undefined && time !== 'range' && !readTimeWords(time!)) return bad(FIELDS.time, time, 'a time from the list');
  if (score !== undefined && !['1', '2', '3'].includes(score!)) return bad(FIELDS.score, score, '1, 2 or 3');
  const day = (v: string | undefined | null) => (v ? (DAY.exec(v)?.[1] ?? null) : undefined);
  const [fromDay, toDay] = [day(from), day(to)];
  if (fromDay === null) return bad(FIELDS.from, from, 'a date such as 2026-11-20');
  if (toDay === null) return bad(FIELDS.to, to, 'a date such as 2026-11-20');
  return {
    draft: {
      statuses: [...new Set(statuses.map(Number))].sort((a, b) => a - b),
      ...(owner ? { owner } : {}),
      tags: [...new Set(tags.map((t) => t.trim()).filter((t) => t !== ''))],
      timeField: (timeField as FormDraft['timeField'] | undefined) ?? 'created',
      ...(time ? { time } : {}),
      ...(fromDay ? { from: fromDay } : {}),
      ...(toDay ? { to: toDay } : {}),
      ...(guest ? { guest } : {}),
      ...(score ? { score: Number(score) } : {}),
    },
  };
}

/**
 * The `/tickets` words of a draft and what it keeps: each field's words, which the parser then
 * reads (and checks) as typed. A date range needs both dates; a value no word can hold says which.
 */
export function formWords(draft: FormDraft, keep?: Kept): { words: string } | { problem: Problem } {
  const words: string[] = draft.statuses.map((s) => STATUS_WORD.get(s)!);
  const marker = timeMarker(draft.timeField, draft.statuses);
  if (draft.time === 'range') {
    if (!draft.from || !draft.to)
      return { problem: { kind: 'filter', error: { kind: 'missing-value', word: draft.from ? FIELDS.to : FIELDS.from, expected: 'a real date such as 2026-11-20' }, examples: EXAMPLES } };
    words.push(...marker, draft.from === draft.to ? draft.from : `${draft.from}..${draft.to}`);
  } else if (draft.time) words.push(...marker, draft.time);
  if (draft.owner === OWNER_ME) words.push('mine');
  else if (draft.owner === OWNER_NONE) words.push('unassigned');
  else if (draft.owner) words.push('agent', draft.owner);
  for (const tag of draft.tags) {
    const quoted = quoteValue(tag);
    if (quoted === undefined) return bad(FIELDS.tags, tag, 'a tag without both kinds of quote mark');
    words.push('tag', quoted);
  }
  if (draft.guest !== undefined) {
    const quoted = quoteValue(draft.guest, true);
    if (quoted === undefined) return bad(FIELDS.guest, draft.guest, 'a name without both kinds of quote mark');
    words.push('guest', quoted);
  }
  if (draft.score !== undefined) words.push('score', String(draft.score));
  const kept = keep && listWords(keep);
  if (kept) words.push(kept);
  return { words: words.join(' ') };
}
