// A chat the bot has left: its watches, boards and live cards are forgotten, told by the platform's
// event (over the webhook and over the long connection) or, when that was missed, by the platform
// refusing a watch's post. The real bot against the stand-in, which models the bot's membership:
// once the bot is out of a chat, sends there are refused with 230002, as the platform does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../../src/config/schema.js';
import { botAddedEvent, botRemovedEvent } from '@helpdesk-bot/feishu-standin/deliveries';
import { WatchStore } from '../../../src/watch/store.js';
import { sample } from '../../support/metrics.js';
import { until } from '../../support/wait.js';
import { SECRETS, startHarness, type Harness } from '../../support/harness.js';
import { GROUP, handled, logged, newTicket, postsTo, remembered } from '../../support/watch.js';

const VIP = newTicket({ tags: ['VIP'] });

/** Send calls the stand-in received for this chat, and how it answered each. */
const sendsTo = (h: Harness, chatId: string) => h.standin.callsTo('send').filter((c) => (c.body as { receive_id?: string }).receive_id === chatId);
const forgotten = (h: Harness, chatId: string) => logged(h, 'chat.forgotten').filter((l) => l.chat_id === chatId);
const metric = async (h: Harness) => sample(await h.bot.metrics.registry.metrics(), 'helpdesk_bot_watch_activity_total', { what: 'chats_forgotten' });

/** Starts a watch (open tag VIP) in a group and waits for its confirmation. */
async function watchIn(h: Harness, chatId: string): Promise<void> {
  const said = await h.say('/watch open tag VIP', { chatType: 'group', chatId });
  expect((await h.replies(said.messageId))[0]!.content).toContain('Watching: Open · tag VIP');
}

describe.each<Connection>(['webhook', 'long-connection'])('the bot removed from a group, told over the %s', (connection) => {
  let h: Harness;
  const chat = `oc_group_left_${connection.replace('-', '_')}`;
  beforeAll(async () => {
    h = await startHarness({ connection, tickets: [VIP] });
    await until('the subscription', () => h.standin.subscriptions.length === 2);
  });
  afterAll(() => h.close());

  it("forgets the chat's watch, board and live card, sends nothing there, and leaves other chats alone", async () => {
    const store = new WatchStore(h.bot.state.records);
    await watchIn(h, chat);
    await watchIn(h, GROUP);
    const board = await h.replies((await h.say('/board', { chatType: 'group', chatId: chat })).messageId);
    const card = await h.replies((await h.say(`/ticket ${VIP.ticket_id}`, { chatType: 'group', chatId: chat })).messageId);
    await remembered(h, card[0]!.messageId);
    await until('the board to be remembered', async () => (await store.getBoard(board[0]!.messageId)) !== undefined);
    const before = await metric(h);

    h.standin.removeBot(chat);
    const removed = botRemovedEvent({ token: h.token, appId: SECRETS.appId, chatId: chat, operatorOpenId: 'ou_group_owner' });
    expect((await h.deliver(removed)).status).toBe(200);
    const [line] = await until('the chat to be forgotten', () => forgotten(h, chat).length > 0 && forgotten(h, chat));
    expect(line).toMatchObject({ level: 'info', reason: 'bot-removed', via: 'event', event_id: removed.header.event_id, watches: 1, boards: 1, cards: 1 });
    expect(await store.chatWatches(chat)).toEqual([]);
    expect(await store.getBoard(board[0]!.messageId)).toBeUndefined();
    expect(await store.getCard(card[0]!.messageId)).toBeUndefined();
    expect(await metric(h)).toBe(before + 1);
    // The other group's watch is untouched.
    expect(await store.chatWatches(GROUP)).toHaveLength(1);

    // Delivered again: acknowledged and dropped as a duplicate, nothing forgotten twice.
    expect((await h.deliver(removed)).status).toBe(200);
    await until('the duplicate to be dropped', () => h.log.lines.some((l) => l.includes('"delivery.duplicate"') && l.includes(removed.header.event_id)));
    expect(forgotten(h, chat)).toHaveLength(1);

    // A matching ticket: posted to the other group, not tried in the one the bot left; the
    // ticket's card there is not patched either.
    const sendsBefore = sendsTo(h, chat).length;
    const patchesBefore = h.standin.callsTo('patch').length;
    const otherBefore = postsTo(h, GROUP).length;
    const event = await h.standin.createTicket(newTicket({ tags: ['VIP'] }));
    expect((await handled(h, event!.eventId)).posted_to).toEqual([GROUP]);
    await until('the post to the other group', () => postsTo(h, GROUP).length > otherBefore);
    const changed = await h.standin.changeTicket(VIP.ticket_id, { status: 2 });
    expect((await handled(h, changed.event!.eventId)).live_cards).toBe(false);
    expect(sendsTo(h, chat)).toHaveLength(sendsBefore);
    expect(
      h.standin
        .callsTo('patch')
        .slice(patchesBefore)
        .filter((c) => c.path.endsWith(card[0]!.messageId)),
    ).toEqual([]);
  });

  it('starts afresh when the bot is added back: welcomed, and no watches', async () => {
    h.standin.botAdded(chat);
    expect((await h.deliver(botAddedEvent({ token: h.token, appId: SECRETS.appId, chatId: chat, operatorOpenId: 'ou_group_owner' }))).status).toBe(200);
    await until('the welcome', () => postsTo(h, chat).some((m) => m.content.includes('Three commands worth knowing')));
    const list = await h.replies((await h.say('/watch', { chatType: 'group', chatId: chat })).messageId);
    expect(list[0]!.content).toContain('No watches here yet.');
  });
});

