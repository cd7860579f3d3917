// An answer that takes longer than the time headers may take (server.headers_timeout_ms, also how
// long a silent socket is kept) still reaches its caller: a card callback drawn from a slow
// helpdesk within its budget is not cut off by the idle-socket limit meant for silent connections.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { answerCard, buttons, startHarness, type Harness } from './../support/harness.js';
import { ticket } from '../support/standin.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ tickets: [ticket('6626871355780366331')], yaml: 'server: { headers_timeout_ms: 1000, callback_budget_ms: 2500 }\ncache: { ticket_ttl_ms: 1 }' });
});
afterAll(() => h.close());

it('answers a click whose card takes 1.6 s, past a 1 s headers timeout', async () => {
  const { messageId } = await h.say('/ticket 6626871355780366331');
  const [reply] = await h.replies(messageId);
  h.standin.inject('ticket_get', { delayMs: 1600, times: 1 });
  const answer = await h.click(reply!, buttons(reply!.card).find((b) => b.text === 'Refresh')!.value);
  expect(answer.status).toBe(200);
  expect(JSON.stringify(answerCard(answer.body))).toContain('6626871355780366331');
});
