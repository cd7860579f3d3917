// The tenant token as the platform takes it, through the real bot and the real SDK: a cached token
// the platform refuses before its expiry is dropped and replaced, and the call tried once more; a
// platform that refuses a new token too is said out loud (the card, the log, /healthz) and the bot
// recovers by itself. A user's token is never replaced with the tenant's.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as lark from '@larksuiteoapi/node-sdk';
import { createLarkClient } from '../../src/feishu/client.js';
import { memoryLogger } from '../../src/obs/log.js';
import { startHarness, type Harness } from '../support/harness.js';
import { ticketsFrom } from '../support/load.js';
import { SECRETS } from '../support/secrets.js';
import { until } from '../support/wait.js';

const ID = '7410000000000000000';
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ tickets: ticketsFrom(BigInt(ID), 1) });
});
afterAll(() => h.close());
beforeEach(() => {
  h.standin.clearFaults();
  h.standin.clearCalls();
});

const logged = (event: string) => h.log.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === event);
/** The command's log line, written just after its reply reached the stand-in. */
const commandLine = async (messageId: string) => {
  await until(`the command line of ${messageId}`, () => logged('command').some((l) => l.message_id === messageId));
  return logged('command').find((l) => l.message_id === messageId);
};
const health = async () => ({ status: (await fetch(h.bot.url + '/healthz')).status, json: await (await fetch(h.bot.url + '/healthz')).json() });

async function ask(text: string) {
  const { status, messageId } = await h.say(text);
  expect(status).toBe(200);
  const [reply] = await h.replies(messageId, 1, 15_000);
  last = messageId;
  return reply!.content;
}
let last = '';

describe('a cached tenant token the platform refuses', () => {
  it('is dropped: a new token is asked for once, and the command is answered with its ticket card', async () => {
    expect(await ask(`/ticket ${ID}`)).toContain(`Ticket ${ID}`);
    h.standin.clearCalls();
    h.standin.revokeTenantTokens();

    expect(await ask(`/ticket ${ID}`)).toContain(`Ticket ${ID}`);
    expect(h.standin.callsTo('tenant_token')).toHaveLength(1);
    // The refused get, then the same get with the new token.
    const gets = h.standin.callsTo('ticket_get');
    expect(gets.map((c) => [c.status, c.responseCode])).toEqual([
      [400, 99991663],
      [200, 0],
    ]);
    expect(gets[0]!.headers.authorization).not.toBe(gets[1]!.headers.authorization);
    expect(gets[1]!.query).toEqual(gets[0]!.query);
    expect(logged('feishu.token_renewed').at(-1)).toMatchObject({ level: 'warn', code: 99991663 });
    expect((await health()).status).toBe(200);
  });

  it('is replaced once for many calls refused together', async () => {
    await ask(`/ticket ${ID}`);
    h.standin.revokeTenantTokens();
    h.standin.clearCalls();
    const asked = await Promise.all(Array.from({ length: 5 }, () => h.say(`/ticket ${ID}`)));
    await Promise.all(asked.map((a) => h.replies(a.messageId)));
    expect(h.standin.callsTo('tenant_token')).toHaveLength(1);
  });
});

describe('a platform that refuses new tokens too', () => {
  it('answers "cannot reach Feishu", logs an error once, says so on /healthz, and recovers by itself', async () => {
    // The helpdesk refuses every token (old and new) while messages still go through.
    h.standin.inject('ticket_get', { status: 400, code: 99991663 });
    const card = await ask(`/ticket ${ID}`);
    expect(card).toContain('Cannot reach Feishu right now');
    expect(card).toContain('暂时连不上飞书');
    expect(h.standin.callsTo('ticket_get')).toHaveLength(2);
    expect(logged('feishu.token_refused')).toHaveLength(1);
    expect(logged('feishu.token_refused')[0]).toMatchObject({ level: 'error', reason: expect.stringContaining('code 99991663') });
    expect(await commandLine(last)).toMatchObject({ outcome: 'feishu-unreachable', reply: 'sent' });
    expect(await health()).toEqual({ status: 503, json: { status: 'unavailable', part: 'feishu' } });
    expect(h.bot.health()).toMatchObject({ part: 'feishu', reason: expect.stringContaining('helpdesk/v1/tickets/:id refused a tenant token the platform had just issued') });

    // Refused again: no second error line while it lasts.
    await ask(`/ticket ${ID}`);
    expect(logged('feishu.token_refused')).toHaveLength(1);

    h.standin.clearFaults();
    expect(await ask(`/ticket ${ID}`)).toContain(`Ticket ${ID}`);
    expect((await health()).status).toBe(200);
    expect(logged('feishu.token_accepted')).toHaveLength(1);
  });

  it('says so when the token endpoint will not issue a new token, and nothing is answered twice', async () => {
    await ask(`/ticket ${ID}`);
    h.standin.revokeTenantTokens();
    h.standin.inject('tenant_token', { status: 500, code: 500 });
    const before = logged('feishu.token_refused').length;
    const { messageId } = await h.say(`/ticket ${ID}`);
    // Nothing can be sent: the reply needs a token too. The operator hears why, and /healthz says so.
    await until('the refusal to be logged', () => logged('feishu.token_refused').length > before);
    expect(String(logged('feishu.token_refused').at(-1)!.reason)).toContain('the token endpoint did not issue a new tenant token');
    await until('/healthz to say 503', async () => (await health()).status === 503);

    h.standin.clearFaults();
    // The reply is retried until the platform takes a token again: one reply, not two.
    const [reply] = await h.replies(messageId, 1, 20_000);
    expect(reply!.content).toMatch(/Ticket lookup failed|Cannot reach Feishu|Ticket 7410000000000000000/);
    await until('/healthz to say 200', async () => (await health()).status === 200);
    expect([...h.standin.messages.values()].filter((m) => m.replyTo === messageId)).toHaveLength(1);
  });
});

describe("a user's token", () => {
  it('is not replaced with the tenant token when the platform refuses it', async () => {
    const log = memoryLogger();
    const client = createLarkClient({ appId: SECRETS.appId, appSecret: SECRETS.appSecret, domain: h.standin.url, helpdeskId: SECRETS.helpdeskId, helpdeskToken: SECRETS.helpdeskToken, timeoutMs: 2000 }, log);
    await expect(client.request({ method: 'GET', url: '/open-apis/bot/v3/info' }, lark.withUserAccessToken('u-not-a-valid-token'))).rejects.toMatchObject({ response: { status: 400 } });
    expect(h.standin.callsTo('bot_info')).toHaveLength(1);
    expect(h.standin.callsTo('tenant_token')).toHaveLength(0);
    expect(log.lines.join('\n')).not.toContain('u-not-a-valid-token');
  });
});
