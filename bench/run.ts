// npm run bench: the bot's figures next to baselines measured in the same run. The bot runs as
// deployed, in its own process (the compiled dist/main.js with `npm start`'s node flags), against
// the local stand-in over HTTP on 127.0.0.1; this process plays the platform, and its own load
// generator (bench/load.ts: keep-alive HTTP/1.1, 64 connections, a closed loop like wrk's) sends
// the deliveries. Takes about five minutes.
//   1. heap used by the caches when full;
//   2. start to ready: the bot's process against a bare Express app's;
//   3. intake cost: the bot's full webhook intake against a bare Express JSON route, side by side
//      (throughput, CPU per delivery, acknowledgement latency), and the bot without its heap flags;
//      and what the work journal costs a command (one process with a state file against memory only);
//   4. resident memory at idle, after 100,000 and after 200,000 deliveries, and the peak;
//   5. /ticket commands per second end to end, uncached and cached, at the default limits (which
//      are what bounds them in production) and with the limits lifted (what the bot itself can do),
//      and the acknowledgement latency of those deliveries and of deliveries sent one at a time;
//   6. the same over the long connection (frames pushed through the stand-in's WebSocket to the
//      SDK's WSClient): commands per second and acknowledgement latency, against the webhook's;
//   7. with shared state on a real redis-server (when installed): three instances against one,
//      side by side, at the default limits (which hold for all of them together) and lifted;
//   8. lists and the board in the sandbox at the default limits: a page of 10 rows to its first
//      card and to its complete card (every row's question), the messages calls of a first and a
//      repeated list, and /board (also while background work is under way);
//   9. /stats 7d and 30d at the default limits: time to the first and the complete card, the list
//      calls each makes, the reply's body size (bench/stats.ts).
// `npm run bench -- sandbox` and `npm run bench -- stats` run those alone.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadConfig } from '../src/config/load.js';
import type { Connection } from '../src/config/schema.js';
import type { Helpdesk } from '../src/helpdesk/api.js';
import { toTicket } from '../src/helpdesk/map.js';
import { resilientHelpdesk } from '../src/helpdesk/resilient.js';
import { realSleep } from '../src/resilience/timing.js';
import { memoryState } from '../src/state/memory.js';
import { createLogger } from '../src/obs/log.js';
import { delivery, messageEvent } from '@helpdesk-bot/feishu-standin/deliveries';
import { StandIn, type RawTicket } from '@helpdesk-bot/feishu-standin';
import { helpdeskOptions } from '../src/runtime/upstream.js';
import { fullTicket } from '../test/fixtures/tickets.js';
import { SECRETS } from '../test/support/harness.js';
import { Redis } from 'ioredis';
import { credentialsFor, freePort, mainProcess, startFlags } from '../test/support/process.js';
import { startRedis } from '../test/support/redis.js';
import { locate, PROGRAMS } from '../test/support/system.js';
import { CONNECTIONS, intake } from './intake.js';
import { median } from './load.js';
import { journalCost } from './journal.js';
import { memory } from './memory.js';
import { statsFigures } from './stats.js';
import { configFile, startBare, startBotProcess } from './targets.js';
import { sandboxFigures } from './sandbox.js';

const BASE = 7600000000000000000n;
/** Deliveries in flight at once, as the platform's senders would have them. */
const SENDERS = 32;
const LIFTED =
  'upstream: { limits: { ticket_get_per_second: 10000, ticket_list_per_second: 10000, ticket_messages_per_second: 10000, messages_per_second: 10000, messages_per_chat_per_second: 10000, max_queue: 10000 } }';
const idOf = (i: number) => String(BASE + BigInt(i));
const tickets: RawTicket[] = Array.from({ length: 2000 }, (_, i) => ({ ...fullTicket, ticket_id: idOf(i) }));

interface Bot {
  /** Every instance; deliveries go to each in turn, as a round-robin load balancer sends them. */
  urls: string[];
  standin: StandIn;
  /** How deliveries reach it. */
  connection: Connection;
}

