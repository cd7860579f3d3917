// The `/tickets` filter language: argument text -> TicketQuery. Pure and total: every input gives a
// ParseResult, never an exception, and the work is bounded by MAX_INPUT_CHARS/MAX_TOKENS.
//
// Reading goes word by word. At each position the longest match of up to four tokens wins
// (`closed by bot`, `last 7 days`, `waiting on the customer`); a keyword then takes what follows as
// its value; a tag the helpdesk uses stands for itself (`vip`); a glued Chinese token is split and
// re-read; anything else is an unknown word, noted and skipped, so that every one is named at the
// end with its nearest known word and, when each has one, the corrected query. Time expressions
// are collected and bound to their created/updated/closed markers at the end (see bindTimes).

import type { TicketFilter } from '../../helpdesk/types.js';
import { editDistance } from '../distance.js';
import { findPeople, findTag, fold, nearestPeople, nearestTag } from './known.js';
import { COUNT_SRC } from './numbers.js';
import { segment } from './segment.js';
import { suggestWord } from './suggest.js';
import { matchTime, resolveTime, timeWords, type TimeMatch, type TimeRange, type TimeSpec } from './time.js';
import { tokenize, type Token } from './tokenizer.js';
import type { FilterContext, FilterError, Fix, Known, KnownPerson, ParseResult, TicketQuery, UnknownWord } from './types.js';
import { EXPECTED, looksLikePerson, readChannel, readGuest, readPage, readPerson, readScore, readTicketId, readText, type PersonContext, type ValueResult } from './values.js';
import { channelHint, CLOSED_STATUSES, hasHan, lookupKey, lookupWord, OPEN_STATUSES, type Keyword, type TimeField, type VocabularyEntry } from './vocabulary.js';

export const MAX_INPUT_CHARS = 1000;
export const MAX_TOKENS = 60;
/** Longest phrase, in tokens: `closed by agent`, `last 7 days`, `waiting on the customer`. */
const MAX_PHRASE = 4;
/** Longest name typed without quotes (`guest james wilson`), in tokens. */
const MAX_NAME_WORDS = 4;
/** A name that several people have offers a button for each of the first few. */
const MAX_CHOICES = 5;
/** User text echoed in errors is cut to this many characters, to keep error cards small. */
const MAX_ECHO = 60;
const PAGE = new RegExp(`^第\\s*(${COUNT_SRC})\\s*页$`);

type SingleField = 'agentId' | 'closedById' | 'guest' | 'type' | 'channel' | 'solved' | 'score' | 'ticketId' | 'page';

const CONFLICT_DETAIL: Readonly<Record<SingleField | TimeField, string>> = {
  agentId: 'two different agents',
  closedById: 'two different closers',
  guest: 'two different guests',
  type: 'bot and human',
  channel: 'two different channels',
  solved: 'solved and unsolved',
  score: 'two different scores',
  ticketId: 'two different ticket ids',
  page: 'two different pages',
  created: 'two different creation times',
  updated: 'two different update times',
  closed: 'two different closing times',
};

interface TimeItem {
  kind: 'time';
  range: TimeRange;
  spec: TimeSpec;
  word: string;
}
interface MarkerItem {
  kind: 'marker';
  field: TimeField;
  word: string;
  /** The word is a status too (`closed`): it says which time only of a time right after it. */
  soft?: boolean;
}
type TimelineItem = TimeItem | MarkerItem;

/** Everything read so far. Single-valued fields refuse a second, different value. */
class Draft {
  readonly statuses = new Set<number>();
  readonly tags = new Set<string>();
  readonly names: Record<string, string> = {};
  readonly single = new Map<SingleField, string | number>();
  readonly timeline: TimelineItem[] = [];
  /** Words not understood, with the tokens they cover and what to put there instead. */
  readonly unknown: (UnknownWord & Edit)[] = [];
  unassigned = false;

  set(field: SingleField, value: string | number, word: string): FilterError | undefined {
    const old = this.single.get(field);
    if (old !== undefined && old !== value) return { kind: 'conflict', word: echo(word), detail: CONFLICT_DETAIL[field] };
    this.single.set(field, value);
    return undefined;
  }

  num(field: SingleField): number | undefined {
    const v = this.single.get(field);
    return typeof v === 'number' ? v : undefined;
  }

