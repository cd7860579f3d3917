// The `/tickets` filter language: argument text -> TicketFilter + page. Pure and total: every input
// gives a ParseResult, never an exception, and the work is bounded by MAX_INPUT_CHARS/MAX_TOKENS.
//
// Reading goes word by word. At each position the longest match of up to three tokens wins
// (`closed by bot`, `last 7 days`, `第 2 页`); a keyword then takes the next token as its value; a
// glued Chinese token is split and re-read; anything else is an unknown word. Time expressions are
// collected and bound to their created/updated markers at the end (see bindTimes).

import type { TicketFilter } from '../../helpdesk/types.js';
import { COUNT_SRC } from './numbers.js';
import { segment } from './segment.js';
import { suggestWord } from './suggest.js';
import { matchTime, resolveTime, timeWords, type TimeMatch, type TimeRange, type TimeSpec } from './time.js';
import { tokenize, type Token } from './tokenizer.js';
import type { FilterContext, FilterError, ParseResult, TicketQuery } from './types.js';
import { EXPECTED, looksLikePerson, readChannel, readGuest, readPage, readPerson, readScore, readTicketId, readText, type PersonContext, type ValueResult } from './values.js';
import { channelHint, hasHan, lookupKey, lookupWord, MAX_PAGE, type Keyword, type TimeField, type VocabularyEntry } from './vocabulary.js';

export const MAX_INPUT_CHARS = 1000;
export const MAX_TOKENS = 60;
/** Longest phrase, in tokens: `closed by agent`, `last 7 days`, `第 2 页`. */
const MAX_PHRASE = 3;
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
}
type TimelineItem = TimeItem | MarkerItem;