interface BotOptions {
  /** Bot processes; deliveries go to each in turn (several need REDIS_URL in `env`). */
  instances?: number;
  env?: Record<string, string>;
  connection?: Connection;
}

/** Starts a stand-in and the bot's own processes configured by `yaml`; stops them all after `run`. */
async function withBot(yaml: string, run: (bot: Bot) => Promise<void>, { instances = 1, env = {}, connection = 'webhook' }: BotOptions = {}): Promise<void> {
  const standin = await StandIn.start({ ...SECRETS, tickets });
  const file = configFile(yaml);
  const { FEISHU_VERIFICATION_TOKEN: _t, FEISHU_ENCRYPT_KEY: _k, ...overWs } = credentialsFor(standin.url);
  const credentials = connection === 'webhook' ? credentialsFor(standin.url) : { ...overWs, FEISHU_CONNECTION: 'long-connection' };
  const ports = await Promise.all(Array.from({ length: instances }, () => freePort()));
  const procs = ports.map((port) => mainProcess({ ...credentials, ...env, BOT_CONFIG: file, PORT: String(port) }));
  const urls = ports.map((port) => `http://127.0.0.1:${port}`);
  try {
    // Ready: over the long connection that means connected (/healthz says 503 until then).
    for (const url of urls)
      await until(
        () =>
          fetch(url + '/healthz').then(
            (r) => r.ok,
            () => false,
          ),
        'the bot to start',
      );
    // A process serving traffic is warm: compile every path once (other tickets; then let the
    // helpdesk's rate window pass) before anything is measured.
    await burst({ urls, standin, connection }, 10 * instances, 10, 10, tickets.length - 10);
    await new Promise((r) => setTimeout(r, 1200));
    await run({ urls, standin, connection });
  } finally {
    await Promise.all(procs.map((proc) => proc.stop()));
    await standin.close();
  }
}

let sent = 0;
/**
 * Delivers one /ticket message (a signed, encrypted POST, or a frame over the long connection);
 * resolves with the acknowledgement's latency in ms.
 */
async function say(bot: Bot, ticket: string, chat: string): Promise<{ messageId: string; ackMs: number }> {
  const messageId = `om_bench_${++sent}`;
  const overWs = bot.connection === 'long-connection';
  const event = messageEvent({ token: overWs ? '' : SECRETS.verificationToken, appId: SECRETS.appId, chatType: 'p2p', chatId: chat, senderOpenId: 'ou_bench', messageId, text: `/ticket ${ticket}` });
  if (overWs) {
    const started = performance.now();
    const attempt = await bot.standin.ws.push(event, { repush: false }).first;
    if (attempt.outcome !== 'acked') throw new Error(`frame ${attempt.outcome}`);
    return { messageId, ackMs: performance.now() - started };
  }
  const d = delivery(event, { encryptKey: SECRETS.encryptKey });
  const started = performance.now();
  const res = await fetch(bot.urls[sent % bot.urls.length]! + '/webhook/event', { method: 'POST', headers: d.headers, body: d.body });
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`delivery answered ${res.status}`);
  return { messageId, ackMs: performance.now() - started };
}

/** Sends `n` commands for `distinct` tickets over `chats` chats; commands per second until the last reply. */
async function burst(bot: Bot, n: number, distinct: number, chats: number, offset: number) {
  bot.standin.clearCalls();
  const started = performance.now();
  const acks: { messageId: string; ackMs: number }[] = [];
  let next = 0;
  const sender = async () => {
    for (let i = next++; i < n; i = next++) acks.push(await say(bot, idOf(offset + (i % distinct)), `oc_bench_${i % chats}`));
  };
  await Promise.all(Array.from({ length: SENDERS }, sender));
  const wanted = new Set(acks.map((a) => a.messageId));
  const replied = () => [...bot.standin.messages.values()].filter((m) => m.replyTo !== undefined && wanted.has(m.replyTo)).length === n;
  await until(async () => replied(), `${n} replies`);
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: n / seconds, gets: bot.standin.callsTo('ticket_get').length, acks: acks.map((a) => a.ackMs) };
}

