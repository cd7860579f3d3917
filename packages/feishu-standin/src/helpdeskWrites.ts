// The helpdesk's write APIs and its FAQ search: a ticket changed by an agent with their own token
// (the helpdesk applies that agent's rights), a message posted into a ticket's conversation with
// the app's, and the FAQs searched.
import type { RequestHandler } from 'express';
import { bodyOf } from './body.js';
import { E } from './codes.js';
import { newMessageId, randomHex } from './ids.js';
import { isObject, tryParse } from './json.js';
import { pathParam, queryOf } from './request.js';
import { sendError, sendJson } from './respond.js';
import type { RawFaq, RawTicket, RawTicketUser } from './types.js';

/** What ticket.update may set: the statuses an agent may give a ticket (52, closed by the user, is not one). */
const WRITABLE_STATUSES = new Set([1, 2, 3, 4, 5, 50, 51]);
const UPDATE_FIELDS = new Set(['status', 'tag_names', 'comment', 'customized_fields', 'solved', 'ticket_type', 'channel']);
/** The IM text limit, which the conversation's messages share. */
const MAX_TEXT_BYTES = 150 * 1024;

/** A change to a ticket, as ticket.update takes it. */
export interface TicketUpdate {
  status?: number;
  tag_names?: string[];
  comment?: string;
  solved?: number;
}

export interface WriteDeps {
  ticket(id: string): RawTicket | undefined;
  /** Applies an agent's update (the helpdesk records who and when) and tells the app (ticket event). */
  update(id: string, update: TicketUpdate, by: RawTicketUser): Promise<void>;
  /** Appends a message from the helpdesk's bot account to the ticket's conversation. */
  post(id: string, text: string): string;
  /** Whether this person is an agent of the helpdesk. */
  isAgent(openId: string): boolean;
  person(openId: string): RawTicketUser | undefined;
}

/** PUT /open-apis/helpdesk/v1/tickets/:ticket_id, with the agent's user token (checked before). */
export function updateTicket(deps: WriteDeps): RequestHandler {
  return async (req, res) => {
    const id = pathParam(req, 'ticket_id');
    if (!/^\d+$/.test(id)) return sendError(res, E.helpdeskBadRequest, { ext: `ticket_id must be numeric, got "${id}"` });
    const body = bodyOf(req).json;
    const problem = updateProblem(body);
    if (problem) return sendError(res, E.helpdeskBadRequest, { ext: problem });
    const openId = String(res.locals['openId']);
    if (!deps.ticket(id)) return sendError(res, E.helpdeskNotFound);
    // The helpdesk applies the person's rights: its agents may change its tickets, nobody else.
    if (!deps.isAgent(openId)) return sendError(res, E.helpdeskForbidden);
    const b = body as Record<string, unknown>;
    const update: TicketUpdate = {
      ...(typeof b['status'] === 'number' ? { status: b['status'] } : {}),
      ...(Array.isArray(b['tag_names']) ? { tag_names: b['tag_names'] as string[] } : {}),
      ...(typeof b['comment'] === 'string' ? { comment: b['comment'] } : {}),
      ...(typeof b['solved'] === 'number' ? { solved: b['solved'] } : {}),
    };
    await deps.update(id, update, { id: openId, ...deps.person(openId) });
    sendJson(res, 200, { code: 0, msg: 'success', data: {} });
  };
}

function updateProblem(body: unknown): string | undefined {
  if (!isObject(body)) return 'the body must be a JSON object';
  const keys = Object.keys(body);
  const unknown = keys.find((k) => !UPDATE_FIELDS.has(k));
  if (unknown) return `unknown field ${unknown}`;
  if (keys.length === 0) return 'at least one field to change is required';
  const { status, tag_names: tags, comment, solved } = body;
  if (status !== undefined && !(typeof status === 'number' && WRITABLE_STATUSES.has(status))) return `status ${JSON.stringify(status)} cannot be set; use 1-5, 50 or 51`;
  if (solved !== undefined && solved !== 1 && solved !== 2) return 'solved must be 1 (no) or 2 (yes)';
  if (tags !== undefined && !(Array.isArray(tags) && tags.every((t) => typeof t === 'string' && t.trim() !== '' && t.length <= 50))) return 'tag_names must be an array of tag names';
  if (comment !== undefined && !(typeof comment === 'string' && comment.trim() !== '')) return 'comment must be a non-empty string';
  return undefined;
}