/** Everything read so far. Single-valued fields refuse a second, different value. */
class Draft {
  readonly statuses = new Set<number>();
  readonly tags = new Set<string>();
  readonly names: Record<string, string> = {};
  readonly single = new Map<SingleField, string | number>();
  readonly timeline: TimelineItem[] = [];

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

/** What reading one position did: consumed tokens, replaced a glued token by its pieces, or failed. */
type Step = { consumed: number } | { replace: Token[] } | { error: FilterError };

export function parseTicketQuery(args: string, ctx: FilterContext): ParseResult {
  const text = typeof args === 'string' ? args : '';
  if (text.length > MAX_INPUT_CHARS) return fail({ kind: 'too-long', unit: 'characters', limit: MAX_INPUT_CHARS, word: 'query' });
  const tokenized = tokenize(text, MAX_TOKENS);
  if (!tokenized.ok) return fail({ kind: 'too-long', unit: 'words', limit: MAX_TOKENS, word: 'query' });

  const people: PersonContext = {
    askerOpenId: typeof ctx?.askerOpenId === 'string' ? ctx.askerOpenId : '',
    mentions: Array.isArray(ctx?.mentions) ? ctx.mentions : [],
  };
  // Guarded because luxon throws on a non-number clock; a bad zone just makes times invalid.
  const clock: Clock = {
    now: typeof ctx?.now === 'number' ? ctx.now : Number.NaN,
    zone: typeof ctx?.timezone === 'string' ? ctx.timezone : '',
    maxPage: typeof ctx?.maxPage === 'number' ? ctx.maxPage : MAX_PAGE,
  };
  const draft = new Draft();
  const queue = tokenized.tokens;

  let i = 0;
  while (i < queue.length) {
    const step = readAt(queue, i, draft, people, clock);
    if ('error' in step) return fail(step.error);
    if ('replace' in step) queue.splice(i, 1, ...step.replace);
    else i += step.consumed;
  }

  const times = bindTimes(draft.timeline);
  if ('error' in times) return fail(times.error);
  if (times.statusNew) draft.statuses.add(1);
  return { ok: true, query: build(draft, times.ranges) };
}

interface Clock {
  now: number;
  zone: string;
  /** The largest page that may be asked for (the list API's 10,000-row cap at the bot's page size). */
  maxPage: number;
}

function readAt(queue: Token[], i: number, draft: Draft, people: PersonContext, clock: Clock): Step {
  const token = queue[i] as Token;
  if (token.unterminated) return badValue(token.raw, token.raw, EXPECTED.closingQuote);
  if (token.mention) return unknown(token.raw, `agent ${token.raw}`);
  if (token.quoted) return unknown(token.raw, suggestWord(token.norm));

  for (let k = plainRun(queue, i); k >= 1; k -= 1) {
    const group = queue.slice(i, i + k);
    const word = group.map((t) => t.raw).join(' ');
    const entry = lookupWord(lookupKey(group.map((t) => t.norm).join('')));
    if (entry) return applyEntry(entry, word, queue, i + k, draft, people, clock, k);

    const spaced = group.map((t) => t.norm).join(' ');
    const time = matchTime(spaced);
    if (time) return applyTime(time, word, draft, clock, k);

    const page = PAGE.exec(spaced);
    if (page) {
      const n = readPage(page[1] ?? '', clock.maxPage);
      if (!n.ok) return badValue(word, word, n.expected);
      return done(draft.set('page', n.value, word), k);
    }
  }

  if (!token.segmented && hasHan(token.raw)) {
    const pieces = segment(token);
    if (pieces.ok) return { replace: pieces.tokens };
    const head = token.raw.slice(0, pieces.reached);
    const rest = token.raw.slice(pieces.reached);
    // `标签紧急`: a keyword glued to a Chinese value; the value needs a space before it.
    if (pieces.afterKeyword) return unknown(token.raw, `${head} ${rest}`);
    return unknown(rest, suggestWord(rest));
  }
  return unknownToken(token, queue[i + 1]);
}

/** How many tokens from i on may form a phrase: plain words only, never quotes or mentions. */
function plainRun(queue: readonly Token[], i: number): number {
  let k = 0;
  while (k < MAX_PHRASE && i + k < queue.length) {
    const t = queue[i + k] as Token;
    if (t.quoted || t.mention || lookupKey(t.norm) === '') break;
    k += 1;
  }
  return k;
}

function applyEntry(entry: VocabularyEntry, word: string, queue: readonly Token[], next: number, draft: Draft, people: PersonContext, clock: Clock, k: number): Step {
  const m = entry.meaning;
  switch (m.kind) {
    case 'status': {
      // `closed by agent @x` means "closed by this agent", not status 51 plus a stray mention.
      const following = queue[next];
      if (m.statuses.length === 1 && m.statuses[0] === 51 && following && looksLikePerson(following)) {
        return applyKeyword('closedBy', word, following, draft, people, k, clock);
      }
      for (const s of m.statuses) draft.statuses.add(s);
      return { consumed: k };
    }
    case 'period':
      return applyTime({ ok: true, spec: { kind: 'period', period: m.period } }, word, draft, clock, k);
    case 'marker':
      draft.timeline.push({ kind: 'marker', field: m.field, word });
      return { consumed: k };
    case 'solved':
      return done(draft.set('solved', m.value, word), k);
    case 'score':
      return done(draft.set('score', m.value, word), k);
    case 'type':
      return done(draft.set('type', m.value, word), k);
    case 'mine':
      if (!people.askerOpenId) return badValue(word, '', 'a known asker');
      return done(draft.set('agentId', people.askerOpenId, word), k);
    case 'keyword': {
      const value = queue[next];
      if (!value) return { error: { kind: 'missing-value', word: echo(word), expected: expectedFor(m.keyword, clock) } };
      return applyKeyword(m.keyword, word, value, draft, people, k, clock);
    }
  }
}

function expectedFor(keyword: Keyword, clock: Clock): string {
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
      return EXPECTED.page(clock.maxPage);
    case 'score':
      return EXPECTED.score;
  }
}

/** Reads the keyword's value token; the step consumes the keyword's k tokens plus the value. */
function applyKeyword(keyword: Keyword, word: string, value: Token, draft: Draft, people: PersonContext, k: number, clock: Clock): Step {
  const consumed = k + 1;
  if (value.unterminated) return badValue(word, value.raw, EXPECTED.closingQuote);
  const check = <T>(r: ValueResult<T>, use: (v: T) => FilterError | undefined): Step => (r.ok ? done(use(r.value), consumed) : badValue(word, value.raw, r.expected));

  switch (keyword) {
    case 'agent':
    case 'closedBy':
      return check(readPerson(value, people), (p) => {
        if (p.name !== undefined) draft.names[p.id] = p.name;
        return draft.set(keyword === 'agent' ? 'agentId' : 'closedById', p.id, word);
      });
    case 'guest':
      // One guest slot holding either a name or an id, so `guest Zhang guest @x` is a conflict.
      return check(readGuest(value, people), (g) => {
        if (g.kind === 'name') return draft.set('guest', `name:${g.name}`, word);
        if (g.person.name !== undefined) draft.names[g.person.id] = g.person.name;
        return draft.set('guest', `id:${g.person.id}`, word);
      });
    case 'channel':
      return check(readChannel(value), (c) => draft.set('channel', c, word));
    case 'tag':
      return check(readText(value, EXPECTED.tag), (t) => {
        draft.tags.add(t);
        return undefined;
      });
    case 'id':
      return check(readTicketId(value), (id) => draft.set('ticketId', id, word));
    case 'page':
      return check(readPage(value.norm, clock.maxPage), (n) => draft.set('page', n, word));
    case 'score':
      return check(readScore(value), (s) => draft.set('score', s, word));
  }
}

