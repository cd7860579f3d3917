// Checks that run before a handler, in the platform's order: body shape, tenant token, helpdesk token.
import type { RequestHandler } from 'express';
import type { TenantTokens } from './auth.js';
import { bodyOf } from './body.js';
import { E } from './codes.js';
import { sendError } from './respond.js';

export const rejectBadBody: RequestHandler = (req, res, next) => {
  const body = bodyOf(req);
  if (body.tooLarge) return sendError(res, E.bodyTooLarge);
  if (body.malformed) return sendError(res, E.malformedBody, { ext: 'request body is not valid JSON' });
  next();
};

/** Without the "Bearer " prefix the platform treats the token as missing, not as malformed. */
export function requireTenantToken(tokens: TenantTokens): RequestHandler {
  return (req, res, next) => {
    const match = /^Bearer (.+)$/.exec(req.get('authorization') ?? '');
    if (!match?.[1]) return sendError(res, E.missingToken);
    if (!tokens.isValid(match[1].trim())) return sendError(res, E.invalidToken);
    next();
  };
}

/** X-Lark-Helpdesk-Authorization: base64(helpdesk_id:helpdesk_token), with or without "Bearer ". */
export function requireHelpdesk(helpdeskId: string, helpdeskToken: string): RequestHandler {
  const expected = Buffer.from(`${helpdeskId}:${helpdeskToken}`).toString('base64');
  return (req, res, next) => {
    const given = (req.get('x-lark-helpdesk-authorization') ?? '').replace(/^Bearer\s+/i, '').trim();
    if (given !== expected) return sendError(res, E.helpdeskUnauthorized);
    next();
  };
}
