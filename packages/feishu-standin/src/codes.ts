// Every error the stand-in answers with: HTTP status, code and message as the platform words them.
// Where each comes from:
//   doc   = the API's own documentation page (helpdesk pages in shared/reference, the IM reply/patch
//           pages, the delayed card update page);
//   probe = observed from the live platform in public probe logs and client code;
//   guess = no public source found; chosen to be as close to the platform's conventions as possible.

export interface PlatformError {
  status: number;
  code: number;
  msg: string;
}

const err = (status: number, code: number, msg: string): PlatformError => ({ status, code, msg });

export const E = {
  // Tenant token endpoint (probe: a failed exchange answers HTTP 200 with code != 0 and `data: {}`).
  tokenInvalidParam: err(200, 10003, 'invalid param'),
  tokenBadSecret: err(200, 10014, 'app secret invalid'),

  // Gateway (probe: HTTP 400; a token without the "Bearer " prefix counts as missing).
  missingToken: err(400, 99991661, 'Missing access token for authorization. Please make a request with token attached.'),
  invalidToken: err(400, 99991663, 'Invalid access token for authorization. Please make a request with token attached.'),
  rateLimited: err(429, 99991400, 'request trigger frequency limit'),
  // The CLI's lark_errors.go names the codes; the wording and the HTTP status are guesses, as the
  // tenant token's. A tenant token on a user-only API gets 99991668 too (helpdesk-actions §1.1).
  userTokenInvalid: err(400, 99991668, 'Invalid access token for authorization. Please make a request with a user access token attached.'),
  userTokenExpired: err(400, 99991677, 'The user access token has expired. Please refresh it.'),
  fieldValidation: err(400, 99992402, 'field validation failed'),
  invalidMessageId: err(400, 99992354, 'The request you send is not a valid open_message_id or not exists.'),
  // guess: the code the platform uses for an unparsable body elsewhere (custom bot webhooks).
  malformedBody: err(400, 9499, 'Bad Request'),
  // guess: the stand-in's own 1 MiB body limit; the real gateway's limit and answer are unknown.
  bodyTooLarge: err(413, 413, 'request entity too large'),
  // guess: the brief's shape; the live gateway answers unknown paths with a text/plain 404.
  notFound: err(404, 404, 'not found'),
  internal: err(500, 500, 'internal error'),

  // Helpdesk (doc).
  helpdeskBadRequest: err(400, 154000, 'Bad request, please check your request body'),
  helpdeskUnauthorized: err(401, 154001, 'Unauthorized, please check you have the correct access'),
  helpdeskNotFound: err(404, 154004, 'Resource not found'),
  // guess: the wording and the status; the code is the helpdesk's "no access" (helpdesk-actions §1.4).
  helpdeskForbidden: err(403, 154003, 'Forbidden, you have no access to this ticket'),
  helpdeskInternal: err(500, 155000, 'Internal error'),

  // IM send, reply and patch (doc).
  imInvalidParam: err(400, 230001, 'Your request contains an invalid request parameter.'),
  imBotNotInChat: err(400, 230002, 'The bot can not be outside the group.'),
  imChatDisbanded: err(400, 232009, 'Your request specifies a chat which has already been dissolved.'),
  imContentTooLong: err(400, 230025, 'The length of the message content reaches its limit.'),
  imEditWindowOver: err(400, 230031, 'Message can only be modified within 14 days after sending.'),
  imBadCard: err(400, 230099, 'Failed to create card content'),

  // Delayed card update (doc for the codes; the HTTP status is a guess, the page lists none).
  cardParamInvalid: err(400, 10002, 'card parameter validation failed'),
  cardFormatInvalid: err(400, 11311, 'card format does not meet the requirements'),
  cardSchemaChange: err(400, 200830, 'a card of schema 2.0 can only be updated to a card of schema 2.0'),
  cardTokenMalformed: err(400, 300020, 'card update token format error, expected c-xxxx'),
  cardTokenExpired: err(400, 300030, 'card update token is invalid or expired (valid for 30 minutes)'),
  cardTokenUsedUp: err(400, 300040, 'card update token exceeded its usage limit (2 uses)'),
  cardNeedsOpenIds: err(400, 300090, 'open_ids is required for a card that is not shared (update_multi is not true)'),
} as const satisfies Record<string, PlatformError>;

const byCode = new Map<number, PlatformError>(Object.values(E).map((e) => [e.code, e]));

/** The catalogue entry for a code, so injected faults speak the platform's words. */
export const knownError = (code: number): PlatformError | undefined => byCode.get(code);
