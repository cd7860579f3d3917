// Memory of the bot's own process as an operator sees it: resident set size at idle, after 100,000
// deliveries and after 200,000 (by then the de-duplication set has been full for 100,000, so the
// two should match), and the peak. The deliveries are the intake bench's: distinct, signed,
// encrypted, each remembered for de-duplication.
import { cpuMs, deliveries, load, rss } from './load.js';
import { CONNECTIONS } from './intake.js';
import { startBotProcess } from './targets.js';

const BATCH = 20_000;

export interface MemoryFigures {
  idle: number;
  after100k: number;
  after200k: number;
  peak: number;
  /** CPU per delivery over the 200,000, µs. */
  cpuUs: number;
}

export async function memory(standin: string, flags?: string[]): Promise<MemoryFigures> {
  const bot = await startBotProcess(standin, flags ? { flags } : {});
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
    return { idle, after100k, after200k, peak: rss(bot.pid).peak, cpuUs };
  } finally {
    await bot.proc.stop();
  }
}

/** Lets the process go quiet (idle-time garbage collection) before its memory is read. */
const settle = () => new Promise((r) => setTimeout(r, 2000));
