// "Did you mean": the vocabulary word closest to an unknown word by edit distance, offered only
// when the distance is small for the word's length (a 2-letter word gets no guess: `明天` is
// not a typo of `今天`). Two swapped letters count as one edit (`opne` -> `open`).

import { editDistance } from '../distance.js';
import { lookupKey, SUGGESTION_CANDIDATES } from './vocabulary.js';

/** Longest word worth comparing; anything longer is not a typo of a vocabulary word. */
const MAX_COMPARED_LENGTH = 40;

export function maxTypoDistance(length: number): number {
  if (length <= 2) return 0;
  if (length <= 5) return 1;
  if (length <= 10) return 2;
  return 3;
}

export function suggestWord(text: string): string | undefined {
  const key = lookupKey(text);
  const length = [...key].length;
  if (length === 0 || length > MAX_COMPARED_LENGTH) return undefined;
  const limit = maxTypoDistance(length);
  let best: { display: string; d: number } | undefined;
  for (const candidate of SUGGESTION_CANDIDATES) {
    const d = editDistance(key, candidate.key);
    if (d <= limit && (best === undefined || d < best.d)) best = { display: candidate.display, d };
  }
  return best?.display;
}