/** POST /open-apis/helpdesk/v1/tickets/:ticket_id/messages: `{msg_type: "text", content: "{\"text\":\"…\"}"}`. */
export function createTicketMessage(deps: WriteDeps): RequestHandler {
  return (req, res) => {
    const id = pathParam(req, 'ticket_id');
    if (!/^\d+$/.test(id)) return sendError(res, E.helpdeskBadRequest, { ext: `ticket_id must be numeric, got "${id}"` });
    const body = bodyOf(req).json;
    if (!isObject(body) || body['msg_type'] !== 'text' || typeof body['content'] !== 'string') {
      return sendError(res, E.helpdeskBadRequest, { ext: 'msg_type must be "text" (the stand-in takes no "post") and content a JSON string' });
    }
    const content = tryParse(body['content'])?.value;
    const text = isObject(content) ? content['text'] : undefined;
    if (typeof text !== 'string' || text.trim() === '') return sendError(res, E.helpdeskBadRequest, { ext: 'content must be {"text": "<non-empty text>"}' });
    if (Buffer.byteLength(body['content']) > MAX_TEXT_BYTES) return sendError(res, E.helpdeskBadRequest, { ext: 'content is longer than 150 KB' });
    if (!deps.ticket(id)) return sendError(res, E.helpdeskNotFound);
    sendJson(res, 200, { code: 0, msg: 'success', data: { message_id: deps.post(id, text) } });
  };
}

/** A message of the helpdesk's bot account, in the conversation's shape. */
export function botMessage(text: string, now: number, bot: RawTicketUser) {
  const messageId = newMessageId();
  return {
    messageId,
    message: {
      id: randomHex(16),
      message_id: messageId,
      message_type: 'text',
      created_at: now,
      content: JSON.stringify({ content: text, msg_type: 'text' }),
      ...(bot.name ? { user_name: bot.name } : {}),
      ...(bot.id ? { user_id: bot.id } : {}),
    },
  };
}

/**
 * GET /open-apis/helpdesk/v1/faqs/search?query=…[&base64=true]: FAQs whose question, answer or tags
 * share words with the query (Chinese by pairs of characters), best first.
 */
export function searchFaqs(faqs: () => readonly RawFaq[]): RequestHandler {
  return (req, res) => {
    const q = queryOf(req);
    const raw = typeof q['query'] === 'string' ? q['query'] : '';
    const query = q['base64'] === 'true' ? Buffer.from(raw, 'base64').toString('utf8') : raw;
    if (query.trim() === '') return sendError(res, E.helpdeskBadRequest, { ext: 'query is required' });
    const pageSize = Math.min(Math.max(Number(q['page_size'] ?? 20) || 20, 1), 100);
    const wanted = terms(query);
    const scored = faqs()
      .map((faq) => {
        const words = new Set(terms(`${faq.question} ${faq.answer} ${(faq.tags ?? []).join(' ')}`));
        return { faq, score: wanted.filter((t) => words.has(t)).length };
      })
      .filter((s) => s.score > 0)
      .sort((a, b) => b.score - a.score);
    const start = Number(q['page_token'] ?? 0) || 0;
    const items = scored.slice(start, start + pageSize).map(({ faq }) => ({ ...faq, id: faq.faq_id, answer_richtext: [], categories: faq.categories ?? [], tags: faq.tags ?? [] }));
    const more = start + pageSize < scored.length;
    sendJson(res, 200, { code: 0, msg: 'success', data: { items, has_more: more, ...(more ? { page_token: String(start + pageSize) } : {}) } });
  };
}

/** English words too common to tell one FAQ from another. */
const STOP = new Set(
  'the an to of and or is it its my me you your in on at for with be this that from can has have do does how what when why please not no get got im ive dont cant wont doesnt say says said'.split(' '),
);

/** Lower-case words, and each pair of adjacent Chinese characters. */
function terms(text: string): string[] {
  const out: string[] = [];
  for (const run of text
    .toLowerCase()
    .replace(/['’]/g, '')
    .match(/[a-z0-9]+|[\u4e00-\u9fff]+/g) ?? []) {
    if (!/[\u4e00-\u9fff]/.test(run)) {
      if (run.length > 1 && !STOP.has(run)) out.push(run);
      continue;
    }
    for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2));
    if (run.length === 1) out.push(run);
  }
  return out;
}
