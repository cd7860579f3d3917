// The stand-in's helpdesk ticket APIs as the platform serves them: get, list with every filter and
// its paging, and the validation errors (400 / 154000) of a bad query.
import * as lark from '@larksuiteoapi/node-sdk';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RawTicket, StandIn } from '@helpdesk-bot/feishu-standin';
import { parseTicketQuery, runTicketQuery } from '@helpdesk-bot/feishu-standin/ticket-query';
import { CREDS, httpFailure, sdkClient, startStandIn, ticket } from '../../support/standin.js';

const T0 = 1_700_000_000_000;
const HOUR = 3600_000;
const agent = (id: string) => ({ id, name: id });

// Each ticket differs from the rest in the fields one filter looks at.
const TICKETS: RawTicket[] = [
  ticket('7000000000000000001', {
    created_at: T0,
    updated_at: T0 + HOUR,
    status: 1,
    ticket_type: 1,
    channel: 9,
    solve: 1,
    score: 1,
    guest: { id: 'ou_alice', name: 'Alice Wong' },
    agents: [agent('ou_agent_a')],
    tags: [
      { id: '1', name: 'vpn' },
      { id: '2', name: 'urgent' },
    ],
  }),
  ticket('7000000000000000002', {
    created_at: T0 + HOUR,
    updated_at: T0 + 2 * HOUR,
    status: 2,
    ticket_type: 2,
    channel: 2,
    solve: 2,
    score: 2,
    guest: { id: 'ou_bob', name: 'Bob Li' },
    agents: [agent('ou_agent_a'), agent('ou_agent_b')],
    tags: [{ id: '1', name: 'vpn' }],
  }),
  ticket('7000000000000000003', {
    created_at: T0 + 2 * HOUR,
    updated_at: T0 + 5 * HOUR,
    status: 51,
    ticket_type: 2,
    channel: 14,
    solve: 2,
    score: 3,
    guest: { id: 'ou_carol', name: 'carol alicea' },
    agents: [agent('ou_agent_b')],
    closed_by: agent('ou_agent_b'),
    closed_at: T0 + 5 * HOUR,
  }),
  ticket('7000000000000000004', {
    created_at: T0 + 2 * HOUR,
    updated_at: -1,
    status: 50,
    ticket_type: 1,
    channel: 13,
    solve: 1,
    score: 2,
    guest: { id: 'ou_dave', name: 'Dave' },
    agents: [],
    closed_by: { id: 'ou_bot' },
    tags: [{ id: '2', name: 'urgent' }],
  }),
];

let standIn: StandIn;
let client: lark.Client;
beforeEach(async () => {
  standIn = await startStandIn({ tickets: TICKETS });
  client = sdkClient(standIn);
});
afterEach(() => standIn.close());

type ListParams = NonNullable<NonNullable<Parameters<lark.Client['helpdesk']['v1']['ticket']['list']>[0]>['params']>;

async function ids(params: ListParams): Promise<string[]> {
  const res = await client.helpdesk.v1.ticket.list({ params }, lark.withHelpDeskCredential());
  expect(res.code).toBe(0);
  return (res.data?.tickets ?? []).map((t) => t.ticket_id.slice(-1));
}

/** A raw list call, for parameters the SDK's types would not let through (arrays sent repeated). */
function rawList(params: Record<string, string | number | string[]>) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const one of Array.isArray(value) ? value : [value]) query.append(name, String(one));
  }
  return client.request({ method: 'GET', url: `/open-apis/helpdesk/v1/tickets?${query}` }, lark.withHelpDeskCredential());
}

