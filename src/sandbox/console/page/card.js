// @ts-check
// Renders Feishu card JSON 2.0 as DOM, for the sandbox console. Plain browser JavaScript, no build.
// Safety rule: card text is only ever put into the page with createTextNode / textContent. The card
// markdown (bold, italic, strike, code, links, <font>, <text_tag>, <at>, entities) is parsed here
// into a small tree and built node by node; no string from a card is ever parsed as HTML. Links are
// made only for http and https URLs. Unknown elements show as "unsupported element: tag". Forms
// and their fields: card-form.js; charts: card-chart.js.
import { callbackValue, clampNumber, el, isObject, pickText, unsupported } from './card-dom.js';
import { renderChart } from './card-chart.js';
import { confirmDialog, FIELD_TAGS, readForm, renderField, resetForm } from './card-form.js';

/** @typedef {import('./card-dom.js').Json} Json */
/** @typedef {import('./card-dom.js').Locale} Locale */
/** @typedef {import('./card-dom.js').Ctx} Ctx */

const HEADER_TEMPLATES = new Set(['blue', 'wathet', 'turquoise', 'green', 'yellow', 'orange', 'red', 'carmine', 'violet', 'purple', 'indigo', 'grey', 'default']);
/** @type {Set<unknown>} */
const TAG_COLORS = new Set(['neutral', 'blue', 'turquoise', 'lime', 'orange', 'violet', 'indigo', 'wathet', 'green', 'yellow', 'red', 'purple', 'carmine']);
const FONT_COLORS = new Set([...TAG_COLORS, 'grey', 'default']);
/** @type {Record<string, string>} */
const BUTTON_TYPES = { primary: 'primary', primary_filled: 'primary', default: 'default', text: 'text', primary_text: 'text', danger: 'danger', danger_filled: 'danger', danger_text: 'danger', laser: 'primary' };
const MAX_DEPTH = 16;

/** The names of the people the console knows, by open_id: what a mention (<at id=…>) shows. */
const people = new Map();

/**
 * @param {{ openId: string, name: string }[]} list
 */
export function knownPeople(list) {
  people.clear();
  for (const person of list) people.set(person.openId, person.name);
}

/**
 * @param {unknown} card the card JSON
 * @param {{ locale: Locale, onAction?: Ctx['onAction'] }} options
 * @returns {HTMLElement}
 */
export function renderCard(card, options) {
  /** @type {Ctx} */
  const ctx = { locale: options.locale, onAction: options.onAction ?? (() => {}) };
  const root = el('div', 'card');
  if (!isObject(card)) {
    root.append(unsupported('card', 'not a JSON object'));
    return root;
  }
  if (isObject(card.header)) root.append(renderHeader(card.header, ctx));
  const body = el('div', 'card-body');
  const elements = isObject(card.body) ? card.body.elements : card.elements;
  renderElements(body, Array.isArray(elements) ? elements : [], ctx, 0);
  root.append(body);
  return root;
}

/**
 * @param {Json} header
 * @param {Ctx} ctx
 */
function renderHeader(header, ctx) {
  const template = HEADER_TEMPLATES.has(header.template) ? header.template : 'default';
  const box = el('div', `card-header tpl-${template}`);
  const titles = el('div', 'card-titles');
  const title = el('div', 'card-title');
  title.setAttribute('role', 'heading');
  title.setAttribute('aria-level', '3');
  title.append(renderTextObject(header.title, ctx));
  titles.append(title);
  if (header.subtitle !== undefined) {
    const subtitle = el('div', 'card-subtitle');
    subtitle.append(renderTextObject(header.subtitle, ctx));
    titles.append(subtitle);
  }
  box.append(titles);
  if (Array.isArray(header.text_tag_list) && header.text_tag_list.length > 0) {
    const tags = el('div', 'card-tags');
    for (const tag of header.text_tag_list) {
      if (!isObject(tag) || tag.tag !== 'text_tag') {
        tags.append(unsupported(isObject(tag) ? tag.tag : typeof tag));
        continue;
      }
      tags.append(textTag(pickText(tag.text, ctx.locale), tag.color));
    }
    box.append(tags);
  }
  return box;
}

