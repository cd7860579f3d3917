// The ways in besides typing a command: the welcome card when the bot joins a group or someone
// opens a DM, the bot menu, and a bare ticket id. Each over both intakes, through the real SDK.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Connection } from '../../src/config/schema.js';
import { botAddedEvent, menuEvent, p2pChatEnteredEvent } from '@helpdesk-bot/feishu-standin/deliveries';
import type { SentMessage } from '@helpdesk-bot/feishu-standin';
import { fullTicket } from '../fixtures/tickets.js';
import { makeTickets } from '../fixtures/many.js';
import { buttons, PLAIN_UPSTREAM, SECRETS, startHarness, type Harness } from '../support/harness.js';
import { until } from '../support/wait.js';

const NOW = Date.now();
const TICKET = fullTicket.ticket_id;
const ME = 'ou_agent_menu';

describe.each<Connection>(['webhook', 'long-connection'])('over the %s', (connection) => {
  let h: Harness;
  const yaml = `${PLAIN_UPSTREAM}
access:
  chats: { deny: [oc_group_denied] }
menu:
  help: /help
  my_open: /tickets mine open
  one: /ticket ${TICKET}
`;
  beforeAll(async () => {
    // Half of the tickets have ME as their agent, so "mine open" finds more than a page.
    const tickets = makeTickets(NOW, 60).map((t, i) => (i % 2 ? { ...t, agents: [{ id: ME, name: 'Me' }] } : t));
    h = await startHarness({ connection, yaml, tickets: [fullTicket, ...tickets] });
  });
  afterAll(() => h.close());
  beforeEach(() => h.standin.clearCalls());

  const app = () => ({ token: h.token, appId: SECRETS.appId });
  const sentTo = (chatId: string) => [...h.standin.messages.values()].filter((m) => m.chatId === chatId && m.replyTo === undefined);
  const waitSent = (chatId: string, n = 1) => until(`${n} message(s) to ${chatId}`, () => sentTo(chatId).length >= n && sentTo(chatId));
  const text = (m: SentMessage) => m.content;

  it('posts a welcome card to a group the bot is added to, once per event', async () => {
    const chatId = `oc_group_new_${connection.replace('-', '_')}`;
    const added = botAddedEvent({ ...app(), chatId, operatorOpenId: 'ou_admin' });
    expect((await h.deliver(added)).status).toBe(200);
    const [welcome] = await waitSent(chatId);
    expect(text(welcome!)).toContain('Three commands worth knowing');
    expect(text(welcome!)).toContain("the guest's email is hidden");
    const send = h.standin.callsTo('send')[0]!;
    expect(send.query).toEqual({ receive_id_type: 'chat_id' });
    expect(send.body).toMatchObject({ receive_id: chatId, msg_type: 'interactive' });
    expect((send.body as { uuid: string }).uuid).toMatch(/^s[0-9a-f]{40}$/);
    // Delivered again (same event id): acknowledged, no second card.
    expect((await h.deliver(added)).status).toBe(200);
    await until('the duplicate to be logged', () => h.log.lines.some((l) => l.includes('delivery.duplicate') && l.includes(added.header.event_id)));
    expect(sentTo(chatId)).toHaveLength(1);
    await until('the welcome to be logged', () => h.log.lines.some((l) => l.includes('"event":"welcome"') && l.includes(chatId) && l.includes('"outcome":"ok"')));
  });

  it('tells a group it may not be used in why, instead of welcoming it', async () => {
    await h.deliver(botAddedEvent({ ...app(), chatId: 'oc_group_denied', operatorOpenId: 'ou_admin' }));
    const [card] = await waitSent('oc_group_denied');
    expect(text(card!)).toContain('You cannot use the helpdesk bot here');
    expect(text(card!)).not.toContain('Three commands worth knowing');
  });

  it('welcomes a first DM, and not someone coming back', async () => {
    const first = `oc_dm_first_${connection.replace('-', '_')}`;
    await h.deliver(p2pChatEnteredEvent({ ...app(), chatId: first, userOpenId: 'ou_newcomer' }));
    const [welcome] = await waitSent(first);
    expect(text(welcome!)).toContain('Three commands worth knowing');
    const back = `oc_dm_back_${connection.replace('-', '_')}`;
    expect((await h.deliver(p2pChatEnteredEvent({ ...app(), chatId: back, userOpenId: 'ou_regular', lastMessageId: 'om_before', lastMessageTime: NOW - 1000 }))).status).toBe(200);
    // The next event is handled after that one: once it is answered, the first is long done.
    const probe = `oc_dm_probe_${connection.replace('-', '_')}`;
    await h.deliver(p2pChatEnteredEvent({ ...app(), chatId: probe, userOpenId: 'ou_probe' }));
    await waitSent(probe);
    expect(sentTo(back)).toHaveLength(0);
  });

  it('answers a menu tap in the DM of the person who tapped, with working buttons', async () => {
    const tap = menuEvent({ ...app(), eventKey: 'my_open', operatorOpenId: ME });
    expect((await h.deliver(tap)).status).toBe(200);
    const send = await until('the menu answer', () => h.standin.callsTo('send').find((c) => (c.body as { receive_id?: string }).receive_id === ME));
    expect(send.query).toEqual({ receive_id_type: 'open_id' });
    // Sent, then patched with its buttons bound to the DM it landed in.
    const patch = await until('the patch', () => h.standin.callsTo('patch')[0]);
    const [message] = [...h.standin.messages.values()].filter((m) => patch.path.endsWith(m.messageId));
    // The menu's my_open runs `/tickets mine open`: the list card's title names that query.
    expect(JSON.parse(message!.content).header.title.content).toMatch(/^Open · mine\b/);
    expect(message!.content).not.toContain('oc_dm_not_yet_known');
    const next = buttons(JSON.parse(message!.content)).find((b) => b.text === 'Next')!;
    const answer = await h.click({ messageId: message!.messageId, chatId: message!.chatId!, card: JSON.parse(message!.content), content: message!.content }, next.value, { operator: ME });
    expect(answer.status).toBe(200);
    expect(JSON.stringify(answer.body)).toContain('page 2 of');
    await until('the menu command to be audited', () => h.log.lines.some((l) => l.includes('"event":"audit"') && l.includes('"via":"menu"') && l.includes(ME)));
  });

  it('answers a menu item without buttons with one message and no patch', async () => {
    await h.deliver(menuEvent({ ...app(), eventKey: 'help', operatorOpenId: 'ou_helpme' }));
    const send = await until('the help card', () => h.standin.callsTo('send').find((c) => (c.body as { receive_id?: string }).receive_id === 'ou_helpme'));
    expect(String((send.body as { content: string }).content)).toContain('Helpdesk ticket bot');
    await until('the command line', () => h.log.lines.some((l) => l.includes('"event":"command"') && l.includes('"menu_key":"help"')));
    expect(h.standin.callsTo('patch')).toHaveLength(0);
  });

  it('says which menu item is not set up, and logs what to fix', async () => {
    await h.deliver(menuEvent({ ...app(), eventKey: 'not_configured', operatorOpenId: 'ou_lost' }));
    const send = await until('the answer', () => h.standin.callsTo('send').find((c) => (c.body as { receive_id?: string }).receive_id === 'ou_lost'));
    expect(String((send.body as { content: string }).content)).toContain('This menu item is not set up');
    expect(h.log.lines.some((l) => l.includes('menu.unknown_key') && l.includes('not_configured'))).toBe(true);
  });

  it('shows the ticket for "@bot <ticket id>" in a group', async () => {
    const { messageId } = await h.say(TICKET, { chatType: 'group', chatId: 'oc_group_ids' });
    const [reply] = await h.replies(messageId);
    expect(reply!.content).toContain(`Ticket ${TICKET}`);
  });
});
