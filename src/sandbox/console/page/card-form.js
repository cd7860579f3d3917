// @ts-check
// Form fields of cards (input, selects, person selects, date and time pickers), the submit and
// reset buttons' part, and the platform's confirm dialog, for the sandbox console. Inside a form a
// field only registers how to read it: the submit button sends every field's value at once, as
// form_value, once the required ones are filled in. Outside a form a select or picker calls back
// when it changes (action.option, or action.options). What comes back is shaped by the stand-in
// (dates get the client's offset there), as the platform's client would send it.
import { callbackValue, clampNumber, el, isObject, pickText } from './card-dom.js';

/** @typedef {import('./card-dom.js').Json} Json */
/** @typedef {import('./card-dom.js').Ctx} Ctx */
/** @typedef {import('./card-dom.js').FormField} FormField */
/** @typedef {import('./card-dom.js').Locale} Locale */

/** @type {Record<Locale, Record<'required' | 'cancel' | 'confirm', string>>} */
const WORDS = {
  zh_cn: { required: '必填', cancel: '取消', confirm: '确定' },
  en_us: { required: 'Required', cancel: 'Cancel', confirm: 'Confirm' },
};

export const FIELD_TAGS = new Set(['input', 'select_static', 'multi_select_static', 'select_person', 'multi_select_person', 'date_picker', 'picker_datetime', 'picker_time']);

/**
 * @param {Json} node one of FIELD_TAGS
 * @param {Ctx} ctx
 * @returns {HTMLElement}
 */
export function renderField(node, ctx) {
  switch (node.tag) {
    case 'input':
      return renderInput(node, ctx);
    case 'multi_select_static':
    case 'multi_select_person':
      return renderMultiSelect(node, ctx);
    case 'select_static':
    case 'select_person':
      return renderSelect(node, ctx);
    default:
      return renderPicker(node, ctx);
  }
}

/**
 * @param {Json} node
 * @param {Ctx} ctx
 */
function renderInput(node, ctx) {
  const multiline = node.input_type === 'multiline_text';
  const input = multiline ? el('textarea', 'field-control') : el('input', 'field-control');
  if (input instanceof HTMLInputElement) input.type = node.input_type === 'password' ? 'password' : 'text';
  else input.rows = clampNumber(node.rows, 1, 10, 3);
  input.maxLength = clampNumber(node.max_length, 1, 1000, 1000);
  const initial = typeof node.default_value === 'string' ? node.default_value : '';
  input.value = initial;
  return field(node, ctx, input, { read: () => input.value, reset: () => (input.value = initial) });
}

/**
 * A single select: its options, or the people a person select offers (shown by id).
 * @param {Json} node
 * @param {Ctx} ctx
 */
function renderSelect(node, ctx) {
  const select = el('select', 'field-control');
  const blank = el('option');
  blank.value = '';
  blank.textContent = pickText(node.placeholder, ctx.locale);
  select.append(blank, ...options(node, ctx).map(([value, text]) => Object.assign(el('option'), { value, textContent: text })));
  const values = options(node, ctx).map(([value]) => value);
  const index = clampNumber(node.initial_index, 0, values.length, 0);
  const initial = values.includes(node.initial_option) ? node.initial_option : index > 0 ? values[index - 1] : '';
  select.value = initial;
  if (!ctx.form) select.addEventListener('change', () => changed(node, ctx, select, { option: select.value }));
  return field(node, ctx, select, { read: () => select.value, reset: () => (select.value = initial) });
}

/**
 * A multi-select as the client draws it: a box that opens a list of options to tick.
 * @param {Json} node
 * @param {Ctx} ctx
 */
function renderMultiSelect(node, ctx) {
  const box = el('details', 'field-control multi');
  const summary = el('summary', 'multi-summary');
  const list = el('div', 'multi-options');
  list.setAttribute('role', 'group');
  const initial = Array.isArray(node.selected_values) ? node.selected_values.filter((v) => typeof v === 'string') : [];
  const ticks = options(node, ctx).map(([value, text]) => {
    const label = el('label', 'multi-option');
    const tick = el('input');
    tick.type = 'checkbox';
    tick.value = value;
    tick.checked = initial.includes(value);
    label.append(tick, document.createTextNode(text));
    list.append(label);
    return { tick, text };
  });
  const read = () => ticks.filter((t) => t.tick.checked).map((t) => t.tick.value);
  // The box shows what is chosen, or the placeholder while nothing is.
  const show = () => {
    const chosen = ticks.filter((t) => t.tick.checked).map((t) => t.text);
    summary.textContent = chosen.length > 0 ? chosen.join(', ') : pickText(node.placeholder, ctx.locale);
    summary.classList.toggle('placeholder', chosen.length === 0);
  };
  list.addEventListener('change', () => {
    show();
    if (!ctx.form) changed(node, ctx, box, { options: read() });
  });
  show();
  box.append(summary, list);
  const reset = () => {
    for (const t of ticks) t.tick.checked = initial.includes(t.tick.value);
    show();
  };
  return field(node, ctx, box, { read, reset }, summary);
}

/** @type {Record<string, { type: string, initial: string }>} */
const PICKERS = {
  date_picker: { type: 'date', initial: 'initial_date' },
  picker_datetime: { type: 'datetime-local', initial: 'initial_datetime' },
  picker_time: { type: 'time', initial: 'initial_time' },
};

/**
 * A date, date-time or time picker; the browser's own, in the platform's formats
 * (yyyy-MM-dd, yyyy-MM-dd HH:mm, HH:mm).
 * @param {Json} node
 * @param {Ctx} ctx
 */