/**
 * A text object: markdown when it says so, otherwise plain text.
 * @param {unknown} node
 * @param {Ctx} ctx
 * @returns {Node}
 */
function renderTextObject(node, ctx) {
  if (isObject(node) && (node.tag === 'markdown' || node.tag === 'lark_md')) return renderMarkdown(pickText(node, ctx.locale));
  const span = el('span', 'plain');
  span.textContent = pickText(node, ctx.locale);
  return span;
}

/**
 * @param {HTMLElement} parent
 * @param {unknown[]} elements
 * @param {Ctx} ctx
 * @param {number} depth
 */
function renderElements(parent, elements, ctx, depth) {
  for (const element of elements) parent.append(renderElement(element, ctx, depth));
}

/**
 * @param {unknown} node
 * @param {Ctx} ctx
 * @param {number} depth
 * @returns {HTMLElement}
 */
function renderElement(node, ctx, depth) {
  if (!isObject(node)) return unsupported(typeof node);
  if (depth > MAX_DEPTH) return unsupported(String(node.tag), 'nested too deep');
  switch (node.tag) {
    case 'markdown': {
      const box = el('div', 'md');
      if (node.text_align === 'center' || node.text_align === 'right') box.classList.add(`align-${node.text_align}`);
      box.append(renderMarkdown(pickText(node, ctx.locale)));
      return box;
    }
    case 'plain_text': {
      const box = el('div', 'plain');
      box.textContent = pickText(node, ctx.locale);
      return box;
    }
    case 'div': {
      // The 2.0 text component: a text object, plain or lark_md.
      const box = el('div', 'md');
      box.append(renderTextObject(node.text, ctx));
      return box;
    }
    case 'hr':
      return el('hr', 'card-hr');
    case 'column_set':
      return renderColumns(node, ctx, depth);
    case 'button':
      return renderButton(node, ctx);
    case 'table':
      return renderTable(node, ctx);
    case 'collapsible_panel':
      return renderPanel(node, ctx, depth);
    case 'form': {
      // Its fields register with it; its submit button reads them.
      const box = el('div', 'card-form');
      box.setAttribute('role', 'form');
      renderElements(box, Array.isArray(node.elements) ? node.elements : [], { ...ctx, form: [] }, depth + 1);
      return box;
    }
    case 'chart':
      return renderChart(node);
    case 'person':
      return person(node.user_id);
    case 'person_list': {
      const box = el('div', 'persons');
      for (const p of Array.isArray(node.persons) ? node.persons.filter(isObject) : []) box.append(person(p.id));
      return box;
    }
    default:
      if (FIELD_TAGS.has(node.tag)) return renderField(node, ctx);
      return unsupported(typeof node.tag === 'string' ? node.tag : '(no tag)');
  }
}

/**
 * @param {Json} node
 * @param {Ctx} ctx
 * @param {number} depth
 */
function renderColumns(node, ctx, depth) {
  // flex_mode "flow": columns wrap onto more lines as the card narrows (as Feishu lays them out).
  const row = el('div', node.flex_mode === 'flow' ? 'columns columns-flow' : 'columns');
  for (const column of Array.isArray(node.columns) ? node.columns : []) {
    if (!isObject(column) || column.tag !== 'column') {
      row.append(unsupported(isObject(column) ? String(column.tag) : typeof column));
      continue;
    }
    const box = el('div', 'column');
    if (column.vertical_align === 'center' || column.vertical_align === 'bottom') box.classList.add(`valign-${column.vertical_align}`);
    // Layout through the CSSOM (allowed by the page's CSP), never through a style attribute.
    if (column.width === 'auto') box.style.flex = '0 0 auto';
    else if (typeof column.width === 'string' && /^\d{1,4}px$/.test(column.width)) box.style.flex = `0 0 ${column.width}`;
    else box.style.flex = `${clampNumber(column.weight, 1, 5, 1)} 1 0`;
    renderElements(box, Array.isArray(column.elements) ? column.elements : [], ctx, depth + 1);
    row.append(box);
  }
  return row;
}

