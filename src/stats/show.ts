// A /stats card from its first moment to its last: the reply comes at once with the parts counted
// within FIRST_CARD_MS (a repeat within the cache's life has them all), and a queued job counts
// the rest and patches the card as each part arrives, at most once per PATCH_GAP_MS. The job
// counts again from the start: what the reply's counting already had is cached or under way, so
// nothing is asked twice, and any instance can run it (with Redis, one that dies is replaced).
import { describeQuery, spoken } from '../cards/describe.js';
import { joinL, mapL, same, type Json, type L10n } from '../cards/kit.js';
import { problemCard } from '../cards/problem.js';
import { PART_NAMES, statsCard, type StatsParts } from '../cards/stats.js';
import { readTimeWords } from '../commands/filters/time.js';
import type { Messenger } from '../feishu/messenger.js';
import type { Directory } from '../helpdesk/directory.js';
import { messageGone } from '../feishu/messenger.js';
import { newStats, type CallOptions, type Helpdesk } from '../helpdesk/api.js';
import type { StatsFill } from '../jobs/job.js';
import type { Mention } from '../jobs/types.js';
import type { Logger } from '../obs/log.js';
import { messageOf } from '../obs/errors.js';
import type { Clock } from '../resilience/clock.js';
import type { Sleep } from '../resilience/timing.js';
import { StateUnavailable } from '../state/types.js';
import type { Outcome } from '../views/show.js';
import { countStats, loadingParts } from './compute.js';
import { parseStats, periodOf, type Period, type StatsQuery } from './request.js';

/** How long the reply waits for parts before it goes with what it has. */
export const FIRST_CARD_MS = 1000;
/** A card is patched at most this often while it fills in (the platform takes 5 a second per message). */
export const PATCH_GAP_MS = 1000;
/** How long a patch may wait for its chat's turn. */
const PATCH_WAIT_MS = 10_000;

export interface StatsDeps {
  helpdesk: Helpdesk;
  /** The helpdesk's tags and people, so /stats reads names and tags as /tickets does. */
  directory: Directory;
  messenger: Messenger;
  log: Logger;
  clock: Clock;
  sleep: Sleep;
  timezone: string;
  /** stats.* in app.yaml. */
  stats: { first_response_target_minutes: number; budget_ms: number };
}

/** "Last 7 days · tag VIP": the period as people say it, then the filters (if any) as a list's title says them. */
function statsTitle(query: StatsQuery, timezone: string): L10n {
  const spec = readTimeWords(query.period);
  const period = spec ? spoken(spec) : same(query.period);
  const filtered = Object.keys(query.filter).length > 0 ? [mapL(describeQuery(query.filter, query.names, timezone, { mine: query.mine === true }), (s) => s.charAt(0).toLowerCase() + s.slice(1))] : [];
  return mapL(joinL([period, ...filtered], ' · '), (s) => s.charAt(0).toUpperCase() + s.slice(1));
}

/** The card for these parts (`filling`: some are still loading). */
export function renderStats(query: StatsQuery, period: Period, parts: StatsParts, asOf: number, deps: Pick<StatsDeps, 'timezone' | 'stats'>): Json {
  return statsCard({
    query: statsTitle(query, deps.timezone),
    ...period,
    parts,
    targetMinutes: deps.stats.first_response_target_minutes,
    timezone: deps.timezone,
    asOf,
    filling: PART_NAMES.some((name) => parts[name].state === 'loading'),
  });
}

/** The tags and people known (read from the helpdesk if due, as /tickets does); what is known so far if that fails. */
const known = (deps: Pick<StatsDeps, 'directory'>, call: CallOptions) => deps.directory.refreshed(call).catch(() => deps.directory.known());

const settled = (parts: StatsParts) => PART_NAMES.every((name) => parts[name].state !== 'loading');

/**
 * `/stats <args>`: the first card, and the job that fills it in when some parts are still
 * loading (queued once the reply is sent, with its message id).
 */
