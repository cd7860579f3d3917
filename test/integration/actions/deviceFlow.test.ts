// Signing in where no browser can reach the bot (no BOT_PUBLIC_URL; over the long connection, as
// in production there): the card shows a code and a link, the agent confirms it on the platform's
// page, the bot polls the token endpoint, checks whose token it is, and the click runs once; a
// code confirmed by someone else signs no one in.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ticket } from '../../support/standin.js';
import { answerCard, buttons, startHarness, type Harness } from '../../support/harness.js';
import { linkOf } from '../../support/signIn.js';
import { until } from '../../support/wait.js';

const CHEN = { id: 'ou_agent_chen', name: '陈静' };
const WANG = { id: 'ou_agent_wang', name: '王磊' };
const TICKETS = [ticket('7400000000000000001', { status: 2 }), ticket('7400000000000000002', { status: 2 })];

const cardOf = answerCard;

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    tickets: TICKETS,
    connection: 'long-connection',
    env: { USER_TOKEN_KEY: 'a-test-key-that-is-long-enough-0123456789' },
    yaml: `access: { agents: [${CHEN.id}, ${WANG.id}] }\ncache: { ticket_ttl_ms: 1, list_ttl_ms: 1 }`,
    standin: { people: [CHEN, WANG], agents: [CHEN.id, WANG.id] },
  });
});
afterAll(() => h.close());

async function askToClose(ticketId: string, who: string) {
  const { messageId } = await h.say(`/ticket ${ticketId}`, { sender: who });
  const card = (await h.replies(messageId))[0]!;
  const close = buttons(card.card).find((b) => b.text === 'Close as solved')!.value;
  const asked = cardOf((await h.click(card, close, { operator: who })).body);
  const text = JSON.stringify(asked);
  const code = /confirm the code \*\*([A-Z]{4}-[A-Z]{4})\*\*/.exec(text)?.[1];
  // The code's life as the token endpoint gave it: the stand-in's device codes live 240 s.
  expect(text).toContain('(within 4 minutes)');
  return { card, code: code!, url: linkOf(asked, 'Open the sign-in page') };
}

const confirm = (url: string, userCode: string, as: string) => fetch(new URL('/oauth/v1/device/verify', url), { method: 'POST', body: new URLSearchParams({ user_code: userCode, open_id: as, decision: 'allow' }) });

describe('the device flow', () => {
  it('shows a code and a link; once the agent confirms, the bot polls, and the close runs once, as them', { timeout: 30_000 }, async () => {
    const { card, code, url } = await askToClose(TICKETS[0]!.ticket_id, CHEN.id);
    expect(code).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    expect(new URL(url).searchParams.get('user_code')).toBe(code);
    expect(h.standin.callsTo('device_authorization')).toHaveLength(1);
    expect(h.standin.callsTo('ticket_update')).toHaveLength(0);
    expect((await confirm(url, code, CHEN.id)).status).toBe(200);
    await until('the close', () => h.standin.callsTo('ticket_update').length === 1, 20_000);
    const put = h.standin.callsTo('ticket_update')[0]!;
    expect(put.body).toEqual({ status: 51, solved: 2 });
    const owner = h.standin.userAuth.check(put.headers.authorization!.replace(/^Bearer /, ''));
    expect(owner).toEqual({ ok: true, openId: CHEN.id });
    await until('the card updated', () => h.standin.messages.get(card.messageId)!.content.includes('Last from chat: 陈静 closed it as solved'));
    // Polling stopped: the code was used once.
    const polls = h.standin.callsTo('oauth_token').length;
    await new Promise((r) => setTimeout(r, 6000));
    expect(h.standin.callsTo('oauth_token')).toHaveLength(polls);
    expect(h.standin.callsTo('ticket_update')).toHaveLength(1);
  });

  it('signs no one in when someone else confirms the code', { timeout: 30_000 }, async () => {
    const { card, code, url } = await askToClose(TICKETS[1]!.ticket_id, WANG.id);
    await confirm(url, code, CHEN.id);
    await until('the card says why', () => h.standin.messages.get(card.messageId)!.content.includes('another Feishu account signed in'), 20_000);
    expect(h.standin.callsTo('ticket_update')).toHaveLength(1);
    expect(h.standin.ticket(TICKETS[1]!.ticket_id)!.status).toBe(2);
  });
});
