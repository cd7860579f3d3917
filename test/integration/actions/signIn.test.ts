// Changing a ticket as the agent who clicked, over real HTTP against the stand-in: signing in
// through the card's link, the stand-in's authorization page and the bot's /oauth/callback (the
// click then runs once); a tampered, expired, replayed or someone else's sign-in signing no one
// in; each change made with that agent's own token and the helpdesk header; the helpdesk's
// refusal; an expired token refreshed once; a refresh refused asking to sign in again; /signout.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { formSubmission } from '@helpdesk-bot/feishu-standin/card-forms';
import { ticket } from '../../support/standin.js';
import { answerCard, buttons, SECRETS, startHarness, type Harness, type Reply } from '../../support/harness.js';
import { callback, consent, linkOf } from '../../support/signIn.js';
import { until } from '../../support/wait.js';

const CHEN = { id: 'ou_agent_chen', name: '陈静' };
const WANG = { id: 'ou_agent_wang', name: '王磊' };
/** Listed in access.agents, but not an agent of this helpdesk: the helpdesk refuses them. */
const OUTSIDER = { id: 'ou_agent_other', name: 'Sam Outside' };
const TICKETS = Array.from({ length: 40 }, (_, i) => ticket(String(7200000000000000001n + BigInt(i)), { status: 2, tags: [i % 2 ? { id: '2', name: 'VIP' } : { id: '1', name: 'VPN' }] }));
const HELPDESK = `Bearer ${Buffer.from(`${SECRETS.helpdeskId}:${SECRETS.helpdeskToken}`).toString('base64')}`;

const cardOf = answerCard;
const button = (card: unknown, text: string) => {
  const found = buttons(card).find((b) => b.text === text && !b.disabled);
  if (!found) throw new Error(`no button "${text}" in ${JSON.stringify(buttons(card).map((b) => b.text))}`);
  return found.value;
};

let h: Harness;
let offset = 0;
let next = 0;
beforeAll(async () => {
  h = await startHarness({
    tickets: TICKETS,
    publicUrl: true,
    clock: () => Date.now() + offset,
    env: { USER_TOKEN_KEY: 'a-test-key-that-is-long-enough-0123456789' },
    yaml: `access: { agents: [${CHEN.id}, ${WANG.id}, ${OUTSIDER.id}] }\ncache: { ticket_ttl_ms: 1, list_ttl_ms: 1 }`,
    standin: { people: [CHEN, WANG, OUTSIDER], agents: [CHEN.id, WANG.id] },
  });
  h.standin.userAuth.setBrowserUser(CHEN.id);
});
afterAll(() => h.close());
beforeEach(() => {
  h.standin.clearCalls();
  offset = 0;
});

/** A fresh ticket's card, asked for by `sender`. */
async function ticketCard(sender = CHEN.id): Promise<Reply & { ticketId: string }> {
  const ticketId = TICKETS[next++]!.ticket_id;
  const { messageId } = await h.say(`/ticket ${ticketId}`, { sender });
  return { ...(await h.replies(messageId))[0]!, ticketId };
}

const updates = () => h.standin.callsTo('ticket_update');
const ownerOf = (authorization: string | undefined) => {
  const checked = h.standin.userAuth.check((authorization ?? '').replace(/^Bearer /, ''));
  return checked.ok ? checked.openId : undefined;
};
const refreshes = () => h.standin.callsTo('oauth_token').filter((c) => (c.body as { grant_type?: string }).grant_type === 'refresh_token');

/** Signs `who` in the way an agent does (a change asks for it, the link is followed), unless they are; resolves once that change was made. */
async function signIn(who: { id: string }): Promise<void> {
  const card = await ticketCard(who.id);
  const before = updates().length;
  const asked = await h.click(card, button(card.card, 'Close as solved'), { operator: who.id });
  if (!JSON.stringify(asked.body).includes('Sign in to act')) return;
  const page = await callback(await consent(linkOf(cardOf(asked.body), 'Sign in to act'), { as: who.id }));
  expect(page.status).toBe(200);
  await until('the change after sign-in', () => updates().length > before);
}