async function until(check: () => Promise<boolean>, what: string): Promise<void> {
  const limit = Date.now() + 60_000;
  while (!(await check())) {
    if (Date.now() > limit) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const f = (x: number, digits = 1) => x.toFixed(digits);
const row = (what: string, value: string) => console.log(`${what.padEnd(66)} ${value}`);
const ackLatency = (what: string, acks: number[]) => row(`${what} (${acks.length})`, `p50 ${f(pct(acks, 50))} ms, p95 ${f(pct(acks, 95))} ms, max ${f(Math.max(...acks))} ms`);

/** Heap held by a full ticket cache (complete tickets, every field set), measured in this process. */
async function cacheMemory(): Promise<void> {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const loaded = loadConfig('', {});
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  const sample = toTicket(fullTicket)!;
  const inner: Helpdesk = {
    getTicket: async (id) => structuredClone({ ...sample, id }),
    listTickets: async () => ({ total: 0, tickets: [] }),
    getConversation: async () => ({ total: 0, messages: [] }),
    firstMessage: async () => '',
    knownFirstMessages: async () => new Map(),
    agents: async () => [],
  };
  const options = { ...helpdeskOptions(loaded.config, () => Infinity), limits: helpdeskOptions(loadLifted(), () => Infinity).limits };
  const time = { clock: Date.now, sleep: realSleep, random: Math.random };
  const log = createLogger('error');
  const state = memoryState({ ...time, log, dedupeMaxEntries: 1, workMaxPending: 1 });
  const helpdesk = resilientHelpdesk(inner, options, state, time, log);
  const entries = loaded.config.cache.ticket_max_entries;
  const settle = () => {
    for (let i = 0; i < 3; i++) gc();
    return process.memoryUsage().heapUsed;
  };
  const before = settle();
  for (let i = 0; i < entries; i++) await helpdesk.getTicket(idOf(i));
  const used = settle() - before;
  // Touch the cache after measuring, so it cannot be collected as dead before the measurement.
  await helpdesk.getTicket(idOf(0));
  row(`ticket cache full (default ${entries} entries)`, `${f(used / 1024 / 1024)} MiB heap, ${f(used / entries / 1024, 2)} KiB per ticket`);

  // List pages: rows as the list API returns them, here complete tickets (the most a row can be).
  const pageSize = loaded.config.display.page_size;
  const pages = loaded.config.cache.list_max_entries;
  const listing: Helpdesk = { ...inner, listTickets: async (_f, page) => ({ total: 10_000, tickets: Array.from({ length: pageSize }, (_, i) => structuredClone({ ...sample, id: idOf(page * pageSize + i) })) }) };
  const lists = resilientHelpdesk(listing, options, state, time, log);
  const start = settle();
  for (let page = 1; page <= pages; page++) await lists.listTickets({}, page, pageSize);
  const listUsed = settle() - start;
  await lists.listTickets({}, 1, pageSize);
  row(`list cache full (default ${pages} pages of ${pageSize} complete rows)`, `${f(listUsed / 1024 / 1024)} MiB heap, ${f(listUsed / pages / 1024, 1)} KiB per page`);
}

/** 50 deliveries, each sent when the last was acknowledged: the latency with nothing queued. */
async function oneAtATime(bot: Bot): Promise<number[]> {
  const acks: number[] = [];
  for (let i = 0; i < 50; i++) acks.push((await say(bot, idOf(1000 + (i % 40)), `oc_single_${i % 10}`)).ackMs);
  return acks;
}

function loadLifted() {
  const loaded = loadConfig(LIFTED, {});
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  return loaded.config;
}

/** One instance against three on one real Redis, in this run, over the same stand-in and load. */
async function sharedState(): Promise<void> {
  const program = locate(PROGRAMS.redis);
  if (!program) {
    console.log(`\nshared state: not measured, redis-server is not installed (${PROGRAMS.redis.install})`);
    return;
  }
  const redis = await startRedis(program);
  const flush = async () => {
    const client = new Redis(redis.url);
    await client.flushall();
    await client.quit();
  };
  try {
    console.log(`\n/ticket with shared state on Redis (${redis.url}): one instance and three, side by side, ${SENDERS} deliveries in flight\n`);
    const figures: Record<string, Record<number, string>> = {};
    const note = (what: string, n: number, value: string) => ((figures[what] ??= {})[n] = value);
    for (const n of [1, 3]) {
      await flush();
      await withBot(
        '',
        async (bot) => {
          const cold = await burst(bot, 40, 40, 40, 0);
          note('uncached, default limits (40 tickets; get 10/s for all)', n, `${f(cold.perSecond)}/s (${cold.gets} gets)`);
          const warm = await burst(bot, 200, 40, 40, 0);
          note('cached, default limits (200; replies 50/s for all)', n, `${f(warm.perSecond)}/s (${warm.gets} gets)`);
        },
        { instances: n, env: { REDIS_URL: redis.url } },
      );
      await flush();
      await withBot(
        LIFTED,
        async (bot) => {
          const cold = await burst(bot, 500, 500, 100, 1000);
          note('uncached, limits lifted (500 tickets)', n, `${f(cold.perSecond)}/s (${cold.gets} gets)`);
          const warm = await burst(bot, 1000, 500, 100, 1000);
          note('cached, limits lifted (1000 for those 500)', n, `${f(warm.perSecond)}/s (${warm.gets} gets)`);
          // Where instances pay off on any machine: a slow helpdesk keeps each instance's workers
          // (server.work_concurrency, 8) waiting, and more instances wait in parallel.
          bot.standin.inject('ticket_get', { delayMs: 200 });
          const slow = await burst(bot, 240, 240, 100, 1600);
          bot.standin.clearFaults();
          note('uncached, helpdesk answering in 200 ms, lifted (240)', n, `${f(slow.perSecond)}/s (${slow.gets} gets)`);
          ackLatency(`acknowledgements, limits lifted, ${n} instance${n > 1 ? 's' : ''}`, [...cold.acks, ...warm.acks]);
        },
        { instances: n, env: { REDIS_URL: redis.url } },
      );
    }
    console.log('');
    row('commands per second', `${'1 instance'.padEnd(26)} 3 instances`);
    for (const [what, by] of Object.entries(figures)) {
      const ratio = (parseFloat(by[3]!) / parseFloat(by[1]!)).toFixed(2);
      row(what, `${by[1]!.padEnd(26)} ${by[3]!}  (x${ratio})`);
    }
  } finally {
    await redis.close();
  }
}

const ratio = (bot: number, base: number) => `${f(bot / base, 2)}×`;

async function startToReady(standin: string): Promise<void> {
  const bare: number[] = [];
  const bot: number[] = [];
  for (let i = 0; i < 5; i++) {
    const b = await startBare();
    bare.push(b.readyMs);
    await b.proc.stop();
    const t = await startBotProcess(standin);
    bot.push(t.readyMs);
    await t.proc.stop();
  }
  console.log(`\nstart to ready: spawning the process until GET /healthz answers 200 (medians of 5)\n`);
  row('bare Express (node bench/bare.mjs)', `${f(median(bare), 0)} ms`);
  row(`bot (${startFlags().join(' ')})`, `${f(median(bot), 0)} ms, ${ratio(median(bot), median(bare))} bare Express`);
}

async function intakeCost(standin: StandIn): Promise<void> {
  const { medians, ratios } = await intake(standin);
  console.log(`\nintake: distinct signed, encrypted deliveries, ${CONNECTIONS} connections (medians of 5 alternating rounds of 20,000)\n`);
  for (const [name, x] of Object.entries(medians)) {
    row(name, `${f(x.perSecond, 0)}/s, CPU ${f(x.cpuUs, 0)} µs per delivery, ack p50 ${f(x.p50)} ms, p99 ${f(x.p99)} ms`);
  }
  const times = (x: number) => `${f(x, 2)}×`;
  console.log("\n(ratios: the median of each round's ratio)");
  row('bot / bare Express: throughput', times(ratios.perSecond));
  row('bot / bare Express: CPU per delivery (target ≤ 1.25×)', times(ratios.cpuUs));
  row('bot / bare Express: p99 acknowledgement (target ≤ 1.2×)', times(ratios.p99));
  row('bot / bot without heap flags: CPU per delivery (≤ 1.10×)', times(ratios.flagsCpuUs));
}

async function journalFigures(standin: StandIn): Promise<void> {
  const { journal, memory, ratios } = await journalCost(standin);
  console.log(`\nthe work journal (one process with a state file): /help commands, each written down before its acknowledgement (medians of 3 alternating rounds)\n`);
  for (const [name, x] of [
    ['with the journal (state.file)', journal],
    ['memory only (state.file: "")', memory],
  ] as const) {
    row(name, `CPU ${f(x.cpuUs, 0)} µs per command until answered; ack p50 ${f(x.p50)} ms, p99 ${f(x.p99)} ms under load; one at a time p50 ${f(x.singleP50, 2)} ms, p99 ${f(x.singleP99, 2)} ms`);
  }
  row('journal / memory only: CPU per command', `${f(ratios.cpuUs, 2)}× (${f(journal.cpuUs - memory.cpuUs, 0)} µs)`);
  row('journal / memory only: p99 acknowledgement under load', `${f(ratios.p99, 2)}×`);
  row('journal / memory only: p50 acknowledgement one at a time', `${f(ratios.singleP50, 2)}× (${f(journal.singleP50 - memory.singleP50, 2)} ms)`);
}

async function residentMemory(standin: string): Promise<void> {
  const m = await memory(standin);
  console.log(`\nresident memory of the bot's process (VmRSS; target ≤ 150 MiB)\n`);
  row('idle, after start', `${f(m.idle, 0)} MiB`);
  row('after 100,000 deliveries', `${f(m.after100k, 0)} MiB`);
  row('after 200,000 deliveries', `${f(m.after200k, 0)} MiB (${m.after200k >= m.after100k ? '+' : ''}${f(m.after200k - m.after100k, 0)} MiB on 100k)`);
  row('peak', `${f(m.peak, 0)} MiB; CPU ${f(m.cpuUs, 0)} µs per delivery over the 200,000`);
  row('after a forced full collection, at 200,000 and at 300,000', `${f(m.collected200k, 0)} MiB, ${f(m.collected300k, 0)} MiB (the live set; the rest above was garbage)`);
}

async function sandbox(): Promise<void> {
  const s = await sandboxFigures();
  console.log(`\nlists and the board in the sandbox (demo helpdesk, default limits; times from typing to the card at the stand-in)\n`);
  const list = (what: string, x: typeof s.firstList) => row(what, `${x.rows} rows: card in ${f(x.firstMs, 0)} ms, complete in ${f(x.completeMs, 0)} ms; ${x.messagesCalls} messages calls`);
  list('/tickets, first time (no question at hand)', s.firstList);
  list('/tickets again (every question kept)', s.repeatedList);
  row('/board, nothing counted yet', `${f(s.boardFirstMs, 0)} ms (target ≤ 500 ms)`);
  row('/board, the kept count (median of 10)', `${f(s.boardMs, 0)} ms (target ≤ 500 ms)`);
  row('/board while lists fetch questions and tickets arrive (median of 10)', `${f(s.boardBusyMs, 0)} ms (target ≤ 500 ms)`);
}

async function main() {
  const began = performance.now();
  if (process.argv.includes('sandbox')) {
    await sandbox();
    return;
  }
  if (process.argv.includes('stats')) {
    await stats();
    return;
  }
  // Memory first, while this process holds nothing else that a later collection could free.
  await cacheMemory();
  const standin = await StandIn.start({ ...SECRETS, tickets: [] });
  try {
    await startToReady(standin.url);
    await intakeCost(standin);
    await journalFigures(standin);
    await residentMemory(standin.url);
  } finally {
    await standin.close();
  }
  console.log(`\n/ticket through the bot's own process and the stand-in (127.0.0.1), ${SENDERS} deliveries in flight\n`);

  await withBot('', async (bot) => {
    const cold = await burst(bot, 40, 40, 40, 0);
    row('uncached, default limits (40 tickets; get 10/s)', `${f(cold.perSecond)} commands/s (${cold.gets} gets)`);
    const warm = await burst(bot, 200, 40, 40, 0);
    row('cached, default limits (200 for those 40; replies 50/s)', `${f(warm.perSecond)} commands/s (${warm.gets} gets)`);
    ackLatency('acknowledgements, default limits', [...cold.acks, ...warm.acks]);
    const single: number[] = [];
    for (let i = 0; i < 50; i++) single.push((await say(bot, idOf(i % 40), `oc_single_${i % 10}`)).ackMs);
    ackLatency('acknowledgements, one delivery at a time', single);
  });

  let webhook = { perSecond: 0, single: [] as number[] };
  await withBot(LIFTED, async (bot) => {
    const cold = await burst(bot, 500, 500, 100, 1000);
    row('uncached, limits lifted (500 tickets)', `${f(cold.perSecond)} commands/s (${cold.gets} gets)`);
    const warm = await burst(bot, 1000, 500, 100, 1000);
    row('cached, limits lifted (1000 for those 500)', `${f(warm.perSecond)} commands/s (${warm.gets} gets)`);
    ackLatency('acknowledgements, limits lifted (bot CPU-bound)', [...cold.acks, ...warm.acks]);
    webhook = { perSecond: warm.perSecond, single: await oneAtATime(bot) };
  });

  console.log(`\nThe same over the long connection (frames through the SDK's WSClient), limits lifted\n`);
  await withBot(
    LIFTED,
    async (bot) => {
      await burst(bot, 500, 500, 100, 1000);
      const warm = await burst(bot, 1000, 500, 100, 1000);
      row('cached (1000 for 500 tickets)', `${f(warm.perSecond)} commands/s, ${f(warm.perSecond / webhook.perSecond, 2)}× the webhook's`);
      ackLatency('acknowledgements under that burst', warm.acks);
      const single = await oneAtATime(bot);
      ackLatency('acknowledgements, one frame at a time', single);
      row('  p50 against the webhook one at a time', `${f(pct(single, 50) / pct(webhook.single, 50), 2)}× (webhook p50 ${f(pct(webhook.single, 50))} ms)`);
    },
    { connection: 'long-connection' },
  );

  await sharedState();
  await sandbox();
  await stats();

  console.log(`\n(${f((performance.now() - began) / 1000)} s)`);
}

/** /stats 7d and 30d, cold and again (bench/stats.ts). */
async function stats(): Promise<void> {
  console.log(`\n/stats through the bot's own process at the default limits (5 list calls a second), against the demo helpdesk and one ten times as large; each cold, then again within the caches' life\n`);
  for (const s of await statsFigures()) {
    row(
      `${s.command}, ${s.tickets} tickets, ${s.cached ? 'again' : 'cold'}`,
      `first card ${f(s.firstMs / 1000, 2)} s, complete ${f(s.completeMs / 1000, 2)} s, ${s.listCalls} list calls, reply ${f(s.replyBytes / 1024)} KB, largest patch ${f(s.largestPatchBytes / 1024)} KB (${s.patches} patches)`,
    );
  }
}

void main();
