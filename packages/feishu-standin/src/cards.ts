// Card checks the platform makes when a card is sent or updated, so that no test passes with a card
// Feishu would refuse. JSON 2.0 rejects what it does not know (feishu-platform.md §3):
// - unknown attributes, and those only 1.0 had (fallback, i18n_header, wide_screen_mode, header
//   title.i18n, ud_icon, markdown href, update_multi: false), and the removed tags action and note;
// - a table or a form anywhere but the card's root, more than 5 tables, containers nested deeper
//   than 5 levels, more than 200 elements counting text elements (every plain_text of a header,
//   button, panel title, placeholder, option or confirm dialog);
// - forms (helpdesk-actions.md §3.1): no form or table inside one, every interactive component in
//   one named, every name unique in the whole card, at least one submit button in each, and
//   form_action_type only on a form's buttons; their fields, charts (at most 5) and people as
//   card-fields.ts checks them.
// Answers carry the platform's 230099 sub-error: which, and where each comes from, in card-rules.ts.
import { isObject, tryParse, type JsonObject } from './json.js';
import { broken, DROPPED, only, Refused, refuse, STRUCTURE, text, UNPARSABLE } from './card-rules.js';
import { checkComponent, confirm, INTERACTIVE, MAX_CHARTS } from './card-fields.js';
import { callbackValue } from './card-forms.js';

export const MAX_CARD_ELEMENTS = 200;
const MAX_TABLES = 5;
const MAX_NESTING = 5;

export type CardCheck = { ok: true; card: JsonObject } | { ok: false; subcode: number; reason: string };

const fail = (subcode: number, reason: string): CardCheck => ({ ok: false, subcode, reason });

const ICON = ['tag', 'token', 'color', 'img_key', 'size'];
const SPACING = ['direction', 'vertical_spacing', 'horizontal_spacing', 'vertical_align', 'horizontal_align', 'padding'];

/** Attributes each component may have, for the components whose attributes are fully known. */
const ATTRIBUTES: Record<string, readonly string[]> = {
  markdown: ['tag', 'element_id', 'margin', 'content', 'i18n_content', 'text_align', 'text_size', 'icon'],
  div: ['tag', 'element_id', 'margin', 'width', 'text', 'icon'],
  hr: ['tag', 'element_id', 'margin'],
  column_set: ['tag', 'element_id', 'margin', 'horizontal_spacing', 'horizontal_align', 'flex_mode', 'background_style', 'columns'],
  column: ['tag', 'element_id', 'width', 'weight', 'background_style', 'margin', 'behaviors', ...SPACING, 'elements'],
  button: ['tag', 'element_id', 'margin', 'type', 'size', 'width', 'text', 'icon', 'hover_tips', 'disabled', 'disabled_tips', 'confirm', 'behaviors', 'form_action_type', 'name'],
  table: ['tag', 'element_id', 'margin', 'page_size', 'row_height', 'row_max_height', 'freeze_first_column', 'header_style', 'columns', 'rows'],
  collapsible_panel: ['tag', 'element_id', 'margin', 'expanded', 'background_color', 'header', 'border', ...SPACING, 'elements'],
  form: ['tag', 'element_id', 'margin', 'name', ...SPACING, 'elements'],
};
/** Other 2.0 components: known, so accepted, their attributes checked by card-fields.ts or not at all. */
const OTHER_COMPONENTS = new Set(['img', 'img_combination', 'person', 'person_list', 'chart', 'interactive_container', 'audio', 'video', ...[...INTERACTIVE].filter((tag) => !ATTRIBUTES[tag])]);
/** Removed in 2.0. */
const REMOVED = new Set(['action', 'note']);
const CONTAINERS = new Set(['column_set', 'collapsible_panel', 'form', 'interactive_container']);
const ROOT_ONLY = new Set(['table', 'form']);

const TOP = ['schema', 'config', 'header', 'body', 'card_link'];
const CONFIG = ['update_multi', 'width_mode', 'locales', 'enable_forward', 'enable_forward_interaction', 'streaming_mode', 'streaming_config', 'summary', 'style', 'use_custom_translation'];
const HEADER = ['title', 'subtitle', 'template', 'text_tag_list', 'i18n_text_tag_list', 'icon', 'padding'];
const BODY = ['elements', ...SPACING];
const PANEL_HEADER = ['title', 'background_color', 'vertical_align', 'padding', 'width', 'icon', 'icon_position', 'icon_expanded_angle'];
interface Walk {
  elements: number;
  tables: number;
  charts: number;
  /** Every component name met so far: names are unique in the whole card. */
  names: Set<string>;
}

