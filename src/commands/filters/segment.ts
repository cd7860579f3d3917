// Splits a glued token such as `未关闭今天` or `标签vip` into words. Chinese is typed without
// spaces, so the splitter accepts a token when it can be cut entirely into known Chinese words,
// glued Chinese time/page forms, and runs of non-Chinese text (which the parser then reads as
// ordinary words or values). Tags the helpdesk uses are words too (`未关闭报销`). Other free Chinese
// text (a guest name, an unknown tag) can't be told apart reliably, so it must be separated by a
// space: `用户 张三`, `标签 紧急`.

import { GLUED_TIME_PATTERNS } from './time.js';
import { makeToken, normalize, type Token } from './tokenizer.js';
import { COUNT_SRC } from './numbers.js';
import { HAN_WORDS, isKeywordKey, lookupKey } from './vocabulary.js';

export type SegmentResult =
  | { ok: true; tokens: Token[] }
  /** `reached`: how far (UTF-16 index) known words got; `afterKeyword`: the last of them takes a value. */
  | { ok: false; reached: number; afterKeyword: boolean };

const GLUED_PATTERNS: readonly RegExp[] = [new RegExp(`第${COUNT_SRC}页`, 'y'), ...GLUED_TIME_PATTERNS];
const MAX_WORD_LENGTH = Math.max(...[...HAN_WORDS].map((w) => w.length));
const HAN_CHAR = /\p{Script=Han}/u;

/** Full-width ASCII to ASCII, one code unit for one, so indexes into the raw text stay valid. */
function foldWidth(text: string): string {
  return text.replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
}

/** Fewest pieces wins, so `用户关闭` stays one word instead of anything longer. `tags`: Chinese tags in use. */
export function segment(token: Token, tags: readonly string[] = []): SegmentResult {
  const raw = token.raw;
  const tagWords = new Set(tags.map(normalize));
  const longest = Math.max(MAX_WORD_LENGTH, ...tags.map((t) => t.length));
  const folded = foldWidth(raw);
  const n = raw.length;
  // best[i]: fewest pieces covering raw[0, i); from[i]: where the last piece starts; kw[i]: it is a keyword.
  const best: number[] = new Array<number>(n + 1).fill(Number.POSITIVE_INFINITY);
  const from: number[] = new Array<number>(n + 1).fill(-1);
  const kw: boolean[] = new Array<boolean>(n + 1).fill(false);
  best[0] = 0;

  for (let i = 0; i < n; i += 1) {
    const here = best[i] ?? Number.POSITIVE_INFINITY;
    if (here === Number.POSITIVE_INFINITY) continue;
    const relax = (end: number, isKeyword: boolean) => {
      if (end > i && here + 1 < (best[end] ?? Number.POSITIVE_INFINITY)) {
        best[end] = here + 1;
        from[end] = i;
        kw[end] = isKeyword;
      }
    };
    for (let len = Math.min(longest, n - i); len >= 1; len -= 1) {
      const piece = normalize(raw.slice(i, i + len));
      if (HAN_WORDS.has(piece) || tagWords.has(piece)) relax(i + len, HAN_WORDS.has(piece) && isKeywordKey(lookupKey(piece)));
    }
    for (const pattern of GLUED_PATTERNS) {
      pattern.lastIndex = i;
      const m = pattern.exec(folded);
      if (m) relax(i + m[0].length, false);
    }
    if (!HAN_CHAR.test(folded[i] as string)) {
      let end = i + 1;
      while (end < n && !HAN_CHAR.test(folded[end] as string)) end += 1;
      relax(end, false);
    }
  }

  if ((best[n] ?? Number.POSITIVE_INFINITY) === Number.POSITIVE_INFINITY) {
    let reached = 0;
    for (let i = n - 1; i > 0; i -= 1) {
      if ((best[i] ?? Number.POSITIVE_INFINITY) !== Number.POSITIVE_INFINITY) {
        reached = i;
        break;
      }
    }
    return { ok: false, reached, afterKeyword: reached > 0 && (kw[reached] ?? false) };
  }

  const tokens: Token[] = [];
  for (let end = n; end > 0; end = from[end] ?? 0) {
    tokens.unshift(makeToken(raw.slice(from[end] ?? 0, end), { segmented: true }));
  }
  return { ok: true, tokens };
}
