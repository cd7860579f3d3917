// What the watch features (watches, posts, live cards, boards) need from the rest of the bot.
import type { ViewDeps } from '../views/show.js';
import type { AccessConfig, Config, PrivacyConfig } from '../config/schema.js';
import type { Messenger } from '../feishu/messenger.js';
import type { Directory } from '../helpdesk/directory.js';
import type { Job } from '../jobs/job.js';
import type { Logger } from '../obs/log.js';
import type { Metrics } from '../obs/metrics.js';
import type { AddOptions } from '../state/types.js';
import type { StatsDeps } from '../stats/show.js';
import type { WatchStore } from './store.js';

/**
 * What showing a list or a ticket needs (helpdesk, button values, zone, page size, clock), what
 * counting stats needs (a sleep, the stats settings), and more.
 */
export interface WatchContext extends ViewDeps, StatsDeps {
  store: WatchStore;
  messenger: Messenger;
  /** The helpdesk's tags and agents by name, for the filter language. */
  directory: Directory;
  log: Logger;
  access: AccessConfig;
  privacy: PrivacyConfig;
  settings: Config['watch'];
  /** A lookup's time budget. */
  commandBudgetMs: number;
  /** How long a message may wait for its chat's turn. */
  replyWaitMs: number;
  /** Queues follow-up work; false if it could not be taken. */
  enqueue(job: Job, options?: AddOptions): Promise<boolean>;
  metrics: Pick<Metrics, 'watch'>;
}
