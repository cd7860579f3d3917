// The doctor's checks of acting on tickets from cards: who may reply and suggest answers
// (access.agents, and the app's helpdesk:all scope they use), and agents' sign-in (its key, how
// agents come back from signing in, the accounts host answering for the app, and the scopes an
// agent grants: helpdesk:all and offline_access).
import type * as Lark from '@larksuiteoapi/node-sdk';
import type { Config } from '../config/schema.js';
import { CALLBACK_PATH, USER_SCOPES } from '../feishu/signIn.js';
import { refusal } from '../feishu/userTokens.js';
import type { Check } from './check.js';

/** What the app's scope list says (GET /open-apis/application/v6/scopes), or why it could not be read. */
export type ScopeList = { ok: true; tenant: Set<string>; user: Set<string> } | { ok: false; why: string };

export async function scopeList(client: Lark.Client): Promise<ScopeList> {
  try {
    const res = await client.application.scope.list();
    if (res.code !== 0) return { ok: false, why: `code ${res.code}: ${res.msg ?? ''}` };
    const granted = (res.data?.scopes ?? []).filter((s) => s.grant_status === 1);
    return { ok: true, tenant: new Set(granted.filter((s) => s.scope_type !== 'user').map((s) => s.scope_name)), user: new Set(granted.filter((s) => s.scope_type === 'user').map((s) => s.scope_name)) };
  } catch (error) {
    return { ok: false, why: (error as Error).message };
  }
}

export function ticketActions(config: Config, scopes: ScopeList): Check {
  const name = 'ticket actions';
  const agents = config.access.agents.length;
  if (agents === 0) {
    return {
      name,
      status: 'warn',
      detail: "Reply and Suggest answers are off: access.agents names no agent (the platform has no API that lists a helpdesk's agents)",
      fix: "list the agents' open_ids (ou_…) under access.agents in app.yaml; they then reply to customers and suggest FAQ answers from ticket cards, with the app's helpdesk:all scope",
    };
  }
  const said = `${agents} agent${agents > 1 ? 's' : ''} in access.agents may reply to customers and suggest answers`;
  if (!scopes.ok) return { name, status: 'warn', detail: `${said}; could not read the app's scopes (${scopes.why})`, fix: 'check by hand that helpdesk:all is granted under Permissions & Scopes' };
  if (!scopes.tenant.has('helpdesk:all')) {
    return {
      name,
      status: 'fail',
      detail: `${said}, but the app lacks helpdesk:all, which posting into a ticket's conversation and the FAQ search need`,
      fix: 'add helpdesk:all under Permissions & Scopes, publish a new version, and have it approved',
    };
  }
  return { name, status: 'pass', detail: `${said} (helpdesk:all granted)` };
}

export async function signIn(config: Config, client: Lark.Client, scopes: ScopeList): Promise<Check> {
  const name = 'sign-in';
  if (!config.sign_in.token_key) {
    return {
      name,
      status: 'warn',
      detail: "sign-in is off (no USER_TOKEN_KEY): ticket cards offer no status change, closing, tags or notes, which need the agent's own rights",
      fix: "set USER_TOKEN_KEY (sign_in.token_key: at least 32 characters, the same on every instance), and BOT_PUBLIC_URL where agents' browsers can reach the bot",
    };
  }
  const oauth = config.feishu.oauth_url;
  // A refresh with a token that cannot exist: the accounts host answers, and says whether it knows the app.
  const probe = await client.accessToken.refresh({ refreshToken: 'doctor-check-not-a-token' }).then(
    (): { status?: number; code?: number } => ({ status: 200 }),
    (error: unknown) => refusal(error),
  );
  if (probe.status === 0 || probe.status === undefined) {
    return {
      name,
      status: 'fail',
      detail: `could not reach the accounts host ${oauth} (feishu.oauth_url, FEISHU_OAUTH_URL)`,
      fix: 'check FEISHU_OAUTH_URL (or leave it empty to derive it from FEISHU_DOMAIN), and the network path to it',
    };
  }
  if (probe.code === 20002 || probe.status === 401) {
    return {
      name,
      status: 'fail',
      detail: `the accounts host ${oauth} refused the app id or secret`,
      fix: 'check feishu.app_id and feishu.app_secret, and that FEISHU_OAUTH_URL belongs to the same platform as FEISHU_DOMAIN',
    };
  }
  const missing = scopes.ok ? USER_SCOPES.filter((s) => !scopes.user.has(s)) : [];
  if (missing.length) {
    return {
      name,
      status: 'fail',
      detail: `the app lacks the user scope${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, which agents grant when they sign in`,
      fix: `add ${missing.join(' and ')} as user scopes under Permissions & Scopes, publish a new version, and have it approved`,
    };
  }
  const how = config.server.public_url
    ? `agents sign in through a link back to ${config.server.public_url}${CALLBACK_PATH} (register it under Security settings > Redirect URLs)`
    : 'agents sign in with a code shown on the card (no BOT_PUBLIC_URL: the device flow)';
  const plainHttp = /^http:\/\/(?!(localhost|127\.0\.0\.1)[:/])/.test(config.server.public_url);
  if (plainHttp) return { name, status: 'warn', detail: `${how}; the URL is plain http, so sign-in codes cross the network readable`, fix: 'serve the bot over https and set BOT_PUBLIC_URL to its https address' };
  return { name, status: 'pass', detail: `${how}; the accounts host ${oauth} answers for the app${scopes.ok ? '; helpdesk:all and offline_access are user scopes of the app' : ''}` };
}
