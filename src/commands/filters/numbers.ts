// Counts as people type them: ASCII digits (full-width ones are already folded by normalize) or
// small Chinese numerals (三, 十二, 二十四, 两), so `近三天` and `第二页` work like `近3天` and `第2页`.

/** Regex source for one count, for embedding in larger patterns. */
export const COUNT_SRC = '(?:\\d+|[一二两三四五六七八九十]+)';

const DIGITS: Readonly<Record<string, number>> = {
  一: 1,
  二: 2,
  两: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};

/** A whole number, or undefined when the text is not one (or is absurdly long). */
export function parseCount(text: string): number | undefined {
  if (/^\d+$/.test(text)) {
    // More than 9 digits is beyond every limit we have; refuse instead of losing precision.
    return text.replace(/^0+(?=\d)/, '').length > 9 ? Number.POSITIVE_INFINITY : Number(text);
  }
  return parseChinese(text);
}

/** 1–99 in Chinese numerals: 七, 十, 十二, 二十, 二十四. */
function parseChinese(text: string): number | undefined {
  const m = /^([一二两三四五六七八九])?(十)?([一二三四五六七八九])?$/.exec(text);
  if (!m || text === '') return undefined;
  const [, tensOrUnit, ten, unit] = m;
  if (!ten) return unit === undefined && tensOrUnit !== undefined ? DIGITS[tensOrUnit] : undefined;
  const tens = tensOrUnit === undefined ? 1 : (DIGITS[tensOrUnit] ?? 0);
  return tens * 10 + (unit === undefined ? 0 : (DIGITS[unit] ?? 0));
}