function applyTime(match: NonNullable<TimeMatch>, word: string, draft: Draft, clock: Clock, k: number): Step {
  if (!match.ok) return badValue(word, word, match.expected);
  const resolved = resolveTime(match.spec, clock.now, clock.zone);
  if (!resolved.ok) return badValue(word, word, resolved.expected);
  draft.timeline.push({ kind: 'time', range: resolved.range, spec: match.spec, word });
  return { consumed: k };
}

type TimeRanges = Partial<Record<TimeField, TimeRange & { spec: TimeSpec }>>;

/**
 * Decides which field (creation or update time) each time expression filters:
 * - exactly one time and one marker: they belong together, in either order (`today updated`);
 * - otherwise a marker applies to the time expression right after it (`updated today 7d`: only
 *   `today` is update time), and a marker with no time after it to an unclaimed one right before
 *   it (`7d today updated`);
 * - times without a marker filter creation time; `updated` with no time is a missing value, and
 *   `created` with no time means the status "New" (the label cards show for status 1).
 */
function bindTimes(items: readonly TimelineItem[]): { ranges: TimeRanges; statusNew: boolean } | { error: FilterError } {
  let statusNew = false;
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

  const ranges: TimeRanges = {};
  for (const t of times) {
    const field = fieldOf.get(t) ?? 'created';
    const old = ranges[field];
    if (old && (old.start !== t.range.start || old.end !== t.range.end)) {
      return { error: { kind: 'conflict', word: echo(t.word), detail: CONFLICT_DETAIL[field] } };
    }
    ranges[field] = { ...t.range, spec: t.spec };
  }
  return { ranges, statusNew };
}

function build(draft: Draft, ranges: TimeRanges): TicketQuery {
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
  const score = num('score');
  if (score !== undefined) filter.score = score;
  if (draft.statuses.size > 0) filter.statuses = [...draft.statuses].sort((a, b) => a - b);
  const guest = str('guest');
  if (guest?.startsWith('name:')) filter.guestName = guest.slice('name:'.length);
  if (guest?.startsWith('id:')) filter.guestId = guest.slice('id:'.length);
  // Sorted so that word order never changes the query.
  if (draft.tags.size > 0) filter.tags = [...draft.tags].sort();
  const times: TicketQuery['times'] = {};
  if (ranges.created) {
    filter.created = { start: ranges.created.start, end: ranges.created.end };
    times.created = timeWords(ranges.created.spec);
  }
  if (ranges.updated) {
    filter.updated = { start: ranges.updated.start, end: ranges.updated.end };
    times.updated = timeWords(ranges.updated.spec);
  }

  return { filter, times, page: num('page') ?? 1, names: { ...draft.names } };
}

function done(error: FilterError | undefined, consumed: number): Step {
  return error ? { error } : { consumed };
}

function fail(error: FilterError): ParseResult {
  return { ok: false, error };
}

function badValue(word: string, value: string, expected: string): Step {
  return { error: { kind: 'bad-value', word: echo(word), value: echo(value), expected } };
}

function unknown(word: string, suggestion: string | undefined): Step {
  const error: FilterError = { kind: 'unknown-word', word: echo(word) };
  if (suggestion !== undefined) error.suggestion = echo(suggestion);
  return { error };
}

/** An unknown plain word: hint the keyword for bare values, else the closest word (alone or with the next). */
function unknownToken(token: Token, next: Token | undefined): Step {
  const key = lookupKey(token.norm);
  const hint = channelHint(key, token.raw) ?? (/^ou_[0-9a-z]+$/.test(token.norm) ? `agent ${token.norm}` : undefined);
  if (hint !== undefined) return unknown(token.raw, hint);
  const single = suggestWord(token.norm);
  if (single !== undefined) return unknown(token.raw, single);
  if (key !== '' && next && !next.quoted && !next.mention) {
    const pair = suggestWord(token.norm + next.norm);
    if (pair !== undefined) return unknown(`${token.raw} ${next.raw}`, pair);
  }
  return unknown(token.raw, undefined);
}

function echo(text: string): string {
  const chars = [...text];
  return chars.length > MAX_ECHO ? `${chars.slice(0, MAX_ECHO - 1).join('')}…` : text;
}
