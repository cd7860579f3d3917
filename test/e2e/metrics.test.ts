// GET /metrics of `npm start`, on the metrics port: the process's own figures and the bot's
// counters, which a /ticket command moves by exactly one. No ids of people, chats or messages.
// And GET /healthz there: the whole health report.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { delivery, messageEvent } from '@helpdesk-bot/feishu-standin/deliveries';
import { StandIn } from '@helpdesk-bot/feishu-standin';
import { fullTicket } from '../fixtures/tickets.js';
import { sample } from '../support/metrics.js';
import { credentialsFor, freePort, npmStart, type Started } from '../support/process.js';
import { SECRETS } from '../support/secrets.js';

describe('npm start: GET /metrics on the metrics port', () => {
  let standin: StandIn;
  let bot: Started;
  let base: string;
  let metricsUrl: string;
  const scrape = async () => {
    const res = await fetch(metricsUrl);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    return res.text();
  };

  beforeAll(async () => {
    standin = await StandIn.start({ ...SECRETS, tickets: [fullTicket] });
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    bot = npmStart({ ...credentialsFor(standin.url), PORT: String(port), METRICS_PORT: String(await freePort()) });
    const started = JSON.parse(await bot.waitFor(/"event":"started"/)) as { metrics: string };
    metricsUrl = started.metrics;
  }, 60_000);
  afterAll(async () => {
    await bot?.stop();
    await standin?.close();
  });

  it('names the metrics address in the started line, and the public port does not serve them', async () => {
    expect(metricsUrl).toMatch(/^http:\/\/localhost:\d+\/metrics$/);
    expect((await fetch(base + '/metrics')).status).toBe(404);
    expect((await fetch(metricsUrl.replace('/metrics', '/other'))).status).toBe(404);
  });

  it('has the whole health report on the metrics port, where the public /healthz says only ok', async () => {
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    const details = await fetch(metricsUrl.replace('/metrics', '/healthz'));
    expect(details.status).toBe(200);
    expect(await details.json()).toEqual({ status: 'ok', mode: 'production', state: 'memory', queued: 0, connection: { mode: 'webhook' } });
  });

  it('has the process metrics, and a /ticket command moves the command counter by exactly one', async () => {
    const before = await scrape();
    expect(sample(before, 'process_resident_memory_bytes')).toBeGreaterThan(10 * 1024 * 1024);
    const ok = { command: 'ticket', outcome: 'ok', reply: 'sent' };
    const commandsBefore = sample(before, 'helpdesk_bot_commands_total', ok);

    const messageId = 'om_metrics_ticket_1';
    const event = messageEvent({
      token: SECRETS.verificationToken,
      appId: SECRETS.appId,
      chatType: 'p2p',
      chatId: 'oc_metrics_dm',
      senderOpenId: 'ou_metrics_user',
      messageId,
      text: `/ticket ${fullTicket.ticket_id}`,
    });
    const d = delivery(event, { encryptKey: SECRETS.encryptKey });
    expect((await fetch(base + '/webhook/event', { method: 'POST', headers: d.headers, body: d.body })).status).toBe(200);
    // The counter moves when the reply has been sent (and logged).
    await bot.waitFor(/"event":"command"/);

    const after = await scrape();
    expect(sample(after, 'helpdesk_bot_commands_total', ok)).toBe(commandsBefore + 1);
    expect(sample(after, 'helpdesk_bot_command_duration_seconds_count', { command: 'ticket' })).toBe(sample(before, 'helpdesk_bot_command_duration_seconds_count', { command: 'ticket' }) + 1);
    expect(sample(after, 'helpdesk_bot_deliveries_total', { outcome: 'accepted' })).toBe(sample(before, 'helpdesk_bot_deliveries_total', { outcome: 'accepted' }) + 1);
    expect(sample(after, 'helpdesk_bot_upstream_requests_total', { api: 'ticket_get', result: 'ok' })).toBe(1);
    expect(sample(after, 'helpdesk_bot_upstream_requests_total', { api: 'reply', result: 'ok' })).toBe(1);
    expect(sample(after, 'helpdesk_bot_cache_requests_total', { cache: 'ticket', result: 'miss' })).toBe(1);
    // Nobody's ids: not the asker's, the chat's or the message's.
    for (const id of ['ou_', 'oc_', 'om_', SECRETS.appId]) expect(after).not.toContain(id);
  });
});

describe('npm start: a metrics port that cannot be opened', () => {
  it('stops start-up with a message naming the setting, before taking any delivery', async () => {
    const standin = await StandIn.start(SECRETS);
    const taken = await StandIn.start(SECRETS); // something listening on a port
    try {
      const bot = npmStart({ ...credentialsFor(standin.url), PORT: String(await freePort()), METRICS_PORT: new URL(taken.url).port });
      expect(await bot.exited).toBe(1);
      expect(bot.stderr()).toContain(`metrics.port (or METRICS_PORT): port ${new URL(taken.url).port} is already in use`);
      expect(bot.lines.some((l) => l.includes('"event":"started"'))).toBe(false);
    } finally {
      await taken.close();
      await standin.close();
    }
  });
});
