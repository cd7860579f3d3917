// npm run doctor against the stand-in: a correct set-up passes; a refused helpdesk credential, a
// missing scope, bad app credentials, a refused long connection and a bad configuration each fail
// with the setting to fix. The real command is run too, for its exit codes and output.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { runDoctor, type Report } from '../../src/doctor/checks.js';
import { NEEDED_SCOPES } from '../../src/doctor/scopes.js';
import { DEFAULT_SCOPES, StandIn } from '@helpdesk-bot/feishu-standin';
import { SECRETS } from '../support/secrets.js';
import { credentialsFor } from '../support/secrets.js';
import { npmRun } from '../support/process.js';

let standin: StandIn;
beforeAll(async () => {
  // Events held for the app are pushed again quickly, so one can reach the doctor's connection.
  standin = await StandIn.start({ ...SECRETS, longConnection: { repushScheduleMs: [100, 200, 400, 800, 1600] } });
});
afterAll(() => standin.close());
beforeEach(() => {
  standin.clearFaults();
  standin.ws.clearFaults();
  standin.scopes.set(DEFAULT_SCOPES);
});

const webhookEnv = () => credentialsFor(standin.url);
const wsEnv = () => {
  const { FEISHU_ENCRYPT_KEY: _k, FEISHU_VERIFICATION_TOKEN: _t, ...rest } = credentialsFor(standin.url);
  return { ...rest, FEISHU_CONNECTION: 'long-connection' };
};
const check = (report: Report, name: string) => report.checks.find((c) => c.name === name)!;
const statuses = (report: Report) => Object.fromEntries(report.checks.map((c) => [c.name, c.status]));
const FAST = { watchMs: 200, connectTimeoutMs: 10_000 };

