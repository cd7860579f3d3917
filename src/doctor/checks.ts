// `npm run doctor`: checks a real set-up against the live platform before going live, with the
// same settings `npm start` would use. Each check says pass, warn, fail or skip, and for anything
// not passing, what to fix. Nothing it prints contains a secret.
import type * as Lark from '@larksuiteoapi/node-sdk';
import { sdk as lark } from '../feishu/sdk.js';
import type { Config } from '../config/schema.js';
import { loadConfigFile } from '../config/file.js';
import { platformHttp } from '../feishu/client.js';
import { larkClientFor } from '../runtime/upstream.js';
import { refusalFix } from '../intake/longConnection.js';
import { fromThrown, PlatformError } from '../feishu/errors.js';
import { subscribeFix, subscribeTicketEvents, TICKET_EVENT_TYPES } from '../helpdesk/events.js';
import type { Logger } from '../obs/log.js';
import { NEEDED_SCOPES } from './scopes.js';
import { scopeList, signIn, ticketActions } from './acting.js';
import type { Check } from './check.js';

export type { Check, Status } from './check.js';

export interface Report {
  ok: boolean;
  checks: Check[];
}

export interface DoctorOptions {
  /** How long the check's long connection stays open to see whether events are flowing. */
  watchMs?: number;
  /** How long to wait for the long connection to open. */
  connectTimeoutMs?: number;
}

const silent: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };
const QUIET: Lark.Logger = { error: () => {}, warn: () => {}, info: () => {}, debug: () => {}, trace: () => {} };

export async function runDoctor(env: Record<string, string | undefined>, options: DoctorOptions = {}): Promise<Report> {
  const checks: Check[] = [];
  const skipRest = (names: string[], why: string) => names.forEach((name) => add({ name, status: 'skip', detail: why }));
  const LATER = ['tenant token', 'bot', 'scopes', 'optional scopes', 'helpdesk credential', 'helpdesk events', 'ticket actions', 'sign-in', 'connection'];

  const loaded = loadConfigFile(env);
  if (!loaded.ok) {
    add({
      name: 'configuration',
      status: 'fail',
      detail: `${loaded.problems.length} problem${loaded.problems.length > 1 ? 's' : ''} in ${loaded.file} and the environment: ${loaded.problems.join('; ')}`,
      fix: 'fix each setting named, in app.yaml or its environment variable',
    });
    skipRest(LATER, 'needs a valid configuration');
    return finish(checks, []);
  }
  const { config } = loaded;
  const secrets = [config.feishu.app_secret, config.feishu.encrypt_key, config.feishu.verification_token, config.helpdesk.token, config.sign_in.token_key];
  if (config.mode === 'sandbox') {
    add({
      name: 'configuration',
      status: 'fail',
      detail: 'no Feishu credentials are set: this is the sandbox, and there is no real app to check',
      fix: 'set FEISHU_APP_ID, FEISHU_APP_SECRET, FEISHU_HELPDESK_ID and FEISHU_HELPDESK_TOKEN (and for webhooks FEISHU_ENCRYPT_KEY, FEISHU_VERIFICATION_TOKEN) as for npm start',
    });
    skipRest(LATER, 'needs a real app');
    return finish(checks, secrets);
  }
  add({ name: 'configuration', status: 'pass', detail: `${loaded.file} and the environment are valid: app ${config.feishu.app_id}, ${config.feishu.connection} mode, platform ${config.feishu.domain}` });

  const client = larkClientFor(config, silent);

  const token = await tenantToken(client, config);
  add(token);
  if (token.status !== 'pass') {
    skipRest(LATER.slice(1), 'needs the app id and secret to be accepted');
    return finish(checks, secrets);
  }
  add(await botInfo(client));
  add(...(await scopes(client, config)));
  const desk = await helpdesk(client);
  add(desk, desk.status === 'pass' ? await helpdeskEvents(client) : { name: 'helpdesk events', status: 'skip', detail: 'needs the helpdesk credential to be accepted' });
  const granted = await scopeList(client);
  add(ticketActions(config, granted), await signIn(config, client, granted));
  add(config.feishu.connection === 'long-connection' ? await longConnection(config, options) : webhookReminder());
  return finish(checks, secrets);

  function add(...more: Check[]) {
    checks.push(...more);
  }
}

