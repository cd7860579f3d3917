// What the watch features (watches, posts, live cards, boards) need from the rest of the bot.
import { hiddenFields } from '../views/access.js';
import type { View } from '../views/view.js';
import type { Audience, ViewDeps } from '../views/show.js';
import type { AccessConfig, Config, PrivacyConfig } from '../config/schema.js';
import type { Messenger } from '../feishu/messenger.js';
import type { ChatType } from '../jobs/types.js';
import type { Job } from '../jobs/job.js';
import type { Logger } from '../obs/log.js';
import type { Metrics } from '../obs/metrics.js';
import type { AddOptions } from '../state/types.js';
import type { WatchStore } from './store.js';

/** What showing a list or a ticket needs (helpdesk, button values, zone, page size, clock), and more. */
export interface WatchContext extends ViewDeps {
  store: WatchStore;
  messenger: Messenger;
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

export const audienceFor = (ctx: Pick<WatchContext, 'privacy'>, chatId: string, chatType: ChatType): Audience => ({
  chatId,
  chatType,
  hide: hiddenFields(ctx.privacy, chatType),
});

/** A button bound to the chat of the card it is on. */
export const valueFor = (ctx: Pick<WatchContext, 'values'>, audience: Audience, view: View, extra: { fresh?: boolean; newMessage?: boolean } = {}) =>
  ctx.values.encode({ view, fresh: extra.fresh ?? false, ...(extra.newMessage ? { newMessage: true } : {}), chatId: audience.chatId, chatType: audience.chatType });