describe('signing in from the card', () => {
  it('asks someone not signed in to sign in and changes nothing; the link leads through the authorization page to /oauth/callback; the click then runs once', async () => {
    const card = await ticketCard();
    const asked = await h.click(card, button(card.card, 'Close as solved'), { operator: CHEN.id });
    const askedCard = cardOf(asked.body);
    expect(JSON.stringify(askedCard)).toContain(`<at id=${CHEN.id}></at>, sign in first`);
    expect(updates()).toHaveLength(0);

    const link = new URL(linkOf(askedCard, 'Sign in to act'));
    expect(`${link.origin}${link.pathname}`).toBe(`${h.standin.url}/open-apis/authen/v1/authorize`);
    expect(link.searchParams.get('client_id')).toBe(SECRETS.appId);
    expect(link.searchParams.get('redirect_uri')).toBe(`${h.config.server.public_url}/oauth/callback`);
    expect(link.searchParams.get('scope')).toBe('helpdesk:all offline_access');

    const location = await consent(link.toString());
    expect(location.startsWith(`${h.config.server.public_url}/oauth/callback?`)).toBe(true);
    const page = await callback(location);
    expect(page.status).toBe(200);
    expect(page.html).toContain('Signed in as 陈静. Go back to Feishu');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const exchange = h.standin.callsTo('oauth_token');
    expect(exchange.map((c) => (c.body as { grant_type: string }).grant_type)).toEqual(['authorization_code']);
    expect(h.standin.callsTo('user_info')).toHaveLength(1);

    // The click asked for before signing in: one PUT, as this agent, with the helpdesk header.
    await until('the close', () => updates().length === 1);
    const put = updates()[0]!;
    expect(put.method).toBe('PUT');
    expect(put.path).toBe(`/open-apis/helpdesk/v1/tickets/${card.ticketId}`);
    expect(put.body).toEqual({ status: 51, solved: 2 });
    expect(ownerOf(put.headers.authorization)).toBe(CHEN.id);
    expect(put.headers['x-lark-helpdesk-authorization']).toBe(HELPDESK);
    expect(h.standin.ticket(card.ticketId)).toMatchObject({ status: 51, solve: 2, closed_by: { id: CHEN.id } });
    // The card it was clicked on says who did what.
    await until('the card updated', () => h.standin.messages.get(card.messageId)!.content.includes('Last from chat: 陈静 closed it as solved'));

    // The same callback again (a reload, a replay): nobody is signed in again, nothing runs again.
    const replay = await callback(location);
    expect(replay.status).toBe(400);
    expect(replay.html).toContain('This sign-in link was used already');
    await new Promise((r) => setTimeout(r, 300));
    expect(updates()).toHaveLength(1);
    expect(h.standin.callsTo('oauth_token')).toHaveLength(1);
  });

  it('signs no one in with a tampered or expired state, nor as someone else than the clicker', async () => {
    const card = await ticketCard(WANG.id);
    const linkFor = async () => new URL(linkOf(cardOf((await h.click(card, button(card.card, 'Close as unsolved'), { operator: WANG.id })).body), 'Sign in to act'));

    const tampered = await linkFor();
    const [body, mac] = tampered.searchParams.get('state')!.split('.');
    const forged = JSON.parse(Buffer.from(body!, 'base64url').toString()) as Record<string, unknown>;
    tampered.searchParams.set('state', `${Buffer.from(JSON.stringify({ ...forged, o: CHEN.id })).toString('base64url')}.${mac}`);
    const t = await callback(await consent(tampered.toString(), { as: CHEN.id }));
    expect(t.status).toBe(400);
    expect(t.html).toContain('This sign-in link is not valid');
    // A mac of the right length in characters but not in bytes is as wrong, not a failure of the bot.
    const odd = await linkFor();
    odd.searchParams.set('state', `${odd.searchParams.get('state')!.split('.')[0]}.${'é'.repeat(43)}`);
    const o = await callback(await consent(odd.toString(), { as: WANG.id }));
    expect(o.status).toBe(400);
    expect(o.html).toContain('This sign-in link is not valid');

    const late = await linkFor();
    offset += 11 * 60_000;
    const e = await callback(await consent(late.toString(), { as: WANG.id }));
    expect(e.status).toBe(400);
    expect(e.html).toContain('This sign-in link has expired');
    offset = 0;

    const other = await callback(await consent((await linkFor()).toString(), { as: CHEN.id }));
    expect(other.status).toBe(403);
    expect(other.html).toContain('is not the person who clicked');
    // Someone else's token was fetched and looked at (user_info), then dropped: kept for nobody.
    expect(h.standin.callsTo('oauth_token')).toHaveLength(1);
    await until('the card says why', () => h.standin.messages.get(card.messageId)!.content.includes('another Feishu account signed in'));
    expect(updates()).toHaveLength(0);
    const again = await h.click(card, button(card.card, 'Close as unsolved'), { operator: WANG.id });
    expect(JSON.stringify(cardOf(again.body))).toContain('Sign in to act');
  });
});

