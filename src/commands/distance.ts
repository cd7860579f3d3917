// Edit distance for "did you mean": Damerau–Levenshtein, so a swap of two neighbouring letters
// (`opne`, `tikcet`) costs one edit like a typo should, where plain Levenshtein counts two.
import levenshtein from 'damerau-levenshtein';

export function editDistance(a: string, b: string): number {
  return levenshtein(a, b).steps;
}

/** The candidate nearest to `word` (the first of equals), with its distance. */
export function closestWord(word: string, candidates: readonly string[]): { word: string; distance: number } | undefined {
  let best: { word: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (!best || distance < best.distance) best = { word: candidate, distance };
  }
  return best;
}
