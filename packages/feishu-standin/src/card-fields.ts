// The platform's rules for the components of forms (input, selects, date pickers), charts and
// people, as the card JSON 2.0 pages and the vendor's card references state them
// (shared/reference/helpdesk-actions.md §3). Where the form container's own rules (root only,
// names, a submit button) are checked: cards.ts.
import { isObject, type JsonObject } from './json.js';
import { boolean, broken, oneOf, only, text } from './card-rules.js';

const BASE = ['tag', 'element_id', 'margin'];
/** What every field has; `name` identifies it in a form's form_value. */
const FIELD = [...BASE, 'name', 'required', 'disabled', 'width', 'placeholder', 'behaviors', 'confirm'];
const SELECT = [...FIELD, 'type', 'options'];

/** Components a person acts on: inside a form each needs a name, unique in the whole card. */
export const INTERACTIVE = new Set([
  'button',
  'input',
  'select_static',
  'multi_select_static',
  'select_person',
  'multi_select_person',
  'date_picker',
  'picker_time',
  'picker_datetime',
  'overflow',
  'checker',
  'select_img',
]);

export const MAX_CHARTS = 5;
/** VChart types the chart page names as working in cards (a ring is a pie with innerRadius). */
export const CHART_TYPES = ['line', 'area', 'bar', 'pie', 'scatter', 'wordCloud'] as const;
const ASPECT_RATIOS = ['1:1', '2:1', '4:3', '16:9'];
const COLOR_THEMES = ['brand', 'rainbow', 'complementary', 'converse', 'primary'];
const INPUT_TYPES = ['text', 'multiline_text', 'password'];
const MAX_INPUT_LENGTH = 1000;
const MAX_PLACEHOLDER = 100;
const SIZES = ['extra_small', 'small', 'medium', 'large'];

/**
 * Checks a form field, chart or person component; answers how many text elements it holds (for
 * the card's 200-element limit), or undefined when `tag` is none of those.
 */
export function checkComponent(tag: string, node: JsonObject, path: string): number | undefined {
  const check = CHECKS[tag];
  return check ? check(node, path) : undefined;
}

const CHECKS: Record<string, (node: JsonObject, path: string) => number> = {
  input(node, path) {
    only(node, [...FIELD, 'default_value', 'max_length', 'input_type', 'show_icon', 'rows', 'auto_resize', 'max_rows', 'label', 'label_position'], path);
    oneOf(node, 'input_type', INPUT_TYPES, path);
    const max = node['max_length'];
    if (max !== undefined && !(Number.isInteger(max) && (max as number) >= 1 && (max as number) <= MAX_INPUT_LENGTH)) broken(`max_length must be an integer from 1 to ${MAX_INPUT_LENGTH}`, `${path}.max_length`);
    const initial = node['default_value'];
    if (initial !== undefined && (typeof initial !== 'string' || [...initial].length > ((max as number | undefined) ?? MAX_INPUT_LENGTH)))
      broken('default_value must be a string within max_length', `${path}.default_value`);
    text(node['placeholder'], `${path}.placeholder`, MAX_PLACEHOLDER);
    text(node['label'], `${path}.label`);
    return field(node, path) + (node['label'] === undefined ? 0 : 1);
  },
  select_static(node, path) {
    only(node, [...SELECT, 'initial_option', 'initial_index'], path);
    const values = options(node, path);
    if (node['initial_option'] !== undefined && !values.includes(node['initial_option'] as string)) broken('initial_option is not one of the options', `${path}.initial_option`);
    const index = node['initial_index'];
    if (index !== undefined && !(Number.isInteger(index) && (index as number) >= 1 && (index as number) <= values.length)) broken('initial_index is not the place of an option (from 1)', `${path}.initial_index`);
    return field(node, path) + values.length;
  },
  multi_select_static(node, path) {
    only(node, [...SELECT, 'selected_values'], path);
    const values = options(node, path);
    selected(node, values, path);
    return field(node, path) + values.length;
  },
  select_person(node, path) {
    only(node, [...SELECT, 'initial_option'], path);
    const ids = people(node, path);
    if (node['initial_option'] !== undefined && (typeof node['initial_option'] !== 'string' || (ids.length > 0 && !ids.includes(node['initial_option']))))
      broken('initial_option is not one of the options', `${path}.initial_option`);
    return field(node, path);
  },
  multi_select_person(node, path) {
    only(node, [...SELECT, 'selected_values'], path);
    const ids = people(node, path);
    if (ids.length > 0) selected(node, ids, path);
    return field(node, path);
  },
  date_picker: picker('initial_date', /^(\d{4})-(\d{2})-(\d{2})$/, 'yyyy-MM-dd'),
  picker_datetime: picker('initial_datetime', /^(\d{4})-(\d{2})-(\d{2}) ([01]\d|2[0-3]):[0-5]\d$/, 'yyyy-MM-dd HH:mm'),
  picker_time: picker('initial_time', /^([01]\d|2[0-3]):[0-5]\d$/, 'HH:mm'),
  chart(node, path) {
    only(node, [...BASE, 'aspect_ratio', 'color_theme', 'chart_spec', 'preview', 'height'], path);
    oneOf(node, 'aspect_ratio', ASPECT_RATIOS, path);
    oneOf(node, 'color_theme', COLOR_THEMES, path);
    boolean(node, 'preview', path);
    const height = node['height'];
    const px = typeof height === 'string' ? /^(\d{1,3})px$/.exec(height) : null;
    if (height !== undefined && height !== 'auto' && !(px && Number(px[1]) >= 1)) broken('height must be auto or 1px to 999px', `${path}.height`);
    const spec = node['chart_spec'];
    if (!isObject(spec)) return broken('chart_spec must be an object', `${path}.chart_spec`);
    if (!(CHART_TYPES as readonly unknown[]).includes(spec['type'])) broken(`chart_spec.type must be one of ${CHART_TYPES.join(', ')}`, `${path}.chart_spec.type`);
    pureJson(spec, `${path}.chart_spec`, 0);
    return 0;
  },
  person(node, path) {
    only(node, [...BASE, 'size', 'user_id', 'show_avatar', 'show_name', 'style'], path);
    if (typeof node['user_id'] !== 'string' || node['user_id'] === '') broken('user_id is required', `${path}.user_id`);
    oneOf(node, 'size', SIZES, path);
    oneOf(node, 'style', ['normal', 'capsule'], path);
    for (const key of ['show_avatar', 'show_name']) boolean(node, key, path);
    return 0;
  },
  person_list(node, path) {
    only(node, [...BASE, 'lines', 'show_name', 'show_avatar', 'size', 'persons', 'drop_invalid_user_id', 'icon'], path);
    oneOf(node, 'size', SIZES, path);
    for (const key of ['show_avatar', 'show_name', 'drop_invalid_user_id']) boolean(node, key, path);
    const persons = node['persons'];
    if (!Array.isArray(persons)) return broken('persons must be an array', `${path}.persons`);
    persons.forEach((person, i) => {
      const at = `${path}.persons[${i}]`;
      if (!isObject(person) || typeof person['id'] !== 'string') return broken('a person is {"id": …}', at);
      only(person, ['id'], at);
      // Unless told to drop them, one id the platform cannot resolve fails the whole card. The
      // stand-in knows no directory: an id not shaped like an open_id, union_id or user_id is unknown.
      if (node['drop_invalid_user_id'] !== true && !/^((ou|on)_[0-9a-z]{16,64}|[0-9a-z]{8})$/.test(person['id'])) broken('invalid user id (set drop_invalid_user_id to skip it)', `${at}.id`);
    });
    return 0;
  },
};