describe('runDoctor', () => {
  it('passes a correct long-connection set-up, checking in order', async () => {
    const report = await runDoctor(wsEnv(), FAST);
    expect(report.checks.map((c) => c.name)).toEqual(['configuration', 'tenant token', 'bot', 'scopes', 'optional scopes', 'helpdesk credential', 'helpdesk events', 'ticket actions', 'sign-in', 'connection']);
    expect(statuses(report)).toEqual({
      configuration: 'pass',
      'tenant token': 'pass',
      bot: 'pass',
      scopes: 'pass',
      'optional scopes': 'pass',
      'helpdesk credential': 'pass',
      'helpdesk events': 'pass',
      // Off until an operator turns them on, and said how.
      'ticket actions': 'warn',
      'sign-in': 'warn',
      connection: 'pass',
    });
    expect(check(report, 'ticket actions').fix).toContain('access.agents');
    expect(check(report, 'sign-in').fix).toContain('USER_TOKEN_KEY');
    expect(check(report, 'helpdesk events').detail).toBe('subscribed to helpdesk.ticket.created_v1 and helpdesk.ticket.updated_v1 (watches, live cards and boards)');
    expect(standin.subscriptions.sort()).toEqual(['helpdesk.ticket/ticket.created_v1', 'helpdesk.ticket/ticket.updated_v1']);
    expect(report.ok).toBe(true);
    // It really opened a connection, and closed it.
    expect(standin.ws.connections.length).toBeGreaterThan(0);
    await standin.ws.whenClosed();
    expect(check(report, 'bot').detail).toContain(SECRETS.botOpenId);
  });

  it('in webhook mode, reminds of the two URLs instead of connecting', async () => {
    const report = await runDoctor(webhookEnv(), FAST);
    expect(report.ok).toBe(true);
    expect(check(report, 'connection')).toMatchObject({ status: 'skip' });
    expect(check(report, 'connection').fix).toContain('/webhook/event');
    expect(check(report, 'connection').fix).toContain('/webhook/card');
  });

  it('warns, with the fix, when the helpdesk refuses the event subscription; nothing else fails', async () => {
    standin.inject('helpdesk_subscribe', { status: 400, code: 154000, times: 1 });
    const report = await runDoctor(webhookEnv(), FAST);
    expect(report.ok).toBe(true);
    const events = check(report, 'helpdesk events');
    expect(events.status).toBe('warn');
    expect(events.detail).toContain('code 154000');
    expect(events.detail).toContain('watches, live cards and boards would get no ticket events');
    expect(events.fix).toContain('helpdesk:all:readonly');
  });

  it('names the helpdesk token when the helpdesk refuses the credential', async () => {
    const report = await runDoctor({ ...wsEnv(), FEISHU_HELPDESK_TOKEN: 'not-the-token' }, FAST);
    expect(report.ok).toBe(false);
    const helpdesk = check(report, 'helpdesk credential');
    expect(helpdesk.status).toBe('fail');
    expect(helpdesk.detail).toContain('FEISHU_HELPDESK_TOKEN');
    expect(helpdesk.detail).toContain('another tenant');
    expect(JSON.stringify(report)).not.toContain('not-the-token');
  });

  it('names a missing scope and where to grant it; a scope not yet approved is said so', async () => {
    standin.scopes.remove('im:message:send_as_bot');
    const report = await runDoctor(wsEnv(), FAST);
    expect(report.ok).toBe(false);
    const scopes = check(report, 'scopes');
    expect(scopes.status).toBe('fail');
    expect(scopes.detail).toBe('im:message:send_as_bot (reply, post and update cards) is missing');
    expect(scopes.fix).toContain('Permissions & Scopes');

    standin.scopes.set(DEFAULT_SCOPES.map((s) => (s.name === 'helpdesk:all:readonly' ? { ...s, pending: true } : s)));
    const pending = check(await runDoctor(wsEnv(), FAST), 'scopes');
    expect(pending.detail).toBe('helpdesk:all:readonly (read tickets) is requested but not granted yet');
  });

  it('warns, without failing, about scopes only the group and DM events need', async () => {
    standin.scopes.remove('im:chat:readonly');
    const report = await runDoctor(wsEnv(), FAST);
    expect(report.ok).toBe(true);
    expect(check(report, 'optional scopes')).toMatchObject({ status: 'warn' });
    for (const event of ['im.chat.member.bot.added_v1', 'im.chat.member.bot.deleted_v1', 'im.chat.disbanded_v1']) expect(check(report, 'optional scopes').detail).toContain(event);
  });

  it('does not ask for the group scope when groups are switched off', async () => {
    standin.scopes.remove('im:message.group_at_msg:readonly');
    standin.scopes.remove('im:chat:readonly');
    const env = { ...wsEnv(), BOT_CONFIG: 'test/fixtures/no-groups.yaml' };
    const report = await runDoctor(env, FAST);
    expect(statuses(report)).toMatchObject({ scopes: 'pass', 'optional scopes': 'pass' });
  });

  it('fails on a refused app secret and skips what needs it', async () => {
    const report = await runDoctor({ ...wsEnv(), FEISHU_APP_SECRET: 'wrong-secret' }, FAST);
    expect(statuses(report)).toMatchObject({ configuration: 'pass', 'tenant token': 'fail', bot: 'skip', 'helpdesk credential': 'skip', 'helpdesk events': 'skip', connection: 'skip' });
    expect(check(report, 'tenant token').fix).toContain('FEISHU_APP_SECRET');
    expect(JSON.stringify(report)).not.toContain('wrong-secret');
  });

  it('fails when the long connection is refused, saying what to fix', async () => {
    standin.ws.refuseEndpoint(1000040350);
    const report = await runDoctor(wsEnv(), FAST);
    expect(check(report, 'connection')).toMatchObject({ status: 'fail' });
    expect(check(report, 'connection').fix).toContain('as many connections as the platform allows');
  });

  it('warns when events arrive on its connection, and hands them back to be delivered elsewhere', async () => {
    // The platform holds an event for this app and pushes it to whatever connection is open.
    const push = standin.ws.push({ schema: '2.0', header: { event_id: 'live', event_type: 'im.message.receive_v1' }, event: {} });
    const report = await runDoctor(wsEnv(), { ...FAST, watchMs: 1000 });
    expect(check(report, 'connection')).toMatchObject({ status: 'warn' });
    expect(check(report, 'connection').detail).toContain('other connections of this app are already open');
    expect(push.attempts.some((a) => a.outcome === 'failed' && a.ack?.code === 500)).toBe(true);
    expect(report.ok).toBe(true);
  });

  it('reports every configuration problem at once, including the app id shape', async () => {
    const report = await runDoctor({ ...wsEnv(), FEISHU_APP_ID: 'cli_short', FEISHU_CONNECTION: 'websocket' }, FAST);
    const config = check(report, 'configuration');
    expect(config.status).toBe('fail');
    expect(config.detail).toContain('FEISHU_CONNECTION');
    expect(report.checks.slice(1).every((c) => c.status === 'skip')).toBe(true);
    const shape = check(await runDoctor({ ...wsEnv(), FEISHU_APP_ID: 'cli_short' }, FAST), 'configuration');
    expect(shape.detail).toContain('cli_ followed by 16 hex digits');
  });

  it('checks the scopes the set-up page tells an operator to add, and those the stand-in grants', () => {
    const page = readFileSync(new URL('../../docs/setup.md', import.meta.url), 'utf8');
    const start = page.indexOf('## The app in the developer console');
    const end = page.indexOf('## Webhook or long connection?');
    expect(start, 'the set-up steps in docs/setup.md').toBeGreaterThanOrEqual(0);
    expect(end, 'the set-up steps end before "Webhook or long connection?"').toBeGreaterThan(start);
    const setUp = page.slice(start, end);
    for (const need of NEEDED_SCOPES) {
      expect(
        need.anyOf.some((scope) => setUp.includes(`\`${scope}\``)),
        need.anyOf.join(' or '),
      ).toBe(true);
      expect(
        need.anyOf.some((scope) => DEFAULT_SCOPES.some((s) => s.name === scope)),
        need.anyOf.join(' or '),
      ).toBe(true);
    }
  });

  describe('acting on tickets', () => {
    const acting = () => ({ ...wsEnv(), BOT_CONFIG: 'test/fixtures/agents.yaml', USER_TOKEN_KEY: 'k'.repeat(40), BOT_PUBLIC_URL: 'https://bot.example.com' });

    /** The app may write to the helpdesk too (the stand-in's default app only reads). */
    const writing = () => standin.scopes.set([...DEFAULT_SCOPES, { name: 'helpdesk:all' }]);

    it('passes with agents, a token key and the scopes; says which redirect URL to register', async () => {
      writing();
      const report = await runDoctor(acting(), FAST);
      expect(statuses(report)).toMatchObject({ 'ticket actions': 'pass', 'sign-in': 'pass' });
      expect(check(report, 'ticket actions').detail).toBe('2 agents in access.agents may reply to customers and suggest answers (helpdesk:all granted)');
      expect(check(report, 'sign-in').detail).toContain('back to https://bot.example.com/oauth/callback (register it under Security settings > Redirect URLs)');
      expect(JSON.stringify(report)).not.toContain('k'.repeat(40));
      const device = await runDoctor({ ...acting(), BOT_PUBLIC_URL: '' }, FAST);
      expect(check(device, 'sign-in').detail).toContain('a code shown on the card');
    });

    it("fails without the app's helpdesk:all, or the user scopes agents grant, or an accounts host that answers", async () => {
      expect(check(await runDoctor(acting(), FAST), 'ticket actions')).toMatchObject({ status: 'fail', fix: expect.stringContaining('add helpdesk:all') });
      standin.scopes.set([...DEFAULT_SCOPES.filter((s) => s.name !== 'offline_access'), { name: 'helpdesk:all' }]);
      expect(check(await runDoctor(acting(), FAST), 'sign-in')).toMatchObject({ status: 'fail', detail: expect.stringContaining('offline_access') });
      writing();
      const away = await runDoctor({ ...acting(), FEISHU_OAUTH_URL: 'http://127.0.0.1:9' }, FAST);
      expect(check(away, 'sign-in')).toMatchObject({ status: 'fail', detail: expect.stringContaining('could not reach the accounts host http://127.0.0.1:9') });
      expect(away.ok).toBe(false);
    });
  });

  it('fails with no credentials at all (the sandbox has no app to check)', async () => {
    const report = await runDoctor({}, FAST);
    expect(check(report, 'configuration')).toMatchObject({ status: 'fail' });
    expect(report.ok).toBe(false);
  });
});

