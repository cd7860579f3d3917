// Prometheus metrics of one bot (prom-client): the default process metrics and the bot's own
// counters, histograms and gauges. Each bot has its own registry, so several bots in one process
// (tests) do not mix. Label values are small fixed sets (command kinds, outcomes, API names, reasons),
// never user, chat or message ids. The parts call the methods below at a few central points: the
// accept step and the webhook's refusals, the bot's command and click outcomes, the upstream
// wrappers, the caches; and register gauges that are read at scrape time (`gauge`).
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What became of a delivery: answered 200 (accepted, duplicate, ignored) or not (refused, busy, stopping, failed). */
const DELIVERY_OUTCOMES = ['accepted', 'duplicate', 'ignored', 'refused', 'busy', 'stopping', 'failed'] as const;
export type DeliveryOutcome = (typeof DELIVERY_OUTCOMES)[number];

export type CacheResult = 'hit' | 'shared' | 'miss';

/**
 * Work done on ticket events: events handled, watch posts and digests sent, recounts, card and board
 * updates; and chats forgotten because the bot can no longer post there.
 */
const WATCH_ACTIVITY = ['ticket_events', 'posts', 'digests', 'card_updates', 'board_counts', 'board_updates', 'chats_forgotten', 'list_questions', 'daily_digests'] as const;
export type WatchActivity = (typeof WATCH_ACTIVITY)[number];

export interface Metrics {
  registry: Registry;
  delivery(outcome: DeliveryOutcome): void;
  /** A delivery refused before it was interpreted: `reason` is one of the intake's fixed reasons. */
  refused(status: number, reason: string): void;
  /** A typed command answered (or not): `seconds` from its delivery to its reply. */
  command(command: string, outcome: string, reply: 'sent' | 'failed', seconds: number): void;
  /** A click and what came of it; `seconds` until its card was ready, for clicks that got that far. */
  click(view: string, outcome: string, seconds?: number): void;
  /** An action on a ticket from a card (reply, close, …) and what came of it (ok, sign-in, refused:…). */
  action(action: string, outcome: string): void;
  /** One HTTP attempt at a Feishu API and what came of it. */
  upstream(api: string, result: string): void;
  retry(api: string): void;
  /** A request waited `seconds` for its rate-limit slot, or (undefined) got none in time. */
  slot(api: string, seconds: number | undefined): void;
  /** A call held up so long it would have left too late for its slot, and took another. */
  late(api: string): void;
  cache(cache: string, result: CacheResult): void;
  watch(what: WatchActivity): void;
  /** A gauge whose value is read when Prometheus scrapes (queue depths, connection state). */
  gauge(name: string, help: string, read: () => number): void;
}

const PREFIX = 'helpdesk_bot_';

/**
 * Latency buckets for commands and clicks, in seconds: acknowledged work is answered within the
 * 8 s command budget, but a reply may wait up to a minute for its chat's turn.
 */
const COMMAND_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 8, 15, 30, 60];
const WAIT_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const counter = <L extends string>(name: string, help: string, labelNames: readonly L[]) => new Counter<L>({ name: PREFIX + name, help, labelNames, registers: [registry] });
  const histogram = <L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]) => new Histogram<L>({ name: PREFIX + name, help, labelNames, buckets, registers: [registry] });

  const deliveries = counter(
    'deliveries_total',
    'Deliveries by outcome: accepted, duplicate, ignored (not for the bot), refused (4xx), busy (503: queue full or shared state out of reach), stopping (503), failed (500).',
    ['outcome'],
  );
  // Every outcome shows from the first scrape (at 0), so a rate over it never starts from nothing.
  for (const outcome of DELIVERY_OUTCOMES) deliveries.inc({ outcome }, 0);
  const refusals = counter('deliveries_refused_total', 'Deliveries refused by the intake, by HTTP status and reason.', ['status', 'reason']);
  const commands = counter('commands_total', 'Typed commands by command and outcome (ok, or the problem shown), and whether the reply was sent.', ['command', 'outcome', 'reply']);
  const commandSeconds = histogram('command_duration_seconds', "From a command's delivery being accepted to its reply being sent (or given up).", ['command'], COMMAND_BUCKETS);
  const clicks = counter('clicks_total', 'Card button clicks by view and outcome.', ['view', 'outcome']);
  const clickSeconds = histogram('click_duration_seconds', 'From a click to its card (or update) being ready.', ['view'], COMMAND_BUCKETS);
  const actions = counter(
    'actions_total',
    'Actions on tickets from cards (reply, preview, send, suggest, set-status, close, set-tags, add-note, …) by outcome: ok, sign-in (asked to sign in first), refused:<why>, or what went wrong.',
    ['action', 'outcome'],
  );
  const upstream = counter('upstream_requests_total', 'HTTP attempts at Feishu APIs (retries included) by API and result.', ['api', 'result']);
  const retries = counter('upstream_retries_total', 'Retries of Feishu API calls, by API.', ['api']);
  const slotWaits = histogram('rate_limit_wait_seconds', 'Time a call waited for its client-side rate-limit slot, by API.', ['api'], WAIT_BUCKETS);
  const noSlot = counter('rate_limit_refusals_total', 'Calls that got no rate-limit slot in time ("busy"), by API.', ['api']);
  const late = counter('rate_limit_late_total', 'Calls held up past their rate-limit slot (a busy event loop) and given another before anything was sent, by API.', ['api']);
  const caches = counter('cache_requests_total', 'Cache lookups by cache and result: hit, shared (joined a call under way), miss.', ['cache', 'result']);
  const watch = counter(
    'watch_activity_total',
    'Work done on helpdesk ticket events: ticket_events handled, watch posts and digests sent, board_counts, card_updates and board_updates patched; chats_forgotten the bot can no longer post to; daily_digests posted (/digest).',
    ['what'],
  );
  for (const what of WATCH_ACTIVITY) watch.inc({ what }, 0);

  return {
    registry,
    delivery: (outcome) => deliveries.inc({ outcome }),
    refused: (status, reason) => refusals.inc({ status: String(status), reason: slug(reason) }),
    command(command, outcome, reply, seconds) {
      commands.inc({ command, outcome, reply });
      commandSeconds.observe({ command }, seconds);
    },
    click(view, outcome, seconds) {
      clicks.inc({ view, outcome });
      if (seconds !== undefined) clickSeconds.observe({ view }, seconds);
    },
    action: (action, outcome) => actions.inc({ action, outcome }),
    upstream: (api, result) => upstream.inc({ api, result }),
    retry: (api) => retries.inc({ api }),
    slot(api, seconds) {
      if (seconds === undefined) noSlot.inc({ api });
      else slotWaits.observe({ api }, seconds);
    },
    late: (api) => late.inc({ api }),
    cache: (cache, result) => caches.inc({ cache, result }),
    watch: (what) => watch.inc({ what }),
    gauge(name, help, read) {
      new Gauge({
        name: PREFIX + name,
        help,
        registers: [registry],
        collect() {
          this.set(read());
        },
      });
    },
  };
}

/** "timestamp outside the allowed window" -> "timestamp_outside_the_allowed_window". */
const slug = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '');
