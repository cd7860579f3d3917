// Builders for card forms (card JSON 2.0, shared/reference/helpdesk-actions.md §3.1-3.2): the form
// container, its fields and its submit button. The platform's rules they keep:
// - a form sits at the card's root (not in a column or panel) and holds no form or table;
// - every field and button in it has a `name`, unique in the whole card: form_value is keyed by it;
// - it has a submit button; the submit's callback value is signed (src/views/buttons.ts), because
//   form_value is not: every value in it is untrusted input, to be checked like typed text;
// - what comes back: inputs and selects as strings, multi-selects as arrays of strings, dates as
//   "yyyy-MM-dd +0800" (the clicker's offset), fields left empty maybe absent, maybe "".
// Visible texts are bilingual (L10n); texts from data (option labels, defaults) are cleaned by plain().
import { button, clip, type Element, type Json, type L10n, mapL, plain, plainText } from './kit.js';

/** The platform's bounds: max_length 1 to 1000, a placeholder of at most 100 characters. */
export const MAX_INPUT_LENGTH = 1000;
const MAX_PLACEHOLDER = 100;

export interface FieldSpec {
  /** The key of this field in form_value; unique in the card. */
  name: string;
  placeholder?: L10n;
  /** The client sends nothing until a required field is filled in (shown with a marker). */
  required?: boolean;
  width?: 'default' | 'fill';
}

export interface Option {
  value: string;
  text: L10n;
}

/** A form: `elements` are its fields and buttons (columns of them too), with one submit button at least. */
export function form(name: string, elements: Element[]): Element {
  return { tag: 'form', name, vertical_spacing: '8px', elements };
}

export interface InputSpec extends FieldSpec {
  kind?: 'text' | 'multiline_text' | 'password';
  /** Characters; 1 to 1000 (more is cut to 1000). */
  maxLength?: number;
  /** Shown in the field at first; a person's own text from data is cleaned, and cut to maxLength. */
  initial?: string;
  label?: L10n;
}

export function input(spec: InputSpec): Element {
  const maxLength = Math.min(Math.max(Math.round(spec.maxLength ?? MAX_INPUT_LENGTH), 1), MAX_INPUT_LENGTH);
  return {
    tag: 'input',
    ...field(spec),
    input_type: spec.kind ?? 'text',
    max_length: maxLength,
    ...(spec.kind === 'multiline_text' ? { rows: 3, auto_resize: true } : {}),
    ...(spec.initial ? { default_value: clip(plain(spec.initial), maxLength) } : {}),
    ...(spec.label ? { label: plainText(spec.label), label_position: 'top' } : {}),
  };
}

export interface SelectSpec extends FieldSpec {
  options: Option[];
  /** The option chosen at first (ignored if no option has it). */
  initial?: string;
}

export function selectStatic(spec: SelectSpec): Element {
  const options = optionList(spec.options);
  const chosen = options.some((o) => o.value === spec.initial);
  return { tag: 'select_static', ...field(spec), options, ...(chosen ? { initial_option: spec.initial } : {}) };
}

export interface MultiSelectSpec extends FieldSpec {
  options: Option[];
  /** The options chosen at first (those no option has are left out). */
  selected?: string[];
}

export function multiSelectStatic(spec: MultiSelectSpec): Element {
  const options = optionList(spec.options);
  const selected = [...new Set(spec.selected ?? [])].filter((v) => options.some((o) => o.value === v));
  return { tag: 'multi_select_static', ...field(spec), options, ...(selected.length ? { selected_values: selected } : {}) };
}

export interface DatePickerSpec extends FieldSpec {
  /** yyyy-MM-dd. The client's time zone is only a hint: say on the card which zone dates are in. */
  initial?: string;
}

export function datePicker(spec: DatePickerSpec): Element {
  if (spec.initial !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(spec.initial)) throw new Error(`datePicker: initial must be yyyy-MM-dd, not ${spec.initial}`);
  return { tag: 'date_picker', ...field(spec), ...(spec.initial ? { initial_date: spec.initial } : {}) };
}

export interface SubmitSpec {
  /** The button's name, unique in the card: the callback's action.name. */
  name: string;
  text: L10n;
  /** A signed value (src/views/buttons.ts): it is what says which form and for what. */
  value: Json;
  kind?: 'primary' | 'default' | 'danger';
  /** The platform's dialog before the form goes: OK submits, Cancel sends nothing. */
  confirm?: { title: L10n; text: L10n };
}

export function submitButton(spec: SubmitSpec): Element {
  const { name, kind, ...rest } = spec;
  return { ...button({ ...rest, kind: kind ?? 'primary', size: 'medium' }), name, form_action_type: 'submit' };
}

/** Puts every field back as the card had it; no callback. */
export function resetButton(name: string, text: L10n): Element {
  return { tag: 'button', name, text: plainText(text), type: 'default', size: 'medium', form_action_type: 'reset' };
}

function field(spec: FieldSpec): Json {
  return {
    name: spec.name,
    ...(spec.placeholder ? { placeholder: plainText(mapL(spec.placeholder, (s) => clip(plain(s), MAX_PLACEHOLDER))) } : {}),
    ...(spec.required ? { required: true } : {}),
    width: spec.width ?? 'fill',
  };
}

/** Options as the platform takes them: each value once (the first wins), texts cleaned. */
function optionList(options: readonly Option[]): { text: Json; value: string }[] {
  const seen = new Set<string>();
  return options.filter((o) => !seen.has(o.value) && seen.add(o.value)).map((o) => ({ text: plainText(mapL(o.text, plain)), value: o.value }));
}
