// Builds the whole bot from a validated Config and starts listening. Used by main.ts, by the
// sandbox and by tests, so all of them run exactly the same wiring.
import type { AddressInfo } from 'node:net';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createHttp, type BotHttp } from './http.js';
import { createBot } from '../bot/index.js';
import { systemClock, type Clock } from '../resilience/clock.js';
import type { Config } from '../config/schema.js';
import { fetchBotOpenId } from '../feishu/botInfo.js';
import { TenantTokens } from '../feishu/tenantToken.js';
import { healthReport, type HealthReport } from './health.js';
import { createAccept } from '../intake/accept.js';
import { createIntake, isReceiving, type Intake, type IntakeStatus } from '../intake/intake.js';
import type { State } from '../state/types.js';
import { realSleep } from '../resilience/timing.js';
import { ButtonValues } from '../views/buttons.js';
import { jobId } from '../jobs/job.js';
import type { Logger } from '../obs/log.js';
import { createMetrics, type Metrics } from '../obs/metrics.js';
import PQueue from 'p-queue';
import { createState } from './state.js';
import { larkClientFor, resilientUpstream } from './upstream.js';
import { subscribeFix, subscribeTicketEvents, TICKET_EVENT_TYPES } from '../helpdesk/events.js';
import { fromThrown, retryVerdict } from '../feishu/errors.js';
import { startupRetries } from '../resilience/retry.js';
import { WatchStore } from '../watch/store.js';
import { messageOf } from '../obs/errors.js';
import { sdkWrites } from '../helpdesk/writes.js';
import { LastActions } from '../views/lastAction.js';
import { signInFor } from './acting.js';
import { Directory, noting } from '../helpdesk/directory.js';
import type * as lark from '@larksuiteoapi/node-sdk';

export interface RunningBot {
  url: string;
  port: number;
  botOpenId: string;
  /** De-duplication, the work queue, limits, caches and records. */
  state: State;
  /** How events arrive, and for the long connection whether it is up (also for metrics). */
  connection(): IntakeStatus;
  /** The bot's metrics (main.ts serves them on the metrics port). */
  metrics: Metrics;
  /** The whole health report: /healthz on the metrics port (the public one says less). */
  health(): HealthReport;
  /**
   * Graceful stop: refuse new deliveries (503), finish queued and running work so its replies are
   * sent (up to the deadline, server.shutdown_timeout_ms by default), close. True if all finished.
   */
  stop(deadlineMs?: number): Promise<boolean>;
}

export interface StartOptions {
  log: Logger;
  /**
   * "Now" for the whole bot: times on cards, and the deadlines, rate windows and cache TTLs of
   * upstream calls, so it must advance with real time (an offset is fine, a frozen clock is not).
   */
  clock?: Clock;
  host?: string;
  /** Where the bot counts what it does; its own registry if not given. */
  metrics?: Metrics;
  /** Extra routes on the bot's own server (sandbox mode only). */
  routes?: (app: BotHttp['app']) => void;
  /** The bot's address as browsers reach it, once its port is known, when server.public_url is not set (the sandbox). */
  publicUrl?: (port: number) => string;
  /**
   * The platform refused the long connection for good (bad credentials, too many connections):
   * the bot can receive nothing until the operator fixes it. main.ts stops the process.
   */
  onFatal?: (message: string) => void;
}