  str(field: SingleField): string | undefined {
    const v = this.single.get(field);
    return typeof v === 'string' ? v : undefined;
  }
}

/** Tokens [from, to) of the query replaced by `text` (undefined: no replacement known). */
interface Edit {
  from: number;
  to: number;
  text?: string;
}

/**
 * What reading one position did: consumed tokens, replaced a glued token by its pieces, failed, or
 * met a word it does not know (skipped; `text` is what the corrected query has instead).
 */
type Step = { consumed: number } | { replace: Token[] } | { error: FilterError } | { unknown: UnknownWord; consumed: number; text?: string };

interface Clock {
  now: number;
  zone: string;
}

/** What reading needs: the tokens, what was read so far, and the context. */
interface Reading {
  queue: Token[];
  draft: Draft;
  people: PersonContext;
  clock: Clock;
  known: Known | undefined;
  ctx: FilterContext;
  /** Corrected queries are offered (not when checking one). */
  fixes: boolean;
}

export function parseTicketQuery(args: string, ctx: FilterContext): ParseResult {
  return parse(args, ctx, true);
}

function parse(args: string, ctx: FilterContext, fixes: boolean): ParseResult {
  const text = typeof args === 'string' ? args : '';
  if (text.length > MAX_INPUT_CHARS) return fail({ kind: 'too-long', unit: 'characters', limit: MAX_INPUT_CHARS, word: 'query' });
  const tokenized = tokenize(text, MAX_TOKENS);
  if (!tokenized.ok) return fail({ kind: 'too-long', unit: 'words', limit: MAX_TOKENS, word: 'query' });

  const r: Reading = {
    queue: tokenized.tokens,
    draft: new Draft(),
    people: {
      askerOpenId: typeof ctx?.askerOpenId === 'string' ? ctx.askerOpenId : '',
      mentions: Array.isArray(ctx?.mentions) ? ctx.mentions : [],
    },
    // Guarded because luxon throws on a non-number clock; a bad zone just makes times invalid.
    clock: { now: typeof ctx?.now === 'number' ? ctx.now : Number.NaN, zone: typeof ctx?.timezone === 'string' ? ctx.timezone : '' },
    known: ctx?.known,
    ctx,
    fixes,
  };

  let i = 0;
  while (i < r.queue.length) {
    const step = readAt(r, i);
    if ('error' in step) return fail(step.error);
    if ('replace' in step) {
      r.queue.splice(i, 1, ...step.replace);
      continue;
    }
    if ('unknown' in step) r.draft.unknown.push({ ...step.unknown, from: i, to: i + step.consumed, ...(step.text !== undefined ? { text: step.text } : {}) });
    i += step.consumed;
  }
  if (r.draft.unknown.length > 0) return fail(unknownWords(r));

  const times = bindTimes(r.draft.timeline);
  if ('error' in times) return fail(times.error);
  if (times.statusNew) r.draft.statuses.add(1);
  const query = build(r.draft, times.ranges);
  return 'error' in query ? fail(query.error) : { ok: true, query };
}

function readAt(r: Reading, i: number): Step {
  const { queue, draft } = r;
  const token = queue[i] as Token;
  if (token.unterminated) return badValue(token.raw, token.raw, EXPECTED.closingQuote);
  if (token.mention) return unknown(token.raw, `agent ${token.raw}`);
  if (token.quoted) {
    const tag = findTag(r.known, token.raw);
    if (tag !== undefined) return addTag(draft, tag, 1);
    return unknown(token.raw, suggestWord(token.norm));
  }

  for (let k = plainRun(queue, i); k >= 1; k -= 1) {
    const group = queue.slice(i, i + k);
    const word = group.map((t) => t.raw).join(' ');
    const entry = lookupWord(lookupKey(group.map((t) => t.norm).join('')));
    if (entry) return applyEntry(entry, word, r, i, k);

    const spaced = group.map((t) => t.norm).join(' ');
    const time = matchTime(spaced);
    if (time) return applyTime(time, word, r, k);

    const page = PAGE.exec(spaced);
    if (page) {
      const n = readPage(page[1] ?? '');
      if (!n.ok) return badValue(word, word, n.expected);
      return done(draft.set('page', n.value, word), k);
    }

    const tag = findTag(r.known, word);
    if (tag !== undefined) return addTag(draft, tag, k);
  }

  // An agent's whole name alone: the query means them, with `agent` before it.
  const [named] = findPeople(r.known, token.raw, { whole: true });
  if (named) return unknown(token.raw, `${hasHan(token.raw) ? '客服' : 'agent'} ${personWords(r.known, named)}`);
  if (!token.segmented && hasHan(token.raw)) {
    const pieces = segment(token, r.known?.tags.filter(hasHan) ?? []);
    if (pieces.ok) return { replace: pieces.tokens };
    const head = token.raw.slice(0, pieces.reached);
    const rest = token.raw.slice(pieces.reached);
    // `标签紧急`: a keyword glued to a Chinese value; the value needs a space before it.
    if (pieces.afterKeyword) return unknown(token.raw, `${head} ${rest}`);
    const suggestion = nearestWord(r, rest);
    return unknown(rest, suggestion, 1, suggestion !== undefined && head !== '' ? `${head} ${suggestion}` : suggestion);
  }
  return unknownToken(r, i);
}

