// The sandbox left running for days: is its memory bounded? Starts the sandbox in this process as
// `npm start` does (the demo's watch and board in the group chat, the activity on), with the
// activity's step every STEP_MS instead of every 20 s, and a console user polling both chats as the
// page does. Every simulated six hours it forces a full collection and prints the resident set,
// the heap that survives it, and the sizes of the stand-in's records.
//
//   node --expose-gc --import tsx bench/sandbox-memory.ts [days=3] [step ms=50]
//
// FEISHU_CONNECTION=long-connection runs it over the long connection, as `npm start` would.
//
// One simulated day is 4,320 steps (86,400 s / 20 s); at 50 ms a step it takes under four minutes.
// Anything the bot logs as a warning or error is counted (SHOW_WARNINGS=1 prints it).
import { createLogger } from '../src/obs/log.js';
import { startSandbox } from '../src/sandbox/mode.js';

const SANDBOX_STEP_S = 20;
const days = Number(process.argv[2] ?? 3);
const stepMs = Number(process.argv[3] ?? 50);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  process.stderr.write('Run it with node --expose-gc --import tsx bench/sandbox-memory.ts\n');
  process.exit(1);
}

let steps = 0;
let failures = 0;
const log = createLogger('info', (line) => {
  if (line.includes('"event":"sandbox.activity"')) steps += 1;
  else if (line.includes('"level":"warn"') || line.includes('"level":"error"')) {
    failures += 1;
    if (process.env['SHOW_WARNINGS']) process.stderr.write(line + '\n');
  }
});
// Scaled with the pace: the rate limits (or most lookups would be refused), and the number of
// matches posted one by one in a post window (2 s: at 20 s a step, every new ticket is a post).
const yaml = [
  'upstream: { limits: { ticket_get_per_second: 1000, ticket_list_per_second: 1000, ticket_messages_per_second: 1000, messages_per_second: 1000, messages_per_chat_per_second: 1000 } }',
  'watch: { digest_after: 20 }',
].join('\n');
const connection = process.env['FEISHU_CONNECTION'] === 'long-connection' ? 'long-connection' : 'webhook';
const sandbox = await startSandbox({ port: 0, log, yaml, connection, demo: { activityMs: stepMs } });
const api = sandbox.consoleUrl.replace(/\/console$/, '/sandbox/api');

// The console polls the chat on screen every 700 ms; this user watches both.
const cursors = { dm: 0, group: 0 };
let polling = true;
const poller = (async () => {
  while (polling) {
    for (const chat of ['dm', 'group'] as const) {
      const answer = (await (await fetch(`${api}/chats/${chat}/messages?after=${cursors[chat]}`)).json()) as { cursor: number };
      cursors[chat] = answer.cursor;
    }
    await new Promise((r) => setTimeout(r, 700));
  }
})();

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);
function report(): void {
  gc!();
  const { rss, heapUsed } = process.memoryUsage();
  const { standin } = sandbox;
  const hours = Math.round((steps * SANDBOX_STEP_S) / 3600);
  const ws = standin.ws;
  console.log(
    [
      `${String(hours).padStart(4)} h`,
      `${String(steps).padStart(6)} steps`,
      `rss ${mib(rss).padStart(6)} MiB`,
      `heap after GC ${mib(heapUsed).padStart(6)} MiB`,
      `tickets ${standin.tickets.length}`,
      `messages ${standin.messages.size}`,
      `calls ${standin.calls.length}`,
      `ticket events ${standin.ticketEvents.length}`,
      `pushes ${ws.pushes.length + ws.events.length}`,
      `warnings ${failures}`,
    ].join('  '),
  );
}

console.log(`Sandbox memory over ${days} simulated days (${connection}; a step every ${stepMs} ms stands for ${SANDBOX_STEP_S} s)`);
report();
const stepsPerReport = (6 * 3600) / SANDBOX_STEP_S;
for (let next = stepsPerReport; next <= (days * 86_400) / SANDBOX_STEP_S; next += stepsPerReport) {
  while (steps < next) await new Promise((r) => setTimeout(r, 50));
  report();
}
polling = false;
await poller;
await sandbox.stop();
