// What the metrics count, through the real bot over HTTP against the stand-in: refusals by reason,
// duplicates, retries and rate-limit answers from the platform, cache hits, clicks, and the gauges
// read at scrape time.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { messageEvent } from '@helpdesk-bot/feishu-standin/deliveries';
import { ticketsFrom } from '../support/load.js';
import { sample } from '../support/metrics.js';
import { buttons, SECRETS, startHarness, type Harness } from '../support/harness.js';

const BASE = 7500000000000000000n;
const id = (i: number) => String(BASE + BigInt(i));
let h: Harness;
beforeAll(async () => {
  // Default caches and limits, but the per-chat message limit low enough to make replies wait.
  h = await startHarness({ tickets: ticketsFrom(BASE, 30), yaml: 'upstream: { limits: { messages_per_chat_per_second: 2 } }' });
});
afterAll(() => h.close());
beforeEach(() => {
  h.standin.clearFaults();
  h.standin.clearCalls();
});

const scrape = () => h.bot.metrics.registry.metrics();
const event = (text: string) => messageEvent({ token: SECRETS.verificationToken, appId: SECRETS.appId, chatType: 'p2p', senderOpenId: 'ou_m', text });

describe('metrics', () => {
  it('count refused deliveries by status and reason, and duplicates', async () => {
    const before = await scrape();
    const refusals = (text: string, status: string, reason: string) => sample(text, 'helpdesk_bot_deliveries_refused_total', { status, reason });
    expect((await h.post(event('/help'), { headers: { 'X-Lark-Signature': '0'.repeat(64) } })).status).toBe(401);
    expect((await h.post(event('/help'), { timestamp: Math.floor(Date.now() / 1000) - 3600 })).status).toBe(401);
    expect((await h.post(event('/help'), { rawBody: JSON.stringify({ encrypt: 'x'.repeat(600_000) }) })).status).toBe(413);
    const once = event('/help');
    expect((await h.post(once)).status).toBe(200);
    expect((await h.post(once)).status).toBe(200);

    const after = await scrape();
    expect(refusals(after, '401', 'bad_signature') - refusals(before, '401', 'bad_signature')).toBe(1);
    expect(refusals(after, '401', 'timestamp_outside_the_allowed_window') - refusals(before, '401', 'timestamp_outside_the_allowed_window')).toBe(1);
    expect(refusals(after, '413', 'body_too_large') - refusals(before, '413', 'body_too_large')).toBe(1);
    const outcome = (text: string, o: string) => sample(text, 'helpdesk_bot_deliveries_total', { outcome: o });
    expect(outcome(after, 'refused') - outcome(before, 'refused')).toBe(3);
    expect(outcome(after, 'accepted') - outcome(before, 'accepted')).toBe(1);
    expect(outcome(after, 'duplicate') - outcome(before, 'duplicate')).toBe(1);
  });

  it('count each HTTP attempt by result, retries, and cache hits and misses', async () => {
    h.standin.inject('ticket_get', { status: 429, code: 99991400, times: 1, rateLimitResetSeconds: 0.1 });
    const before = await scrape();
    const first = await h.say(`/ticket ${id(1)}`, { chatId: 'oc_metrics_a' });
    await h.replies(first.messageId, 1, 10_000);
    const again = await h.say(`/ticket ${id(1)}`, { chatId: 'oc_metrics_b' });
    await h.replies(again.messageId, 1, 10_000);
    await until(
      async () =>
        sample(await scrape(), 'helpdesk_bot_commands_total', { command: 'ticket', outcome: 'ok', reply: 'sent' }) >=
        sample(before, 'helpdesk_bot_commands_total', { command: 'ticket', outcome: 'ok', reply: 'sent' }) + 2,
    );

    const after = await scrape();
    const delta = (name: string, labels: Record<string, string>) => sample(after, name, labels) - sample(before, name, labels);
    expect(delta('helpdesk_bot_upstream_requests_total', { api: 'ticket_get', result: 'rate-limited' })).toBe(1);
    expect(delta('helpdesk_bot_upstream_requests_total', { api: 'ticket_get', result: 'ok' })).toBe(1);
    expect(delta('helpdesk_bot_upstream_retries_total', { api: 'ticket_get' })).toBe(1);
    expect(delta('helpdesk_bot_upstream_requests_total', { api: 'reply', result: 'ok' })).toBe(2);
    expect(delta('helpdesk_bot_cache_requests_total', { cache: 'ticket', result: 'miss' })).toBe(1);
    expect(delta('helpdesk_bot_cache_requests_total', { cache: 'ticket', result: 'hit' })).toBe(1);
    expect(delta('helpdesk_bot_rate_limit_wait_seconds_count', { api: 'ticket_get' })).toBe(2);
  });

  it('count clicks by view and outcome, and refused ones', async () => {
    const { messageId } = await h.say('/tickets page 1', { chatId: 'oc_metrics_click' });
    const [list] = await h.replies(messageId, 1, 10_000);
    const open = buttons(list!.card).find((b) => b.text === 'Open')!;
    const before = await scrape();
    expect((await h.click(list!, open.value)).status).toBe(200);
    expect((await h.click(list!, { forged: true })).status).toBe(200);
    const after = await scrape();
    expect(sample(after, 'helpdesk_bot_clicks_total', { view: 'ticket', outcome: 'ok' }) - sample(before, 'helpdesk_bot_clicks_total', { view: 'ticket', outcome: 'ok' })).toBe(1);
    expect(sample(after, 'helpdesk_bot_clicks_total', { view: 'unknown', outcome: 'invalid-button' }) - sample(before, 'helpdesk_bot_clicks_total', { view: 'unknown', outcome: 'invalid-button' })).toBe(1);
  });

  it("show the work queue and the replies waiting for their chat's turn while a burst is answered", async () => {
    // 12 commands in one chat at 2 replies a second: replies wait, then all are sent.
    const sent = await Promise.all(Array.from({ length: 12 }, (_, i) => h.say(`/ticket ${id(10 + (i % 3))}`, { chatId: 'oc_metrics_hot' })));
    let waiting = 0;
    let depth = 0;
    await until(async () => {
      const text = await scrape();
      waiting = Math.max(waiting, sample(text, 'helpdesk_bot_replies_waiting'));
      depth = Math.max(depth, sample(text, 'helpdesk_bot_work_queue_depth'));
      return waiting > 0;
    });
    expect(depth).toBeGreaterThan(0);
    for (const s of sent) await h.replies(s.messageId, 1, 20_000);
    await until(async () => sample(await scrape(), 'helpdesk_bot_replies_waiting') === 0 && sample(await scrape(), 'helpdesk_bot_work_queue_depth') === 0);
  });
});

async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const limit = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > limit) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
