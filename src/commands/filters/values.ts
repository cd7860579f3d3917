// Reading the value that follows a keyword (`agent @_user_2`, `channel qr`, `page 3`, ...).
// Each reader answers with the value or with a short English `expected` hint for the error.

import type { Mention } from '../../jobs/types.js';
import { parseCount } from './numbers.js';
import type { Token } from './tokenizer.js';
import { isMeWord, lookupChannel, lookupKey, lookupWord } from './vocabulary.js';

export type ValueResult<T> = { ok: true; value: T } | { ok: false; expected: string };

export interface Person {
  id: string;
  /** Display name, when the person came from a mention that carried one. */
  name?: string;
}

export const EXPECTED = {
  person: 'a name, @someone, ou_… or me',
  guest: 'a name, @someone or ou_…',
  channel: 'api, qr, share, search or a number',
  tag: 'a tag name',
  id: 'a ticket id (digits)',
  page: 'a page number such as 2',
  score: '1, 2 or 3, or a range such as 1-3',
  time: 'a time such as today, 7d or 2026-11-20',
  closingQuote: 'a closing quote',
} as const;

export const MAX_TEXT_LENGTH = 100;
/** Any page may be asked for (past the end, the last page is shown); more digits are not a page. */
const MAX_PAGE_NUMBER = 999_999_999;
const MAX_CHANNEL = 2_147_483_647;
const OPEN_ID = /^ou_[0-9a-z]{1,64}$/;

const ok = <T>(value: T): ValueResult<T> => ({ ok: true, value });
const bad = <T>(expected: string): ValueResult<T> => ({ ok: false, expected });

export interface PersonContext {
  askerOpenId: string;
  mentions: readonly Mention[];
}

/** Whether a token names a person without a name lookup: a mention, an open_id or `me`. */
export function looksLikePerson(token: Token): boolean {
  return !token.quoted && (token.mention || OPEN_ID.test(token.norm) || isMeWord(lookupKey(token.norm)));
}

/** A person by mention, open_id or `me` (names are looked up by the parser, which knows the people). */
export function readPerson(token: Token, ctx: PersonContext): ValueResult<Person> {
  if (token.mention) return readMention(token, ctx);
  if (OPEN_ID.test(token.norm)) return ok({ id: token.norm });
  if (isMeWord(lookupKey(token.norm))) {
    return ctx.askerOpenId ? ok({ id: ctx.askerOpenId }) : bad('a known asker');
  }
  return bad(EXPECTED.person);
}

function readMention(token: Token, ctx: PersonContext): ValueResult<Person> {
  if (token.raw === '@_all') return bad('one person, not @all');
  const mention = ctx.mentions.find((m) => m.key === token.raw);
  if (!mention) return bad('a person mentioned in this message');
  if (!mention.openId) return bad('a person with an open_id');
  return ok(mention.name ? { id: mention.openId, name: mention.name } : { id: mention.openId });
}

export type Guest = { kind: 'id'; person: Person } | { kind: 'name'; name: string };

/** A guest is a person when it reads as one, otherwise a name; quoting forces a name (`guest "me"`). */
export function readGuest(token: Token, ctx: PersonContext): ValueResult<Guest> {
  if (!token.quoted && (token.mention || OPEN_ID.test(token.norm) || isMeWord(lookupKey(token.norm)))) {
    const person = readPerson(token, ctx);
    return person.ok ? ok({ kind: 'id', person: person.value }) : bad(person.expected);
  }
  const name = readText(token, EXPECTED.guest);
  return name.ok ? ok({ kind: 'name', name: name.value }) : bad(name.expected);
}

/** Free text (tag, guest name): as typed, trimmed, not a mention, not empty, not huge. */
export function readText(token: Token, expected: string): ValueResult<string> {
  if (token.mention) return bad(expected);
  const text = token.raw.trim();
  if (text === '') return bad(expected);
  if ([...text].length > MAX_TEXT_LENGTH) return bad(`at most ${MAX_TEXT_LENGTH} characters`);
  return ok(text);
}

export function readChannel(token: Token): ValueResult<number> {
  const named = lookupChannel(lookupKey(token.norm));
  if (named !== undefined) return ok(named);
  if (/^\d+$/.test(token.norm)) {
    const n = parseCount(token.norm);
    if (n !== undefined && n <= MAX_CHANNEL) return ok(n);
  }
  return bad(EXPECTED.channel);
}

const SCORE_RANGE = /^([1-3])\s*(?:-|–|—|~|～|\.\.|到|至)\s*([1-3])$/;

/** One score (1-3, or a word such as `happy`), or a range such as `1-3`: the scores in it, lowest first. */
export function readScore(token: Token): ValueResult<number[]> {
  if (token.norm === '1' || token.norm === '2' || token.norm === '3') return ok([Number(token.norm)]);
  const meaning = lookupWord(lookupKey(token.norm))?.meaning;
  if (meaning?.kind === 'score') return ok([meaning.value]);
  const range = SCORE_RANGE.exec(token.norm);
  const [low, high] = [Number(range?.[1]), Number(range?.[2])];
  if (range && low <= high) return ok(Array.from({ length: high - low + 1 }, (_, i) => low + i));
  return bad(EXPECTED.score);
}

export function readPage(text: string): ValueResult<number> {
  const n = parseCount(text);
  return n !== undefined && n >= 1 && n <= MAX_PAGE_NUMBER ? ok(n) : bad(EXPECTED.page);
}

/** Ticket ids are long digit strings; kept as text so no precision is lost. `#123` is accepted. */
export function readTicketId(token: Token): ValueResult<string> {
  const id = token.norm.replace(/^#/, '');
  return /^\d{1,32}$/.test(id) ? ok(id) : bad(EXPECTED.id);
}
