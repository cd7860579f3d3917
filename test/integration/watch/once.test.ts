// Watches post once (issue 18): a ticket that matches several of a chat's watches is posted there
// once, naming them; one that comes to match another watch later is not posted again; a burst
// makes one digest for the chat, whatever watches it matched; each post says what was asked.
// Asserts on the sends the stand-in received.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../support/harness.js';
import { until } from '../../support/wait.js';
import { GROUP, handled, newTicket, postRounds, postsTo } from '../../support/watch.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await until('the subscription', () => h.standin.subscriptions.length === 2);
  for (const text of ['/watch open', '/watch tag VIP', '/watch unassigned']) {
    const said = await h.say(text, { chatType: 'group' });
    await h.replies(said.messageId);
  }
});
afterAll(() => h.close());

/** The sends to the group for this ticket (its id shows in each post). */
const postsOf = (ticketId: string) => postsTo(h, GROUP).filter((m) => m.content.includes(`Ticket ${ticketId}`));

describe('a ticket matching several watches of a chat', () => {
  it('is posted there once, naming every watch it matched, with what the customer asked', async () => {
    const ticket = newTicket({ tags: ['VIP'] });
    const event = await h.standin.createTicket(ticket, [
      { id: 'm1', message_type: 'text', created_at: Date.now(), content: JSON.stringify({ content: 'My VPN drops every ten minutes', msg_type: 'text' }), user_id: 'ou_guest_watch' },
    ]);
    // Its event matched all three watches...
    const line = await handled(h, event!.eventId);
    expect(line.posted_to).toEqual([GROUP]);
    await until('the post', () => postsOf(ticket.ticket_id).length > 0);
    await until('the round to be logged', () => postRounds(h, GROUP).some((r) => r.matches === 1));
    // ...and one card says so.
    const posts = postsOf(ticket.ticket_id);
    expect(posts).toHaveLength(1);
    expect(posts[0]!.content).toContain('New ticket · watching 1. Open; 2. Tag VIP; 3. Open · unassigned');
    expect(posts[0]!.content).toContain('💬 My VPN drops every ten minutes');
  });

  it('is not posted again when it comes to match another watch later', async () => {
    const ticket = newTicket({ tags: ['Laptop'], agents: [{ id: 'ou_x', name: 'X' }], agent_owner: { id: 'ou_x', name: 'X' } });
    await h.standin.createTicket(ticket);
    await until('the post', () => postsOf(ticket.ticket_id).length > 0);
    // Now it matches the VIP watch too: the chat has it already (and it is kept current).
    const { event } = await h.standin.changeTicket(ticket.ticket_id, { tags: ['Laptop', 'VIP'] });
    await handled(h, event!.eventId);
    await new Promise((r) => setTimeout(r, 2500)); // past the chat's post window
    expect(postsOf(ticket.ticket_id)).toHaveLength(1);
  });
});

describe('a burst', () => {
  it('makes one digest for the chat, not one per watch', async () => {
    const sends = () => h.standin.callsTo('send').length;
    const before = sends();
    const digests = () => postsTo(h, GROUP).filter((m) => m.content.includes('tickets match'));
    const digestsBefore = digests().length;
    const tickets = Array.from({ length: 6 }, (_, i) => newTicket({ tags: i % 2 ? ['VIP'] : ['Laptop'] }));
    const events = await Promise.all(tickets.map((t) => h.standin.createTicket(t)));
    await Promise.all(events.map((e) => handled(h, e!.eventId)));
    await until('the digest', () => digests().length > digestsBefore, 30_000);
    await new Promise((r) => setTimeout(r, 2500)); // nothing else comes in that window
    expect(sends() - before).toBe(1);
    const digest = digests().at(-1)!.content;
    expect(digest).toContain('6 tickets match');
    expect(digest).toContain("came to match this chat's watches 1, 2, 3");
    for (const t of tickets) expect(digest).toContain(t.ticket_id);
  });
});