/** How many tokens from i on may form a phrase: plain words only, never quotes or mentions. */
function plainRun(queue: readonly Token[], i: number, max = MAX_PHRASE): number {
  let k = 0;
  while (k < max && i + k < queue.length) {
    const t = queue[i + k] as Token;
    if (t.quoted || t.mention || lookupKey(t.norm) === '') break;
    k += 1;
  }
  return k;
}

/** Whether a word, time, page or tag in use starts at token i (where a name typed without quotes ends). */
function startsPhrase(r: Reading, i: number): boolean {
  for (let k = plainRun(r.queue, i); k >= 1; k -= 1) {
    const group = r.queue.slice(i, i + k);
    const spaced = group.map((t) => t.norm).join(' ');
    if (lookupWord(lookupKey(group.map((t) => t.norm).join(''))) || matchTime(spaced) || PAGE.test(spaced) || findTag(r.known, joinRaw(r.queue, i, k)) !== undefined) return true;
  }
  // Glued Chinese made of words of the language (`评分1`, `未关闭今天`).
  const token = r.queue[i] as Token;
  return hasHan(token.raw) && segment(token, r.known?.tags.filter(hasHan) ?? []).ok;
}

function addTag(draft: Draft, tag: string, consumed: number): Step {
  draft.tags.add(tag);
  return { consumed };
}

function applyEntry(entry: VocabularyEntry, word: string, r: Reading, i: number, k: number): Step {
  const { draft, queue } = r;
  const m = entry.meaning;
  switch (m.kind) {
    case 'status': {
      // `closed by agent @x` means "closed by this agent", not status 51 plus a stray mention.
      const following = queue[i + k];
      if (m.statuses.length === 1 && m.statuses[0] === 51 && following && looksLikePerson(following)) {
        return applyKeyword('closedBy', word, r, i + k, k);
      }
      for (const s of m.statuses) draft.statuses.add(s);
      // `closed yesterday`: closed then, not created then.
      if (m.statuses.every((s) => s >= 50)) draft.timeline.push({ kind: 'marker', field: 'closed', word, soft: true });
      return { consumed: k };
    }
    case 'period':
      return applyTime({ ok: true, spec: { kind: 'period', period: m.period } }, word, r, k);
    case 'marker':
      draft.timeline.push({ kind: 'marker', field: m.field, word });
      return { consumed: k };
    case 'solved':
      return done(draft.set('solved', m.value, word), k);
    case 'score':
      return done(draft.set('score', String(m.value), word), k);
    case 'type':
      return done(draft.set('type', m.value, word), k);
    case 'mine':
      if (!r.people.askerOpenId) return badValue(word, '', 'a known asker');
      return done(draft.set('agentId', r.people.askerOpenId, word), k);
    case 'unassigned':
      draft.unassigned = true;
      return { consumed: k };
    case 'keyword':
      if (!queue[i + k]) return { error: { kind: 'missing-value', word: echo(word), expected: expectedFor(m.keyword) } };
      return applyKeyword(m.keyword, word, r, i + k, k);
  }
}

function expectedFor(keyword: Keyword): string {
  switch (keyword) {
    case 'agent':
    case 'closedBy':
      return EXPECTED.person;
    case 'guest':
      return EXPECTED.guest;
    case 'channel':
      return EXPECTED.channel;
    case 'tag':
      return EXPECTED.tag;
    case 'id':
      return EXPECTED.id;
    case 'page':
      return EXPECTED.page;
    case 'score':
      return EXPECTED.score;
  }
}

