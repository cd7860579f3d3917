// Picks the state: Redis when state.redis_url is set, this process's memory otherwise (with its
// records kept in state.file). The Redis backend (ioredis and BullMQ: about 37 MB and 130 ms to
// load) is loaded only when it is used.
import { resolve } from 'node:path';
import type { Clock } from '../clock.js';
import { settingName, type Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Sleep } from '../resilience/timing.js';
import { memoryState } from './memory.js';
import type { State } from './types.js';

export type { State } from './types.js';
export { StateUnavailable } from './types.js';

export async function createState(config: Config, time: { clock: Clock; sleep: Sleep }, log: Logger): Promise<State> {
  const { redisUrl, startupWaitMs } = config.state;
  if (!redisUrl) {
    return memoryState({
      ...time,
      log,
      dedupeMaxEntries: config.server.dedupeMaxEntries,
      workMaxPending: config.server.workMaxPending,
      ...(config.state.file ? { recordsFile: resolve(config.state.file) } : {}),
      recordsSetting: settingName('state.file'),
    });
  }
  const { redisState } = await import('./redis/index.js');
  return redisState({
    url: redisUrl,
    appId: config.feishu.appId,
    setting: settingName('state.redis_url'),
    startupWaitMs,
    workMaxPending: config.server.workMaxPending,
    ...time,
    log,
  });
}
