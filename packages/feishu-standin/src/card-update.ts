// Delayed card updates: tokens minted for a message (as a card callback would carry them), valid
// 30 minutes for 2 uses, and the endpoint that spends them.
import type { RequestHandler } from 'express';
import { bodyOf } from './body.js';
import { checkCard, describeFailure } from './cards.js';
import { E } from './codes.js';
import { newCardToken } from './ids.js';
import { isObject, tryParse } from './json.js';
import type { MessageStore } from './messages.js';
import { dropWhile } from './retention.js';
import { sendError, sendJson } from './respond.js';

const TOKEN_LIFETIME_MS = 30 * 60_000;
const TOKEN_USES = 2;

interface CardToken {
  messageId: string;
  issuedAt: number;
  uses: number;
}

export class CardTokens {
  private readonly tokens = new Map<string, CardToken>();

  constructor(private readonly now: () => number) {}

  issue(messageId: string): string {
    const token = newCardToken();
    const now = this.now();
    // Issued in order: the expired ones (found or not, they answer "expired" alike) are at the start.
    dropWhile(this.tokens, (t) => now - t.issuedAt >= TOKEN_LIFETIME_MS);
    this.tokens.set(token, { messageId, issuedAt: now, uses: 0 });
    return token;
  }

  find(token: string): CardToken | undefined {
    return this.tokens.get(token);
  }
}

/** POST /open-apis/interactive/v1/card/update */
export function updateCard(tokens: CardTokens, store: MessageStore, now: () => number): RequestHandler {
  return (req, res) => {
    const body = bodyOf(req).json;
    const fields = isObject(body) ? body : {};
    const { token, card } = fields;
    if (typeof token !== 'string' || !token.startsWith('c-')) return sendError(res, E.cardTokenMalformed);
    const entry = tokens.find(token);
    const message = entry && store.sent.get(entry.messageId);
    if (!entry || !message || now() - entry.issuedAt >= TOKEN_LIFETIME_MS) return sendError(res, E.cardTokenExpired);
    if (entry.uses >= TOKEN_USES) return sendError(res, E.cardTokenUsedUp);
    if (!isObject(card)) return sendError(res, E.cardParamInvalid, { ext: 'card must be a JSON object' });

    const check = checkCard(card);
    if (!check.ok) return sendError(res, E.cardFormatInvalid, { ext: describeFailure(check) });
    const current = tryParse(message.content)?.value;
    if (isObject(current) && current['schema'] === '2.0' && card['schema'] !== '2.0') return sendError(res, E.cardSchemaChange);
    // A 1.0 card updates everyone's copy only when shared; otherwise open_ids must say whose.
    const config = card['config'];
    const shared = card['schema'] === '2.0' || (isObject(config) && config['update_multi'] === true);
    if (!shared && !Array.isArray(card['open_ids'])) return sendError(res, E.cardNeedsOpenIds);

    entry.uses += 1;
    store.changed(message, JSON.stringify(card), now());
    sendJson(res, 200, { code: 0, msg: 'ok' });
  };
}
