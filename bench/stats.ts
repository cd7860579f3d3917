// /stats through the bot's own process (dist/main.js, `npm start`'s flags) at the default limits
// (5 list calls a second, the default caches), against a stand-in holding the demo helpdesk: the
// time from the command's acknowledgement to the first card and to the complete one, the helpdesk
// list calls each makes, and the size of the reply's request body (and of the largest patch).
// Each command runs on a bot of its own, started cold, then once more within the caches' life.
// The demo (300 tickets over six weeks) and one ten times as large, where the samples reach
// their bound (READ_PAGES pages of 200).
import { delivery, messageEvent } from '@helpdesk-bot/feishu-standin/deliveries';
import { StandIn, type RecordedCall } from '@helpdesk-bot/feishu-standin';
import { seedTickets } from '../src/sandbox/seed.js';
import { SECRETS } from '../test/support/harness.js';
import { credentialsFor, freePort, mainProcess } from '../test/support/process.js';
import { configFile } from './targets.js';

export interface StatsFigure {
  command: string;
  tickets: number;
  cached: boolean;
  firstMs: number;
  completeMs: number;
  listCalls: number;
  replyBytes: number;
  largestPatchBytes: number;
  patches: number;
}

const bodyBytes = (call: RecordedCall) => Buffer.byteLength(JSON.stringify(call.body));

async function until<T>(what: string, check: () => T | undefined | false, timeoutMs = 60_000): Promise<T> {
  const limit = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > limit) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

let sent = 0;
/** One /stats command, timed from its acknowledgement to its first and its complete card. */
async function measure(url: string, standin: StandIn, command: string, tickets: number, cached: boolean): Promise<StatsFigure> {
  standin.clearCalls();
  const messageId = `om_bench_stats_${++sent}`;
  standin.registerIncoming(messageId, 'oc_bench_stats');
  const event = messageEvent({ token: SECRETS.verificationToken, appId: SECRETS.appId, chatType: 'p2p', chatId: 'oc_bench_stats', senderOpenId: 'ou_bench', messageId, text: command });
  const d = delivery(event, { encryptKey: SECRETS.encryptKey });
  const res = await fetch(url + '/webhook/event', { method: 'POST', headers: d.headers, body: d.body });
  const acked = performance.now();
  if (res.status !== 200) throw new Error(`delivery answered ${res.status}`);
  const reply = await until('the first card', () => [...standin.messages.values()].find((m) => m.replyTo === messageId));
  const firstMs = performance.now() - acked;
  await until('the complete card', () => standin.messages.get(reply.messageId)!.content.includes('· complete'));
  const completeMs = performance.now() - acked;
  const patches = standin.callsTo('patch').filter((c) => c.path.includes(reply.messageId));
  return {
    command,
    tickets,
    cached,
    firstMs,
    completeMs,
    listCalls: standin.callsTo('ticket_list').length,
    replyBytes: bodyBytes(standin.callsTo('reply').find((c) => c.path.includes(messageId))!),
    largestPatchBytes: Math.max(0, ...patches.map(bodyBytes)),
    patches: patches.length,
  };
}

export async function statsFigures(): Promise<StatsFigure[]> {
  const figures: StatsFigure[] = [];
  for (const count of [300, 3000]) {
    for (const command of ['/stats 7d', '/stats 30d']) {
      const standin = await StandIn.start({ ...SECRETS, tickets: seedTickets(Date.now(), { count }) });
      const port = await freePort();
      const proc = mainProcess({ ...credentialsFor(standin.url), BOT_CONFIG: configFile(''), PORT: String(port) });
      const url = `http://127.0.0.1:${port}`;
      try {
        for (let ready = false; !ready; ) {
          if (proc.child.exitCode !== null) throw new Error(`the bot did not start:\n${proc.stderr()}`);
          ready = await fetch(url + '/healthz').then(
            (r) => r.ok,
            () => false,
          );
        }
        figures.push(await measure(url, standin, command, count, false));
        figures.push(await measure(url, standin, command, count, true));
      } finally {
        await proc.stop();
        await standin.close();
      }
    }
  }
  return figures;
}
