// The app's tenant access token as the platform sees it. The SDK fetches the token and keeps it in
// the cache we give it (this one) until about its expiry; when the platform refuses it sooner (a
// rotated secret, a revoked grant, the platform's own hiccup), the SDK would go on sending it for up
// to two hours. So a refused token is dropped here and a new one is asked for, once, and whether the
// platform takes the bot's tokens is what /healthz says about Feishu.
import type * as lark from '@larksuiteoapi/node-sdk';
import type { Health } from '../state/types.js';
import type { Logger } from '../obs/log.js';
import { fromThrown } from './errors.js';

/** The SDK's cache key for the tenant token: `Symbol(tenant-access-token)`, in the app's namespace. */
const TENANT_KEY = 'Symbol(tenant-access-token)';
/** Tenant tokens remembered as ours: the platform may have two valid at once, and a refused one goes. */
const KNOWN_TOKENS = 4;

export class TenantTokens {
  private readonly values = new Map<string, { value: unknown; expiresAt?: number }>();
  /** Tenant tokens this cache has held, newest last: requests carrying one are the tenant's. */
  private readonly known: string[] = [];
  /** A new token being asked for, by the token it replaces: one request for every call refused. */
  private renewing: { refused: string; next: Promise<string> } | undefined;
  /**
   * Why the platform does not take the bot's tokens, by API (its path, ids left out; "auth" for the
   * token endpoint), while it does not: one API may refuse what another takes, so each refusal lasts
   * until that API takes a token again.
   */
  private readonly refusals = new Map<string, string>();

  constructor(private readonly log: Logger) {}

  /** The SDK's token cache (lark.Cache), kept for this client alone. */
  readonly cache: lark.Cache = {
    get: async (key, options) => {
      const hit = this.values.get(keyOf(key, options?.namespace));
      if (!hit || (hit.expiresAt !== undefined && hit.expiresAt <= Date.now())) return undefined;
      return hit.value;
    },
    set: async (key, value, expiresAt, options) => {
      this.values.set(keyOf(key, options?.namespace), { value, ...(expiresAt ? { expiresAt } : {}) });
      if (key.toString() === TENANT_KEY && typeof value === 'string') {
        this.known.push(value);
        if (this.known.length > KNOWN_TOKENS) this.known.shift();
      }
      return true;
    },
  };

  /** Whether `token` is a tenant token of ours (a user's token, issue by issue, is not). */
  isTenant(token: string): boolean {
    return this.known.includes(token);
  }

  /**
   * Drops the refused token (if it is still the one cached) and resolves with a new one from the
   * token endpoint, through the SDK (`fetch`). Calls refused with the same token share the request.
   */
  renew(refused: string, fetch: () => Promise<string>): Promise<string> {
    if (this.renewing?.refused === refused) return this.renewing.next;
    for (const [key, entry] of this.values) if (entry.value === refused) this.values.delete(key);
    const next = fetch().catch((error: unknown) => {
      this.refused('auth', `the token endpoint did not issue a new tenant token: ${fromThrown(error).message}`);
      throw error;
    });
    this.renewing = { refused, next };
    // Forgotten once settled, so a later refusal of the new token asks again.
    void next.then(
      () => this.renewing?.next === next && (this.renewing = undefined),
      () => this.renewing?.next === next && (this.renewing = undefined),
    );
    return next;
  }

  /** `api` refused a tenant token again, just after it was issued: it is not a stale token. */
  refused(api: string, reason: string): void {
    if (!this.refusals.has(api)) {
      this.log.error('feishu.token_refused', {
        api,
        reason,
        consequence: 'calls to this API fail: commands are answered "cannot reach Feishu" where a reply can still be sent, and /healthz says 503',
        fix: 'check feishu.app_id and feishu.app_secret (FEISHU_APP_ID, FEISHU_APP_SECRET), that the app is enabled in the tenant, and the platform status; the bot tries again with every call',
      });
    }
    this.refusals.set(api, reason);
  }

  /** `api` took a tenant token (so the token endpoint had issued one): its refusal is over. */
  accepted(api: string): void {
    for (const over of [api, 'auth']) {
      if (this.refusals.delete(over)) this.log.warn('feishu.token_accepted', { api: over, message: 'the platform takes the bot tenant token again' });
    }
  }

  health(): Health {
    const [reason] = this.refusals.values();
    return reason === undefined ? { ok: true } : { ok: false, reason };
  }
}

/** The API a request is for: its path under /open-apis/, ids left out (helpdesk/v1/tickets/:id). */
export function apiOf(url: string | undefined): string {
  const path = /\/open-apis\/([^?#]*)/.exec(url ?? '')?.[1] ?? 'other';
  return path
    .split('/')
    .map((part) => (/^(\d+|o[mc]_\w+)$/.test(part) ? ':id' : part))
    .join('/');
}

const keyOf = (key: { toString(): string }, namespace?: string) => `${namespace ?? ''}/${key.toString()}`;