/**
 * @param {Json} node
 * @param {Ctx} ctx
 */
function renderButton(node, ctx) {
  const type = BUTTON_TYPES[node.type] ?? 'default';
  const button = el('button', `btn btn-${type}`);
  button.type = 'button';
  button.textContent = pickText(node.text, ctx.locale);
  const behaviors = Array.isArray(node.behaviors) ? node.behaviors.filter(isObject) : [];
  const value = callbackValue(node);
  const openUrl = behaviors.find((b) => b.type === 'open_url');
  if (node.disabled === true) {
    button.disabled = true;
    return button;
  }
  const fields = ctx.form;
  button.addEventListener('click', async () => {
    if (fields && node.form_action_type === 'reset') return resetForm(fields);
    const submits = fields !== undefined && node.form_action_type === 'submit';
    const form = submits ? readForm(fields) : undefined;
    if (submits && !form) return;
    // The platform asks first; Cancel sends nothing.
    if (isObject(node.confirm) && !(await confirmDialog(node.confirm, ctx.locale))) return;
    if (value) ctx.onAction({ value, ...(submits ? { name: String(node.name), form } : {}) }, button);
    const url = openUrl && safeUrl(openUrl.default_url);
    if (url) window.open(url, '_blank', 'noopener,noreferrer');
  });
  return button;
}

/**
 * A person (by id: the console knows no names), as the client's capsule.
 * @param {unknown} id
 */
function person(id) {
  const capsule = el('span', 'person-capsule');
  capsule.textContent = `@${typeof id === 'string' ? id : '?'}`;
  return capsule;
}

/**
 * @param {Json} node
 * @param {Ctx} ctx
 */
function renderTable(node, ctx) {
  const columns = (Array.isArray(node.columns) ? node.columns : []).filter(isObject);
  const rows = (Array.isArray(node.rows) ? node.rows : []).filter(isObject);
  const pageSize = clampNumber(node.page_size, 1, 10, 5);
  const box = el('div', 'table-box');
  const table = el('table', 'card-table');
  const head = el('thead');
  const headRow = el('tr');
  for (const column of columns) {
    const th = el('th');
    th.scope = 'col';
    th.textContent = typeof column.display_name === 'string' ? column.display_name : String(column.name ?? '');
    headRow.append(th);
  }
  head.append(headRow);
  const body = el('tbody');
  table.append(head, body);
  box.append(table);

  const pages = Math.max(1, Math.ceil(rows.length / pageSize));
  let page = 0;
  const pager = el('div', 'table-pager');
  const prev = el('button', 'pager-btn');
  const next = el('button', 'pager-btn');
  const where = el('span', 'pager-where');
  prev.type = next.type = 'button';
  prev.textContent = '‹';
  next.textContent = '›';
  prev.setAttribute('aria-label', ctx.locale === 'zh_cn' ? '表格上一页' : 'Previous table page');
  next.setAttribute('aria-label', ctx.locale === 'zh_cn' ? '表格下一页' : 'Next table page');
  const show = () => {
    body.replaceChildren();
    for (const row of rows.slice(page * pageSize, (page + 1) * pageSize)) {
      const tr = el('tr');
      for (const column of columns) {
        const td = el('td');
        if (column.horizontal_align === 'center' || column.horizontal_align === 'right') td.classList.add(`align-${column.horizontal_align}`);
        td.append(renderCell(row[column.name], column.data_type, ctx));
        tr.append(td);
      }
      body.append(tr);
    }
    where.textContent = `${page + 1} / ${pages}`;
    prev.disabled = page === 0;
    next.disabled = page >= pages - 1;
  };
  prev.addEventListener('click', () => {
    page = Math.max(0, page - 1);
    show();
  });
  next.addEventListener('click', () => {
    page = Math.min(pages - 1, page + 1);
    show();
  });
  show();
  if (pages > 1) {
    pager.append(prev, where, next);
    box.append(pager);
  }
  return box;
}

