// The long connection when things go wrong, through the real SDK against the stand-in: dropped and
// silent connections, refusals at the endpoint (retryable and fatal), a full queue, several
// instances sharing one app, and shutdown. Nothing acknowledged is lost; nothing is answered twice.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { memoryLogger } from '../../src/obs/log.js';
import { messageEvent } from '@helpdesk-bot/feishu-standin/deliveries';
import { startBot, type RunningBot } from '../../src/runtime/start.js';
import { credentialsFor } from '../support/secrets.js';
import { fullTicket } from '../fixtures/tickets.js';
import { PLAIN_UPSTREAM, SECRETS, startHarness, type Harness } from '../support/harness.js';
import { until } from '../support/wait.js';
import { isReceiving } from '../../src/intake/intake.js';

const TICKET = fullTicket.ticket_id;
const open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.close()));
});

async function harness(options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  const h = await startHarness({ connection: 'long-connection', tickets: [fullTicket], ...options });
  open.push(h);
  return h;
}

const event = (text: string, chatId = 'oc_dm_faults') => messageEvent({ token: '', appId: SECRETS.appId, chatType: 'p2p', chatId, senderOpenId: 'ou_user_asker', text });
const repliesTo = (h: Harness, messageId: string) => [...h.standin.messages.values()].filter((m) => m.replyTo === messageId);
const logged = (h: Harness, name: string) => h.log.lines.filter((l) => l.includes(`"event":"${name}"`));

describe('liveness', () => {
  it('reconnects after the platform drops the connection, logs it, and answers the next event', async () => {
    const h = await harness();
    const [first] = h.standin.ws.open;
    h.standin.ws.drop();
    await until('the reconnect', () => h.standin.ws.open.some((c) => c.id !== first!.id) && h.bot.connection().mode === 'long-connection');
    await until('the state to say connected', () => (h.bot.connection() as { state: string }).state === 'connected');
    expect(h.bot.connection()).toMatchObject({ state: 'connected', reconnects: 1 });
    expect(logged(h, 'long_connection.reconnecting')).toHaveLength(1);
    expect(logged(h, 'long_connection.reconnected')).toHaveLength(1);
    const { messageId, status } = await h.say(`/ticket ${TICKET}`);
    expect(status).toBe(200);
    expect(await h.replies(messageId)).toHaveLength(1);
    // Each attempt asked the endpoint afresh, with the app's id and secret in the body.
    const endpoint = h.standin.callsTo('ws_endpoint');
    expect(endpoint.length).toBeGreaterThanOrEqual(2);
    expect(endpoint[0]!.body).toEqual({ AppID: SECRETS.appId, AppSecret: SECRETS.appSecret });
  });

  it('replaces a connection that goes silent (half-open), as the ping timeout says', async () => {
    const h = await harness({ yaml: `${PLAIN_UPSTREAM}\nfeishu:\n  long_connection: { ping_timeout_seconds: 1 }\n` });
    const [first] = h.standin.ws.open;
    h.standin.ws.silence();
    // The socket stays up on the platform's side; the bot notices the missing pongs and reconnects.
    await until('a new connection', () => h.standin.ws.open.find((c) => c.id !== first!.id));
    await until('the state to say connected', () => (h.bot.connection() as { state: string }).state === 'connected');
    expect(h.log.lines.some((l) => l.includes('no pong/inbound within 1s'))).toBe(true);
    const { messageId } = await h.say(`/ticket ${TICKET}`);
    expect(await h.replies(messageId)).toHaveLength(1);
  });

  it('an event pushed into a dropped connection is pushed again and answered once', async () => {
    const h = await harness();
    h.standin.ws.silence();
    const e = event(`/ticket ${TICKET}`);
    const push = h.standin.ws.push(e);
    // Nothing reaches the bot; after the missed acknowledgement the platform pushes it again.
    h.standin.ws.drop();
    await push.done;
    expect(push.acked?.code).toBe(200);
    expect(push.attempts[0]!.outcome).not.toBe('acked');
    expect(await h.replies(e.event.message.message_id)).toHaveLength(1);
  });
});

