// The stand-in's helpdesk writes through the real SDK: ticket.update with an agent's own token
// (the helpdesk's rights: its agents only, 154003 for others; a tenant token refused; the change
// recorded and pushed as a ticket event), ticketMessage.create appending to the conversation, and
// faq.search over the FAQs it was given.
import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StandIn } from '@helpdesk-bot/feishu-standin';
import { CREDS, freshCache, httpFailure, silentLogger, startStandIn, ticket } from '../../support/standin.js';

const CHEN = { id: 'ou_chen', name: '陈静' };
const GUEST = { id: 'ou_guest', name: '王小明' };
const REDIRECT = 'http://127.0.0.1:1/oauth/callback';
const TICKET = '7000000000000000001';

let standIn: StandIn;
let client: lark.Client;
beforeEach(async () => {
  standIn = await startStandIn({
    people: [CHEN, GUEST],
    agents: [CHEN.id],
    tickets: [ticket(TICKET, { status: 2, tags: [{ id: '1', name: 'VPN' }] })],
    faqs: [
      { faq_id: 'f1', question: 'VPN 连不上怎么办？', answer: '先重启客户端，再检查网络。', tags: ['VPN'] },
      { faq_id: 'f2', question: 'How do I reset my password?', answer: 'Use the self-service portal.' },
    ],
  });
  standIn.userAuth.registerRedirectUri(REDIRECT);
  client = new lark.Client({
    appId: CREDS.appId,
    appSecret: CREDS.appSecret,
    domain: standIn.url,
    oauthBaseUrl: standIn.url,
    helpDeskId: CREDS.helpdeskId,
    helpDeskToken: CREDS.helpdeskToken,
    cache: freshCache(),
    logger: silentLogger,
  });
});
afterEach(() => standIn.close());

/** A user token for this person, signed in through the authorization page. */
async function tokenOf(openId: string): Promise<string> {
  const form = new URLSearchParams({ client_id: CREDS.appId, redirect_uri: REDIRECT, scope: 'helpdesk:all offline_access', state: 's', open_id: openId, decision: 'allow' });
  const answer = await fetch(`${standIn.url}/open-apis/authen/v1/authorize`, { method: 'POST', body: form, redirect: 'manual' });
  const code = new URL(answer.headers.get('location')!).searchParams.get('code')!;
  return (await client.accessToken.retrieveByAuthorizationCode({ code, redirectUri: REDIRECT })).accessToken;
}

/** The user token and the helpdesk credential in one options object (withAll would drop both: they are symbol-keyed). */
const asAgent = (token: string) => ({ lark: { ...lark.withUserAccessToken(token).lark, ...lark.withHelpDeskCredential().lark } });

