// Bursts through the real bot over HTTP against the stand-in, with the default caches and limits:
// repeated lookups share calls and no second sees more than the rate. Rates are measured where the
// requests leave the bot (requestsLeaving), which holds on a loaded machine too: the in-process
// stand-in's arrival times carry the shared event loop's delays, which a real platform would not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../support/harness.js';
import { busiestSecond, commandLines, requestsLeaving, ticketsFrom } from '../../support/load.js';

const BASE = 7300000000000000000n;
let h: Harness;
beforeAll(async () => {
  // Every setting at its default (the yaml only stops the harness's no-cache default).
  h = await startHarness({ tickets: ticketsFrom(BASE, 60), yaml: '{}' });
});
afterAll(() => h.close());

const id = (i: number) => String(BASE + BigInt(i));

describe('a burst of /ticket commands', () => {
  it('200 commands for 20 tickets cost at most 20 ticket gets, and every command gets its card', async () => {
    h.standin.clearCalls();
    const leaving = requestsLeaving(/\/reply$/);
    // 40 chats, 5 commands each: no chat goes over its 5 replies/s, so only the app's 50/s paces
    // the replies (about 3 s for 200) and the per-chat limit does not make the test slow.
    const sent = await Promise.all(Array.from({ length: 200 }, (_, i) => h.say(`/ticket ${id(i % 20)}`, { chatId: `oc_burst_${i % 40}` }).then((r) => ({ ...r, ticket: id(i % 20) }))));
    expect(sent.every((s) => s.status === 200)).toBe(true);
    for (const s of sent) {
      const [reply] = await h.replies(s.messageId, 1, 20_000);
      expect(reply!.content).toContain(s.ticket);
      expect(reply!.content).toContain('王小明');
    }

    const gets = h.standin.callsTo('ticket_get');
    expect(gets.length).toBeLessThanOrEqual(20);
    expect(new Set(gets.map((c) => c.path)).size).toBe(gets.length);
    // The conversation is cached the same way: at most one call per ticket.
    const conversations = h.standin.callsTo('ticket_messages');
    expect(conversations.length).toBeLessThanOrEqual(20);
    expect(new Set(conversations.map((c) => c.path)).size).toBe(conversations.length);

    // The replies kept to the message limits too.
    const replies = h.standin.callsTo('reply');
    expect(replies).toHaveLength(200);
    leaving.stop();
    expect(leaving.times).toHaveLength(200);
    expect(busiestSecond(leaving.times)).toBeLessThanOrEqual(50);

    // One log line per command, counting the calls and the cache hits.
    const lines = await commandLines(
      h.log.lines,
      sent.map((s) => s.messageId),
    );
    expect(lines).toHaveLength(200);
    // Each command looks up the ticket and its conversation.
    expect(lines.reduce((n, l) => n + Number(l.upstream_calls), 0)).toBe(gets.length + conversations.length);
    expect(lines.reduce((n, l) => n + Number(l.cache_hits), 0)).toBe(400 - gets.length - conversations.length);
    expect(lines.every((l) => l.outcome === 'ok' && l.reply === 'sent')).toBe(true);
  });

  it("a burst in one chat: every command still gets its card, at the chat's 5 per second, and other chats are not held up", async () => {
    h.standin.clearCalls();
    const leaving = requestsLeaving(/\/reply$/);
    // 40 commands in one chat need 8 s of that chat's message limit: longer than a command's
    // budget, so the replies must be allowed to wait their turn (and not hold the workers).
    const hot = await Promise.all(Array.from({ length: 40 }, (_, i) => h.say(`/ticket ${id(i % 5)}`, { chatId: 'oc_hot_chat' })));
    const other = await h.say(`/ticket ${id(7)}`, { chatId: 'oc_quiet_chat' });
    const [quiet] = await h.replies(other.messageId, 1, 3000);
    expect(quiet!.content).toContain(id(7));
    // When the quiet chat was answered, the hot one was still working through its replies.
    const hotRepliesByThen = h.standin.callsTo('reply').filter((c) => c.path.includes('/messages/om_') && !c.path.includes(other.messageId)).length;
    expect(hotRepliesByThen).toBeLessThan(40);

    for (const s of hot) expect((await h.replies(s.messageId, 1, 20_000))[0]!.content).toContain('王小明');
    const hotReplies = h.standin.callsTo('reply').filter((c) => !c.path.includes(other.messageId));
    expect(hotReplies).toHaveLength(40);
    expect(hotReplies.every((c) => c.status === 200)).toBe(true);
    leaving.stop();
    const hotLeaving = leaving.times.filter((_, i) => !leaving.paths[i]!.includes(other.messageId));
    expect(hotLeaving).toHaveLength(40);
    expect(busiestSecond(hotLeaving)).toBeLessThanOrEqual(5);
  });

  it('40 distinct tickets at once: no one-second window at the helpdesk sees more than 10 gets', async () => {
    h.standin.clearCalls();
    const leaving = requestsLeaving(/\/helpdesk\/v1\/tickets\/\d+$/);
    const sent = await Promise.all(Array.from({ length: 40 }, (_, i) => h.say(`/ticket ${id(20 + i)}`, { chatId: `oc_rate_${i % 10}` })));
    for (const s of sent) expect((await h.replies(s.messageId, 1, 20_000))[0]!.content).toContain('王小明');
    const gets = h.standin.callsTo('ticket_get');
    expect(gets).toHaveLength(40);
    expect(gets.every((c) => c.status === 200)).toBe(true);
    leaving.stop();
    expect(leaving.times).toHaveLength(40);
    expect(busiestSecond(leaving.times)).toBeLessThanOrEqual(10);
  });
});