/** What every field shares: its placeholder, flags and confirm dialog; text elements it holds. */
function field(node: JsonObject, path: string): number {
  for (const key of ['required', 'disabled']) boolean(node, key, path);
  text(node['placeholder'], `${path}.placeholder`);
  return (node['placeholder'] === undefined ? 0 : 1) + confirm(node['confirm'], `${path}.confirm`);
}

/** A confirm dialog shown before the action goes: a title and a text; text elements it holds. */
export function confirm(node: unknown, path: string): number {
  if (node === undefined) return 0;
  if (!isObject(node) || node['title'] === undefined || node['text'] === undefined) return broken('confirm needs a title and a text', path);
  only(node, ['title', 'text'], path);
  text(node['title'], `${path}.title`);
  text(node['text'], `${path}.text`);
  return 2;
}

/** A static select's options: at least one, each {text, value} with a value no other has. */
function options(node: JsonObject, path: string): string[] {
  const list = node['options'];
  if (!Array.isArray(list) || list.length === 0) return broken('options must be a non-empty array', `${path}.options`);
  const values = list.map((option, i) => {
    const at = `${path}.options[${i}]`;
    if (!isObject(option) || typeof option['value'] !== 'string' || option['value'] === '') return broken('an option is {text, value} with a non-empty string value', at);
    only(option, ['text', 'icon', 'value'], at);
    text(option['text'], `${at}.text`);
    return option['value'];
  });
  const twice = values.find((v, i) => values.indexOf(v) !== i);
  if (twice !== undefined) broken('option values must be unique', `${path}.options`);
  return values;
}

/** A person picker's options: open_ids only ({value: "ou_…"}); none means every member of the chat. */
function people(node: JsonObject, path: string): string[] {
  const list = node['options'] ?? [];
  if (!Array.isArray(list)) return broken('options must be an array', `${path}.options`);
  return list.map((option, i) => {
    const at = `${path}.options[${i}]`;
    if (!isObject(option) || typeof option['value'] !== 'string' || !option['value'].startsWith('ou_')) return broken('a person option is {"value": open_id}', at);
    only(option, ['value'], at);
    return option['value'];
  });
}

function selected(node: JsonObject, values: readonly string[], path: string): void {
  const chosen = node['selected_values'];
  if (chosen === undefined) return;
  if (!Array.isArray(chosen) || chosen.some((v) => typeof v !== 'string' || !values.includes(v))) broken('selected_values must be values of the options', `${path}.selected_values`);
}

function picker(key: string, format: RegExp, shown: string) {
  return (node: JsonObject, path: string): number => {
    only(node, [...FIELD, key], path);
    const initial = node[key];
    if (initial !== undefined && !(typeof initial === 'string' && format.test(initial) && realDate(initial))) broken(`${key} must be a date as ${shown}`, `${path}.${key}`);
    return field(node, path);
  };
}

/** A yyyy-MM-dd prefix, if any, names a day that exists (no 2026-02-30). */
function realDate(value: string): boolean {
  const day = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  if (!day) return true;
  const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** Source code written as a string: `function (…) {…}` or an arrow function. */
const FUNCTION_SOURCE = /^\s*(async\s+)?(function\b[\s\w$]*\(|(\([^()]*\)|[A-Za-z_$][\w$]*)\s*=>)/;

/** A chart spec is data only: no function anywhere (no formatter callbacks), nor its source. */
function pureJson(value: unknown, path: string, depth: number): void {
  if (depth > 32) broken('chart_spec is nested too deep', path);
  if (typeof value === 'function' || (typeof value === 'string' && FUNCTION_SOURCE.test(value))) broken('chart_spec must not contain functions', path);
  if (Array.isArray(value)) value.forEach((v, i) => pureJson(v, `${path}[${i}]`, depth + 1));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) pureJson(v, `${path}.${k}`, depth + 1);
}