describe('ticket.update', () => {
  it("applies an agent's change with their token and the helpdesk credential, and pushes the ticket event", async () => {
    const events: object[] = [];
    await client.helpdesk.v1.event.subscribe({ data: { events: [{ type: 'helpdesk.ticket', subtype: 'ticket.updated_v1' }] } }, lark.withHelpDeskCredential());
    standIn.pushTicketEventsTo({ token: '', event: async (payload) => (events.push(payload), { ok: true, body: {} }) });
    const token = await tokenOf(CHEN.id);
    const res = await client.helpdesk.v1.ticket.update({ path: { ticket_id: TICKET }, data: { status: 51, solved: 2, tag_names: ['VPN', 'VIP'], comment: '已远程处理' } }, asAgent(token));
    expect(res.code).toBe(0);
    const call = standIn.callsTo('ticket_update')[0]!;
    expect(call.headers.authorization).toBe(`Bearer ${token}`);
    expect(call.headers['x-lark-helpdesk-authorization']).toBe(`Bearer ${Buffer.from(`${CREDS.helpdeskId}:${CREDS.helpdeskToken}`).toString('base64')}`);
    const after = standIn.ticket(TICKET)!;
    expect(after).toMatchObject({ status: 51, solve: 2, closed_by: { id: CHEN.id, name: '陈静' }, comments: { content: '已远程处理', user_name: '陈静' } });
    expect(after.tags?.map((t) => t.name)).toEqual(['VPN', 'VIP']);
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events[0])).toContain('helpdesk.ticket.updated_v1');
  });

  it('refuses someone who is not an agent of the helpdesk (154003), a tenant token (99991668), and what cannot be set (154000)', async () => {
    const guest = await tokenOf(GUEST.id);
    const notAgent = await httpFailure(client.helpdesk.v1.ticket.update({ path: { ticket_id: TICKET }, data: { status: 51 } }, asAgent(guest)));
    expect(notAgent).toMatchObject({ status: 403, data: { code: 154003 } });
    const tenant = await httpFailure(client.helpdesk.v1.ticket.update({ path: { ticket_id: TICKET }, data: { status: 51 } }, lark.withHelpDeskCredential()));
    expect(tenant.data.code).toBe(99991668);
    const chen = await tokenOf(CHEN.id);
    expect((await httpFailure(client.helpdesk.v1.ticket.update({ path: { ticket_id: TICKET }, data: { status: 52 } }, asAgent(chen)))).data.code).toBe(154000);
    expect((await httpFailure(client.helpdesk.v1.ticket.update({ path: { ticket_id: TICKET }, data: {} }, asAgent(chen)))).data.code).toBe(154000);
    expect((await httpFailure(client.helpdesk.v1.ticket.update({ path: { ticket_id: '7000000000000000999' }, data: { status: 2 } }, asAgent(chen)))).data.code).toBe(154004);
    expect(standIn.ticket(TICKET)!.status).toBe(2);
  });
});

describe('ticketMessage.create', () => {
  it("appends the text to the ticket's conversation, from the helpdesk's bot account", async () => {
    const res = await client.helpdesk.v1.ticketMessage.create({ path: { ticket_id: TICKET }, data: { msg_type: 'text', content: JSON.stringify({ text: '您好，已为您处理。' }) } }, lark.withHelpDeskCredential());
    expect(res.data?.message_id).toMatch(/^om_/);
    const last = standIn.conversation(TICKET).at(-1)!;
    expect(JSON.parse(last.content)).toEqual({ content: '您好，已为您处理。', msg_type: 'text' });
    expect(last.user_name).toBe('Helpdesk Assistant');
    const listed = await client.helpdesk.v1.ticketMessage.list({ path: { ticket_id: TICKET }, params: { page: 1, page_size: 50 } }, lark.withHelpDeskCredential());
    expect(listed.data?.messages?.at(-1)?.message_id).toBe(res.data?.message_id);
    const empty = await httpFailure(client.helpdesk.v1.ticketMessage.create({ path: { ticket_id: TICKET }, data: { msg_type: 'text', content: JSON.stringify({ text: ' ' }) } }, lark.withHelpDeskCredential()));
    expect(empty.data.code).toBe(154000);
  });
});

describe('faq.search', () => {
  it('finds the FAQs that share words with the query, Chinese or English, raw or base64', async () => {
    const vpn = await client.helpdesk.v1.faq.search({ params: { query: 'VPN 连接失败' } }, lark.withHelpDeskCredential());
    expect(vpn.data?.items?.map((i) => i.faq_id)).toEqual(['f1']);
    expect(vpn.data?.items?.[0]).toMatchObject({ question: 'VPN 连不上怎么办？', answer: '先重启客户端，再检查网络。' });
    const b64 = await client.helpdesk.v1.faq.search({ params: { query: Buffer.from('reset password').toString('base64'), base64: 'true' } }, lark.withHelpDeskCredential());
    expect(b64.data?.items?.map((i) => i.faq_id)).toEqual(['f2']);
    const none = await client.helpdesk.v1.faq.search({ params: { query: '打印机' } }, lark.withHelpDeskCredential());
    expect(none.data?.items).toEqual([]);
  });
});