describe('acting signed in', () => {
  it("closes with the clicker's own token (not the tenant's, not another person's) and the helpdesk header, at once", async () => {
    await signIn(CHEN);
    await signIn(WANG);
    h.standin.clearCalls();
    const card = await ticketCard(WANG.id);
    const closed = await h.click(card, button(card.card, 'Close as unsolved'), { operator: WANG.id });
    expect(updates()).toHaveLength(1);
    const put = updates()[0]!;
    expect(put.body).toEqual({ status: 51, solved: 1 });
    expect(ownerOf(put.headers.authorization)).toBe(WANG.id);
    expect(put.headers.authorization).not.toMatch(/^Bearer t-/);
    expect(put.headers['x-lark-helpdesk-authorization']).toBe(HELPDESK);
    expect(JSON.stringify(cardOf(closed.body))).toContain('Last from chat: 王磊 closed it as unsolved');
  });

  it('says the helpdesk refused someone who is not one of its agents (154003), and changes nothing', async () => {
    const card = await ticketCard(OUTSIDER.id);
    const asked = await h.click(card, button(card.card, 'Close as solved'), { operator: OUTSIDER.id });
    await callback(await consent(linkOf(cardOf(asked.body), 'Sign in to act'), { as: OUTSIDER.id }));
    await until('the refusal on the card', () => h.standin.messages.get(card.messageId)!.content.includes('The helpdesk refused'));
    expect(updates().map((c) => c.responseCode)).toEqual([154003]);
    expect(h.standin.ticket(card.ticketId)!.status).toBe(2);
  });

  it('refreshes an expired access token once, keeps the new refresh token, and the action succeeds', async () => {
    await signIn(CHEN);
    h.standin.clearCalls();
    // Two hours on: the token has expired, for the platform and for the bot.
    offset += 2 * 3600_000 + 60_000;
    h.standin.userAuth.expireAccessTokens(CHEN.id);
    const card = await ticketCard();
    await h.click(card, button(card.card, 'Close as solved'), { operator: CHEN.id });
    expect(refreshes()).toHaveLength(1);
    expect(updates()).toHaveLength(1);
    expect(updates()[0]!.responseCode).toBe(0);
    expect(ownerOf(updates()[0]!.headers.authorization)).toBe(CHEN.id);
    // The next action uses the new token without refreshing.
    const second = await ticketCard();
    await h.click(second, button(second.card, 'Close as solved'), { operator: CHEN.id });
    expect(refreshes()).toHaveLength(1);
    expect(updates()).toHaveLength(2);
  });

  it('refreshes once and tries once more when the platform refuses a token the bot thought fresh (99991677)', async () => {
    await signIn(WANG);
    h.standin.clearCalls();
    h.standin.userAuth.expireAccessTokens(WANG.id);
    const card = await ticketCard(WANG.id);
    await h.click(card, button(card.card, 'Close as solved'), { operator: WANG.id });
    expect(updates().map((c) => c.responseCode)).toEqual([99991677, 0]);
    expect(refreshes()).toHaveLength(1);
  });

  it('asks to sign in again, on the card clicked, when the refresh is refused; nothing else breaks', async () => {
    await signIn(CHEN);
    h.standin.clearCalls();
    h.standin.userAuth.revoke(CHEN.id);
    offset += 2 * 3600_000;
    const card = await ticketCard();
    const asked = await h.click(card, button(card.card, 'Close as solved'), { operator: CHEN.id });
    expect(JSON.stringify(cardOf(asked.body))).toContain('your sign-in has ended: sign in again');
    expect(refreshes().map((c) => c.responseCode)).toEqual([20064]);
    // Revoked, its access token was refused too (if it was tried): nothing changed.
    expect(updates().every((c) => c.responseCode === 99991668)).toBe(true);
    expect(h.standin.ticket(card.ticketId)!.status).toBe(2);
    // The rest of the bot carries on.
    const other = await ticketCard(WANG.id);
    expect(other.content).toContain(other.ticketId);
  });

  it('/signout forgets the sign-in: the next change asks again', async () => {
    await signIn(WANG);
    const { messageId } = await h.say('/signout', { sender: WANG.id });
    expect((await h.replies(messageId))[0]!.content).toContain('The bot has forgotten your helpdesk sign-in');
    const card = await ticketCard(WANG.id);
    const asked = await h.click(card, button(card.card, 'Close as solved'), { operator: WANG.id });
    expect(JSON.stringify(cardOf(asked.body))).toContain('Sign in to act');
    const { messageId: again } = await h.say('/signout', { sender: WANG.id });
    expect((await h.replies(again))[0]!.content).toContain('You were not signed in with the bot');
  });
});

