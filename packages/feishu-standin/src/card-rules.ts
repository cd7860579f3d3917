// The primitives of the stand-in's card validation (cards.ts walks the card; card-fields.ts checks
// the form fields, charts and people): how a rule refuses, with which sub-error, and the checks
// every component shares (its attributes, its text objects).
//
// Sub-errors of the platform's 230099 answer ("ErrCode: N; ErrMsg: …; ErrorValue: …"):
// - 200621: the card is not parsable JSON (probe);
// - 200861: a capability 2.0 dropped (probe: "cards of schema V2 no longer support this capability");
// - 11310: a structure or limit rule (probe: "card table number over limit; ErrorValue: table;").
// Which sub-error the platform uses for an unknown attribute, and for every rule of forms, their
// fields, charts and people (names, submit buttons, options, lengths, dates, chart types, functions
// in a spec, ids), is not public: 11310, the probed code for a broken rule, is the strictest
// plausible guess, used for all of them.
import { isObject, type JsonObject } from './json.js';

export const STRUCTURE = 11310;
export const DROPPED = 200861;
export const UNPARSABLE = 200621;

export class Refused extends Error {
  constructor(
    readonly subcode: number,
    reason: string,
  ) {
    super(reason);
  }
}

export const refuse = (subcode: number, reason: string, value: string): never => {
  throw new Refused(subcode, `${reason}; ErrorValue: ${value}`);
};
/** A broken structure or limit rule. */
export const broken = (reason: string, value: string): never => refuse(STRUCTURE, reason, value);

/** Attributes only 1.0 had. */
const LEGACY = new Set(['fallback', 'i18n_header', 'i18n_elements', 'elements', 'wide_screen_mode', 'ud_icon', 'i18n', 'href']);

/** Refuses attributes outside `allowed`: 1.0-only ones as a dropped capability, others as unknown. */
export function only(node: JsonObject, allowed: readonly string[], path: string): void {
  for (const key of Object.keys(node)) {
    if (allowed.includes(key)) continue;
    if (LEGACY.has(key)) refuse(DROPPED, `cards of schema V2 no longer support this capability: ${key}`, `${path}.${key}`);
    broken('unknown property', `${path}.${key}`);
  }
}

const TEXT = ['tag', 'content', 'i18n_content', 'text_size', 'text_color', 'text_align', 'lines'];

/** A text object (plain_text or markdown), if there is one; `maxChars` bounds each language's text. */
export function text(node: unknown, path: string, maxChars?: number): void {
  if (node === undefined) return;
  if (!isObject(node)) return broken('text must be an object', path);
  only(node, TEXT, path);
  if (maxChars === undefined) return;
  const i18n = isObject(node['i18n_content']) ? Object.values(node['i18n_content']) : [];
  for (const content of [node['content'], ...i18n]) {
    if (typeof content === 'string' && [...content].length > maxChars) broken(`text is longer than ${maxChars} characters`, path);
  }
}

export function boolean(node: JsonObject, key: string, path: string): void {
  if (node[key] !== undefined && typeof node[key] !== 'boolean') broken(`${key} must be a boolean`, `${path}.${key}`);
}

export function oneOf(node: JsonObject, key: string, values: readonly unknown[], path: string): void {
  if (node[key] !== undefined && !values.includes(node[key])) broken(`${key} must be one of ${values.join(', ')}`, `${path}.${key}`);
}