function renderPicker(node, ctx) {
  const kind = PICKERS[node.tag];
  const picker = el('input', 'field-control');
  picker.type = kind.type;
  const initial = typeof node[kind.initial] === 'string' ? node[kind.initial].replace(' ', 'T') : '';
  picker.value = initial;
  const read = () => picker.value.replace('T', ' ');
  if (!ctx.form) picker.addEventListener('change', () => changed(node, ctx, picker, { option: read() }));
  return field(node, ctx, picker, { read, reset: () => (picker.value = initial) });
}

/**
 * [value, text] of a select's options; a person select's are open_ids, shown as they are.
 * @param {Json} node
 * @param {Ctx} ctx
 * @returns {[string, string][]}
 */
function options(node, ctx) {
  const list = Array.isArray(node.options) ? node.options.filter((o) => isObject(o) && typeof o.value === 'string') : [];
  return list.map((o) => [o.value, o.text === undefined ? o.value : pickText(o.text, ctx.locale)]);
}

/**
 * Wraps a control with its label, its required marker and the hint shown when it is missing, and
 * registers it with the form it is in.
 * @param {Json} node
 * @param {Ctx} ctx
 * @param {HTMLElement & { disabled?: boolean }} control
 * @param {{ read: () => string | string[], reset: () => void }} io
 * @param {HTMLElement} [named] the element that carries the accessible name (the control itself by default)
 */
function field(node, ctx, control, io, named = control) {
  const box = el('div', 'field');
  const label = pickText(node.label, ctx.locale);
  const placeholder = pickText(node.placeholder, ctx.locale);
  if (label) {
    const caption = el('div', 'field-label');
    caption.textContent = label;
    box.append(caption);
  }
  if ('placeholder' in control && typeof control.placeholder === 'string') control.placeholder = placeholder;
  named.setAttribute('aria-label', label || placeholder || String(node.name ?? ''));
  if (node.disabled === true && 'disabled' in control) control.disabled = true;
  const row = el('div', 'field-row');
  const required = node.required === true;
  if (required) {
    const star = el('span', 'field-required');
    star.textContent = '*';
    star.setAttribute('aria-hidden', 'true');
    row.append(star);
    named.setAttribute('aria-required', 'true');
  }
  row.append(control);
  box.append(row);
  if (ctx.form && typeof node.name === 'string') {
    // Only a required field can be missing: its hint shows then.
    const hint = el('div', 'field-hint');
    hint.textContent = WORDS[ctx.locale].required;
    /** @param {boolean} on */
    const invalid = (on) => {
      if (on) box.append(hint);
      else hint.remove();
      box.classList.toggle('field-invalid', on);
      named.setAttribute('aria-invalid', String(on));
    };
    // Editing a field that was marked missing clears the mark.
    control.addEventListener('input', () => invalid(false));
    control.addEventListener('change', () => invalid(false));
    ctx.form.push({ name: node.name, required, read: io.read, reset: io.reset, invalid });
  }
  return box;
}

/**
 * A select or picker outside a form calls back as soon as it changes.
 * @param {Json} node
 * @param {Ctx} ctx
 * @param {HTMLElement} control
 * @param {{ option: string } | { options: string[] }} picked
 */
function changed(node, ctx, control, picked) {
  const value = callbackValue(node);
  ctx.onAction({ tag: node.tag, ...(typeof node.name === 'string' ? { name: node.name } : {}), ...(value ? { value } : {}), ...picked }, control);
}

/**
 * What a submit button sends: every field's value by name (empty ones left out); undefined, with
 * the missing fields marked, while a required one is empty (the client sends nothing then).
 * @param {FormField[]} fields
 * @returns {Record<string, string | string[]> | undefined}
 */
export function readForm(fields) {
  /** @type {Record<string, string | string[]>} */
  const values = {};
  let missing = false;
  for (const f of fields) {
    const value = f.read();
    const empty = value.length === 0;
    f.invalid(empty && f.required);
    missing ||= empty && f.required;
    if (!empty) values[f.name] = value;
  }
  return missing ? undefined : values;
}

/** @param {FormField[]} fields */
export function resetForm(fields) {
  for (const f of fields) {
    f.reset();
    f.invalid(false);
  }
}

/**
 * The platform's confirm dialog (a button's `confirm`): its title and text, Cancel and Confirm.
 * Resolves true for Confirm; false for Cancel or Escape.
 * @param {Json} confirm
 * @param {Locale} locale
 * @returns {Promise<boolean>}
 */
export function confirmDialog(confirm, locale) {
  const dialog = el('dialog', 'confirm-dialog');
  const title = el('h2', 'confirm-title');
  title.id = `confirm-${Math.random().toString(36).slice(2)}`;
  title.textContent = pickText(confirm.title, locale);
  const text = el('p', 'confirm-text');
  text.textContent = pickText(confirm.text, locale);
  const actions = el('div', 'confirm-actions');
  const cancel = el('button', 'btn');
  const ok = el('button', 'btn btn-primary');
  cancel.type = ok.type = 'button';
  cancel.textContent = WORDS[locale].cancel;
  ok.textContent = WORDS[locale].confirm;
  actions.append(cancel, ok);
  dialog.setAttribute('aria-labelledby', title.id);
  dialog.append(title, text, actions);
  document.body.append(dialog);
  return new Promise((resolve) => {
    /** @param {boolean} answer */
    const close = (answer) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    cancel.addEventListener('click', () => close(false));
    ok.addEventListener('click', () => close(true));
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      close(false);
    });
    dialog.showModal();
    cancel.focus();
  });
}