describe('ticket get', () => {
  it('returns the ticket exactly as seeded', async () => {
    const res = await client.helpdesk.v1.ticket.get({ path: { ticket_id: '7000000000000000002' } }, lark.withHelpDeskCredential());
    expect(res).toEqual({ code: 0, msg: 'success', data: { ticket: TICKETS[1] } });
  });

  it('answers an unknown id with 404 / 154004', async () => {
    const failure = await httpFailure(client.helpdesk.v1.ticket.get({ path: { ticket_id: '7000000000000000999' } }, lark.withHelpDeskCredential()));
    expect(failure).toMatchObject({ status: 404, data: { code: 154004, msg: 'Resource not found' } });
  });

  it('answers an id that is not all digits with 400 / 154000', async () => {
    const failure = await httpFailure(client.helpdesk.v1.ticket.get({ path: { ticket_id: 'T-42' } }, lark.withHelpDeskCredential()));
    expect(failure).toMatchObject({ status: 400, data: { code: 154000 } });
    expect(failure.data.msg).toMatch(/^Bad request, please check your request body, ext=ticket_id/);
  });

  it('answers a missing or wrong helpdesk credential with 401 / 154001', async () => {
    const expected = { status: 401, data: { code: 154001, msg: 'Unauthorized, please check you have the correct access' } };
    expect(await httpFailure(client.helpdesk.v1.ticket.get({ path: { ticket_id: '7000000000000000001' } }))).toMatchObject(expected);
    const wrong = sdkClient(standIn, { helpDeskToken: 'wrong' });
    expect(await httpFailure(wrong.helpdesk.v1.ticket.get({ path: { ticket_id: '7000000000000000001' } }, lark.withHelpDeskCredential()))).toMatchObject(expected);
  });

  it('accepts the helpdesk credential with or without the Bearer prefix', async () => {
    const credential = Buffer.from(`${CREDS.helpdeskId}:${CREDS.helpdeskToken}`).toString('base64');
    await client.helpdesk.v1.ticket.get({ path: { ticket_id: '7000000000000000001' } }, lark.withHelpDeskCredential());
    expect(standIn.callsTo('ticket_get')[0]?.headers['x-lark-helpdesk-authorization']).toBe(`Bearer ${credential}`);

    const res = await client.request({
      method: 'GET',
      url: '/open-apis/helpdesk/v1/tickets/7000000000000000001',
      headers: { 'X-Lark-Helpdesk-Authorization': credential },
    });
    expect(res).toMatchObject({ code: 0 });
  });
});

describe('ticket list filters', () => {
  it('lists everything newest first, ties broken by ticket id', async () => {
    const res = await client.helpdesk.v1.ticket.list({}, lark.withHelpDeskCredential());
    expect(res.data?.total).toBe(4);
    expect(res.data?.tickets?.map((t) => t.ticket_id.slice(-1))).toEqual(['3', '4', '2', '1']);
  });

  it.each<[string, ListParams, string[]]>([
    ['ticket_id', { ticket_id: '7000000000000000002' }, ['2']],
    ['agent_id (any agent of the ticket)', { agent_id: 'ou_agent_b' }, ['3', '2']],
    ['closed_by_id', { closed_by_id: 'ou_agent_b' }, ['3']],
    ['type', { type: 1 }, ['4', '1']],
    ['channel', { channel: 14 }, ['3']],
    ['solved', { solved: 2 }, ['3', '2']],
    ['score', { score: 2 }, ['4', '2']],
    ['status_list, several', { status_list: [1, 51] }, ['3', '1']],
    ['status_list, one', { status_list: [50] }, ['4']],
    ['guest_name (case-insensitive substring)', { guest_name: 'ALICE' }, ['3', '1']],
    ['guest_id', { guest_id: 'ou_bob' }, ['2']],
    ['tags (all must match)', { tags: ['vpn', 'urgent'] }, ['1']],
    ['tags, one', { tags: ['urgent'] }, ['4', '1']],
    ['create_time range (inclusive)', { create_time_start: T0 + HOUR, create_time_end: T0 + 2 * HOUR }, ['3', '4', '2']],
    ['update_time range (inclusive)', { update_time_start: T0, update_time_end: T0 + 2 * HOUR }, ['2', '1']],
    ['several filters together', { type: 2, solved: 2, agent_id: 'ou_agent_a' }, ['2']],
  ])('filters by %s', async (_name, params, expected) => {
    expect(await ids(params)).toEqual(expected);
  });

  it('reports the total of all matches, not of the page', async () => {
    const res = await client.helpdesk.v1.ticket.list({ params: { page: 2, page_size: 3 } }, lark.withHelpDeskCredential());
    expect(res.data?.total).toBe(4);
    expect(res.data?.tickets?.map((t) => t.ticket_id.slice(-1))).toEqual(['1']);
    expect(await ids({ page: 3, page_size: 3 })).toEqual([]);
  });

  it('sends status_list and tags as repeated parameters, recorded as arrays', async () => {
    await ids({ status_list: [1, 2], tags: ['vpn'], guest_name: 'a b' });
    expect(standIn.callsTo('ticket_list')[0]?.query).toEqual({ status_list: ['1', '2'], tags: 'vpn', guest_name: 'a b' });
  });

  it('accepts status_list given once', async () => {
    expect(await rawList({ status_list: 2 })).toMatchObject({ code: 0, data: { total: 1 } });
  });
});