/** The form being walked, if any: whether a submit button was met in it. */
interface InForm {
  submit: boolean;
}

function elementsOf(list: unknown, path: string, depth: number, walk: Walk, form?: InForm): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) return broken('elements must be an array', path);
  list.forEach((node, i) => element(node, `${path}[${i}]`, depth, walk, form));
}

function element(node: unknown, path: string, depth: number, walk: Walk, form?: InForm): void {
  if (!isObject(node) || typeof node['tag'] !== 'string') return broken('an element must be an object with a tag', path);
  const tag = node['tag'];
  walk.elements += 1;
  if (REMOVED.has(tag)) refuse(DROPPED, `cards of schema V2 no longer support this capability: tag ${tag}`, `${path}.tag`);
  if (!ATTRIBUTES[tag] && !OTHER_COMPONENTS.has(tag)) broken(`unknown tag ${tag}`, `${path}.tag`);
  if (ROOT_ONLY.has(tag) && depth > 0) broken(`${tag} can only be placed at the root of the card`, path);
  if (tag === 'table' && ++walk.tables > MAX_TABLES) broken('card table number over limit', 'table');
  if (tag === 'chart' && ++walk.charts > MAX_CHARTS) broken('card chart number over limit', 'chart');
  const allowed = ATTRIBUTES[tag];
  if (allowed) only(node, allowed, path);
  name(node, path, walk, form !== undefined && INTERACTIVE.has(tag));
  walk.elements += checkComponent(tag, node, path) ?? 0;
  if (tag === 'markdown' && node['icon'] !== undefined && isObject(node['icon'])) only(node['icon'], ICON, `${path}.icon`);
  if (tag === 'button') {
    text(node['text'], `${path}.text`);
    walk.elements += (node['text'] === undefined ? 0 : 1) + confirm(node['confirm'], `${path}.confirm`);
    const action = node['form_action_type'];
    if (action !== undefined && !form) broken('form_action_type is only for buttons in a form', `${path}.form_action_type`);
    if (action !== undefined && action !== 'submit' && action !== 'reset') broken('form_action_type must be submit or reset', `${path}.form_action_type`);
    if (form && action === 'submit') form.submit = true;
  }
  if (tag === 'div') {
    text(node['text'], `${path}.text`);
    walk.elements += node['text'] === undefined ? 0 : 1;
  }
  const inner = CONTAINERS.has(tag) ? depth + 1 : depth;
  if (CONTAINERS.has(tag) && inner > MAX_NESTING) broken(`components are nested more than ${MAX_NESTING} levels deep`, path);
  if (tag === 'column_set') {
    const columns = node['columns'];
    if (columns !== undefined && !Array.isArray(columns)) broken('columns must be an array', `${path}.columns`);
    (Array.isArray(columns) ? columns : []).forEach((column, i) => {
      const at = `${path}.columns[${i}]`;
      if (!isObject(column) || column['tag'] !== 'column') return broken('a column_set holds columns', at);
      walk.elements += 1;
      only(column, ATTRIBUTES['column']!, at);
      elementsOf(column['elements'], `${at}.elements`, inner, walk, form);
    });
  }
  if (tag === 'collapsible_panel') {
    const header = node['header'];
    if (isObject(header)) {
      only(header, PANEL_HEADER, `${path}.header`);
      text(header['title'], `${path}.header.title`);
      walk.elements += header['title'] === undefined ? 0 : 1;
      if (isObject(header['icon'])) only(header['icon'], ICON, `${path}.header.icon`);
    }
    if (isObject(node['border'])) only(node['border'], ['color', 'corner_radius'], `${path}.border`);
  }
  if (tag === 'form') {
    const inForm: InForm = { submit: false };
    elementsOf(node['elements'], `${path}.elements`, inner, walk, inForm);
    if (!inForm.submit) broken('a form needs a button with form_action_type submit', path);
  } else if (tag !== 'column_set' && CONTAINERS.has(tag)) elementsOf(node['elements'], `${path}.elements`, inner, walk, form);
}

