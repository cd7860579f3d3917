// Picks the state: Redis when state.redis_url is set, this process's memory otherwise (with its
// records kept in state.file). The Redis backend (ioredis and BullMQ: about 37 MB and 130 ms to
// load) is loaded only when it is used.
import { resolve } from 'node:path';
import type { Clock } from '../resilience/clock.js';
import { settingName, type Config } from '../config/schema.js';
import type { Logger } from '../obs/log.js';
import type { Sleep } from '../resilience/timing.js';
import { memoryState } from '../state/memory.js';
import type { State } from '../state/types.js';
import { RECORD_CHECKS } from '../watch/store.js';

export async function createState(config: Config, time: { clock: Clock; sleep: Sleep }, log: Logger): Promise<State> {
  const { redis_url: redisUrl, startup_wait_ms: startupWaitMs } = config.state;
  if (!redisUrl) {
    return memoryState({
      ...time,
      log,
      dedupeMaxEntries: config.server.dedupe_max_entries,
      workMaxPending: config.server.work_max_pending,
      // The work journal lives beside the records: one process with a state file survives its crash.
      ...(config.state.file ? { recordsFile: resolve(config.state.file), workJournal: `${resolve(config.state.file)}.journal` } : {}),
      recordsSetting: settingName('state.file'),
      recordChecks: RECORD_CHECKS,
    });
  }
  const { redisState } = await import('../state/redis/index.js');
  return redisState({
    url: redisUrl,
    appId: config.feishu.app_id,
    setting: settingName('state.redis_url'),
    startupWaitMs,
    workMaxPending: config.server.work_max_pending,
    ...time,
    log,
  });
}
