// Builders for the card JSON 2.0 components the bot uses. Every visible text is bilingual: `content`
// holds English (the fallback for other client languages) and `i18n_content` both languages.
// Text that comes from data goes through md() or plain(), never straight into markup.

export interface L10n {
  zh_cn: string;
  en_us: string;
}

export type Json = { [key: string]: unknown };
export type Element = Json;

export const LOCALES = ['zh_cn', 'en_us'] as const;

/** Both languages at once. */
export const l = (zh_cn: string, en_us: string): L10n => ({ zh_cn, en_us });
/** The same text in both languages (names, ids, numbers). */
export const same = (text: string): L10n => ({ zh_cn: text, en_us: text });
export const mapL = (a: L10n, f: (s: string, locale: keyof L10n) => string): L10n => ({ zh_cn: f(a.zh_cn, 'zh_cn'), en_us: f(a.en_us, 'en_us') });
export const joinL = (parts: L10n[], sep: string | L10n = ''): L10n => {
  const s = typeof sep === 'string' ? same(sep) : sep;
  return { zh_cn: parts.map((p) => p.zh_cn).join(s.zh_cn), en_us: parts.map((p) => p.en_us).join(s.en_us) };
};

/**
 * Escapes data for the card markdown component: HTML-like tags (<font>, <at>, <text_tag>),
 * entities and markdown punctuation all become literal characters, and line breaks become spaces
 * unless the caller keeps them.
 */
export function esc(text: string, { keepLines = false } = {}): string {
  const flat = keepLines ? text.replace(/\r\n?/g, '\n').replace(/\n{3,}/g, '\n\n') : text.replace(/\s+/g, ' ');
  return flat
    .replace(/[&<>*_~`[\]()#|\\:]/g, entity)
    .replace(/^(\s*)([-+]|\d+\.)/gm, (_, space: string, marker: string) => space + marker.replace(/[-+.]/, entity)); // list markers
}

const entity = (ch: string) => `&#${ch.charCodeAt(0)};`;

/** Shortens text to at most `max` characters (by code point), marking the cut. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : chars.slice(0, max - 1).join('') + '…';
}

/** content, plus i18n_content only when the languages differ (data-only text is sent once). */
const texts = (text: L10n): Json => (text.zh_cn === text.en_us ? { content: text.en_us } : { content: text.en_us, i18n_content: { ...text } });

export const plainText = (text: L10n): Json => ({ tag: 'plain_text', ...texts(text) });

export const markdown = (text: L10n, extra: Json = {}): Element => ({ tag: 'markdown', ...texts(text), ...extra });

export const hr = (): Element => ({ tag: 'hr' });

export type TagColor = 'neutral' | 'blue' | 'turquoise' | 'lime' | 'orange' | 'violet' | 'indigo' | 'wathet' | 'green' | 'yellow' | 'red' | 'purple' | 'carmine';
export type HeaderColor = 'blue' | 'wathet' | 'turquoise' | 'green' | 'yellow' | 'orange' | 'red' | 'carmine' | 'violet' | 'purple' | 'indigo' | 'grey';

/** An inline coloured tag inside markdown; `text` must already be escaped. */
export const inlineTag = (text: string, color: TagColor) => `<text_tag color='${color}'>${text}</text_tag>`;

export interface HeaderSpec {
  title: L10n;
  subtitle?: L10n;
  color: HeaderColor;
  tags?: { text: L10n; color: TagColor }[];
}

export function header(spec: HeaderSpec): Json {
  return {
    title: plainText(spec.title),
    ...(spec.subtitle ? { subtitle: plainText(spec.subtitle) } : {}),
    template: spec.color,
    ...(spec.tags?.length
      ? { text_tag_list: spec.tags.slice(0, 3).map((t) => ({ tag: 'text_tag', text: plainText(t.text), color: t.color })) }
      : {}),
    padding: '12px 12px 12px 12px',
  };
}

export interface ButtonSpec {
  text: L10n;
  value?: Json;
  kind?: 'primary' | 'default' | 'text';
  disabled?: boolean;
  size?: 'tiny' | 'small' | 'medium';
}

export function button(spec: ButtonSpec): Element {
  return {
    tag: 'button',
    text: plainText(spec.text),
    type: spec.kind ?? 'default',
    size: spec.size ?? 'small',
    ...(spec.disabled || !spec.value ? { disabled: true } : {}),
    ...(spec.value ? { behaviors: [{ type: 'callback', value: spec.value }] } : {}),
  };
}

export interface ColumnSpec {
  elements: Element[];
  weight?: number;
  width?: 'auto' | 'weighted';
  align?: 'top' | 'center' | 'bottom';
}

export function columns(cols: ColumnSpec[], extra: Json = {}): Element {
  return {
    tag: 'column_set',
    columns: cols.map((c) => ({
      tag: 'column',
      width: c.width ?? 'weighted',
      ...((c.width ?? 'weighted') === 'weighted' ? { weight: c.weight ?? 1 } : {}),
      ...(c.align ? { vertical_align: c.align } : {}),
      elements: c.elements,
    })),
    ...extra,
  };
}

export function panel(title: L10n, elements: Element[], expanded = false): Element {
  return {
    tag: 'collapsible_panel',
    expanded,
    header: { title: markdown(title), icon: { tag: 'standard_icon', token: 'down-small-ccm_outlined', size: '16px 16px' }, icon_position: 'right', icon_expanded_angle: -180 },
    border: { color: 'grey', corner_radius: '5px' },
    vertical_spacing: '8px',
    padding: '8px 8px 8px 8px',
    elements,
  };
}

export interface TableColumn {
  name: string;
  /** Column titles are shown as given in every language. */
  title: string;
  type?: 'text' | 'number';
  width?: string;
}

/** A table of plain-text cells (no markdown is interpreted in `text` columns). */
export function table(cols: TableColumn[], rows: Record<string, string | number>[], pageSize = 10): Element {
  return {
    tag: 'table',
    page_size: Math.min(Math.max(pageSize, 1), 10),
    row_height: 'low',
    header_style: { text_align: 'left', text_size: 'normal', background_style: 'grey', bold: true, lines: 1 },
    columns: cols.map((c) => ({ name: c.name, display_name: c.title, data_type: c.type ?? 'text', width: c.width ?? 'auto', horizontal_align: 'left' })),
    rows,
  };
}

export function card(head: Json, elements: Element[]): Json {
  return {
    schema: '2.0',
    config: { update_multi: true, width_mode: 'fill', locales: [...LOCALES], enable_forward: true },
    header: head,
    body: { direction: 'vertical', padding: '12px 12px 12px 12px', vertical_spacing: '8px', elements },
  };
}
