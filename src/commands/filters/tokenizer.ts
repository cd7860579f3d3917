// Splits the argument text of `/tickets` into tokens. Punctuation people type between words
// (commas in both widths, 、, ;, colons, =, ! ? … and brackets) separates words, and a full stop
// ending a word is dropped, so `today.` or `(opne)` reads as the word alone; quotes hold spaces;
// Feishu mention placeholders are always cut out as tokens of their own, even when glued to a word.

export interface Token {
  /** As typed (without the quote marks for a quoted token); values such as names and tags use this. */
  raw: string;
  /** NFKC-normalised (full-width digits and letters become ASCII) and lower-cased; words match on this. */
  norm: string;
  quoted: boolean;
  /** A quoted token whose closing quote never came; it runs to the end of the input. */
  unterminated: boolean;
  /** A Feishu placeholder such as "@_user_2" or "@_all". */
  mention: boolean;
  /** Produced by splitting a glued Chinese token; never split again. */
  segmented: boolean;
}

export type TokenizeResult = { ok: true; tokens: Token[] } | { ok: false; tooMany: true };

const SEPARATOR = /[\s,，、;；。:：=!！?？…()（）[\]【】《》\u200b\ufeff]/;
const MENTION = /@_user_\d+|@_all/y;

/** Opening quote -> the characters that close it. Input methods often mix straight and curly quotes. */
const DOUBLE_QUOTES: ReadonlyMap<string, string> = new Map([
  ['"', '"”“'],
  ['“', '”"“'],
  ['”', '”"'],
  ['＂', '＂"'],
  ['「', '」'],
  ['『', '』'],
]);
/** Single quotes open only at the start of a token, so names like O'Brien survive. */
const SINGLE_QUOTES: ReadonlyMap<string, string> = new Map([
  ["'", "'"],
  ['‘', '’'],
]);

export function normalize(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

export function makeToken(raw: string, extra: Partial<Omit<Token, 'raw' | 'norm'>> = {}): Token {
  return {
    raw,
    norm: normalize(raw),
    quoted: false,
    unterminated: false,
    mention: false,
    segmented: false,
    ...extra,
  };
}

/** Stops as soon as there are more than `maxTokens` tokens, so the work stays bounded. */
export function tokenize(text: string, maxTokens: number): TokenizeResult {
  const tokens: Token[] = [];
  let current = '';
  let i = 0;

  const push = (token: Token): boolean => {
    tokens.push(token);
    return tokens.length <= maxTokens;
  };
  const flush = (): boolean => {
    // One full stop ending a word ends the sentence; `..` belongs to a date range.
    const word = /[^.]\.$/.test(current) ? current.slice(0, -1) : current;
    current = '';
    if (word === '') return true;
    return push(makeToken(word));
  };

  while (i < text.length) {
    const ch = text[i] as string;

    if (SEPARATOR.test(ch)) {
      if (!flush()) return { ok: false, tooMany: true };
      i += 1;
      continue;
    }

    MENTION.lastIndex = i;
    const mention = MENTION.exec(text);
    if (mention) {
      if (!flush() || !push(makeToken(mention[0], { mention: true }))) return { ok: false, tooMany: true };
      i += mention[0].length;
      continue;
    }

    const closers = DOUBLE_QUOTES.get(ch) ?? (current === '' ? SINGLE_QUOTES.get(ch) : undefined);
    if (closers !== undefined) {
      if (!flush()) return { ok: false, tooMany: true };
      let end = i + 1;
      while (end < text.length && !closers.includes(text[end] as string)) end += 1;
      const unterminated = end >= text.length;
      const inner = text.slice(i + 1, end).trim();
      if (!push(makeToken(inner, { quoted: true, unterminated }))) return { ok: false, tooMany: true };
      i = end + 1;
      continue;
    }

    current += ch;
    i += 1;
  }
  if (!flush()) return { ok: false, tooMany: true };
  return { ok: true, tokens };
}
