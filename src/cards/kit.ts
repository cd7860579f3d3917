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

// ---- data as text ----
//
// Card markdown is CommonMark (no HTML blocks) plus a few tags (<at>, <font>, <text_tag>, <link>,
// ...). Data (names, ticket fields, comments, the conversation, words echoed back) must show as
// exactly what it is, so every piece of it goes through esc() before it is put into markdown:
// - characters with meaning anywhere in a line become numeric entities, which CommonMark never
//   reads as structure: & < > * _ ~ ` [ ] ( ) # | \ : @ (tags, emphasis, code, links, tables,
//   autolinks to URLs and e-mail addresses, Feishu's :emoji:);
// - at the start of a line, what would open a block (a list, a quote, a heading, a setext
//   underline of === or ---, an ordered-list number) is neutralised the same way, and leading
//   spaces are dropped so nothing becomes an indented code block;
// - control characters, bidirectional overrides, and zero-width and direction marks are dropped
//   (dropInvisible); blank lines collapse.
// Plain-text components (header titles, buttons) interpret nothing; plain() only cleans them.

const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
/**
 * Characters that show nothing but change what text looks like or how it compares: zero-width
 * spaces and joiners, word joiners and invisible operators, byte order marks, direction marks
 * (LRM, RLM, ALM). A zero-width joiner inside an emoji sequence (👩‍💻) is kept: there it is the
 * emoji.
 */
const INVISIBLE = /[\u200b\u200c\u200e\u200f\u061c\u180e\u2060-\u2064\ufeff]|(?<!\p{Extended_Pictographic}|\p{Emoji_Modifier}|\ufe0f)\u200d|\u200d(?!\p{Extended_Pictographic})/gu;

/** Text without what would show nothing (see INVISIBLE), as names, echoed words and commands must be. */
export const dropInvisible = (text: string): string => text.replace(INVISIBLE, '');
const INLINE = /[&<>*_~`[\]()#|\\:@]/g;
const entity = (ch: string) => `&#${ch.codePointAt(0)};`;

function escLine(line: string): string {
  const body = line.replace(INLINE, entity).replace(/www\./gi, (w) => `${w.slice(0, 3)}&#46;`);
  // Block openers at the line start: list bullets, setext underlines, ordered-list numbers.
  return body.replace(/^([-+=])/, (ch) => entity(ch)).replace(/^(\d{1,9})([.])/, (_, n: string, dot: string) => n + entity(dot));
}

/**
 * Escapes data for the card markdown component. Line breaks become spaces unless `keepLines`
 * (comments, messages), where each line is escaped on its own and blank lines collapse.
 */
export function esc(text: string, { keepLines = false } = {}): string {
  const clean = dropInvisible(text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ').replace(CONTROLS, ''));
  if (!keepLines) return escLine(clean.replace(/\s+/g, ' ').trim());
  return clean
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '')
    .map(escLine)
    .join('\n');
}

/** Text for plain_text components: shown as is, so only control characters and extra space go. */
export function plain(text: string): string {
  return dropInvisible(text.replace(CONTROLS, '')).replace(/\s+/g, ' ').trim();
}

/** Shortens text to at most `max` characters (by code point), marking the cut. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : chars.slice(0, Math.max(0, max - 1)).join('') + '…';
}

/** content, plus i18n_content only when the languages differ (data-only text is sent once). */
const texts = (text: L10n): Json => (text.zh_cn === text.en_us ? { content: text.en_us } : { content: text.en_us, i18n_content: { ...text } });

export const plainText = (text: L10n): Json => ({ tag: 'plain_text', ...texts(text) });

export const markdown = (text: L10n, extra: Json = {}): Element => ({ tag: 'markdown', ...texts(text), ...extra });

export const hr = (): Element => ({ tag: 'hr' });

/** Secondary text (notes, times, hints) in grey; `text` must already be escaped. */
export const grey = (text: L10n): L10n => mapL(text, (s) => `<font color='grey'>${s}</font>`);

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
    ...(spec.tags?.length ? { text_tag_list: spec.tags.slice(0, 3).map((t) => ({ tag: 'text_tag', text: plainText(t.text), color: t.color })) } : {}),
    padding: '12px 12px 12px 12px',
  };
}

export interface ButtonSpec {
  text: L10n;
  value?: Json;
  kind?: 'primary' | 'default' | 'text' | 'danger';
  disabled?: boolean;
  size?: 'tiny' | 'small' | 'medium';
  /** The platform's own dialog before the click goes: OK sends it, Cancel sends nothing. */
  confirm?: { title: L10n; text: L10n };
}

export function button(spec: ButtonSpec): Element {
  return {
    tag: 'button',
    text: plainText(spec.text),
    type: spec.kind ?? 'default',
    size: spec.size ?? 'small',
    ...(spec.disabled || !spec.value ? { disabled: true } : {}),
    ...(spec.value ? { behaviors: [{ type: 'callback', value: spec.value }] } : {}),
    ...(spec.confirm ? { confirm: { title: plainText(mapL(spec.confirm.title, plain)), text: plainText(mapL(spec.confirm.text, plain)) } } : {}),
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

/** Buttons in a row that wraps onto more lines as the card narrows. */
export const flow = (buttons: Element[]): Element =>
  columns(
    buttons.map((b) => ({ elements: [b], width: 'auto' as const })),
    { flex_mode: 'flow', horizontal_spacing: '8px' },
  );

/**
 * A card's last row, under a rule: its buttons on the left, a small grey note on the right (when
 * it was fetched, what to type next).
 */
export function footerRow(buttons: Element[], note: L10n): Element[] {
  return [hr(), columns([...buttons.map((b) => ({ elements: [b], width: 'auto' as const })), { elements: [markdown(note, { text_align: 'right', text_size: 'notation' })], align: 'center' as const }])];
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

// ---- size ----

/** The platform refuses a send, reply or update whose request body is over 30 KB (error 230025). */
export const BODY_LIMIT_BYTES = 30 * 1024;
// The reply's uuid is 41 characters (see src/feishu/messenger.ts replyUuid).
const UUID = 'r' + '0'.repeat(40);

/**
 * Bytes of the reply request body that carries the card, as the SDK sends it: the card is a JSON
 * string inside the body, so each of its quotes and backslashes is escaped once more. Replies are
 * the largest of the three bodies (patch sends only the content, a card update the card as an object).
 */
export function replyBodyBytes(card: Json): number {
  return Buffer.byteLength(JSON.stringify({ msg_type: 'interactive', content: JSON.stringify(card), uuid: UUID }));
}

/**
 * Renders at the first level of detail whose reply body fits the limit, trying each in turn; if
 * none does, the fallback (which must fit whatever the data) is used.
 */
export function fitCard<L>(levels: readonly L[], render: (level: L) => Json, fallback: () => Json, limit = BODY_LIMIT_BYTES): Json {
  for (const level of levels) {
    const card = render(level);
    if (replyBodyBytes(card) <= limit) return card;
  }
  return fallback();
}