export async function startBot(config: Config, options: StartOptions): Promise<RunningBot> {
  const { log } = options;
  const clock = options.clock ?? systemClock;
  // With Redis, waits for it (state.startup_wait_ms) and fails naming the setting if it never answers.
  const state = await createState(config, { clock, sleep: realSleep }, log);
  try {
    await state.ready();
  } catch (error) {
    await state.close();
    throw error;
  }
  const tokens = new TenantTokens(log);
  const client = larkClientFor(config, log, tokens);
  const botOpenId = await (config.feishu.bot_open_id ? Promise.resolve(config.feishu.bot_open_id) : fetchBotOpenId(client)).catch(async (error: unknown) => {
    await state.close();
    throw error;
  });
  // Set on stop: lookups and replies still running then must be done by the shutdown deadline.
  let stopBy = Infinity;
  const metrics = options.metrics ?? createMetrics();
  const upstream = resilientUpstream(client, config, state, { clock, sleep: realSleep, random: Math.random }, log, () => stopBy, metrics);
  // Every ticket the bot reads tells it of tags and agents by name (for the filter language).
  const directory = new Directory(state.records, upstream.helpdesk, log);
  // Commands prepare their answers this many at a time; their replies wait for their turn outside.
  const workers = new PQueue({ concurrency: config.server.work_concurrency });
  metrics.gauge('work_queue_depth', 'Jobs this instance holds: waiting, running, or with a reply still to send (at most server.work_max_pending).', () => state.work.depth);
  metrics.gauge('workers_busy', 'Commands preparing their answers right now (at most server.work_concurrency).', () => workers.pending);
  // Ticket events take their turn in a pool of their own (see BotContext.eventWorker).
  const eventWorkers = new PQueue({ concurrency: EVENT_CONCURRENCY });
  const statsWorkers = new PQueue({ concurrency: STATS_CONCURRENCY });
  // Known once the server listens (the sandbox's port may be any free one).
  let publicUrl = config.server.public_url;
  const signIn = signInFor(config, client, state, clock, log, () => publicUrl);
  const bot = createBot({
    helpdesk: noting(upstream.helpdesk, directory, log),
    directory,
    messenger: upstream.messenger,
    log,
    metrics,
    clock,
    values: new ButtonValues(ButtonValues.keyFrom(config.feishu.app_secret, config.feishu.encrypt_key), clock),
    timezone: config.display.timezone,
    pageSize: config.display.page_size,
    callbackBudgetMs: config.server.callback_budget_ms,
    commandBudgetMs: config.upstream.command_budget_ms,
    access: config.access,
    privacy: config.privacy,
    replyWaitMs: config.upstream.reply_wait_ms,
    worker: (task) => workers.add(task),
    eventWorker: (task) => eventWorkers.add(task),
    statsWorker: (task) => statsWorkers.add(task),
    sleep: realSleep,
    stats: config.stats,
    enqueue: (job, addOptions) => state.work.add(jobId(job), job, addOptions),
    menu: config.menu,
    store: new WatchStore(state.records),
    settings: config.watch,
    acting: { replies: config.access.agents.length > 0, signIn: signIn !== undefined, last: new LastActions(state.records) },
    writes: sdkWrites(client),
    claims: state.claims,
    ...(signIn ? { signIn } : {}),
  });
  state.work.start((job) => bot.run(job));
  void bot.resume().catch((error: unknown) => log.error('digest.resume_failed', { error: messageOf(error), consequence: 'daily digests post again after the next restart or /digest' }));
  // Deliveries refused from here on (stopping) get 503 and the platform redelivers them.
  let accepting = true;
  const accept = createAccept({
    claims: state.claims,
    dedupeTtlMs: config.server.dedupe_ttl_seconds * 1000,
    log,
    metrics,
    clock,
    accepting: () => accepting,
    enqueue: (job) => state.work.add(jobId(job), job),
    onCardAction: (action) => bot.onCardAction(action),
  });
  // One bot core, one accept step, whichever way the deliveries come.
  let intake: Intake;
  try {
    intake = createIntake({
      connection: config.feishu.connection,
      appId: config.feishu.app_id,
      appSecret: config.feishu.app_secret,
      domain: config.feishu.domain,
      secrets: { encryptKey: config.feishu.encrypt_key, verificationToken: config.feishu.verification_token, toleranceSeconds: config.server.timestamp_tolerance_seconds },
      bodyLimitBytes: config.server.body_limit_bytes,
      longConnection: { pingTimeoutSeconds: config.feishu.long_connection.ping_timeout_seconds, handshakeTimeoutMs: config.feishu.long_connection.handshake_timeout_ms },
      botOpenId,
      accept,
      clock,
      log,
      onRefused(status, reason) {
        metrics.refused(status, reason);
        metrics.delivery('refused');
      },
      onFatal: (message) => options.onFatal?.(message),
    });
  } catch (error) {
    await state.work.drain(0);
    await state.close();
    throw error;
  }
  const connection = () => intake.status();
  metrics.gauge('receiving', '1 while events can arrive (always over the webhook; over the long connection while it is connected), else 0.', () => (isReceiving(connection()) ? 1 : 0));
  metrics.gauge('long_connection_reconnects', 'Times the long connection was re-established since start (0 over the webhook).', () => {
    const status = connection();
    return status.mode === 'long-connection' ? status.reconnects : 0;
  });
  const health = () => healthReport({ mode: config.mode, state, connection, feishu: () => tokens.health(), accepting: () => accepting });
  const http = createHttp({ intake, health, signIn: (query) => bot.onSignInCallback(query), ...(options.routes ? { routes: options.routes } : {}) });
  const server = await listen(http.handle, config.server, options.host).catch(async (error: unknown) => {
    await state.work.drain(0);
    await state.close();
    throw error;
  });
  const port = (server.address() as AddressInfo).port;
  publicUrl ||= options.publicUrl?.(port) ?? '';
  intake.start();
  // The helpdesk pushes ticket events only once asked; not being able to ask stops nothing else.
  void subscribe(client, log);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    botOpenId,
    state,
    connection,
    metrics,
    health,
    async stop(deadlineMs = config.server.shutdown_timeout_ms) {
      stopBy = clock() + deadlineMs;
      // Stop accepting first (frames now get code 500 and go to another connection), let the
      // acknowledgements under way go out, close the intake, then finish the queued work.
      accepting = false;
      const drained = state.work.drain(deadlineMs);
      await intake.stop();
      const finished = await drained;
      await close(server);
      await state.close();
      return finished;
    },
  };
}

