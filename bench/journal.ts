// What the work journal costs per delivery: one process with a state file writes each accepted
// command to its journal before acknowledging it, and strikes it off once answered. Measured side by
// side with the same bot keeping everything in memory (no state file, no journal), under the same
// load of commands (each a distinct /ticket for a ticket the helpdesk does not have: one lookup, one
// reply, limits lifted), alternating rounds so that a busy moment of the machine hits both. CPU is
// counted until every command has been answered, so the journal's writes after the acknowledgement
// (striking jobs off) are in it.
import type { StandIn } from '@helpdesk-bot/feishu-standin';
import { command, cpuMs, load, median, pct } from './load.js';
import { startBotProcess, type Target } from './targets.js';

const CONNECTIONS = 32;
const WARMUP = 500;
const PER_ROUND = 4000;
const ROUNDS = 3;
const LIFTED = `server: { work_max_pending: 100000 }
upstream: { limits: { ticket_get_per_second: 10000, ticket_list_per_second: 10000, ticket_messages_per_second: 10000, messages_per_second: 10000, messages_per_chat_per_second: 10000, max_queue: 100000, messages_max_queue: 100000 } }
`;

/** Commands sent one at a time, each after the last was acknowledged: the journal's own latency. */
const SINGLE = 300;

interface Figures {
  /** Under load: CPU per command (µs, until answered), acknowledgement p50 and p99 (ms). */
  cpuUs: number;
  p50: number;
  p99: number;
  /** One at a time: acknowledgement p50 and p99 (ms). */
  singleP50: number;
  singleP99: number;
}

export interface JournalFigures {
  /** Medians over the rounds. */
  journal: Figures;
  memory: Figures;
  /** With the journal / without, the median of each round's ratio. */
  ratios: { cpuUs: number; p99: number; singleP50: number };
}

async function answered(target: Target, standin: StandIn, before: number, n: number): Promise<void> {
  const limit = Date.now() + 120_000;
  while (standin.callsTo('reply').length < before + n) {
    if (Date.now() > limit) throw new Error(`${target.name} answered ${standin.callsTo('reply').length - before} of ${n} commands`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function round(target: Target, standin: StandIn, n: number): Promise<Figures> {
  const bodies = Array.from({ length: n }, () => command('/help'));
  const before = standin.callsTo('reply').length;
  const cpu = cpuMs(target.pid);
  const result = await load(target.url + '/webhook/event', bodies, CONNECTIONS);
  if (Object.keys(result.statuses).some((s) => s !== '200')) throw new Error(`${target.name} answered ${JSON.stringify(result.statuses)}`);
  await answered(target, standin, before, n);
  const cpuUs = ((cpuMs(target.pid) - cpu) * 1000) / n;
  const single = await load(
    target.url + '/webhook/event',
    Array.from({ length: SINGLE }, () => command('/help')),
    1,
  );
  await answered(target, standin, before, n + SINGLE);
  return { cpuUs, p50: pct(result.latencies, 50), p99: pct(result.latencies, 99), singleP50: pct(single.latencies, 50), singleP99: pct(single.latencies, 99) };
}

export async function journalCost(standin: StandIn): Promise<JournalFigures> {
  const targets = [await startBotProcess(standin.url, { yaml: LIFTED, name: 'with the journal' }), await startBotProcess(standin.url, { yaml: LIFTED, name: 'memory only', stateFile: false })];
  try {
    for (const t of targets) await round(t, standin, WARMUP);
    const rounds = targets.map(() => [] as Figures[]);
    for (let r = 0; r < ROUNDS; r++) for (const [i, t] of targets.entries()) rounds[i]!.push(await round(t, standin, PER_ROUND));
    const med = (list: Figures[]): Figures => ({
      cpuUs: median(list.map((x) => x.cpuUs)),
      p50: median(list.map((x) => x.p50)),
      p99: median(list.map((x) => x.p99)),
      singleP50: median(list.map((x) => x.singleP50)),
      singleP99: median(list.map((x) => x.singleP99)),
    });
    const [journal, memory] = rounds as [Figures[], Figures[]];
    const ratio = (of: (x: Figures) => number) => median(journal.map((x, i) => of(x) / of(memory[i]!)));
    return { journal: med(journal), memory: med(memory), ratios: { cpuUs: ratio((x) => x.cpuUs), p99: ratio((x) => x.p99), singleP50: ratio((x) => x.singleP50) } };
  } finally {
    for (const t of targets) await t.proc.stop();
  }
}