/** Reads the keyword's value from token `at` on; the step consumes the keyword's k tokens and the value's. */
function applyKeyword(keyword: Keyword, word: string, r: Reading, at: number, k: number): Step {
  const { draft } = r;
  const value = r.queue[at] as Token;
  if (value.unterminated) return badValue(word, value.raw, EXPECTED.closingQuote);
  const check = <T>(res: ValueResult<T>, use: (v: T) => FilterError | undefined, n = 1): Step => (res.ok ? done(use(res.value), k + n) : badValue(word, value.raw, res.expected));

  switch (keyword) {
    case 'agent':
    case 'closedBy': {
      const field = keyword === 'agent' ? 'agentId' : 'closedById';
      if (looksLikePerson(value)) {
        return check(readPerson(value, r.people), (p) => {
          if (p.name !== undefined) draft.names[p.id] = p.name;
          return draft.set(field, p.id, word);
        });
      }
      return applyName(field, word, r, at, k);
    }
    case 'guest': {
      // One guest slot holding either a name or an id, so `guest Zhang guest @x` is a conflict.
      if (looksLikePerson(value) || value.quoted) {
        return check(readGuest(value, r.people), (g) => {
          if (g.kind === 'name') return draft.set('guest', `name:${g.name}`, word);
          if (g.person.name !== undefined) draft.names[g.person.id] = g.person.name;
          return draft.set('guest', `id:${g.person.id}`, word);
        });
      }
      // Unquoted, a name runs on until a word of the language: `guest james wilson open`.
      let n = 1;
      while (n < Math.min(MAX_NAME_WORDS, plainRun(r.queue, at, MAX_NAME_WORDS)) && !startsPhrase(r, at + n)) n += 1;
      const name = r.queue
        .slice(at, at + n)
        .map((t) => t.raw)
        .join(' ');
      return check(readText({ ...value, raw: name }, EXPECTED.guest), (g) => draft.set('guest', `name:${g}`, word), n);
    }
    case 'channel':
      return check(readChannel(value), (c) => draft.set('channel', c, word));
    case 'tag':
      return applyTagValue(word, r, at, k);
    case 'id':
      return check(readTicketId(value), (id) => draft.set('ticketId', id, word));
    case 'page':
      return check(readPage(value.norm), (n) => draft.set('page', n, word));
    case 'score':
      return check(readScore(value), (scores) => draft.set('score', scores.join(','), word));
  }
}

/**
 * `tag X`: the helpdesk's spelling of X in any case or width (of up to four words); a tag it does
 * not use is refused, naming those it does, unless quoted (`tag "X"` is searched as typed), the
 * tags in use are not known, or new tags are welcome (FilterContext.newTags).
 */
function applyTagValue(word: string, r: Reading, at: number, k: number): Step {
  const value = r.queue[at] as Token;
  for (let n = value.quoted ? 1 : plainRun(r.queue, at); n >= 1; n -= 1) {
    const typed = r.queue
      .slice(at, at + n)
      .map((t) => t.raw)
      .join(' ');
    const tag = findTag(r.known, typed);
    if (tag !== undefined) return addTag(r.draft, tag, k + n);
  }
  const typed = readText(value, EXPECTED.tag);
  if (!typed.ok) return badValue(word, value.raw, typed.expected);
  const inUse = r.known?.tags ?? [];
  if (value.quoted || value.mention || inUse.length === 0 || r.ctx?.newTags === true) return addTag(r.draft, typed.value, k + 1);
  const near = nearestTag(r.known, typed.value);
  const fix = near !== undefined ? fixWith(r, { from: at, to: at + 1, text: quoteIfNeeded(near) }, near) : undefined;
  return { error: { kind: 'unknown-tag', tag: echo(typed.value), inUse: [...inUse], ...(fix ? { fix } : {}) } };
}

/**
 * An agent or closer by name, from the people the helpdesk has (`agent 王磊`, `owner Emily Zhang`,
 * `owner emily`): a whole name of up to four words first, then the people with a word of their name
 * starting with it. Several: which one? None: who is nearest.
 */
