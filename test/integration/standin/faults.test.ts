// The stand-in's fault injection (status, code, delay, dropped connections, for a number of calls)
// and its record of every call, which the other tests assert on.
import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StandIn } from '@helpdesk-bot/feishu-standin';
import { card2, httpFailure, sdkClient, startStandIn, ticket } from '../../support/standin.js';

const TICKET = ticket('7000000000000000001');
const USER_MESSAGE = 'om_5ce6d572455d361153b7cb51da133945';

let standIn: StandIn;
let client: lark.Client;
let now: number;
beforeEach(async () => {
  now = 1_700_000_000_000;
  standIn = await startStandIn({ tickets: [TICKET], now: () => now });
  client = sdkClient(standIn);
});
afterEach(() => standIn.close());

const getTicket = () => client.helpdesk.v1.ticket.get({ path: { ticket_id: TICKET.ticket_id } }, lark.withHelpDeskCredential());
const reply = () =>
  client.im.v1.message.reply({
    path: { message_id: USER_MESSAGE },
    data: { msg_type: 'interactive', content: JSON.stringify(card2()) },
  });

describe('fault injection', () => {
  it('simulates the gateway rate limit: HTTP 429, reset header, then normal answers', async () => {
    standIn.inject('reply', { status: 429, code: 99991400, rateLimitResetSeconds: 1, times: 2 });
    for (let i = 0; i < 2; i++) {
      const failure = await httpFailure(reply());
      expect(failure.status).toBe(429);
      expect(failure.data).toMatchObject({ code: 99991400, msg: 'request trigger frequency limit' });
      expect(failure.headers['x-ogw-ratelimit-reset']).toBe('1');
    }
    expect((await reply()).code).toBe(0);
    expect(standIn.callsTo('reply').map((call) => [call.status, call.responseCode])).toEqual([
      [429, 99991400],
      [429, 99991400],
      [200, 0],
    ]);
    expect(standIn.messages.size).toBe(1);
  });

  it('answers a generic fault with its status and code, in the platform words when known', async () => {
    standIn.inject('ticket_get', { status: 500, code: 155000 });
    for (let i = 0; i < 3; i++) {
      expect(await httpFailure(getTicket())).toMatchObject({ status: 500, data: { code: 155000, msg: 'Internal error' } });
    }
    standIn.clearFaults();
    expect((await getTicket()).code).toBe(0);
  });

  it('uses a custom message when given', async () => {
    standIn.inject('ticket_get', { status: 503, code: 1, msg: 'upstream down', times: 1 });
    expect(await httpFailure(getTicket())).toMatchObject({ status: 503, data: { code: 1, msg: 'upstream down' } });
  });

  it('delays and then answers normally', async () => {
    await getTicket(); // fetch the tenant token outside the measured call
    standIn.inject('ticket_get', { delayMs: 120, times: 1 });
    const started = performance.now();
    expect((await getTicket()).code).toBe(0);
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);

    const again = performance.now();
    await getTicket();
    expect(performance.now() - again).toBeLessThan(110);
  });

  it('applies before the platform checks: even a request without credentials gets the fault', async () => {
    standIn.inject('bot_info', { status: 500, code: 155000, times: 1 });
    const res = await fetch(`${standIn.url}/open-apis/bot/v3/info`);
    expect(res.status).toBe(500);
    expect((await fetch(`${standIn.url}/open-apis/bot/v3/info`)).status).toBe(400);
  });

  it('answers with a body of any shape, as a faulty platform might, then normally again', async () => {
    standIn.inject('ticket_list', { body: [1, 2, 3], times: 1 });
    const list = () => client.helpdesk.v1.ticket.list({ params: { page_size: 5 } }, lark.withHelpDeskCredential());
    expect(await list()).toEqual([1, 2, 3]);
    standIn.inject('ticket_get', { status: 200, body: { code: '0' }, times: 1 });
    expect(await getTicket()).toEqual({ code: '0' });
    expect(standIn.callsTo('ticket_list')[0]).toMatchObject({ status: 200 });
    expect((await list()).code).toBe(0);
    expect((await getTicket()).code).toBe(0);
  });

  it('refuses a times that is not a positive integer', () => {
    expect(() => standIn.inject('reply', { status: 500, times: 0 })).toThrow(RangeError);
  });
});

describe('recording', () => {
  it('records method, path, query, lower-cased headers, JSON body, status, code and time', async () => {
    await client.helpdesk.v1.ticket.list({ params: { status_list: [1, 2], page_size: 5 } }, lark.withHelpDeskCredential());
    now += 5;
    await reply();

    const list = standIn.callsTo('ticket_list')[0];
    expect(list).toMatchObject({
      route: 'ticket_list',
      method: 'GET',
      path: '/open-apis/helpdesk/v1/tickets',
      query: { status_list: ['1', '2'], page_size: '5' },
      status: 200,
      responseCode: 0,
      at: now - 5,
    });
    expect(list?.headers['x-lark-helpdesk-authorization']).toMatch(/^Bearer /);
    expect(list?.body).toEqual({}); // the SDK's generated methods send an empty JSON body even on GET

    const replyCall = standIn.callsTo('reply')[0];
    expect(replyCall).toMatchObject({
      method: 'POST',
      path: `/open-apis/im/v1/messages/${USER_MESSAGE}/reply`,
      body: { msg_type: 'interactive', content: JSON.stringify(card2()) },
      at: now,
    });
    expect(replyCall?.headers['content-type']).toMatch(/^application\/json/);
  });

  it('records rejected requests with their final status and code', async () => {
    await httpFailure(client.helpdesk.v1.ticket.get({ path: { ticket_id: TICKET.ticket_id } }));
    expect(standIn.callsTo('ticket_get')).toMatchObject([{ status: 401, responseCode: 154001 }]);
    expect(standIn.calls.map((call) => call.route)).toEqual(['tenant_token', 'ticket_get']);

    standIn.clearCalls();
    expect(standIn.calls).toEqual([]);
  });
});
