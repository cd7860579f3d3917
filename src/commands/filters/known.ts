// Tags and people by name: what the helpdesk spells them as, found from what a person typed in
// whatever case or width. The names come from the caller (FilterContext.known), so this stays pure.
import { editDistance } from '../distance.js';
import { maxTypoDistance } from './suggest.js';
import { normalize } from './tokenizer.js';
import type { Known, KnownPerson } from './types.js';

/** Compared this way: NFKC (full width to ASCII), lower case, single spaces. */
export const fold = (text: string): string => normalize(text).replace(/\s+/g, ' ').trim();

/** The helpdesk's spelling of a tag typed in any case or width; its exact spelling first. */
export function findTag(known: Known | undefined, typed: string): string | undefined {
  const tags = known?.tags ?? [];
  return tags.find((t) => t === typed) ?? tags.find((t) => fold(t) === fold(typed));
}

/** The known tag nearest to a mistyped one, if it is close enough to be a typo. */
export function nearestTag(known: Known | undefined, typed: string): string | undefined {
  return nearest(known?.tags ?? [], typed, (t) => [t])[0];
}

/**
 * The people a name means: those whose whole name it is; else those with a word of their name (or,
 * in Chinese, a part of it) starting with it. Empty: nobody known is called that.
 */
export function findPeople(known: Known | undefined, typed: string, { whole = false } = {}): KnownPerson[] {
  const people = known?.people ?? [];
  const name = fold(typed);
  if (name === '') return [];
  const exact = people.filter((p) => fold(p.name) === name);
  if (exact.length > 0 || whole) return exact;
  const han = /\p{Script=Han}/u.test(name);
  return people.filter((p) => {
    const full = fold(p.name);
    return han ? full.includes(name) : full.split(' ').some((word) => word.startsWith(name));
  });
}

/** The known people whose names (or a word of them) are nearest to a mistyped one, if close enough to be a typo. */
export function nearestPeople(known: Known | undefined, typed: string): KnownPerson[] {
  return nearest(known?.people ?? [], typed, (p) => [p.name, ...p.name.split(/\s+/)]);
}

/** The items nearest to `typed` (all of them on a tie), each by the nearest of its names. */
function nearest<T>(items: readonly T[], typed: string, names: (item: T) => string[]): T[] {
  const key = fold(typed);
  const length = [...key].length;
  // Chinese names are two or three characters, and pinyin input picks a wrong one of the same sound.
  const limit = /\p{Script=Han}/u.test(key) && length >= 2 ? 1 : maxTypoDistance(length);
  const scored = items.map((item) => ({ item, d: Math.min(...names(item).map((n) => editDistance(key, fold(n)))) })).filter((x) => x.d <= limit);
  const best = Math.min(...scored.map((x) => x.d));
  return scored.filter((x) => x.d === best).map((x) => x.item);
}