export async function answerStats(args: string, asker: { openId: string; mentions: Mention[] }, call: CallOptions, deps: StatsDeps): Promise<Outcome & { fill?: Omit<StatsFill, 'messageId' | 'chatId'> }> {
  const asOf = deps.clock();
  const parsed = parseStats(args, asker, asOf, deps.timezone, await known(deps, call));
  if ('problem' in parsed) return { card: problemCard(parsed.problem), outcome: parsed.problem.kind, ticketIds: [] };
  const { query } = parsed;
  const period = periodOf(query, asOf, deps.timezone)!;
  const parts = loadingParts();
  const stop = new AbortController();
  // Calls under way when the reply goes keep the stats budget, so the job finds them cached.
  const counting = countStats(run(query, period, asOf, deps), deps.helpdesk, { ...call, deadline: asOf + deps.stats.budget_ms }, (name, part) => Object.assign(parts, { [name]: part }), stop.signal);
  await Promise.race([counting, deps.sleep(FIRST_CARD_MS, stop.signal)]);
  stop.abort();
  const card = renderStats(query, period, parts, asOf, deps);
  const fill = { kind: 'stats-fill' as const, args, askerOpenId: asker.openId, mentions: asker.mentions, asOf };
  return { card, outcome: 'ok', ticketIds: [], ...(settled(parts) ? {} : { fill }) };
}

const run = (query: StatsQuery, period: Period, asOf: number, deps: Pick<StatsDeps, 'stats'>) => ({
  filter: query.filter,
  period,
  asOf,
  targetMs: deps.stats.first_response_target_minutes * 60_000,
});

/** The job: counts every part and patches the card as they arrive, then once more when all are in. */
export async function fillStats(job: StatsFill, deps: StatsDeps): Promise<void> {
  const started = deps.clock();
  // The same words, asker and moment give the same query and period as the first card's.
  const parsed = parseStats(job.args, { openId: job.askerOpenId, mentions: job.mentions }, job.asOf, deps.timezone, await known(deps, {}));
  if ('problem' in parsed) return;
  const { query } = parsed;
  const period = periodOf(query, job.asOf, deps.timezone)!;
  const parts = loadingParts();
  const stats = newStats();
  const deadline = started + deps.stats.budget_ms;
  let patches = 0;
  let gone = false;
  /** Without the shared state there is no rate limit to keep to: the job is run again. */
  let unavailable: StateUnavailable | undefined;
  let lastAt = 0;
  let dirty = false;
  let patching: Promise<void> | undefined;
  const patchLoop = async () => {
    while (dirty && !gone && !unavailable) {
      await deps.sleep(lastAt + PATCH_GAP_MS - deps.clock());
      dirty = false;
      lastAt = deps.clock();
      try {
        await deps.messenger.patch(job.messageId, renderStats(query, period, parts, job.asOf, deps), { chatId: job.chatId, deadline: deps.clock() + PATCH_WAIT_MS });
        patches++;
      } catch (error) {
        if (error instanceof StateUnavailable) unavailable = error;
        gone = messageGone(error);
        deps.log.warn('stats.patch_failed', { message_id: job.messageId, error: messageOf(error) });
      }
    }
  };
  const changed = () => {
    dirty = true;
    patching ??= patchLoop().finally(() => (patching = undefined));
  };
  await countStats(run(query, period, job.asOf, deps), deps.helpdesk, { stats, deadline }, (name, part) => {
    Object.assign(parts, { [name]: part });
    changed();
  });
  // The last change may have come while a patch was on its way, or as its loop ended: it gets one of its own.
  await patching;
  if (dirty) await patchLoop();
  if (unavailable) throw unavailable;
  deps.log.info('stats.filled', {
    message_id: job.messageId,
    chat_id: job.chatId,
    period: query.period,
    parts: Object.fromEntries(PART_NAMES.map((name) => [name, parts[name].state === 'failed' ? `failed:${(parts[name] as { why: string }).why}` : parts[name].state])),
    patches,
    upstream_calls: stats.upstreamCalls,
    cache_hits: stats.cacheHits,
    latency_ms: deps.clock() - started,
  });
}