function applyName(field: 'agentId' | 'closedById', word: string, r: Reading, at: number, k: number): Step {
  const value = r.queue[at] as Token;
  let n = 1;
  let people: KnownPerson[] = [];
  for (let tries = value.quoted ? 1 : plainRun(r.queue, at, MAX_NAME_WORDS); tries >= 2 && people.length === 0; tries -= 1) {
    people = findPeople(r.known, joinRaw(r.queue, at, tries), { whole: true });
    n = tries;
  }
  if (people.length === 0) {
    n = 1;
    people = findPeople(r.known, value.raw, { whole: value.quoted });
  }
  const typed = echo(joinRaw(r.queue, at, n));
  const edit = (p: KnownPerson): Edit => ({ from: at, to: at + n, text: personWords(r.known, p) });
  const unique = new Map(people.map((p) => [p.id, p]));
  if (unique.size === 1) {
    const [person] = [...unique.values()] as [KnownPerson];
    r.draft.names[person.id] = person.name;
    return done(r.draft.set(field, person.id, word), k + n);
  }
  // Several, or (nobody has it) those of the nearest names: a query for each.
  const choose = (people: KnownPerson[]) => {
    const shown = [...people].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : 1)).slice(0, MAX_CHOICES);
    return shown.map((p) => fixWith(r, edit(p), shown.filter((q) => q.name === p.name).length > 1 ? `${p.name} (${p.id.slice(-6)})` : p.name)).filter((f): f is Fix => f !== undefined);
  };
  if (unique.size > 1) return { error: { kind: 'which-person', word: echo(word), value: typed, choices: choose([...unique.values()]) } };
  return { error: { kind: 'unknown-person', word: echo(word), value: typed, choices: choose(nearestPeople(r.known, joinRaw(r.queue, at, n))) } };
}

const joinRaw = (queue: readonly Token[], at: number, n: number) =>
  queue
    .slice(at, at + n)
    .map((t) => t.raw)
    .join(' ');

/** How a corrected query names a person: by name when only they have it, else by open_id. */
function personWords(known: Known | undefined, p: KnownPerson): string {
  return findPeople(known, p.name, { whole: true }).length === 1 ? quoteIfNeeded(p.name) : p.id;
}

function applyTime(match: NonNullable<TimeMatch>, word: string, r: Reading, k: number): Step {
  if (!match.ok) return badValue(word, word, match.expected);
  const resolved = resolveTime(match.spec, r.clock.now, r.clock.zone);
  if (!resolved.ok) return badValue(word, word, resolved.expected);
  r.draft.timeline.push({ kind: 'time', range: resolved.range, spec: match.spec, word });
  return { consumed: k };
}

type TimeRanges = Partial<Record<TimeField, TimeRange & { spec: TimeSpec; word: string }>>;

/**
 * Decides which field (creation, update or closing time) each time expression filters:
 * - exactly one time and one marker belong together, in either order (`today updated`);
 * - otherwise a marker applies to the time expression right after it (`updated today 7d`: only
 *   `today` is update time), and a marker with no time after it to an unclaimed one right before
 *   it (`7d today updated`);
 * - with a closed status word (`closed`, `已关闭`), the time no marker took is the closing time
 *   (`closed yesterday`, `yesterday closed`); of several, the one right after the word;
 * - other times filter creation time; `updated` or `closed in` with no time is a missing value,
 *   and `created` with no time means the status "New" (the label cards show for status 1).
 */
