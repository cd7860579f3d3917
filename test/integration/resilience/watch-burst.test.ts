// A bulk import: 500 tickets created at once, every one matching the watches of two groups that
// also have a board. The platform's message limits hold at the stand-in (no second over 5
// messages to one chat, none over 50 in all), the matches come as a few digests rather than 500
// cards, every ticket is announced once per watch, the boards recount at most once per window, and
// a person asking for a ticket meanwhile still gets it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../support/harness.js';
import { until } from '../../support/wait.js';
import { logged, newTicket, postsTo } from '../../support/watch.js';
import { busiestSecond } from '../../support/load.js';

const GROUPS = ['oc_import_a', 'oc_import_b'];
const COUNT = 500;
let h: Harness;

beforeAll(async () => {
  // The message limits and caches at their defaults. Ticket gets are lifted so that 500 lookups
  // take seconds, not the minute the helpdesk's 10 a second would: what is tested is the posting.
  h = await startHarness({ yaml: 'upstream: { limits: { ticket_get_per_second: 500 } }' });
  await until('the subscription', () => h.standin.subscriptions.length === 2);
  for (const chatId of GROUPS) {
    for (const text of ['/watch tag VIP', '/board']) {
      const said = await h.say(text, { chatType: 'group', chatId });
      await h.replies(said.messageId);
    }
  }
});
afterAll(() => h.close());

describe('a bulk import of 500 tickets', () => {
  it('keeps to the message limits, posts a few digests, and announces every ticket once per watch', async () => {
    const started = Date.now();
    h.standin.clearCalls();
    const tickets = Array.from({ length: COUNT }, () => newTicket({ tags: ['VIP'] }));
    let next = 0;
    let asked: Promise<{ status: number; messageId: string }> | undefined;
    // The helpdesk pushes the events ten at a time, each as soon as the last was acknowledged.
    await Promise.all(
      Array.from({ length: 10 }, async () => {
        while (next < tickets.length) {
          const event = await h.standin.createTicket(tickets[next++]!);
          expect(event?.delivered).toBe(true);
          if (next === COUNT / 2) asked ??= h.say(`/ticket ${tickets[0]!.ticket_id}`, { chatId: 'oc_meanwhile' });
        }
      }),
    );
    const announced = (chatId: string) =>
      logged(h, 'watch.posted')
        .filter((l) => l.chat_id === chatId)
        .reduce((n, l) => n + Number(l.matches), 0);
    await until('every match announced in both groups', () => GROUPS.every((g) => announced(g) === COUNT), 90_000);

    const sends = h.standin.callsTo('send');
    const patches = h.standin.callsTo('patch');
    for (const chatId of GROUPS) {
      const toChat = sends.filter((c) => (c.body as { receive_id?: string }).receive_id === chatId);
      expect(busiestSecond(toChat.map((c) => c.at))).toBeLessThanOrEqual(5);
      // A handful of cards, not 500: the first few may come alone, the rest as digests.
      expect(toChat.length).toBeLessThanOrEqual(12);
      const posts = postsTo(h, chatId).filter((p) => p.createdAt >= started);
      const counted = posts.reduce((n, p) => {
        const digest = /"(\d+) tickets match"/.exec(p.content);
        return n + (digest ? Number(digest[1]) : 1);
      }, 0);
      expect(counted).toBe(COUNT);
    }
    expect(busiestSecond([...sends, ...patches, ...h.standin.callsTo('reply')].map((c) => c.at))).toBeLessThanOrEqual(50);
    expect(sends.concat(patches).every((c) => c.status === 200)).toBe(true);

    // The boards were recounted once per window (5 s), not once per ticket.
    await until('the boards to be recounted', () => logged(h, 'boards.refreshed').length > 0, 30_000);
    expect(logged(h, 'boards.refreshed').length).toBeLessThanOrEqual(Math.ceil((Date.now() - started) / 5000) + 1);

    // Someone asking for a ticket in the middle of it got the ticket, not "busy".
    const reply = (await h.replies((await asked!).messageId, 1, 30_000))[0]!;
    expect(reply.content).toContain(`Ticket ${tickets[0]!.ticket_id}`);
  }, 120_000);
});
