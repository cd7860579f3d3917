// The long connection, checked from outside as an operator would: `npm run standin` plays the
// platform (long-connection endpoint included), `npm start` runs the bot with the documented
// environment variables and no encrypt key or verification token, and curl-like calls to the
// stand-in's control API play the users. Also: a refused long connection stops the bot (exit 1).
// (npm run doctor's must-shows are in test/doctor.test.ts.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, mainProcess, npmStart, npmScript, type Started } from '../support/process.js';
import { until } from '../support/wait.js';

const APP = {
  FEISHU_APP_ID: 'cli_9f8e7d6c5b4a3921',
  FEISHU_APP_SECRET: 'process-test-secret',
  FEISHU_HELPDESK_ID: '7300',
  FEISHU_HELPDESK_TOKEN: 'process-test-helpdesk-token',
};
const TICKET = '6626871355780366331';

let standin: Started;
let bot: Started;
let control = '';
let botUrl = '';

async function call(path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<{ status: number; json: Record<string, unknown> & { sent?: { messageId: string; card: unknown }[] } }> {
  const res = await fetch(control + path, { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { status: res.status, json: (await res.json()) as never };
}

/** The whole health report, from the metrics port (the public /healthz says only ok or which part). */
let details = '';
const health = () => fetch(details).then(async (r) => ({ status: r.status, json: (await r.json()) as { connection: { state: string; reconnects: number } } }));

describe('npm start over the long connection, against npm run standin', () => {
  beforeAll(async () => {
    const standinPort = await freePort();
    // The platform's client config, with a short reconnect delay so the test need not wait 30 s.
    standin = npmScript('standin', { ...APP, STANDIN_PORT: String(standinPort), STANDIN_RECONNECT_NONCE: '0.2', STANDIN_RECONNECT_INTERVAL: '1' });
    await standin.waitFor(/^Stand-in of the Feishu platform at/);
    control = `http://127.0.0.1:${standinPort}/standin`;
    const port = await freePort();
    botUrl = `http://127.0.0.1:${port}`;
    bot = npmStart({ ...APP, FEISHU_CONNECTION: 'long-connection', FEISHU_DOMAIN: `http://127.0.0.1:${standinPort}`, PORT: String(port) });
    await bot.waitFor(/"event":"long_connection.connected"/);
    details = String(JSON.parse(await bot.waitFor(/"event":"started"/)).metrics).replace(/\/metrics$/, '/healthz');
    expect(await (await fetch(botUrl + '/healthz')).json()).toEqual({ status: 'ok' });
  }, 60_000);
  afterAll(async () => {
    await bot?.stop();
    await standin?.stop();
  });

  it('answers /ticket <id> with one reply card, no second one for the same message_id, and pages in the acknowledgement', async () => {
    expect((await health()).json.connection).toMatchObject({ state: 'connected' });
    const first = await call('/say', { text: `/ticket ${TICKET}`, messageId: 'om_process_1' });
    expect(first.json.delivered).toBe(true);
    expect(first.json.sent).toHaveLength(1);
    expect(JSON.stringify(first.json.sent![0]!.card)).toContain(`Ticket ${TICKET}`);
    // The platform pushes the same event again: acknowledged, and no second reply.
    const again = await call('/say', { text: `/ticket ${TICKET}`, messageId: 'om_process_1' });
    expect(again.json).toMatchObject({ delivered: true, sent: [] });
    const messages = (await call('/messages')).json as unknown as { replyTo?: string }[];
    expect(messages.filter((m) => m.replyTo === 'om_process_1')).toHaveLength(1);

    const list = await call('/say', { text: '/tickets open' });
    const clicked = await call('/click', { messageId: list.json.sent![0]!.messageId, button: 'Next' });
    expect(clicked.json.answered).toBe(true);
    expect(JSON.stringify(clicked.json.answer)).toContain('page 2 of');
  });

  it('forgets the watches of a group the bot is removed from (POST /standin/remove-bot), and posts nothing there', async () => {
    const chatId = 'oc_process_left';
    const watch = await call('/say', { text: '/watch open', chat: 'group', chatId });
    expect(JSON.stringify(watch.json.sent![0]!.card)).toContain('Watching: Open');
    const removed = await call('/remove-bot', { chatId });
    expect(removed.json).toMatchObject({ delivered: true, chatId });
    await bot.waitFor(/"event":"chat.forgotten".*"chat_id":"oc_process_left"/);
    const forgotten = bot.logs().find((l) => l.event === 'chat.forgotten');
    expect(forgotten).toMatchObject({ reason: 'bot-removed', via: 'event', watches: 1, boards: 0, cards: 0 });
    // A new open ticket: the bot handles the event, and sends nothing to the group it left.
    const ticket = await call('/tickets', { status: 1 });
    const eventId = (ticket.json.event as { eventId: string }).eventId;
    await until('the ticket event to be handled', () => bot.logs().some((l) => l.event === 'ticket_event' && l.event_id === eventId));
    const sends = (await call('/calls?route=send')).json as unknown as { body: { receive_id?: string } }[];
    expect(sends.filter((c) => c.body.receive_id === chatId)).toEqual([]);
  });

  it('reconnects after the stand-in drops the connection, and answers the next event', async () => {
    expect((await call('/drop', {})).json).toEqual({ dropped: 1 });
    await until('the reconnect', async () => {
      const h = await health();
      return h.status === 200 && h.json.connection.reconnects === 1;
    });
    const next = await call('/say', { text: `/ticket ${TICKET}` });
    expect(next.json.sent).toHaveLength(1);
    expect(bot.logs().some((l) => l.event === 'long_connection.reconnecting')).toBe(true);
  });

  it('shows the ticket for "@bot <ticket id>" in a group, and welcomes a group it is added to', async () => {
    const bare = await call('/say', { text: TICKET, chat: 'group' });
    expect(JSON.stringify(bare.json.sent![0]!.card)).toContain(`Ticket ${TICKET}`);
    const added = await call('/add-bot', { chatId: 'oc_process_group' });
    expect(added.json.sent).toHaveLength(1);
    expect(JSON.stringify(added.json.sent![0]!.card)).toContain('Three commands worth knowing');
  });
});

describe('a refused long connection', () => {
  it('stops the bot with a message naming what to fix, and exit code 1', async () => {
    const standinPort = await freePort();
    const platform = npmScript('standin', { ...APP, STANDIN_PORT: String(standinPort) });
    try {
      await platform.waitFor(/^Stand-in of the Feishu platform at/);
      // The platform refuses the connection as it does bad credentials (514, auth failed).
      await fetch(`http://127.0.0.1:${standinPort}/standin/refuse-endpoint`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code: 514 }) });
      const proc = mainProcess({ ...APP, FEISHU_CONNECTION: 'long-connection', FEISHU_DOMAIN: `http://127.0.0.1:${standinPort}`, PORT: String(await freePort()) });
      const code = await proc.exited;
      expect(code).toBe(1);
      expect(proc.stderr()).toContain('The helpdesk bot cannot receive events');
      expect(proc.stderr()).toContain('check feishu.app_id and feishu.app_secret (FEISHU_APP_ID, FEISHU_APP_SECRET)');
      expect(proc.logs().some((l) => l.event === 'long_connection.failed')).toBe(true);
      expect(proc.stderr() + proc.lines.join('\n')).not.toContain(APP.FEISHU_APP_SECRET);
    } finally {
      await platform.stop();
    }
  });
});