function bindTimes(timeline: readonly TimelineItem[]): { ranges: TimeRanges; statusNew: boolean } | { error: FilterError } {
  let statusNew = false;
  const items = timeline.filter((it) => it.kind !== 'marker' || !it.soft);
  const times = items.filter((it): it is TimeItem => it.kind === 'time');
  const markers = items.filter((it): it is MarkerItem => it.kind === 'marker');
  const fieldOf = new Map<TimeItem, TimeField>();

  if (times.length === 1 && markers.length === 1) {
    fieldOf.set(times[0] as TimeItem, (markers[0] as MarkerItem).field);
  } else {
    const waiting: number[] = [];
    items.forEach((it, j) => {
      if (it.kind !== 'marker') return;
      const after = items[j + 1];
      if (after?.kind === 'time') fieldOf.set(after, it.field);
      else waiting.push(j);
    });
    for (const j of waiting) {
      const marker = items[j] as MarkerItem;
      const before = items[j - 1];
      if (before?.kind !== 'time' || fieldOf.has(before)) {
        // `created` with no time to bind is the status its label shows ("New", also typed `new`).
        if (marker.field === 'created') {
          statusNew = true;
          continue;
        }
        return { error: { kind: 'missing-value', word: echo(marker.word), expected: EXPECTED.time } };
      }
      fieldOf.set(before, marker.field);
    }
  }

  if (timeline.some((it) => it.kind === 'marker' && it.soft)) {
    const free = times.filter((t) => !fieldOf.has(t));
    const afterWord = (t: TimeItem) => {
      const before = timeline[timeline.indexOf(t) - 1];
      return before?.kind === 'marker' && before.soft === true;
    };
    for (const t of free.length === 1 ? free : free.filter(afterWord)) fieldOf.set(t, 'closed');
  }

  const ranges: TimeRanges = {};
  for (const t of times) {
    const field = fieldOf.get(t) ?? 'created';
    const old = ranges[field];
    if (old && (old.start !== t.range.start || old.end !== t.range.end)) {
      return { error: { kind: 'conflict', word: echo(t.word), detail: CONFLICT_DETAIL[field] } };
    }
    ranges[field] = { ...t.range, spec: t.spec, word: t.word };
  }
  return { ranges, statusNew };
}

function build(draft: Draft, ranges: TimeRanges): TicketQuery | { error: FilterError } {
  const filter: TicketFilter = {};
  const str = (f: SingleField) => draft.str(f);
  const num = (f: SingleField) => draft.num(f);

  const ticketId = str('ticketId');
  if (ticketId !== undefined) filter.ticketId = ticketId;
  const agentId = str('agentId');
  if (agentId !== undefined) filter.agentId = agentId;
  const closedById = str('closedById');
  if (closedById !== undefined) filter.closedById = closedById;
  const type = num('type');
  if (type !== undefined) filter.type = type;
  const channel = num('channel');
  if (channel !== undefined) filter.channel = channel;
  const solved = num('solved');
  if (solved !== undefined) filter.solved = solved;
  const scores = str('score')?.split(',').map(Number);
  if (scores?.length === 1) filter.score = scores[0]!;

  let statuses = [...draft.statuses];
  if (ranges.closed) {
    // Only a closed ticket has a closing time.
    statuses = statuses.length === 0 ? [...CLOSED_STATUSES] : statuses.filter((s) => s >= 50);
    if (statuses.length === 0) return { error: { kind: 'conflict', word: echo(ranges.closed.word), detail: 'a closing time for tickets that are not closed' } };
  }
  if (draft.unassigned) {
    if (agentId !== undefined) return { error: { kind: 'conflict', word: 'unassigned', detail: 'an agent and unassigned' } };
    // As the board's Unassigned: the open tickets no agent has.
    if (statuses.length === 0) statuses = [...OPEN_STATUSES];
  }
  if (statuses.length > 0) filter.statuses = statuses.sort((a, b) => a - b);
  const guest = str('guest');
  if (guest?.startsWith('name:')) filter.guestName = guest.slice('name:'.length);
  if (guest?.startsWith('id:')) filter.guestId = guest.slice('id:'.length);
  // Sorted so that word order never changes the query.
  if (draft.tags.size > 0) filter.tags = [...draft.tags].sort();
  const times: TicketQuery['times'] = {};
  for (const field of ['created', 'updated', 'closed'] as const) {
    const range = ranges[field];
    if (!range) continue;
    if (field !== 'closed') filter[field] = { start: range.start, end: range.end };
    times[field] = timeWords(range.spec);
  }

  return {
    filter,
    times,
    ...(scores && scores.length > 1 ? { scores } : {}),
    ...(draft.unassigned ? { unassigned: true } : {}),
    page: num('page') ?? 1,
    names: { ...draft.names },
  };
}

// ---- unknown words and corrected queries ----

/** Every unknown word with its nearest known word, and the query with each replaced, if all have one. */
function unknownWords(r: Reading): FilterError {
  const words = r.draft.unknown.map(({ word, suggestion }) => ({ word: echo(word), ...(suggestion !== undefined ? { suggestion: echo(suggestion) } : {}) }));
  const edits = r.draft.unknown;
  const fixable = edits.every((e) => e.text !== undefined);
  const text = fixable ? rebuild(r.queue, edits) : undefined;
  const fix = text !== undefined ? checkedFix(r, text, text) : undefined;
  return { kind: 'unknown-words', words, ...(fix ? { fix } : {}) };
}