/** Last line of defence: no secret value ever reaches the output, whatever a platform message echoes. */
function finish(checks: Check[], secrets: string[]): Report {
  const scrub = (text: string) => secrets.filter((s) => s.length >= 4).reduce((t, s) => t.split(s).join('***'), text);
  const clean = checks.map((c) => ({ ...c, detail: scrub(c.detail), ...(c.fix ? { fix: scrub(c.fix) } : {}) }));
  return { ok: clean.every((c) => c.status !== 'fail'), checks: clean };
}

async function tenantToken(client: Lark.Client, config: Config): Promise<Check> {
  const name = 'tenant token';
  const refused = (code: number | undefined, msg = ''): Check =>
    code === 10014
      ? { name, status: 'fail', detail: `the platform refused the app secret (code ${code})`, fix: 'copy feishu.app_secret (FEISHU_APP_SECRET) again from Credentials & Basic Info in the developer console' }
      : {
          name,
          status: 'fail',
          detail: `the platform refused the app id or secret (code ${code}${msg ? `: ${msg}` : ''})`,
          fix: 'check feishu.app_id and feishu.app_secret (FEISHU_APP_ID, FEISHU_APP_SECRET) against Credentials & Basic Info in the developer console',
        };
  try {
    const res = (await client.auth.tenantAccessToken.internal({ data: { app_id: config.feishu.app_id, app_secret: config.feishu.app_secret } })) as { code?: number; msg?: string };
    return res.code === 0 ? { name, status: 'pass', detail: 'the platform accepts the app id and secret' } : refused(res.code, res.msg);
  } catch (error) {
    // The SDK asks for a token of its own first: a refusal surfaces here as a thrown error.
    const e = fromThrown(error);
    if (e.kind === 'unauthorized' || e.kind === 'token') return refused(e.details.code);
    return { name, status: 'fail', detail: `could not reach ${config.feishu.domain}: ${e.message}`, fix: 'check feishu.domain (FEISHU_DOMAIN), and the network or proxy between here and the platform' };
  }
}

async function botInfo(client: Lark.Client): Promise<Check> {
  const name = 'bot';
  const fix = 'turn on the bot capability (Features > Bot in the developer console) and publish a version of the app';
  try {
    const res: { code?: number; msg?: string; bot?: { open_id?: string; app_name?: string; activate_status?: number } } = await client.request({ method: 'GET', url: '/open-apis/bot/v3/info' });
    const bot = res.bot;
    if (res.code !== 0 || !bot?.open_id) return { name, status: 'fail', detail: `bot info answered code ${res.code}: ${res.msg ?? ''}`, fix };
    if (bot.activate_status !== undefined && bot.activate_status !== 2) {
      return {
        name,
        status: 'warn',
        detail: `the bot "${bot.app_name ?? ''}" (${bot.open_id}) is not active in the tenant (activate_status ${bot.activate_status})`,
        fix: 'publish the app version and have it approved, and make sure the tenant has not disabled the app',
      };
    }
    return { name, status: 'pass', detail: `the bot capability is on: "${bot.app_name ?? ''}" (${bot.open_id})` };
  } catch (error) {
    const e = fromThrown(error);
    return { name, status: 'fail', detail: `bot info failed: ${e.message}`, fix };
  }
}

