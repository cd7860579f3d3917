// How much the stand-in remembers when given caps (the sandbox's, see SANDBOX_RETENTION): each
// chat's latest messages, the latest requests and ticket events; and, with or without caps, the
// platform's own windows forgotten once over.
import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, describe, expect, it } from 'vitest';
import { append, dropWhile } from '@helpdesk-bot/feishu-standin/retention';
import type { Retention, StandIn } from '@helpdesk-bot/feishu-standin';
import { card2, httpFailure, sdkClient, startStandIn } from '../../support/standin.js';

const CHAT_A = 'oc_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const CHAT_B = 'oc_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';

let standIn: StandIn;
let started: StandIn | undefined;
let client: lark.Client;
async function start(retention: Partial<Retention>): Promise<void> {
  standIn = await startStandIn({ retention, tickets: [{ ticket_id: '7000000000000000001', status: 1, created_at: 1 }] });
  started = standIn;
  client = sdkClient(standIn);
}
afterEach(async () => {
  await started?.close();
  started = undefined;
});

const send = async (chat: string) => {
  const res = await client.im.v1.message.create({ params: { receive_id_type: 'chat_id' }, data: { receive_id: chat, msg_type: 'interactive', content: JSON.stringify(card2()) } });
  return res.data!.message_id!;
};
const patch = (id: string) => client.im.v1.message.patch({ path: { message_id: id }, data: { content: JSON.stringify(card2(2)) } });

describe('messages per chat', () => {
  it('keeps each chat’s latest, forgetting the least recently sent or changed; other chats are untouched', async () => {
    await start({ messagesPerChat: 3 });
    const [a1, a2, a3] = [await send(CHAT_A), await send(CHAT_A), await send(CHAT_A)];
    const b1 = await send(CHAT_B);
    await patch(a1!); // a1 changed last: a2 is now the least recent
    const a4 = await send(CHAT_A);
    expect([...standIn.messages.keys()].sort()).toEqual([a1, a3, a4, b1].sort());
    // A forgotten message is gone, as a deleted one is for the platform.
    expect((await httpFailure(patch(a2!))).data.code).toBe(99992354);
  });

  it('counts the messages delivered to the bot in their chat too', async () => {
    await start({ messagesPerChat: 2 });
    const sent = await send(CHAT_A);
    standIn.registerIncoming('om_incoming_1', CHAT_A);
    standIn.registerIncoming('om_incoming_2', CHAT_A);
    expect(standIn.messages.has(sent)).toBe(false);
  });

  it('keeps everything without a cap', async () => {
    await start({});
    for (let i = 0; i < 5; i++) await send(CHAT_A);
    expect(standIn.messages.size).toBe(5);
  });
});

describe('requests and ticket events', () => {
  it('keeps the latest requests', async () => {
    await start({ calls: 3 });
    for (let i = 0; i < 5; i++) await fetch(`${standIn.url}/open-apis/nothing/${i}`);
    expect(standIn.calls.map((c) => c.path)).toEqual(['/open-apis/nothing/2', '/open-apis/nothing/3', '/open-apis/nothing/4']);
  });

  it('keeps the latest ticket events; an event no longer kept cannot be pushed again', async () => {
    await start({ events: 2 });
    standIn.pushTicketEventsTo({ token: 't', event: async () => ({ ok: true, body: {} }) });
    await client.helpdesk.v1.event.subscribe({ data: { events: [{ type: 'helpdesk.ticket', subtype: 'ticket.updated_v1' }] } }, lark.withHelpDeskCredential());
    const events = [];
    for (const status of [2, 3, 2]) events.push((await standIn.changeTicket('7000000000000000001', { status })).event!);
    expect(standIn.ticketEvents.map((e) => e.eventId)).toEqual([events[1]!.eventId, events[2]!.eventId]);
    expect(await standIn.redeliverTicketEvent(events[0]!.eventId)).toBeUndefined();
    expect(await standIn.redeliverTicketEvent(events[1]!.eventId)).toMatchObject({ delivered: true });
  });
});

describe('the helpers', () => {
  it('append keeps the newest `cap` entries', () => {
    const list: number[] = [];
    for (let i = 0; i < 10; i++) append(list, i, 4);
    expect(list).toEqual([6, 7, 8, 9]);
    append(list, 10, Infinity);
    expect(list).toEqual([6, 7, 8, 9, 10]);
  });

  it('dropWhile forgets entries from the start while they are over, and stops at the first that is not', () => {
    const map = new Map([
      ['a', 1],
      ['b', 2],
      ['c', 9],
      ['d', 1],
    ]);
    dropWhile(map, (v) => v < 5);
    expect([...map.keys()]).toEqual(['c', 'd']);
  });
});