/** The query with one edit, if it then parses: a button may run it. */
function fixWith(r: Reading, edit: Edit, label: string): Fix | undefined {
  return checkedFix(r, rebuild(r.queue, [edit]), label);
}

function checkedFix(r: Reading, text: string, label: string): Fix | undefined {
  if (!r.fixes || !parse(text, r.ctx, false).ok) return undefined;
  return { label: shown(label, r.people), text };
}

/** The tokens as one query again, with the edits' text in place of the tokens they cover. */
function rebuild(queue: readonly Token[], edits: readonly Edit[]): string {
  const parts: string[] = [];
  for (let i = 0; i < queue.length; ) {
    const edit = edits.find((e) => e.from === i);
    if (edit) {
      if (edit.text !== undefined && edit.text !== '') parts.push(edit.text);
      i = Math.max(edit.to, i + 1);
      continue;
    }
    const t = queue[i] as Token;
    parts.push(t.quoted ? quote(t.raw) : t.raw);
    i += 1;
  }
  return parts.join(' ');
}

const quote = (text: string) => (text.includes('"') ? `“${text}”` : `"${text}"`);
/** A value as one token: quoted when it has spaces (or would not read back as itself). */
const quoteIfNeeded = (text: string) => (/^[^\s"'“”‘’「」『』,，、;；:：=!?()（）[\]【】《》]+$/u.test(text) ? text : quote(text));

/** Mention placeholders as the names people typed: `@_user_2` -> `@Li Lei`. */
function shown(text: string, people: PersonContext): string {
  return text.replace(/@_user_\d+/g, (key) => {
    const name = people.mentions.find((m) => m.key === key)?.name;
    return name ? `@${name}` : key;
  });
}

// ---- small helpers ----

function done(error: FilterError | undefined, consumed: number): Step {
  return error ? { error } : { consumed };
}

function fail(error: FilterError): ParseResult {
  return { ok: false, error };
}

function badValue(word: string, value: string, expected: string): Step {
  return { error: { kind: 'bad-value', word: echo(word), value: echo(value), expected } };
}

/** An unknown word over `consumed` tokens; `text` replaces them in the corrected query (the suggestion by default). */
function unknown(word: string, suggestion: string | undefined, consumed = 1, text = suggestion): Step {
  return { unknown: { word, ...(suggestion !== undefined ? { suggestion } : {}) }, consumed, ...(text !== undefined ? { text } : {}) };
}

/**
 * An unknown plain word: the keyword for bare values, else the closest word of the language or
 * tag in use (alone, or with the next word: `last weak`).
 */
function unknownToken(r: Reading, i: number): Step {
  const token = r.queue[i] as Token;
  const next = r.queue[i + 1];
  const key = lookupKey(token.norm);
  const hint = channelHint(key, token.raw) ?? (/^ou_[0-9a-z]+$/.test(token.norm) ? `agent ${token.norm}` : undefined);
  if (hint !== undefined) return unknown(token.raw, hint);
  const single = nearestWord(r, token.raw);
  if (single !== undefined) return unknown(token.raw, single);
  if (key !== '' && next && !next.quoted && !next.mention) {
    const pair = suggestWord(token.norm + next.norm);
    if (pair !== undefined) return unknown(`${token.raw} ${next.raw}`, pair, 2);
  }
  return unknown(token.raw, undefined);
}

/** The word of the language or the tag in use nearest to `typed` (the word on a tie), as a query would say it. */
function nearestWord(r: Reading, typed: string): string | undefined {
  const word = suggestWord(typed);
  const tag = nearestTag(r.known, typed);
  if (tag === undefined) return word;
  if (word !== undefined && editDistance(lookupKey(typed), lookupKey(word)) <= editDistance(fold(typed), fold(tag))) return word;
  return `${hasHan(typed) ? '标签' : 'tag'} ${quoteIfNeeded(tag)}`;
}

function echo(text: string): string {
  const chars = [...text];
  return chars.length > MAX_ECHO ? `${chars.slice(0, MAX_ECHO - 1).join('')}…` : text;
}