describe('ticket list validation (400 / 154000)', () => {
  it.each<[string, Record<string, string | number | string[]>, RegExp]>([
    ['a non-integer type', { type: 'bot' }, /type must be an integer/],
    ['a non-integer status', { status_list: ['1', 'x'] }, /status_list must be an integer/],
    ['a fractional page', { page: '1.5' }, /page must be an integer/],
    ['page 0', { page: 0 }, /page must be at least 1/],
    ['page_size 0', { page_size: 0 }, /page_size must be between 1 and 200/],
    ['page_size over 200', { page_size: 201 }, /page_size must be between 1 and 200/],
    ['paging past 10,000 rows', { page: 51, page_size: 200 }, /at most 10000 rows/],
    ['create_time_start alone', { create_time_start: T0 }, /create_time_start and create_time_end/],
    ['update_time_end alone', { update_time_end: T0 }, /update_time_start and update_time_end/],
  ])('rejects %s', async (_name, params, reason) => {
    const failure = await httpFailure(rawList(params));
    expect(failure).toMatchObject({ status: 400, data: { code: 154000 } });
    expect(failure.data.msg).toMatch(reason);
  });

  it('allows paging up to exactly 10,000 rows', async () => {
    expect(await ids({ page: 50, page_size: 200 })).toEqual([]);
    expect(await ids({ page: 1, page_size: 200 })).toHaveLength(4);
  });
});

describe('ticket paging (property)', () => {
  const arbTicket = fc.record({
    id: fc.bigInt({ min: 1n, max: 10n ** 19n }),
    created: fc.integer({ min: 0, max: 50 }),
  });

  it('pages cover the sorted matches exactly once, whatever the page size', () => {
    fc.assert(
      fc.property(fc.uniqueArray(arbTicket, { selector: (t) => t.id, maxLength: 40 }), fc.integer({ min: 1, max: 7 }), (seeds, size) => {
        const tickets = seeds.map((s) => ticket(String(s.id), { created_at: s.created }));
        const all = runTicketQuery(tickets, parseTicketQuery({ page_size: '200' })).tickets;
        const pages: RawTicket[] = [];
        for (let page = 1; (page - 1) * size < tickets.length; page++) {
          const result = runTicketQuery(tickets, parseTicketQuery({ page: String(page), page_size: String(size) }));
          expect(result.total).toBe(tickets.length);
          pages.push(...result.tickets);
        }
        expect(pages).toEqual(all);
        for (let i = 1; i < all.length; i++) {
          const [a, b] = [all[i - 1]!, all[i]!];
          const ordered = a.created_at! > b.created_at! || (a.created_at === b.created_at && BigInt(a.ticket_id) < BigInt(b.ticket_id));
          expect(ordered).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });
});