/**
 * @param {unknown} value
 * @param {unknown} dataType
 * @param {Ctx} ctx
 * @returns {Node}
 */
function renderCell(value, dataType, ctx) {
  if (value === undefined || value === null) return document.createTextNode('');
  if ((dataType === 'markdown' || dataType === 'lark_md') && typeof value === 'string') return renderMarkdown(value);
  if (dataType === 'options' && Array.isArray(value)) {
    const box = el('span', 'cell-options');
    for (const option of value) box.append(isObject(option) ? textTag(String(option.text ?? ''), option.color) : textTag(String(option), 'neutral'));
    return box;
  }
  if (dataType === 'number' && typeof value === 'number') return document.createTextNode(value.toLocaleString(ctx.locale === 'zh_cn' ? 'zh-CN' : 'en-US'));
  if (typeof value === 'object') return document.createTextNode(JSON.stringify(value));
  return document.createTextNode(String(value));
}

/**
 * @param {Json} node
 * @param {Ctx} ctx
 * @param {number} depth
 */
function renderPanel(node, ctx, depth) {
  const box = el('div', 'panel');
  const toggle = el('button', 'panel-header');
  toggle.type = 'button';
  const header = isObject(node.header) ? node.header : {};
  const title = el('span', 'panel-title');
  title.append(renderTextObject(header.title, ctx));
  toggle.append(title);
  const caret = el('span', 'panel-caret');
  caret.setAttribute('aria-hidden', 'true');
  toggle.append(caret);
  const content = el('div', 'panel-body');
  renderElements(content, Array.isArray(node.elements) ? node.elements : [], ctx, depth + 1);
  /** @param {boolean} expanded */
  const set = (expanded) => {
    toggle.setAttribute('aria-expanded', String(expanded));
    content.hidden = !expanded;
    box.classList.toggle('expanded', expanded);
  };
  set(node.expanded === true);
  // Only this script sets `hidden`, always to a boolean (never 'until-found').
  toggle.addEventListener('click', () => set(/** @type {boolean} */ (content.hidden)));
  box.append(toggle, content);
  return box;
}

/**
 * @param {string} text
 * @param {unknown} color
 */
function textTag(text, color) {
  const span = el('span', `tag tag-${TAG_COLORS.has(color) ? color : 'neutral'}`);
  span.textContent = text;
  return span;
}

/**
 * Only absolute http(s) URLs; anything else (javascript:, data:, relative) is not a link.
 * @param {unknown} raw
 * @returns {string | undefined}
 */