describe('refusals at the endpoint', () => {
  it('keeps trying on a retryable refusal, saying "reconnecting" (and 503) meanwhile', async () => {
    // Once connected, the client retries on the platform's schedule (from ClientConfig; fast here).
    const h = await harness();
    h.standin.ws.refuseEndpoint(1000040343, 3);
    h.standin.ws.drop();
    await until('the first refusal', () => h.standin.ws.events.some((e) => e.kind === 'refused'));
    expect(h.bot.connection()).toMatchObject({ state: 'reconnecting' });
    const health = await fetch(h.bot.url + '/healthz');
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: 'unavailable', part: 'connection' });
    expect(h.bot.health()).toMatchObject({ reason: 'the long connection is reconnecting', connection: { mode: 'long-connection', state: 'reconnecting' } });
    await until('the connection back', () => (h.bot.connection() as { state: string }).state === 'connected');
    expect(h.standin.ws.events.filter((e) => e.kind === 'refused')).toHaveLength(3);
    expect((await fetch(h.bot.url + '/healthz')).status).toBe(200);
  });

  it('stops on bad credentials, naming the settings to fix, and /healthz answers 503', async () => {
    let fatal = '';
    const h = await harness({ onFatal: (m) => (fatal = m), prepare: (s) => s.ws.refuseEndpoint(514) });
    await until('the fatal error', () => fatal);
    expect(fatal).toContain('FEISHU_APP_ID');
    expect(fatal).toContain('FEISHU_APP_SECRET');
    expect(h.bot.connection()).toMatchObject({ state: 'failed' });
    const health = await fetch(h.bot.url + '/healthz');
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: 'unavailable', part: 'connection' });
    expect(h.bot.health()).toMatchObject({ part: 'connection', connection: { state: 'failed' } });
    expect(logged(h, 'long_connection.failed')).toHaveLength(1);
  });

  it('stops when the app already has too many connections, saying so', async () => {
    let fatal = '';
    const h = await harness({ onFatal: (m) => (fatal = m) });
    await h.standin.ws.whenOpen(1);
    h.standin.ws.refuseEndpoint(1000040350);
    h.standin.ws.drop();
    await until('the fatal error', () => fatal);
    expect(fatal).toContain('as many connections as the platform allows (50)');
    expect(h.bot.connection()).toMatchObject({ state: 'failed' });
  });

  it('never logs the app secret or the connection ticket', async () => {
    const h = await harness();
    h.standin.ws.refuseEndpoint(1000040343, 1);
    h.standin.ws.drop();
    await until('a reconnect', () => h.standin.ws.connections.length >= 2);
    const all = h.log.lines.join('\n');
    expect(all).not.toContain(SECRETS.appSecret);
    expect(all).not.toMatch(/ticket=[0-9a-f]{8}/);
  });
});

describe('refused work is pushed again', () => {
  it('a full queue acknowledges with code 500; the event comes back and is answered once', async () => {
    const h = await harness({ yaml: `${PLAIN_UPSTREAM}\nserver: { work_max_pending: 1 }\n` });
    h.standin.inject('ticket_get', { delayMs: 700, times: 1 });
    const busy = event(`/ticket ${TICKET}`);
    const refused = event(`/ticket ${TICKET}`);
    await h.standin.ws.push(busy).first;
    const push = h.standin.ws.push(refused);
    const first = await push.first;
    expect(first.outcome).toBe('failed');
    expect(first.ack?.code).toBe(500);
    await push.done;
    expect(push.acked?.code).toBe(200);
    expect(await h.replies(refused.event.message.message_id)).toHaveLength(1);
    expect(await h.replies(busy.event.message.message_id)).toHaveLength(1);
  });
});

describe('several instances of one app', () => {
  let second: RunningBot | undefined;
  afterEach(async () => {
    await second?.stop(2000);
    second = undefined;
  });

  it('each event goes to one of them, at random, and is answered once', async () => {
    const h = await harness();
    const { FEISHU_VERIFICATION_TOKEN: _t, FEISHU_ENCRYPT_KEY: _k, ...env } = credentialsFor(h.standin.url);
    // A second process of its own: its own state file, not the repository's data/.
    const stateFile = join(mkdtempSync(join(tmpdir(), 'second-bot-')), 'state.json');
    const config = loadConfig(PLAIN_UPSTREAM, { ...env, FEISHU_CONNECTION: 'long-connection', PORT: '0', STATE_FILE: stateFile });
    if (!config.ok) throw new Error(config.problems.join('\n'));
    second = await startBot(config.config, { log: memoryLogger(), host: '127.0.0.1' });
    await until('the second connection', () => isReceiving(second!.connection()));
    await h.standin.ws.whenOpen(2);
    const events = Array.from({ length: 24 }, () => event(`/ticket ${TICKET}`));
    const pushes = await Promise.all(events.map((e) => h.standin.ws.push(e).done));
    expect(pushes.every((p) => p.acked?.code === 200)).toBe(true);
    const byConnection = new Set(pushes.map((p) => p.attempts.at(-1)!.connection));
    expect(byConnection.size).toBe(2);
    for (const e of events) expect(await h.replies(e.event.message.message_id)).toHaveLength(1);
  });
});

describe('shutdown', () => {
  it('finishes what was acknowledged, refuses what comes after, and closes the connection', async () => {
    const h = await startHarness({ connection: 'long-connection', tickets: [fullTicket] });
    h.standin.inject('ticket_get', { delayMs: 500, times: 1 });
    const accepted = event(`/ticket ${TICKET}`);
    expect((await h.standin.ws.push(accepted).first).outcome).toBe('acked');
    const stopping = h.bot.stop(5000);
    // Pushed while stopping: refused (code 500) or no longer delivered; either way pushed again later.
    const late = h.standin.ws.push(event(`/ticket ${TICKET}`), { repush: false });
    expect(await stopping).toBe(true);
    await late.done;
    expect(late.acked).toBeUndefined();
    expect(repliesTo(h, accepted.event.message.message_id)).toHaveLength(1);
    expect(h.standin.ws.open).toHaveLength(0);
    expect(h.bot.connection()).toMatchObject({ state: 'stopped' });
    await h.standin.close();
  });
});
