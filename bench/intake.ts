// Intake cost, side by side in one run: the bare Express baseline and the bot's full webhook
// intake (signed, encrypted deliveries: every check, in order, then de-duplication), under the
// same load, alternating rounds so that a busy moment of the machine hits both. Also the bot
// without its heap flags, to show what those cost in CPU.
import type { StandIn } from '@helpdesk-bot/feishu-standin';
import { command, cpuMs, deliveries, load, median, pct } from './load.js';
import { startBare, startBotProcess, type Target } from './targets.js';

export const CONNECTIONS = 64;
const WARMUP = 5000;
const PER_ROUND = 20_000;
const ROUNDS = 5;

export interface Figures {
  perSecond: number;
  /** CPU time of the server process per delivery, µs. */
  cpuUs: number;
  p50: number;
  p99: number;
}

async function measure(target: Target, n: number): Promise<Figures> {
  const bodies = deliveries(n);
  const cpu = cpuMs(target.pid);
  const result = await load(target.url + '/webhook/event', bodies, CONNECTIONS);
  const used = cpuMs(target.pid) - cpu;
  const refused = Object.entries(result.statuses).filter(([status]) => status !== '200');
  if (refused.length > 0) throw new Error(`${target.name} answered ${JSON.stringify(result.statuses)}`);
  return { perSecond: n / result.seconds, cpuUs: (used * 1000) / n, p50: pct(result.latencies, 50), p99: pct(result.latencies, 99) };
}

/** A command answered end to end first, so the bot is measured as it runs after its first command. */
async function answerOne(target: Target, standin: StandIn): Promise<void> {
  const before = standin.callsTo('reply').length;
  await load(target.url + '/webhook/event', [command('/help')], 1);
  const limit = Date.now() + 10_000;
  while (standin.callsTo('reply').length === before) {
    if (Date.now() > limit) throw new Error(`${target.name} did not answer /help`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface IntakeFigures {
  /** Medians over the rounds, by target. */
  medians: Record<string, Figures>;
  /**
   * Bot / bare Express (and bot / bot without heap flags), as the median of each round's ratio:
   * the targets of one round ran seconds apart, so a busy moment of the machine weighs on both.
   */
  ratios: { perSecond: number; cpuUs: number; p99: number; flagsCpuUs: number };
}

export async function intake(standin: StandIn): Promise<IntakeFigures> {
  const targets = [await startBare(), await startBotProcess(standin.url), await startBotProcess(standin.url, { flags: ['--enable-source-maps'], name: 'bot without heap flags' })];
  try {
    for (const t of targets.slice(1)) await answerOne(t, standin);
    for (const t of targets) await measure(t, WARMUP);
    const rounds: Record<string, Figures[]> = Object.fromEntries(targets.map((t) => [t.name, []]));
    for (let r = 0; r < ROUNDS; r++) for (const t of targets) rounds[t.name]!.push(await measure(t, PER_ROUND));
    const medians: Record<string, Figures> = {};
    for (const [name, list] of Object.entries(rounds)) {
      medians[name] = {
        perSecond: median(list.map((x) => x.perSecond)),
        cpuUs: median(list.map((x) => x.cpuUs)),
        p50: median(list.map((x) => x.p50)),
        p99: median(list.map((x) => x.p99)),
      };
    }
    const [bare, bot, unflagged] = targets.map((t) => rounds[t.name]!);
    const ratio = (of: (x: Figures) => number, a: Figures[], b: Figures[]) => median(a.map((x, i) => of(x) / of(b[i]!)));
    return {
      medians,
      ratios: {
        perSecond: ratio((x) => x.perSecond, bot!, bare!),
        cpuUs: ratio((x) => x.cpuUs, bot!, bare!),
        p99: ratio((x) => x.p99, bot!, bare!),
        flagsCpuUs: ratio((x) => x.cpuUs, bot!, unflagged!),
      },
    };
  } finally {
    for (const t of targets) await t.proc.stop();
  }
}
