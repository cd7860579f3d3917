// What markdown a card's texts make, for the tests that prove data never becomes card markup.
import MarkdownIt from 'markdown-it';

/** Every markdown text of a card, in both languages. */
export function markdownTexts(node: unknown): string[] {
  if (!node || typeof node !== 'object') return [];
  const el = node as { tag?: string; content?: string; i18n_content?: Record<string, string> };
  const here = el.tag === 'markdown' ? [el.content ?? '', ...Object.values(el.i18n_content ?? {})] : [];
  return [...here, ...Object.values(node).flatMap(markdownTexts)];
}

const md = new MarkdownIt('default', { html: true, linkify: true });
/** Block and inline structure a text makes, other than paragraphs, line breaks, bold and the card's own tags. */
export function structureIn(text: string): string[] {
  const found: string[] = [];
  for (const token of md.parse(text, {})) {
    if (!['paragraph_open', 'paragraph_close', 'inline'].includes(token.type)) found.push(token.type);
    for (const child of token.children ?? []) {
      if (child.type === 'html_inline' && /^<\/?(font|text_tag)\b/.test(child.content)) continue;
      if (['text', 'softbreak', 'strong_open', 'strong_close', 'code_inline'].includes(child.type)) continue;
      found.push(`${child.type} ${child.content}`);
    }
  }
  return found;
}

/** The structure every markdown text of a card makes (none, when all data was escaped). */
export const structureOf = (card: unknown): string[] => markdownTexts(card).flatMap(structureIn);