function safeUrl(raw) {
  if (typeof raw !== 'string') return undefined;
  try {
    const url = new URL(raw);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

// ---- card markdown ----

/** @type {Record<string, string>} */
const NAMED_ENTITIES = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'", nbsp: '\u00a0' };

/**
 * Parses card markdown into a tree of {kind, children} nodes, then builds DOM from it. Unclosed
 * markup (a lone "**", an unknown tag) stays literal text.
 * @param {string} source
 * @returns {DocumentFragment}
 */
export function renderMarkdown(source) {
  const fragment = document.createDocumentFragment();
  for (const node of parseMarkdown(String(source))) fragment.append(build(node));
  return fragment;
}

/**
 * A node of parsed card markdown: text, or a container of more nodes.
 * @typedef {{ kind: 'text' | 'code', text: string } | { kind: 'br' } | { kind: 'at', id: string } | MdContainer} MdNode
 */
/**
 * @typedef {object} MdContainer
 * @property {'root' | 'heading' | 'strong' | 'em' | 'strike' | 'font' | 'tag' | 'link' | 'span'} kind
 * @property {MdNode[]} children
 * @property {string} [marker] the markup that opened it (put back as text when it is never closed)
 * @property {number} [level] heading
 * @property {string} [color] font, tag
 * @property {string} [href] link
 */

/**
 * @param {string} src
 * @returns {MdNode[]}
 */
function parseMarkdown(src) {
  /** @type {MdContainer} */
  const root = { kind: 'root', children: [] };
  const stack = [root];
  let text = '';
  const top = () => stack[stack.length - 1];
  const flush = () => {
    if (text) top().children.push({ kind: 'text', text });
    text = '';
  };
  /** @param {MdNode} node */
  const push = (node) => {
    flush();
    top().children.push(node);
  };
  /**
   * @param {MdContainer['kind']} kind
   * @param {string} marker
   * @param {{ level?: number, color?: string }} [extra]
   */
  const open = (kind, marker, extra = {}) => {
    flush();
    const node = { kind, marker, children: [], ...extra };
    top().children.push(node);
    stack.push(node);
  };
  // Pops containers down to (and including) the nearest `kind`; those above it were never closed,
  // so they turn back into their literal marker followed by their content.
  /** @param {string} kind */
  const closeTo = (kind) => {
    flush();
    while (stack.length > 1) {
      const node = /** @type {MdContainer} */ (stack.pop());
      if (node.kind === kind) return;
      revert(node);
    }
  };
  /** @param {MdContainer} node */
  const revert = (node) => {
    const parent = top();
    parent.children.pop();
    parent.children.push({ kind: 'text', text: /** @type {string} */ (node.marker) }, ...node.children);
  };
  /** @param {string} kind */
  const has = (kind) => stack.some((n) => n.kind === kind);

  let i = 0;
  let lineStart = true;
  while (i < src.length) {
    const rest = src.slice(i);
    if (lineStart) {
      lineStart = false;
      const heading = /^(#{1,6})[ \t]+/.exec(rest);
      if (heading) {
        open('heading', heading[0], { level: heading[1].length });
        i += heading[0].length;
        continue;
      }
      const bullet = /^[ \t]*[-+*][ \t]+(?=\S)/.exec(rest);
      if (bullet) {
        text += '• ';
        i += bullet[0].length;
        continue;
      }
    }
    const c = src[i];
    if (c === '\n') {
      if (has('heading')) closeTo('heading');
      push({ kind: 'br' });
      lineStart = true;
      i += 1;
      continue;
    }
    if (c === '\\' && i + 1 < src.length && /[!-/:-@[-`{-~]/.test(src[i + 1])) {
      text += src[i + 1];
      i += 2;
      continue;
    }
    if (c === '&') {
      const entity = /^&(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});/.exec(rest);
      const decoded = entity && decodeEntity(entity[1]);
      if (decoded !== undefined && decoded !== null) {
        text += decoded;
        i += /** @type {RegExpExecArray} */ (entity)[0].length;
        continue;
      }
    }
    if (c === '`') {
      const end = src.indexOf('`', i + 1);
      if (end > i + 1) {
        push({ kind: 'code', text: src.slice(i + 1, end) });
        i = end + 1;
        continue;
      }
    }
    if (c === '<') {
      const tag = matchTag(rest);
      if (tag) {
        i += tag.length;
        if (tag.open) open(tag.kind, tag.raw, tag.extra);
        else if (tag.close && has(tag.kind)) closeTo(tag.kind);
        else if (tag.node) push(tag.node);
        else text += tag.raw;
        continue;
      }
    }
    if (c === '[') {
      const link = /^\[([^[\]\n]*)\]\(([^()\s]*)\)/.exec(rest);
      if (link) {
        const href = safeUrl(link[2]);
        push({ kind: href ? 'link' : 'span', href, children: parseMarkdown(link[1]) });
        i += link[0].length;
        continue;
      }
    }
    const marker = rest.startsWith('**') ? '**' : rest.startsWith('~~') ? '~~' : c === '*' ? '*' : undefined;
    if (marker) {
      const kind = marker === '**' ? 'strong' : marker === '~~' ? 'strike' : 'em';
      const before = i > 0 ? src[i - 1] : ' ';
      const after = src[i + marker.length] ?? ' ';
      if (has(kind) && !/\s/.test(before)) closeTo(kind);
      else if (!/\s/.test(after)) open(kind, marker);
      else text += marker;
      i += marker.length;
      continue;
    }
    text += c;
    i += 1;
  }
  flush();
  if (has('heading')) closeTo('heading');
  while (stack.length > 1) revert(/** @type {MdContainer} */ (stack.pop()));
  return root.children;
}

/**
 * @param {string} body
 * @returns {string | undefined}
 */
function decodeEntity(body) {
  if (body[0] === '#') {
    const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
    return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : '\ufffd';
  }
  return NAMED_ENTITIES[body];
}

/**
 * A tag card markdown knows, at the start of the text: one that opens or closes a container, or one
 * that stands alone.
 * @typedef {{ length: number, raw: string } & (
 *   | { open: true, close?: undefined, node?: undefined, kind: 'font' | 'tag', extra: { color: string } }
 *   | { open?: undefined, close: true, node?: undefined, kind: 'font' | 'tag' }
 *   | { open?: undefined, close?: undefined, node: MdNode }
 * )} MatchedTag
 */

/**
 * The few tags card markdown knows; anything else is literal text.
 * @param {string} rest
 * @returns {MatchedTag | undefined}
 */
function matchTag(rest) {
  let m;
  if ((m = /^<font\s+color\s*=\s*(['"]?)([#\w-]{1,20})\1\s*>/i.exec(rest))) return { length: m[0].length, open: true, kind: 'font', raw: m[0], extra: { color: m[2].toLowerCase() } };
  if ((m = /^<\/font\s*>/i.exec(rest))) return { length: m[0].length, close: true, kind: 'font', raw: m[0] };
  if ((m = /^<text_tag\s+color\s*=\s*(['"]?)([\w-]{1,20})\1\s*>/i.exec(rest))) return { length: m[0].length, open: true, kind: 'tag', raw: m[0], extra: { color: m[2].toLowerCase() } };
  if ((m = /^<\/text_tag\s*>/i.exec(rest))) return { length: m[0].length, close: true, kind: 'tag', raw: m[0] };
  if ((m = /^<at\s+(?:id|user_id|open_id|email)\s*=\s*(['"]?)([^'"\s<>]{1,80})\1\s*>[^<]{0,80}<\/at>/i.exec(rest))) return { length: m[0].length, node: { kind: 'at', id: m[2] }, raw: m[0] };
  if ((m = /^<br\s*\/?>/i.exec(rest))) return { length: m[0].length, node: { kind: 'br' }, raw: m[0] };
  return undefined;
}

/**
 * @param {MdNode} node
 * @returns {Node}
 */
function build(node) {
  switch (node.kind) {
    case 'text':
      return document.createTextNode(node.text);
    case 'br':
      return document.createElement('br');
    case 'code': {
      const code = el('code', 'md-code');
      code.textContent = node.text;
      return code;
    }
    case 'at': {
      const at = el('span', 'md-at');
      // Feishu shows the person's name; the console knows the demo's people.
      at.textContent = node.id === 'all' ? '@all' : `@${people.get(node.id) ?? node.id}`;
      return at;
    }
    default: {
      const box = container(node);
      for (const child of node.children) box.append(build(child));
      return box;
    }
  }
}

/**
 * @param {MdContainer} node
 * @returns {HTMLElement}
 */
function container(node) {
  switch (node.kind) {
    case 'strong':
      return el('strong');
    case 'em':
      return el('em');
    case 'strike':
      return el('s');
    case 'heading':
      return el('span', `md-heading md-h${node.level}`);
    case 'tag':
      return el('span', `tag tag-${TAG_COLORS.has(node.color) ? node.color : 'neutral'}`);
    case 'font': {
      const span = el('span', 'md-font');
      if (FONT_COLORS.has(node.color)) span.classList.add(`c-${node.color}`);
      else if (/^#[0-9a-f]{3,8}$/.test(/** @type {string} */ (node.color))) span.style.color = /** @type {string} */ (node.color);
      return span;
    }
    case 'link': {
      const a = el('a', 'md-link');
      a.href = /** @type {string} */ (node.href);
      a.target = '_blank';
      a.rel = 'noopener noreferrer';
      return a;
    }
    default:
      return el('span');
  }
}