describe('the bot removed from a group without the event reaching it', () => {
  let h: Harness;
  const chat = 'oc_group_left_quietly';
  beforeAll(async () => {
    h = await startHarness({ tickets: [] });
    await until('the subscription', () => h.standin.subscriptions.length === 2);
  });
  afterAll(() => h.close());

  it('forgets the chat when the platform refuses a watch post with 230002, once, and tries no more', async () => {
    const store = new WatchStore(h.bot.state.records);
    await watchIn(h, chat);
    h.standin.removeBot(chat);

    const first = await h.standin.createTicket(newTicket({ tags: ['VIP'] }));
    expect((await handled(h, first!.eventId)).posted_to).toEqual([chat]);
    const [line] = await until('the chat to be forgotten', () => forgotten(h, chat).length > 0 && forgotten(h, chat));
    expect(line).toMatchObject({ reason: 'bot-removed', via: 'send-failed', watches: 1, boards: 0, cards: 0 });
    expect(String(line!.error)).toContain('230002');
    // One send tried, refused as the platform refuses it.
    expect(sendsTo(h, chat).map((c) => [c.status, c.responseCode])).toEqual([[400, 230002]]);
    expect(postsTo(h, chat)).toEqual([]);
    expect(await store.chatWatches(chat)).toEqual([]);

    // The next matching ticket matches no watch there: nothing is tried.
    const second = await h.standin.createTicket(newTicket({ tags: ['VIP'] }));
    expect((await handled(h, second!.eventId)).posted_to).toEqual([]);
    expect(sendsTo(h, chat)).toHaveLength(1);
    expect(forgotten(h, chat)).toHaveLength(1);
  });

  it('forgets a disbanded group the same way when a post is refused with 232009', async () => {
    const disbanded = 'oc_group_disbanded_quietly';
    await watchIn(h, disbanded);
    h.standin.disbandChat(disbanded);
    const event = await h.standin.createTicket(newTicket({ tags: ['VIP'] }));
    await handled(h, event!.eventId);
    const [line] = await until('the chat to be forgotten', () => forgotten(h, disbanded).length > 0 && forgotten(h, disbanded));
    expect(line).toMatchObject({ reason: 'chat-disbanded', via: 'send-failed', watches: 1 });
    expect(sendsTo(h, disbanded).map((c) => c.responseCode)).toEqual([232009]);
  });
});
