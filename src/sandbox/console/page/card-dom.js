// @ts-check
// What the card renderer's modules share (card.js, card-form.js, card-chart.js): the types of what
// rendering needs, and small DOM helpers. Card text only ever goes in through textContent.

/**
 * Card JSON as it comes: untrusted, so every field is checked where it is used.
 * @typedef {Record<string, any>} Json
 */
/** @typedef {'zh_cn' | 'en_us'} Locale */
/**
 * What a person did on a card, as the console's API takes it: a button clicked (with the form's
 * values when it submits one), or a select changed outside a form (option, or options).
 * @typedef {{ value?: object, name?: string, form?: Record<string, string | string[]>, tag?: string, option?: string, options?: string[] }} CardAction
 */
/**
 * A field of a form: how to read what was entered, put it back, and show that it is missing.
 * @typedef {{ name: string, required: boolean, read: () => string | string[], reset: () => void, invalid: (on: boolean) => void }} FormField
 */
/**
 * What rendering needs: the viewer's language, what an action does, and the form being rendered.
 * @typedef {{ locale: Locale, onAction: (action: CardAction, control: HTMLElement) => void, form?: FormField[] }} Ctx
 */

/**
 * The text of a text object (or element) in the viewer's language: i18n_content, else content.
 * @param {unknown} node
 * @param {Locale} locale
 * @returns {string}
 */
export function pickText(node, locale) {
  if (typeof node === 'string') return node;
  if (!isObject(node)) return '';
  const i18n = node.i18n_content;
  if (isObject(i18n) && typeof i18n[locale] === 'string') return i18n[locale];
  return typeof node.content === 'string' ? node.content : '';
}

/**
 * @param {string} tag
 * @param {string} [why]
 */
export function unsupported(tag, why) {
  const box = el('div', 'unsupported');
  box.textContent = `unsupported element: ${tag}${why ? ` (${why})` : ''}`;
  return box;
}

/**
 * The value a component's callback behaviour sends, if it has one.
 * @param {Json} node
 * @returns {object | undefined}
 */
export function callbackValue(node) {
  const behaviors = Array.isArray(node.behaviors) ? node.behaviors.filter(isObject) : [];
  const callback = behaviors.find((b) => b.type === 'callback' && isObject(b.value));
  return callback?.value;
}

/**
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} name
 * @param {string} [className]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function el(name, className) {
  const node = document.createElement(name);
  if (className) node.className = className;
  return node;
}

/**
 * @param {unknown} value
 * @returns {value is Json}
 */
export function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * @param {unknown} value
 * @param {number} min
 * @param {number} max
 * @param {number} fallback
 */
export function clampNumber(value, min, max, fallback) {
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(max, Math.max(min, Math.round(value))) : fallback;
}