async function scopes(client: Lark.Client, config: Config): Promise<Check[]> {
  const where = `Permissions & Scopes in the developer console ${consoleUrl(config)}`;
  let granted: Set<string>;
  let pending: Set<string>;
  try {
    const res = await client.application.scope.list();
    if (res.code !== 0) throw Object.assign(new Error(`code ${res.code}: ${res.msg ?? ''}`), { response: { status: 200, data: res } });
    const list = (res.data?.scopes ?? []).filter((s) => s.scope_type !== 'user');
    granted = new Set(list.filter((s) => s.grant_status === 1).map((s) => s.scope_name));
    pending = new Set(list.filter((s) => s.grant_status !== 1).map((s) => s.scope_name));
  } catch (error) {
    const e = fromThrown(error);
    const all = NEEDED_SCOPES.filter((n) => n.when?.(config) ?? true).map((n) => n.anyOf[0]);
    return [{ name: 'scopes', status: 'warn', detail: `could not read the app's scopes (${e.message})`, fix: `check by hand that these are granted under ${where}: ${all.join(', ')}` }];
  }
  const report = (optional: boolean): Check => {
    const name = optional ? 'optional scopes' : 'scopes';
    const needs = NEEDED_SCOPES.filter((n) => !!n.optional === optional && (n.when?.(config) ?? true));
    const missing = needs.filter((n) => !n.anyOf.some((s) => granted.has(s)));
    if (missing.length === 0) return { name, status: 'pass', detail: `granted: ${needs.map((n) => n.anyOf.find((s) => granted.has(s))).join(', ')}` };
    const words = missing.map((n) => {
      const waiting = n.anyOf.find((s) => pending.has(s));
      return waiting ? `${waiting} (${n.for}) is requested but not granted yet` : `${n.anyOf[0]} (${n.for}) is missing`;
    });
    return {
      name,
      status: optional ? 'warn' : 'fail',
      detail: words.join('; '),
      fix: `add ${missing.map((n) => n.anyOf[0]).join(', ')} under ${where}, publish a new version, and have a tenant administrator approve it`,
    };
  };
  return [report(false), report(true)];
}

async function helpdesk(client: Lark.Client): Promise<Check> {
  const name = 'helpdesk credential';
  try {
    const res = await client.helpdesk.v1.ticket.list({ params: { page: 1, page_size: 1 } }, lark.withHelpDeskCredential());
    if (res.code === 0) return { name, status: 'pass', detail: `the helpdesk answered a one-row ticket list (${res.data?.total ?? 0} tickets in all)` };
    return verdict(res.code, res.msg);
  } catch (error) {
    const e = fromThrown(error);
    return verdict(e.details.code, e.message, e.kind);
  }

  function verdict(code: number | undefined, msg: unknown, kind?: string): Check {
    if (code === 154001) {
      return {
        name,
        status: 'fail',
        detail: `the helpdesk refused the credential (code 154001): helpdesk.id and helpdesk.token (FEISHU_HELPDESK_ID, FEISHU_HELPDESK_TOKEN) are wrong, or the helpdesk belongs to another tenant than the app`,
        fix: 'copy the helpdesk ID and token again from the helpdesk admin console (Settings > API), in the tenant that owns the app',
      };
    }
    if (code === 99991672)
      return { name, status: 'fail', detail: 'the app may not read the helpdesk (code 99991672: scope not granted)', fix: 'grant helpdesk:all:readonly under Permissions & Scopes and publish a version' };
    return {
      name,
      status: 'fail',
      detail: `the ticket list failed${code !== undefined ? ` (code ${code})` : ''}: ${String(msg ?? kind ?? '')}`,
      fix: kind === 'network' || kind === 'timeout' ? 'check the network path to the platform, and feishu.domain' : 'check helpdesk.id and helpdesk.token, and the helpdesk:all:readonly scope',
    };
  }
}

/**
 * Subscribes to the ticket events, as the bot does at start-up (asking again is harmless). Without
 * them the bot answers everything else; watches, live cards and boards just never hear of changes.
 */