/** Ticket events (and the recounts and redraws they cause) worked on at once by one instance. */
const EVENT_CONCURRENCY = 2;
/** /stats cards filled in (and digests counted) at once by one instance. */
const STATS_CONCURRENCY = 2;
/** Subscribes to the helpdesk's ticket events, retrying what may pass; logs the outcome. */
async function subscribe(client: lark.Client, log: Logger): Promise<void> {
  try {
    await startupRetries(() => subscribeTicketEvents(client), retryVerdict, realSleep, { attempts: 3, delayMs: 2000 });
    log.info('helpdesk.subscribed', { events: TICKET_EVENT_TYPES });
  } catch (e) {
    const error = fromThrown(e);
    log.error('helpdesk.subscribe_failed', {
      error: error.message,
      consequence: 'watches, live cards and boards get no ticket events; everything else works',
      fix: subscribeFix(error),
    });
  }
}

/** Stops listening and ends idle keep-alive connections; work is done, so nothing waits on them. */
function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeIdleConnections();
  });
}

/** The port cannot be had: an operator's problem, named with the setting that fixes it. */
export class PortUnavailableError extends Error {
  constructor(
    readonly port: number,
    readonly code: string,
  ) {
    super(
      code === 'EADDRINUSE'
        ? `port ${port} is already in use; set PORT (or server.port in app.yaml) to a free port`
        : `cannot listen on port ${port} (${code}); set PORT (or server.port in app.yaml) to a port this process may use`,
    );
    this.name = 'PortUnavailableError';
  }
}

/** How long the server holds a connection, and how many: a webhook's deliveries are small and quick. */
type Limits = Pick<Config['server'], 'port' | 'headers_timeout_ms' | 'request_timeout_ms' | 'keep_alive_timeout_ms' | 'max_connections'>;

/**
 * Without a host, Node listens on every address, IPv6 and IPv4 ("localhost" works either way).
 * Slow, silent or idle connections are closed within seconds (headers, whole request, silence,
 * keep-alive; checked every second rather than Node's 30), and past the cap new ones are closed at
 * once, so a few hundred sockets held open on purpose cannot keep a delivery from being taken.
 */
function listen(handle: BotHttp['handle'], limits: Limits, host: string | undefined): Promise<Server> {
  return new Promise((resolve, reject) => {
    // node:http directly: Express 5's listen() hands a listen error to its callback as if it had worked.
    const server = createServer(
      { headersTimeout: limits.headers_timeout_ms, requestTimeout: limits.request_timeout_ms, keepAliveTimeout: limits.keep_alive_timeout_ms, connectionsCheckingInterval: CHECK_CONNECTIONS_MS },
      handle,
    );
    server.maxConnections = limits.max_connections;
    // A connection that sends nothing at all is no request yet, so no request timeout ends it: a
    // socket with nothing on it for as long as headers may take is closed.
    server.timeout = limits.headers_timeout_ms;
    // Once a request has come, its answer may take longer than that (a card callback's budget, a
    // sign-in's code exchange): the socket waits as long as a request may take.
    server.on('request', (req: IncomingMessage) => req.socket.setTimeout(limits.request_timeout_ms));
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' || error.code === 'EACCES' ? new PortUnavailableError(limits.port, error.code) : error);
    });
    server.once('listening', () => resolve(server));
    if (host) server.listen(limits.port, host);
    else server.listen(limits.port);
  });
}

/** How often the server looks for connections past their time. */
const CHECK_CONNECTIONS_MS = 1000;