describe('the forms, signed in', () => {
  /** Fills in and submits the form the click opened, as the client would send it. */
  async function submit(card: Reply, opened: Record<string, unknown>, submitText: string, entered: Record<string, string | string[]>) {
    const value = button(opened, submitText);
    const name = `${submitText === 'Set' ? 'status' : submitText === 'Save' ? 'tags' : 'note'}_submit`;
    const sent = formSubmission(opened, { name, value }, entered);
    if (!sent.ok) throw new Error(sent.reason);
    return cardOf((await h.click(card, value, { operator: CHEN.id, formValue: sent.formValue })).body);
  }

  it('changes the status from a select of the statuses an agent may set', async () => {
    await signIn(CHEN);
    h.standin.clearCalls();
    const card = await ticketCard();
    const opened = cardOf((await h.click(card, button(card.card, 'Change status'), { operator: CHEN.id })).body);
    const select = JSON.stringify(opened);
    expect(select).toContain('"initial_option":"2"');
    for (const closed of ['"value":"50"', '"value":"51"', '"value":"52"']) expect(select).not.toContain(closed);
    const after = await submit(card, opened, 'Set', { status: '3' });
    expect(updates().map((c) => c.body)).toEqual([{ status: 3 }]);
    expect(JSON.stringify(after)).toContain('Last from chat: 陈静 set the status to Queued');
    // A status the form does not offer (a forged submission) changes nothing and says what to do.
    const forged = cardOf((await h.click(card, button(opened, 'Set'), { operator: CHEN.id, formValue: { status: '52' } })).body);
    expect(JSON.stringify(forged)).toContain('Choose a status first');
    expect(updates()).toHaveLength(1);
  });

  it("sets the ticket's tags to the whole set chosen: added and removed", async () => {
    await signIn(CHEN);
    h.standin.clearCalls();
    const card = await ticketCard();
    const opened = cardOf((await h.click(card, button(card.card, 'Tags'), { operator: CHEN.id })).body);
    expect(JSON.stringify(opened)).toMatch(/"selected_values":\["(VPN|VIP)"\]/);
    await submit(card, opened, 'Save', { tags: ['VIP', 'VPN'] });
    await submit(card, opened, 'Save', { tags: ['VIP'] });
    expect(updates().map((c) => c.body)).toEqual([{ tag_names: ['VIP', 'VPN'] }, { tag_names: ['VIP'] }]);
    expect(h.standin.ticket(card.ticketId)!.tags!.map((t) => t.name)).toEqual(['VIP']);
  });

  it('adds a private note, and keeps its text out of the log', async () => {
    await signIn(CHEN);
    h.standin.clearCalls();
    const card = await ticketCard();
    const opened = cardOf((await h.click(card, button(card.card, 'Add note'), { operator: CHEN.id })).body);
    const after = await submit(card, opened, 'Add', { note: '已远程重置证书，用户确认可用。' });
    expect(updates().map((c) => c.body)).toEqual([{ comment: '已远程重置证书，用户确认可用。' }]);
    expect(h.standin.ticket(card.ticketId)!.comments).toMatchObject({ content: '已远程重置证书，用户确认可用。', user_name: '陈静' });
    expect(JSON.stringify(after)).toContain('已远程重置证书，用户确认可用。');
    expect(JSON.stringify(after)).toContain('Last from chat: 陈静 added a note');
    expect(h.log.lines.join('\n')).not.toContain('已远程重置证书');
  });
});

describe("the bot's output", () => {
  it('holds no token, code or secret the platform issued: not in a log line, a card or a metric', async () => {
    const issued = [...h.standin.userAuth.issued, ...new Set(h.standin.calls.map((c) => /^Bearer (t-\S+)$/.exec(c.headers.authorization ?? '')?.[1]).filter((t): t is string => !!t))];
    expect(issued.length).toBeGreaterThan(10);
    const metrics = await h.bot.metrics.registry.metrics();
    const output = [h.log.lines.join('\n'), [...h.standin.messages.values()].map((m) => m.content).join('\n'), metrics].join('\n');
    for (const secret of [...issued, SECRETS.appSecret, 'a-test-key-that-is-long-enough-0123456789']) expect(output).not.toContain(secret);
  });
});