async function helpdeskEvents(client: Lark.Client): Promise<Check> {
  const name = 'helpdesk events';
  try {
    await subscribeTicketEvents(client);
    return { name, status: 'pass', detail: `subscribed to ${TICKET_EVENT_TYPES.join(' and ')} (watches, live cards and boards)` };
  } catch (error) {
    const e = error instanceof PlatformError ? error : fromThrown(error);
    return {
      name,
      status: 'warn',
      detail: `the helpdesk refused the event subscription (${e.details.code !== undefined ? `code ${e.details.code}: ` : ''}${e.message}); watches, live cards and boards would get no ticket events`,
      fix: subscribeFix(e),
    };
  }
}

/**
 * Opens a long connection, as the bot would, and closes it. While it is open the platform may give
 * it events meant for running instances: those are refused (acknowledged with code 500) so the
 * platform pushes them again, and counted, since they show other connections are live.
 */
async function longConnection(config: Config, { watchMs = 3000, connectTimeoutMs = 20_000 }: DoctorOptions): Promise<Check> {
  const name = 'connection';
  const watched = `${Math.round(watchMs / 1000)} s`;
  let arrived = 0;
  const dispatcher = new (class extends lark.EventDispatcher {
    override async invoke(): Promise<never> {
      arrived += 1;
      throw new Error('the doctor takes no events');
    }
  })({ logger: QUIET, loggerLevel: lark.LoggerLevel.error });
  let client: Lark.WSClient | undefined;
  const outcome = await new Promise<{ ok: true } | { ok: false; error: string }>((resolve) => {
    const timer = setTimeout(() => resolve({ ok: false, error: `no connection within ${Math.round(connectTimeoutMs / 1000)} s` }), connectTimeoutMs);
    client = new lark.WSClient({
      appId: config.feishu.app_id,
      appSecret: config.feishu.app_secret,
      domain: config.feishu.domain,
      httpInstance: platformHttp(15_000),
      logger: QUIET,
      loggerLevel: lark.LoggerLevel.error,
      autoReconnect: false,
      handshakeTimeoutMs: config.feishu.long_connection.handshake_timeout_ms,
      source: 'helpdesk-bot-doctor',
      onReady: () => {
        clearTimeout(timer);
        resolve({ ok: true });
      },
      onError: (error) => {
        clearTimeout(timer);
        resolve({ ok: false, error: error.message });
      },
    });
    void client.start({ eventDispatcher: dispatcher });
  });
  if (!outcome.ok) {
    client?.close({ force: true });
    const fix = /autoReconnect|no connection within/.test(outcome.error)
      ? `check that the connection servers ${config.feishu.domain} names can be reached over WebSocket from here (proxy, firewall)`
      : refusalFix(outcome.error, config.feishu.domain);
    return { name, status: 'fail', detail: `could not open a long connection: ${outcome.error}`, fix };
  }
  await new Promise((r) => setTimeout(r, watchMs));
  client?.close();
  if (arrived > 0) {
    return {
      name,
      status: 'warn',
      detail: `a long connection opened; ${arrived} event${arrived > 1 ? 's' : ''} arrived on it within ${watched} and went back to the platform to be delivered elsewhere, so other connections of this app are already open`,
      fix: 'make sure they are yours: the platform gives each event to one connection at random, so a laptop or staging copy with this app id takes a share of the events',
    };
  }
  return { name, status: 'pass', detail: `opened a long connection to ${config.feishu.domain} and closed it (no events arrived in ${watched})` };
}

function webhookReminder(): Check {
  return {
    name: 'connection',
    status: 'skip',
    detail: 'webhook mode: the platform calls the bot, which cannot be checked from here',
    fix: 'in the developer console, set the event request URL to https://<your host>/webhook/event and the callback URL to https://<your host>/webhook/card (the bot must be running to answer the challenge)',
  };
}

/** Where the app's scopes are granted, as precisely as the domain allows. */
function consoleUrl(config: Config): string {
  const { domain, app_id: appId } = config.feishu;
  if (domain === 'https://open.larksuite.com' || domain === 'https://open.feishu.cn') return `(${domain}/app/${appId}/auth)`;
  return `of app ${appId}`;
}