describe('npm run doctor', () => {
  it('exits 0 against a correct stand-in and prints one line per check, no secrets', async () => {
    const run = await npmRun(['run', 'doctor'], wsEnv());
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n').filter((l) => /^(PASS|WARN|FAIL|SKIP) /.test(l));
    expect(lines).toHaveLength(10);
    expect(run.stdout).toContain('Ready: nothing failed');
    for (const secret of [SECRETS.appSecret, SECRETS.helpdeskToken]) expect(run.stdout + run.stderr).not.toContain(secret);
  });

  it('exits 1 naming the helpdesk token; --json prints the same', async () => {
    const run = await npmRun(['run', 'doctor', '--', '--json'], { ...wsEnv(), FEISHU_HELPDESK_TOKEN: 'refused-token' });
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.ok).toBe(false);
    expect(check(report, 'helpdesk credential').detail).toContain('FEISHU_HELPDESK_TOKEN');
    expect(run.stdout).not.toContain('refused-token');
  });

  it('exits 1 naming the missing scope', async () => {
    standin.scopes.remove('helpdesk:all:readonly');
    const run = await npmRun(['run', 'doctor'], wsEnv());
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^FAIL {2}scopes .*helpdesk:all:readonly \(read tickets\) is missing\. Fix: add helpdesk:all:readonly under Permissions & Scopes/m);
  });
});
