// Faults at the helpdesk, seen by the user through the real bot over HTTP: retried rate limits end
// in the right card, and a helpdesk that keeps failing gets a failure card within the budget
// while the bot stays healthy.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../support/harness.js';
import { commandLines, ticketsFrom } from '../../support/load.js';

const BUDGET_MS = 3000;
// A small budget and short delays keep these tests quick; nothing is cached, so every command
// reaches the stand-in.
const YAML = `
upstream:
  timeout_ms: 800
  command_budget_ms: ${BUDGET_MS}
  reply_reserve_ms: 800
  min_attempt_ms: 100
  retry: { max_attempts: 4, base_delay_ms: 50, max_delay_ms: 400 }
cache: { ticket_ttl_ms: 1 }
`;
const ID = '7400000000000000000';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ tickets: ticketsFrom(BigInt(ID), 1), yaml: YAML });
});
afterAll(() => h.close());
beforeEach(() => {
  h.standin.clearFaults();
  h.standin.clearCalls();
});

/** Sends a command and waits for its card; `ms` is from sending to the reply being stored. */
async function ask(text: string) {
  const started = Date.now();
  const { status, messageId } = await h.say(text);
  expect(status).toBe(200);
  const [reply] = await h.replies(messageId, 1, 15_000);
  return { content: reply!.content, ms: Date.now() - started, messageId };
}

describe('rate limited by the helpdesk', () => {
  it('429 twice, then success: the user gets the ticket card, the retries waited for the reset', async () => {
    h.standin.inject('ticket_get', { status: 429, code: 99991400, times: 2, rateLimitResetSeconds: 0.4 });
    const { content } = await ask(`/ticket ${ID}`);
    expect(content).toContain(ID);
    expect(content).toContain('王小明');
    const gets = h.standin.callsTo('ticket_get');
    expect(gets.map((c) => [c.status, c.responseCode])).toEqual([
      [429, 99991400],
      [429, 99991400],
      [200, 0],
    ]);
    // x-ogw-ratelimit-reset said 0.4 s: no retry came sooner.
    expect(gets[1]!.at - gets[0]!.at).toBeGreaterThanOrEqual(400);
    expect(gets[2]!.at - gets[1]!.at).toBeGreaterThanOrEqual(400);
  });

  it('429 every time: the "helpdesk is busy" card, within the budget', async () => {
    h.standin.inject('ticket_get', { status: 429, code: 99991400 });
    const { content, ms } = await ask(`/ticket ${ID}`);
    expect(content).toContain('Helpdesk is busy');
    expect(ms).toBeLessThan(BUDGET_MS);
  });
});

describe('a helpdesk that keeps failing', () => {
  it('500 every time: a failure card within the budget, after a bounded number of attempts', async () => {
    h.standin.inject('ticket_get', { status: 500, code: 155000 });
    const { content, ms, messageId } = await ask(`/ticket ${ID}`);
    expect(content).toContain('Ticket lookup failed');
    expect(ms).toBeLessThan(BUDGET_MS);
    const attempts = h.standin.callsTo('ticket_get').length;
    expect(attempts).toBeGreaterThan(1);
    expect(attempts).toBeLessThanOrEqual(4);
    const conversation = h.standin.callsTo('ticket_messages').length;
    expect(await commandLines(h.log.lines, [messageId])).toMatchObject([{ outcome: 'upstream', upstream_calls: attempts + conversation, reply: 'sent' }]);
  });

  it('no answer at all: each attempt is cut short, and the failure card still comes within the budget', async () => {
    h.standin.inject('ticket_get', { delayMs: 10_000 });
    const { content, ms } = await ask(`/ticket ${ID}`);
    expect(content).toContain('Ticket lookup failed');
    expect(ms).toBeLessThan(BUDGET_MS);
  });

  it('business errors are not retried: one call for an unknown ticket', async () => {
    const { content } = await ask('/ticket 1234567890');
    expect(content).toContain('Ticket not found');
    expect(h.standin.callsTo('ticket_get')).toHaveLength(1);
  });

  it('stays healthy: /healthz answers 200 and the next command works', async () => {
    h.standin.inject('ticket_get', { status: 503, code: 155000 });
    await ask(`/ticket ${ID}`);
    h.standin.clearFaults();
    const health = await fetch(h.bot.url + '/healthz');
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
    expect((await ask(`/ticket ${ID}`)).content).toContain('王小明');
  });
});

describe('replies under faults', () => {
  it('a reply answered 230020 (too frequent) is retried and sent once', async () => {
    h.standin.inject('reply', { status: 400, code: 230020, times: 1 });
    const { messageId } = await h.say(`/ticket ${ID}`);
    await h.replies(messageId, 1, 10_000);
    expect(h.standin.callsTo('reply').map((c) => c.responseCode)).toEqual([230020, 0]);
    expect([...h.standin.messages.values()].filter((m) => m.replyTo === messageId)).toHaveLength(1);
  });
});

describe('more lookups than the rate allows within the budget', () => {
  it('the ones that cannot get a slot in time answer "busy, try again shortly" at once, never silence', async () => {
    // One get per second and lookups ending 1.6 s in: slots at 0 and 1.1 s fit, the next would not.
    const busy = await startHarness({
      tickets: ticketsFrom(BigInt(ID), 4),
      yaml: `
upstream:
  command_budget_ms: 2400
  reply_reserve_ms: 800
  limits: { ticket_get_per_second: 1 }
`,
    });
    try {
      const sent = await Promise.all([0, 1, 2, 3].map((i) => busy.say(`/ticket ${BigInt(ID) + BigInt(i)}`)));
      const cards = await Promise.all(sent.map(async (s) => (await busy.replies(s.messageId, 1, 10_000))[0]!.content));
      expect(cards.filter((c) => c.includes('王小明'))).toHaveLength(2);
      expect(cards.filter((c) => c.includes('Busy, try again shortly'))).toHaveLength(2);
      expect(busy.standin.callsTo('ticket_get')).toHaveLength(2);
    } finally {
      await busy.close();
    }
  });
});
