// The words that give a list: what `/tickets` would be typed with to show exactly this list state,
// so a list reached by a form or a button can say "also: /tickets open tag VIP 7d" and people learn
// the syntax as they go. The words are the filter language's own (English forms), and reading
// them back gives the same list (a property test holds them to it); a list the words cannot give
// (a time range from an old button, a status code with no word) has none. A list's anchor (the
// moment its first page was read) is not a word: the words give the list as of now.
import { CLOSED_STATUSES, OPEN_STATUSES, STATUS_WORDS } from '../commands/filters/statuses.js';
import { tokenize } from '../commands/filters/tokenizer.js';
import { CHANNELS } from '../commands/filters/vocabulary.js';
import type { ListState } from './view.js';

/** Each status code's word: its English one-word form (the shortest), lower-cased, as people type it. */
export const STATUS_WORD = new Map(
  Object.entries(STATUS_WORDS.en).map(([code, words]) => {
    const single = words.filter((w) => !w.includes(' ')).sort((a, b) => a.length - b.length)[0];
    return [Number(code), (single ?? words[0]!.replace(/ /g, '-')).toLowerCase()] as const;
  }),
);
const CHANNEL_WORDS = new Map(CHANNELS.map((c) => [c.code, c.en[0]!]));
const SCORE_WORDS: Record<number, string> = { 1: 'unhappy', 2: 'neutral', 3: 'happy' };
/** Quote pairs, tried in turn for a value holding spaces or quote marks. */
const QUOTES: [string, string][] = [
  ['"', '"'],
  ['「', '」'],
  ['『', '』'],
];

/** A value after a keyword: as it is when it reads back as one word, else quoted with marks it does not hold. */
export function quoteValue(text: string, alwaysQuote = false): string | undefined {
  const alone = tokenize(text, 2);
  if (!alwaysQuote && alone.ok && alone.tokens.length === 1 && !alone.tokens[0]!.quoted && !alone.tokens[0]!.mention && alone.tokens[0]!.raw === text) return text;
  const pair = QUOTES.find(([open, close]) => !text.includes(close) && !text.includes(open));
  return pair && text.trim() === text && text !== '' ? `${pair[0]}${text}${pair[1]}` : undefined;
}

function statusWords(codes: readonly number[]): string[] | undefined {
  const set = new Set(codes);
  const words: string[] = [];
  for (const [group, word] of [
    [OPEN_STATUSES, 'open'],
    [CLOSED_STATUSES, 'closed'],
  ] as const) {
    if (group.every((c) => set.has(c))) {
      words.push(word);
      group.forEach((c) => set.delete(c));
    }
  }
  for (const code of [...set].sort((a, b) => a - b)) {
    const word = STATUS_WORD.get(code);
    if (!word) return undefined;
    words.push(word);
  }
  return words;
}

/**
 * The word that says which time a time is. Creation time goes without one, except beside a closed
 * status word, which would take a bare time as the closing time (`closed yesterday`).
 */
export function timeMarker(field: 'created' | 'updated' | 'closed', statuses: readonly number[]): string[] {
  if (field === 'updated') return ['updated'];
  if (field === 'closed') return ['closed in'];
  return statuses.some((s) => s >= 50) ? ['created'] : [];
}

/** The `/tickets` words for this list, or undefined when no words give exactly it. */
export function listWords(list: ListState): string | undefined {
  const { filter } = list;
  // Ranges from a version 1 button cannot be typed.
  if (filter.created || filter.updated) return undefined;
  const closedIn = list.times?.closed;
  // A closing time is of closed tickets: with all of them, it says so by itself.
  const statuses = closedIn && filter.statuses?.length === CLOSED_STATUSES.length ? [] : (filter.statuses ?? []);
  const words: (string | undefined)[] = [];
  if (statuses.length) words.push(...(statusWords(statuses) ?? [undefined]));
  if (list.unassigned) words.push('unassigned');
  for (const field of ['created', 'updated', 'closed'] as const) {
    const time = list.times?.[field];
    if (time) words.push(...timeMarker(field, statuses), time);
  }
  if (filter.agentId) words.push(...(list.mine ? ['mine'] : ['agent', filter.agentId]));
  if (filter.closedById) words.push('closed-by', filter.closedById);
  if (filter.guestId) words.push('guest', filter.guestId);
  if (filter.guestName !== undefined) words.push('guest', quoteValue(filter.guestName, true));
  if (filter.solved !== undefined) words.push(filter.solved === 2 ? 'solved' : filter.solved === 1 ? 'unsolved' : undefined);
  if (filter.score !== undefined) words.push(SCORE_WORDS[filter.score]);
  if (list.scores?.length) words.push('score', `${Math.min(...list.scores)}-${Math.max(...list.scores)}`);
  if (filter.type !== undefined) words.push(filter.type === 1 ? 'bot' : filter.type === 2 ? 'human' : undefined);
  if (filter.channel !== undefined) words.push('channel', CHANNEL_WORDS.get(filter.channel) ?? String(filter.channel));
  for (const tag of filter.tags ?? []) words.push('tag', quoteValue(tag));
  if (filter.ticketId) words.push('id', filter.ticketId);
  if (list.page > 1) words.push('page', String(list.page));
  return words.every((w): w is string => w !== undefined) ? words.join(' ') : undefined;
}
