// What every part of the bot works with: one context, built once from the Config (runtime/start.ts)
// and handed to commands, clicks, chat events and the watch features alike. It is the watch
// features' context (helpdesk, messenger, button values, rules, budgets) and what only the bot's
// own answers need.
import type { SignIn } from '../feishu/signIn.js';
import type { UserTokens } from '../feishu/userTokens.js';
import type { HelpdeskWrites } from '../helpdesk/writes.js';
import type { Metrics } from '../obs/metrics.js';
import type { Claims } from '../state/types.js';
import type { Acting } from '../views/show.js';
import type { WatchContext } from '../watch/context.js';

export interface BotContext extends WatchContext {
  metrics: Metrics;
  /** What ticket cards offer, and the last action from chat (also what live cards are drawn with). */
  acting: Acting;
  /** Replies to customers, FAQ search, and changes made as an agent. */
  writes: HelpdeskWrites;
  /** One-time claims: a reply's draft sent once, a sign-in's click run once. */
  claims: Claims;
  /** Agents signing in as themselves; absent while sign_in.token_key is not set. */
  signIn?: { flow: SignIn; tokens: UserTokens };
  /** How long a card callback may take before it answers with a toast and updates the card later. */
  callbackBudgetMs: number;
  /**
   * Runs the part of a command that prepares its answer (parse, access, lookups) in one of the
   * bounded workers (server.work_concurrency). The reply then waits for its chat's turn outside
   * them, so one busy chat cannot hold them all.
   */
  worker<T>(task: () => Promise<T>): Promise<T>;
  /**
   * Runs the work of ticket events (matching, recounting, redrawing) in a small pool of its own,
   * so a burst of events (a bulk import) waits its turn there and never holds the workers that
   * answer people; the rate limits are shared, each taking its slot in turn.
   */
  eventWorker<T>(task: () => Promise<T>): Promise<T>;
  /**
   * Fills in /stats cards (and counts daily digests) in a pool of their own: each counts for
   * seconds, at most two list calls at a time, so only a few at once may wait for the list API
   * beside the commands people type.
   */
  statsWorker<T>(task: () => Promise<T>): Promise<T>;
  /** Bot menu event keys -> the command a tap runs. */
  menu: Record<string, string>;
}
