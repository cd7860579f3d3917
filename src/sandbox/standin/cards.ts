// Card checks the platform makes when a card is sent or updated. Subcodes and wording follow the
// 230099 sub-error table of the IM docs ("ErrCode: N; ErrMsg: …").
import { isObject, tryParse, type JsonObject } from './json.js';

export const MAX_CARD_ELEMENTS = 200;

export type CardCheck = { ok: true; card: JsonObject } | { ok: false; subcode: number; reason: string };

const fail = (subcode: number, reason: string): CardCheck => ({ ok: false, subcode, reason });

/**
 * Components in a tree of elements, nested ones included (column sets hold columns, which hold
 * elements; panels and forms hold elements). The 200 limit counts them all.
 */
function countElements(nodes: unknown): number {
  if (!Array.isArray(nodes)) return 0;
  let count = 0;
  for (const node of nodes) {
    if (!isObject(node)) continue;
    count += 1 + countElements(node['elements']) + countElements(node['columns']);
  }
  return count;
}

export function checkCard(card: unknown): CardCheck {
  if (!isObject(card)) return fail(200621, 'parse card json err: the card must be a JSON object');
  if (card['schema'] !== '2.0') return { ok: true, card };

  // JSON 2.0 rejects 1.0-only attributes instead of ignoring them.
  for (const legacy of ['elements', 'i18n_elements']) {
    if (legacy in card) return fail(200861, `cards of schema V2 no longer support this capability: ${legacy}`);
  }
  const body = card['body'];
  if (!isObject(body) || !Array.isArray(body['elements'])) {
    return fail(11310, 'body.elements is required and must be an array in a schema 2.0 card');
  }
  const count = countElements(body['elements']);
  if (count > MAX_CARD_ELEMENTS) {
    return fail(11310, `element exceeds the limit: ${count} elements, at most ${MAX_CARD_ELEMENTS}`);
  }
  return { ok: true, card };
}

/** `content` of an interactive message: a JSON string holding the card. */
export function checkCardContent(content: string): CardCheck {
  const parsed = tryParse(content);
  if (!parsed) return fail(200621, 'parse card json err');
  return checkCard(parsed.value);
}

export const describeFailure = (check: { subcode: number; reason: string }): string =>
  `ErrCode: ${check.subcode}; ErrMsg: ${check.reason}; `;