/** A form and every interactive component in one need a name; a name is used once in the card. */
function name(node: JsonObject, path: string, walk: Walk, needed: boolean): void {
  const value = node['name'];
  if (value === undefined && (needed || node['tag'] === 'form')) return broken('a form, and each interactive component in it, needs a name', `${path}.name`);
  if (value === undefined) return;
  if (typeof value !== 'string' || value === '') return broken('name must be a non-empty string', `${path}.name`);
  if (walk.names.has(value)) broken('name is not unique in the card', `${path}.name`);
  walk.names.add(value);
}

function header(node: unknown, walk: Walk): void {
  if (node === undefined) return;
  if (!isObject(node)) return broken('header must be an object', 'header');
  only(node, HEADER, 'header');
  for (const key of ['title', 'subtitle']) {
    text(node[key], `header.${key}`);
    if (node[key] !== undefined) walk.elements += 1;
  }
  const tags = node['text_tag_list'];
  if (tags !== undefined) {
    if (!Array.isArray(tags) || tags.length > 3) broken('text_tag_list holds at most 3 tags', 'header.text_tag_list');
    (tags as unknown[]).forEach((t, i) => {
      const at = `header.text_tag_list[${i}]`;
      if (!isObject(t) || t['tag'] !== 'text_tag') return broken('text_tag_list holds text_tag elements', at);
      only(t, ['tag', 'element_id', 'text', 'color'], at);
      text(t['text'], `${at}.text`);
      walk.elements += 2;
    });
  }
}

export function checkCard(card: unknown): CardCheck {
  if (!isObject(card)) return fail(UNPARSABLE, 'parse card json err: the card must be a JSON object');
  if (card['schema'] !== '2.0') return { ok: true, card };
  try {
    only(card, TOP, 'card');
    const config = card['config'];
    if (config !== undefined) {
      if (!isObject(config)) broken('config must be an object', 'config');
      only(config as JsonObject, CONFIG, 'config');
      if ((config as JsonObject)['update_multi'] === false) refuse(DROPPED, 'cards of schema V2 are always shared: update_multi false is not supported', 'config.update_multi');
    }
    const walk: Walk = { elements: 0, tables: 0, charts: 0, names: new Set() };
    header(card['header'], walk);
    const body = card['body'];
    if (!isObject(body) || !Array.isArray(body['elements'])) return fail(STRUCTURE, 'body.elements is required and must be an array in a schema 2.0 card');
    only(body, BODY, 'body');
    elementsOf(body['elements'], 'body.elements', 0, walk);
    if (walk.elements > MAX_CARD_ELEMENTS) return fail(STRUCTURE, `element exceeds the limit: ${walk.elements} elements, at most ${MAX_CARD_ELEMENTS}`);
  } catch (error) {
    if (error instanceof Refused) return fail(error.subcode, error.message);
    throw error;
  }
  return { ok: true, card };
}

/** `content` of an interactive message: a JSON string holding the card. */
export function checkCardContent(content: string): CardCheck {
  const parsed = tryParse(content);
  if (!parsed) return fail(UNPARSABLE, 'parse card json err');
  return checkCard(parsed.value);
}

export const describeFailure = (check: { subcode: number; reason: string }): string => `ErrCode: ${check.subcode}; ErrMsg: ${check.reason}; `;

export interface CardButton {
  /** The button's English text (`text.content`). */
  text: string;
  /** The value of its callback behaviour: what a click sends back. */
  value: unknown;
  disabled: boolean;
  /** A form's submit or reset button: a click submits (or resets) the form, see card-forms.ts. */
  formAction?: 'submit' | 'reset';
}

/** Every button of a card, wherever it is nested, in the order a reader meets them. */
export function cardButtons(card: unknown): CardButton[] {
  const found: CardButton[] = [];
  const walk = (node: unknown, depth: number): void => {
    if (depth > 64 || typeof node !== 'object' || node === null) return;
    if (Array.isArray(node)) return node.forEach((n) => walk(n, depth + 1));
    const n = node as JsonObject;
    if (n['tag'] === 'button') {
      const text = isObject(n['text']) ? n['text']['content'] : undefined;
      const formAction = n['form_action_type'] === 'submit' || n['form_action_type'] === 'reset' ? n['form_action_type'] : undefined;
      found.push({ text: typeof text === 'string' ? text : '', value: callbackValue(n), disabled: n['disabled'] === true, ...(formAction ? { formAction } : {}) });
    }
    for (const v of Object.values(n)) walk(v, depth + 1);
  };
  walk(card, 0);
  return found;
}
