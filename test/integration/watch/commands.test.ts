// /watch, /unwatch and their rules: what a watch refuses (time words, pages), access.watch, one
// chat's limit, duplicates, numbers, the Chinese aliases; posts in a DM (not masked) and digests
// when many match at once; watches kept across a restart; ticket events over the long connection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttons, startHarness, type Harness } from '../../support/harness.js';
import { until } from '../../support/wait.js';
import { WatchStore } from '../../../src/watch/store.js';
import { handled, logged, newTicket, postRounds, postsTo } from '../../support/watch.js';

const WATCHER = 'ou_watch_keeper';
const DM = 'oc_dm_test';

const replyTo = async (h: Harness, text: string, options: Parameters<Harness['say']>[1] = {}) => {
  const said = await h.say(text, options);
  return (await h.replies(said.messageId))[0]!;
};

describe('watch commands', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({
      tickets: [newTicket({ tags: ['VIP'] })],
      yaml: `
cache: { ticket_ttl_ms: 1, list_ttl_ms: 1 }
upstream:
  limits: { ticket_get_per_second: 1000, ticket_list_per_second: 1000, messages_per_second: 1000, messages_per_chat_per_second: 1000 }
access:
  watch: [${WATCHER}, ou_user_asker]
watch:
  max_per_chat: 2
`,
    });
  });
  afterAll(() => h.close());

  it('refuses time words and pages, saying why and what to type instead', async () => {
    const today = await replyTo(h, '/watch open today');
    expect(today.content).toContain('A watch takes no time filter');
    expect(today.content).toContain('**today** is a time filter');
    const page = await replyTo(h, '/关注 未关闭 第2页');
    expect(page.content).toContain('A watch takes no page');
    const typo = await replyTo(h, '/watch opne');
    expect(typo.content).toContain('Did you mean **open**?');
    expect(await new WatchStore(h.bot.state.records).chatWatches(DM)).toEqual([]);
  });

  it('lets only the people in access.watch start or stop watches; anyone may list them', async () => {
    const refused = await replyTo(h, '/watch tag VIP', { sender: 'ou_someone_else' });
    expect(refused.content).toContain('You cannot change watches');
    const started = await replyTo(h, '/watch tag VIP', { sender: WATCHER });
    expect(started.content).toContain('Watching: Tag VIP');
    const list = await replyTo(h, '/watch', { sender: 'ou_someone_else' });
    expect(list.content).toContain('**1.** Tag VIP');
    const unwatch = buttons(list.card).find((b) => b.text === 'Unwatch')!;
    const clicked = await h.click(list, unwatch.value, { operator: 'ou_someone_else' });
    expect(JSON.stringify(clicked.body)).toContain('You cannot change watches');
    expect((await replyTo(h, '/unwatch 1', { sender: 'ou_someone_else' })).content).toContain('You cannot change watches');
    expect(await new WatchStore(h.bot.state.records).chatWatches(DM)).toHaveLength(1);
  });

  it('refuses a second watch of the same filters, and more than watch.max_per_chat', async () => {
    expect((await replyTo(h, '/watch tag VIP')).content).toContain('Watch 1 in this chat has these filters already.');
    expect((await replyTo(h, '/关注 标签 账号')).content).toContain('已关注：标签 账号');
    expect((await replyTo(h, '/watch closed')).content).toContain('This chat already has 2 watches, the most it may have.');
  });

  it('removes a watch by its number, lists them with /unwatch alone, and refuses a number it does not have', async () => {
    expect((await replyTo(h, '/unwatch 7')).content).toContain("this chat's watches are 1 and 2.");
    expect((await replyTo(h, '/unwatch two')).content).toContain('**two** is not a watch number');
    const listed = await replyTo(h, '/unwatch');
    expect(listed.content).toContain('**2.** Tag 账号');
    const removed = await replyTo(h, '/取消关注 2');
    expect(removed.content).toContain('**Stopped watching**: Tag 账号');
    expect(removed.content).toContain('**1.** Tag VIP');
    expect(removed.content).not.toContain('**2.**');
  });

  it('never shifts a number: a new watch gets a new one, and a removed one says it is gone', async () => {
    const added = await replyTo(h, '/watch tag 账号 open');
    expect(added.content).toContain('/unwatch 3');
    expect((await replyTo(h, '/unwatch 2')).content).toContain('Watch 2 had already been removed.');
    const listed = (await replyTo(h, '/watch')).content;
    expect(listed).toContain('**1.** Tag VIP');
    expect(listed).toContain('**3.** Open · tag 账号');
    // Removing watch 1 leaves watch 3 as 3.
    expect((await replyTo(h, '/unwatch 1')).content).toContain('**3.** Open · tag 账号');
    expect((await replyTo(h, '/unwatch 3')).content).toContain('**Stopped watching**: Open · tag 账号');
    expect((await replyTo(h, '/watch tag VIP')).content).toContain('/unwatch 4');
  });

  it('posts in a direct message with nothing masked', async () => {
    const before = postsTo(h, DM).length;
    const ticket = newTicket({ tags: ['VIP'] });
    await h.standin.createTicket(ticket);
    await until('the post', () => postsTo(h, DM).length > before);
    const post = postsTo(h, DM).at(-1)!;
    expect(post.content).toContain(ticket.ticket_id);
    expect(post.content).toContain('xiaoming.wang&#64;example.com');
    expect(post.content).not.toContain('hidden in group chats');
  });

  it('sends one digest when more than watch.digest_after match at once, and every match once', async () => {
    const before = postsTo(h, DM).length;
    const rounds = postRounds(h, DM).length;
    const tickets = Array.from({ length: 6 }, () => newTicket({ tags: ['VIP'] }));
    const events = await Promise.all(tickets.map((t) => h.standin.createTicket(t)));
    await Promise.all(events.map((e) => handled(h, e!.eventId)));
    await until(
      'every match posted',
      () =>
        postRounds(h, DM)
          .slice(rounds)
          .reduce((n, r) => n + Number(r.matches), 0) >= 6,
    );
    const posts = postsTo(h, DM).slice(before);
    const digests = posts.filter((p) => p.content.includes('tickets match'));
    expect(digests.length).toBeGreaterThanOrEqual(1);
    expect(posts.length).toBeLessThan(6);
    // Each ticket is in exactly one post: a digest row or a card of its own.
    for (const t of tickets) expect(posts.filter((p) => p.content.includes(t.ticket_id))).toHaveLength(1);
    expect(digests[0]!.content).toMatch(/"(\d) tickets match"/);
  });

  it('posts nothing to a chat the access rules no longer allow', async () => {
    const store = new WatchStore(h.bot.state.records);
    await store.addWatch({ id: 'w00denied00chat00', chatId: 'oc_denied_later', chatType: 'group', list: { filter: { tags: ['VIP'] }, page: 1, names: {} }, createdBy: WATCHER, createdAt: Date.now() });
    // The group is now on the deny list (as if app.yaml changed): its watch is skipped.
    h.config.access.chats.deny.push('oc_denied_later');
    const event = await h.standin.createTicket(newTicket({ tags: ['VIP'] }));
    const line = await handled(h, event!.eventId);
    expect(line.posted_to).toEqual([DM]);
    await store.removeWatch('w00denied00chat00');
  });

  it('keeps its watches across a restart (in the file named by state.file)', { timeout: 60_000 }, async () => {
    await h.restart();
    const list = await replyTo(h, '/watch');
    // Its number too: the 4th this chat had.
    expect(list.content).toContain('**4.** Tag VIP');
    const before = postsTo(h, DM).length;
    await until('the subscription after the restart', () => h.standin.callsTo('helpdesk_subscribe').length >= 2);
    await h.standin.createTicket(newTicket({ tags: ['VIP'] }));
    // The digest above made the DM busy for a minute: its posts come at the end of a 20 s window.
    await until('a post after the restart', () => postsTo(h, DM).length > before, 45_000);
    // Logged once the round has sent, a moment after the stand-in has the post.
    await until('the round to be logged', () => logged(h, 'watch.posted').length > 0);
  });
});

