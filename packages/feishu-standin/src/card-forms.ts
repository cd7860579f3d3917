// What the platform's client sends when a form is submitted: the submit button's name and value,
// and form_value, the form's fields by name (helpdesk-actions.md §3.1-3.2). The client only sends
// what the card allows: a field of that form, an option the select has, a date it could pick, no
// text over max_length, and nothing at all while a required field is empty.
//
// Shapes: inputs and single selects give strings, multi-selects arrays of strings, dates
// "yyyy-MM-dd +0800" (the offset of the clicker's client; the official date-picker page gives this
// format for action.option, and the same in form_value is unconfirmed), date-times
// "yyyy-MM-dd HH:mm +0800" (unconfirmed), times "HH:mm". A field left empty is not sent (whether
// the platform sends "" instead is unknown: the bot must cope with both).
import { INTERACTIVE } from './card-fields.js';
import type { FormValue } from './deliveries.js';
import { isObject, type JsonObject } from './json.js';

/** The field a person fills in, and what it takes. */
interface Field {
  name: string;
  tag: string;
  required: boolean;
  /** The values a static select offers; a person picker's open_ids (none: anyone in the chat). */
  options?: string[];
  maxLength?: number;
}

export type Entered = Record<string, string | string[]>;
export type Submission = { ok: true; name: string; formValue: FormValue } | { ok: false; reason: string };

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATETIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/;
const TIME = /^\d{2}:\d{2}$/;
const MULTI = new Set(['multi_select_static', 'multi_select_person']);

/**
 * The form_value the client sends when the submit button `name` (whose callback value is `value`)
 * is clicked with `entered` in the fields; or why the client would send nothing.
 */
export function formSubmission(card: unknown, button: { name: string; value: unknown }, entered: Entered, offset = '+0800'): Submission {
  const form = formOf(card, button);
  if (!form) return { ok: false, reason: `no submit button ${JSON.stringify(button.name)} with that value in a form on the card` };
  const fields = new Map(form.map((f) => [f.name, f]));
  const unknown = Object.keys(entered).find((name) => !fields.has(name));
  if (unknown !== undefined) return { ok: false, reason: `the form has no field ${JSON.stringify(unknown)}` };
  const formValue: FormValue = {};
  for (const field of form) {
    const given = entered[field.name];
    const empty = given === undefined || given === '' || (Array.isArray(given) && given.length === 0);
    if (empty && field.required) return { ok: false, reason: `${field.name} is required: the client sends nothing until it is filled in` };
    if (empty) continue;
    const value = shaped(field, given, offset);
    if (typeof value === 'object' && 'error' in value) return { ok: false, reason: `${field.name}: ${value.error}` };
    formValue[field.name] = value;
  }
  return { ok: true, name: button.name, formValue };
}

function shaped(field: Field, given: string | string[], offset: string): string | string[] | { error: string } {
  if (MULTI.has(field.tag)) {
    if (!Array.isArray(given)) return { error: 'a multi-select sends a list' };
    const outside = given.find((v) => field.options !== undefined && field.options.length > 0 && !field.options.includes(v));
    return outside === undefined ? [...new Set(given)] : { error: `${JSON.stringify(outside)} is not one of its options` };
  }
  if (typeof given !== 'string') return { error: 'this field sends one value' };
  switch (field.tag) {
    case 'input':
      return [...given].length <= (field.maxLength ?? 1000) ? given : { error: `longer than its max_length ${field.maxLength ?? 1000}` };
    case 'select_static':
    case 'select_person':
      return field.options === undefined || field.options.length === 0 || field.options.includes(given) ? given : { error: `${JSON.stringify(given)} is not one of its options` };
    case 'date_picker':
      return DATE.test(given) ? `${given} ${offset}` : { error: 'a date is yyyy-MM-dd' };
    case 'picker_datetime':
      return DATETIME.test(given) ? `${given} ${offset}` : { error: 'a date and time is yyyy-MM-dd HH:mm' };
    case 'picker_time':
      return TIME.test(given) ? given : { error: 'a time is HH:mm' };
    default:
      return { error: `a ${field.tag} is not filled in` };
  }
}

export type Change = { tag: string; name?: string; value?: unknown } & ({ option: string } | { options: string[] });

/**
 * What the client sends for this change of a select or picker outside a form (a date with the
 * offset), if it can: the card has one of that tag (and name, and callback value) outside any
 * form, and it offers what was picked.
 */
export function selectChange(card: unknown, change: Change): { ok: true; picked: string | string[] } | { ok: false; reason: string } {
  const body = isObject(card) && isObject(card['body']) ? card['body']['elements'] : undefined;
  const outside = descendants(Array.isArray(body) ? body.filter((n) => !isObject(n) || n['tag'] !== 'form') : []);
  const node = outside.find((c) => c['tag'] === change.tag && c['name'] === change.name && c['disabled'] !== true && JSON.stringify(callbackValue(c)) === JSON.stringify(change.value));
  if (!node) return { ok: false, reason: `no ${change.tag}${change.name === undefined ? '' : ` ${JSON.stringify(change.name)}`} with that value outside a form on the card` };
  const picked = 'option' in change ? change.option : change.options;
  const value = shaped(field(node), picked, '+0800');
  return typeof value === 'object' && 'error' in value ? { ok: false, reason: value.error } : { ok: true, picked: value };
}

/** The fields of the form (on the card's root) that holds the submit button; undefined if none does. */
function formOf(card: unknown, button: { name: string; value: unknown }): Field[] | undefined {
  const body = isObject(card) && isObject(card['body']) ? card['body']['elements'] : undefined;
  for (const node of Array.isArray(body) ? body : []) {
    if (!isObject(node) || node['tag'] !== 'form') continue;
    const components = descendants(node['elements']);
    const submit = components.find((c) => c['tag'] === 'button' && c['form_action_type'] === 'submit' && c['name'] === button.name && c['disabled'] !== true);
    if (submit && JSON.stringify(callbackValue(submit)) === JSON.stringify(button.value))
      return components.filter((c) => c['tag'] !== 'button' && INTERACTIVE.has(String(c['tag'])) && typeof c['name'] === 'string').map(field);
  }
  return undefined;
}

function field(node: JsonObject): Field {
  const options = Array.isArray(node['options']) ? node['options'].flatMap((o) => (isObject(o) && typeof o['value'] === 'string' ? [o['value']] : [])) : undefined;
  return {
    name: String(node['name']),
    tag: String(node['tag']),
    required: node['required'] === true,
    ...(options === undefined ? {} : { options }),
    ...(typeof node['max_length'] === 'number' ? { maxLength: node['max_length'] } : {}),
  };
}

/** The value a component's callback behaviour sends. */
export function callbackValue(node: JsonObject): unknown {
  const behaviors = Array.isArray(node['behaviors']) ? node['behaviors'] : [];
  const callback = behaviors.find((b) => isObject(b) && b['type'] === 'callback');
  return isObject(callback) ? callback['value'] : undefined;
}

/** Every component under a container, depth first (a form's fields may sit in columns). */
function descendants(list: unknown, depth = 0): JsonObject[] {
  if (!Array.isArray(list) || depth > 8) return [];
  return list
    .filter(isObject)
    .flatMap((node) => [node, ...descendants(node['elements'], depth + 1), ...(Array.isArray(node['columns']) ? node['columns'].filter(isObject).flatMap((c) => descendants(c['elements'], depth + 1)) : [])]);
}
