// The app's scopes and whether the tenant granted them, as GET /open-apis/application/v6/scopes
// reports them: {code, msg, data: {scopes: [{scope_name, grant_status, scope_type}]}}, where
// grant_status 1 is granted and 2 is requested but not (yet) granted by an administrator.
import type { RequestHandler } from 'express';
import { sendJson } from './respond.js';

export interface Scope {
  name: string;
  /** Requested in the app's current version but not approved by the tenant's administrator. */
  pending?: boolean;
  type?: 'tenant' | 'user';
}

/** What a typical helpdesk ticket bot app holds: everything the bot asks for, granted. */
export const DEFAULT_SCOPES: Scope[] = [
  { name: 'im:message.p2p_msg:readonly' },
  { name: 'im:message.group_at_msg:readonly' },
  { name: 'im:message:send_as_bot' },
  { name: 'helpdesk:all:readonly' },
  { name: 'im:chat:readonly' },
  { name: 'im:chat.access_event.bot_p2p_chat:read' },
  // What agents grant when they sign in to act on tickets as themselves.
  { name: 'helpdesk:all', type: 'user' },
  { name: 'offline_access', type: 'user' },
];

export class ScopeBook {
  private scopes: Scope[] = DEFAULT_SCOPES;

  set(scopes: Scope[]): void {
    this.scopes = scopes;
  }

  /** Takes a scope out of the app, as if it had never been added in the developer console. */
  remove(name: string): void {
    this.scopes = this.scopes.filter((s) => s.name !== name);
  }

  handler(): RequestHandler {
    return (_req, res) =>
      sendJson(res, 200, {
        code: 0,
        msg: 'success',
        data: { scopes: this.scopes.map((s) => ({ scope_name: s.name, grant_status: s.pending ? 2 : 1, scope_type: s.type ?? 'tenant' })) },
      });
  }
}
