// Memory of the bot's own process as an operator sees it: resident set size at idle, after 100,000
// deliveries and after 200,000 (by then the de-duplication set has been full for 100,000, so the
// two should match), and the peak. The deliveries are the intake bench's: distinct, signed,
// encrypted, each remembered for de-duplication.
import { cpuMs, deliveries, load, rss } from './load.js';
import { CONNECTIONS } from './intake.js';
import { startBotProcess, startFlags } from './targets.js';

const BATCH = 20_000;

export interface MemoryFigures {
  idle: number;
  after100k: number;
  after200k: number;
  peak: number;
  /** After a full collection (forced), at 200,000 and again at 300,000 deliveries: the live set. */
  collected200k: number;
  collected300k: number;
  /** CPU per delivery over the 200,000, µs. */
  cpuUs: number;
}

export async function memory(standin: string): Promise<MemoryFigures> {
  // npm start's flags, plus a way to force a full collection (bench/gc-on-signal.mjs), used only
  // after the figures as read.
  const bot = await startBotProcess(standin, { flags: [...startFlags(), '--expose-gc', '--import=./bench/gc-on-signal.mjs'] });
  try {
    await settle();
    const idle = rss(bot.pid).now;
    const cpu = cpuMs(bot.pid);
    const send = async (n: number) => {
      for (let sent = 0; sent < n; sent += BATCH) {
        const result = await load(bot.url + '/webhook/event', deliveries(BATCH), CONNECTIONS);
        if (result.statuses[200] !== BATCH) throw new Error(`the bot answered ${JSON.stringify(result.statuses)}`);
      }
      await settle();
      return rss(bot.pid).now;
    };
    const after100k = await send(100_000);
    const after200k = await send(100_000);
    const cpuUs = ((cpuMs(bot.pid) - cpu) * 1000) / 200_000;
    const peak = rss(bot.pid).peak;
    const collected = async () => {
      process.kill(bot.pid, 'SIGUSR2');
      await settle();
      return rss(bot.pid).now;
    };
    const collected200k = await collected();
    await send(100_000);
    const collected300k = await collected();
    return { idle, after100k, after200k, peak, cpuUs, collected200k, collected300k };
  } finally {
    await bot.proc.stop();
  }
}

/** Lets the process go quiet (idle-time garbage collection) before its memory is read. */
const settle = () => new Promise((r) => setTimeout(r, 2000));