describe('ticket events over the long connection', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ connection: 'long-connection' });
    await until('the subscription', () => h.standin.subscriptions.length === 2);
  });
  afterAll(() => h.close());

  it('arrive as frames, are acknowledged, and post to the watching group', async () => {
    await replyTo(h, '/watch new', { chatType: 'group' });
    const event = await h.standin.createTicket(newTicket());
    expect(event?.delivered).toBe(true);
    await until('the post', () => postsTo(h, 'oc_group_test').length === 1);
    expect(h.standin.ws.pushes.some((p) => JSON.stringify(p).includes(event!.eventId))).toBe(true);
  });
});

describe('subscribing at start-up', () => {
  it('logs a refusal with the fix and keeps answering everything else', async () => {
    const h = await startHarness({ tickets: [newTicket()], prepare: (s) => s.inject('helpdesk_subscribe', { status: 400, code: 154000 }) });
    try {
      const failed = await until('the failure to be logged', () => logged(h, 'helpdesk.subscribe_failed')[0]);
      expect(failed).toMatchObject({ level: 'error', consequence: 'watches, live cards and boards get no ticket events; everything else works' });
      expect(String(failed.fix)).toContain('helpdesk:all:readonly');
      expect(h.standin.subscriptions).toEqual([]);
      expect((await replyTo(h, '/help')).content).toContain('Watches and the board');
    } finally {
      await h.close();
    }
  });

  it('tries again when the platform fails for a moment', async () => {
    const h = await startHarness({ prepare: (s) => s.inject('helpdesk_subscribe', { status: 500, code: 155000, times: 1 }) });
    try {
      await until('the subscription', () => logged(h, 'helpdesk.subscribed')[0], 10_000);
      expect(h.standin.callsTo('helpdesk_subscribe').map((c) => c.status)).toEqual([500, 200]);
    } finally {
      await h.close();
    }
  });
});
