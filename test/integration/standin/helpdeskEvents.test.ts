// The stand-in's helpdesk events, through the real SDK: the subscribe and unsubscribe API with the
// platform's shapes and codes, and ticket changes pushed as helpdesk.ticket.created_v1 /
// updated_v1 events only while subscribed, in the shapes the SDK's types describe.
import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StandIn } from '@helpdesk-bot/feishu-standin';
import { CREDS, httpFailure, sdkClient, startStandIn } from '../../support/standin.js';

let standIn: StandIn;
let client: lark.Client;
let pushed: Record<string, unknown>[];
beforeEach(async () => {
  standIn = await startStandIn({ tickets: [{ ticket_id: '7000000000000000001', status: 1, ticket_type: 1, guest: { id: 'ou_alice', name: 'Alice' }, created_at: 1 }] });
  client = sdkClient(standIn);
  pushed = [];
  standIn.pushTicketEventsTo({ token: 'verify-me', event: async (payload) => (pushed.push(payload as Record<string, unknown>), { ok: true, body: {} }) });
});
afterEach(() => standIn.close());

const TICKET_EVENTS = [
  { type: 'helpdesk.ticket', subtype: 'ticket.created_v1' },
  { type: 'helpdesk.ticket', subtype: 'ticket.updated_v1' },
];
const subscribe = (events: unknown) => client.helpdesk.v1.event.subscribe({ data: { events } as never }, lark.withHelpDeskCredential());

describe('POST /open-apis/helpdesk/v1/events/subscribe', () => {
  it('subscribes with the helpdesk credential, answering code 0', async () => {
    expect(await subscribe(TICKET_EVENTS)).toMatchObject({ code: 0, msg: 'success' });
    expect(standIn.subscriptions.sort()).toEqual(['helpdesk.ticket/ticket.created_v1', 'helpdesk.ticket/ticket.updated_v1']);
  });

  it('refuses a body without events, or an event it does not know, with 154000', async () => {
    for (const events of [undefined, [], [{ type: 'helpdesk.ticket' }], [{ type: 'helpdesk.ticket', subtype: 'ticket.deleted_v1' }]]) {
      const failure = await httpFailure(subscribe(events));
      expect(failure.status).toBe(400);
      expect(failure.data.code).toBe(154000);
    }
    expect(standIn.subscriptions).toEqual([]);
  });

  it('refuses without the helpdesk credential (154001) or the tenant token (99991661)', async () => {
    const wrong = sdkClient(standIn, { helpDeskToken: 'wrong' });
    const refused = await httpFailure(wrong.helpdesk.v1.event.subscribe({ data: { events: TICKET_EVENTS } }, lark.withHelpDeskCredential()));
    expect(refused).toMatchObject({ status: 401, data: { code: 154001 } });
    const bare = await fetch(`${standIn.url}/open-apis/helpdesk/v1/events/subscribe`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events: TICKET_EVENTS }) });
    expect(bare.status).toBe(400);
    expect(((await bare.json()) as { code: number }).code).toBe(99991661);
  });

  it('unsubscribes', async () => {
    await subscribe(TICKET_EVENTS);
    expect(await client.helpdesk.v1.event.unsubscribe({ data: { events: [TICKET_EVENTS[1]!] } }, lark.withHelpDeskCredential())).toMatchObject({ code: 0 });
    expect(standIn.subscriptions).toEqual(['helpdesk.ticket/ticket.created_v1']);
  });
});

describe('ticket events', () => {
  it('pushes nothing before the app subscribed', async () => {
    expect(await standIn.createTicket({ ticket_id: '7000000000000000002', status: 1 })).toBeUndefined();
    expect((await standIn.changeTicket('7000000000000000001', { status: 2 })).event).toBeUndefined();
    expect(pushed).toEqual([]);
  });

  it("pushes a created ticket as helpdesk.ticket.created_v1, schema 2.0, with the ticket's own fields", async () => {
    await subscribe(TICKET_EVENTS);
    const event = await standIn.createTicket({ ticket_id: '7000000000000000002', status: 3, ticket_type: 2, guest: { id: 'ou_bob', name: 'Bob' }, tags: [{ id: '1', name: 'VIP' }] });
    expect(event).toMatchObject({ type: 'helpdesk.ticket.created_v1', ticketId: '7000000000000000002', delivered: true });
    expect(pushed[0]).toMatchObject({
      schema: '2.0',
      header: { event_id: event!.eventId, event_type: 'helpdesk.ticket.created_v1', token: 'verify-me', app_id: CREDS.appId },
      event: { ticket_id: '7000000000000000002', helpdesk_id: CREDS.helpdeskId, stage: 2, status: 3, guest: { id: { open_id: 'ou_bob' }, name: 'Bob' } },
    });
    // Like the platform's, the event has no tags or agents: the bot must look the ticket up.
    expect(JSON.stringify(pushed[0])).not.toContain('VIP');
  });

  it('pushes a change as helpdesk.ticket.updated_v1 with the stage and status before it', async () => {
    await subscribe(TICKET_EVENTS);
    const { ticket, event } = await standIn.changeTicket('7000000000000000001', { status: 51, agent: { id: 'ou_agent', name: 'Agent' }, tags: ['VIP'] });
    expect(ticket).toMatchObject({ status: 51, ticket_type: 2, agent_owner: { id: 'ou_agent' }, closed_by: { id: 'ou_agent' }, solve: 2, tags: [{ name: 'VIP' }] });
    expect(event).toMatchObject({ type: 'helpdesk.ticket.updated_v1', delivered: true });
    expect(pushed[0]).toMatchObject({
      header: { event_type: 'helpdesk.ticket.updated_v1' },
      event: { object: { ticket_id: '7000000000000000001', status: 51, stage: 2 }, old_object: { status: 1, stage: 1 } },
    });
    // The list and get APIs show the change.
    const got = await client.helpdesk.v1.ticket.get({ path: { ticket_id: '7000000000000000001' } }, lark.withHelpDeskCredential());
    expect(got.data?.ticket?.status).toBe(51);
  });

  it('pushes an event again unchanged when asked, as the platform retries', async () => {
    await subscribe(TICKET_EVENTS);
    const first = await standIn.createTicket({ ticket_id: '7000000000000000003', status: 1 });
    const again = await standIn.redeliverTicketEvent(first!.eventId);
    expect(again?.eventId).toBe(first!.eventId);
    expect(pushed).toHaveLength(2);
    expect(pushed[1]).toEqual(pushed[0]);
  });
});
