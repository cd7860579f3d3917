// Watched queries end to end: the real bot against the stand-in, which pushes helpdesk ticket
// events (signed webhook deliveries) once the bot has subscribed. Asserts on what the stand-in
// received: the subscription, sends to the watching chat, and nothing else.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttons, startHarness, type Harness } from '../../support/harness.js';
import { until } from '../../support/wait.js';
import { AGENT, GROUP, handled, newTicket, postsTo } from '../../support/watch.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ tickets: [newTicket({ tags: ['VIP'] }), newTicket({ status: 51, tags: ['VIP'] })] });
  await until('the subscription', () => h.standin.subscriptions.length === 2);
});
afterAll(() => h.close());

const cardText = (m: { content: string }) => m.content;

describe('subscribing to ticket events', () => {
  it('subscribes at start-up to ticket.created_v1 and ticket.updated_v1, with the helpdesk credential', () => {
    const [call] = h.standin.callsTo('helpdesk_subscribe');
    expect(call!.status).toBe(200);
    expect(call!.body).toEqual({
      events: [
        { type: 'helpdesk.ticket', subtype: 'ticket.created_v1' },
        { type: 'helpdesk.ticket', subtype: 'ticket.updated_v1' },
      ],
    });
    expect(call!.headers['x-lark-helpdesk-authorization']).toBe(`Bearer ${Buffer.from('7001:test-helpdesk-token').toString('base64')}`);
    expect(h.standin.subscriptions.sort()).toEqual(['helpdesk.ticket/ticket.created_v1', 'helpdesk.ticket/ticket.updated_v1']);
  });
});

describe('/watch open tag VIP in a group', () => {
  let confirmation: { content: string; card: Record<string, unknown> };
  beforeAll(async () => {
    const said = await h.say('/watch open tag VIP', { chatType: 'group' });
    confirmation = (await h.replies(said.messageId))[0]!;
  });

  it('confirms the watch, counting the tickets that match now (which are not posted)', () => {
    expect(cardText(confirmation)).toContain('Watching: Open · tag VIP');
    expect(cardText(confirmation)).toContain('1 ticket match right now; those are not posted.');
    expect(buttons(confirmation.card).map((b) => b.text)).toEqual(['Show those matching now', 'All watches']);
  });

  it('posts one card to the group for a matching new ticket, and nothing for one that does not match', async () => {
    const before = postsTo(h, GROUP).length;
    const other = await h.standin.createTicket(newTicket({ tags: ['Laptop'] }));
    expect(other?.delivered).toBe(true);
    const skipped = await handled(h, other!.eventId);
    expect(skipped.posted_to).toEqual([]);

    const vip = newTicket({ tags: ['VIP', 'Urgent'] });
    const event = await h.standin.createTicket(vip);
    await until('the post', () => postsTo(h, GROUP).length > before);
    const posts = postsTo(h, GROUP).slice(before);
    expect(posts).toHaveLength(1);
    const send = h.standin.callsTo('send').at(-1)!;
    expect(send.query.receive_id_type).toBe('chat_id');
    expect((send.body as { receive_id: string }).receive_id).toBe(GROUP);
    expect(posts[0]!.content).toContain(`Ticket ${vip.ticket_id}`);
    expect(posts[0]!.content).toContain('New ticket · watching Open · tag VIP');
    // A group: the guest's email stays hidden.
    expect(posts[0]!.content).not.toContain('xiaoming.wang');
    expect(posts[0]!.content).toContain('hidden in group chats');

    // The same event delivered again: acknowledged, and posted once.
    const again = await h.standin.redeliverTicketEvent(event!.eventId);
    expect(again?.delivered).toBe(true);
    await until('the duplicate to be dropped', () => h.log.lines.some((l) => l.includes('"delivery.duplicate"') && l.includes(event!.eventId)));
    expect(postsTo(h, GROUP).slice(before)).toHaveLength(1);
  });

  it('posts a ticket that comes to match later once, not on every update', async () => {
    const ticket = newTicket({ tags: ['Laptop'] });
    const created = await h.standin.createTicket(ticket);
    expect((await handled(h, created!.eventId)).posted_to).toEqual([]);
    const before = postsTo(h, GROUP).length;
    const tagged = await h.standin.changeTicket(ticket.ticket_id, { tags: ['Laptop', 'VIP'] });
    await until('the post', () => postsTo(h, GROUP).length > before);
    expect(postsTo(h, GROUP).at(-1)!.content).toContain('Now matches · watching Open · tag VIP');
    await handled(h, tagged.event!.eventId);
    // Another change: it still matches, and was posted already.
    const assigned = await h.standin.changeTicket(ticket.ticket_id, { status: 2, agent: AGENT });
    const line = await handled(h, assigned.event!.eventId);
    expect(line.posted_to).toEqual([]);
    expect(postsTo(h, GROUP).length).toBe(before + 1);
  });

  it('lists the watches with an Unwatch button each, and unwatching stops the posts', async () => {
    const said = await h.say('/watch', { chatType: 'group' });
    const [list] = await h.replies(said.messageId);
    expect(list!.content).toContain('Watches in this chat');
    expect(list!.content).toContain('**1.** Open · tag VIP');
    const unwatch = buttons(list!.card).find((b) => b.text === 'Unwatch')!;
    const answer = await h.click(list!, unwatch.value);
    expect(JSON.stringify(answer.body)).toContain('**Stopped watching**: Open · tag VIP');
    expect(JSON.stringify(answer.body)).toContain('No watches here yet');

    const event = await h.standin.createTicket(newTicket({ tags: ['VIP'] }));
    expect((await handled(h, event!.eventId)).posted_to).toEqual([]);
  });
});
