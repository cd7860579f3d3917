// Entry point: read app.yaml and the environment, validate, start, and stop gracefully on SIGTERM.
import { loadConfigFile } from './config/file.js';
import { settingName } from './config/schema.js';
import { createLogger } from './obs/log.js';
import { createMetrics } from './obs/metrics.js';
import { serveMetrics } from './obs/metricsServer.js';
import { PortUnavailableError, startBot } from './runtime/start.js';
import { messageOf } from './obs/errors.js';

async function main() {
  const result = loadConfigFile(process.env);
  if (!result.ok) return fail(result.problems);
  const { config, yamlText, file } = result;
  const log = createLogger(config.log.level);
  // Every path already handles its own failures; this is the last guard, so a bug in one
  // command is logged instead of taking down the bot for everyone.
  process.on('unhandledRejection', (reason) => log.error('unhandled_rejection', { error: messageOf(reason) }));

  // The metrics port is opened first: if it cannot be, nothing has been accepted yet. A sandbox
  // takes any free port when its own is taken (a second sandbox on the same machine).
  const metrics = createMetrics();
  // The bot's whole health report, once it runs (the sandbox's or production's).
  let health: () => { status: string } | undefined = () => undefined;
  const serve = (port: number) => serveMetrics(metrics, { ...config.metrics, port }, log, settingName('metrics.port'), () => health());
  const metricsServer = config.metrics.enabled
    ? await serve(config.metrics.port)
        .catch((e: Error) => {
          if (config.mode !== 'sandbox' || config.metrics.port === 0) throw e;
          log.info('sandbox.metrics_port', { message: `metrics.port ${config.metrics.port} is taken; the sandbox serves its metrics on a free port`, port: config.metrics.port });
          return serve(0);
        })
        .catch((e: Error) => failOnce(e.message))
    : undefined;
  if (config.metrics.enabled && !metricsServer) return;
  const scrape = metricsServer ? { metrics: metricsServer.url } : {};

  if (config.mode === 'sandbox') {
    // No credentials: the stand-in platform with a demo helpdesk, and the console. Its first log
    // line says so and how to connect a real app.
    const activity = sandboxActivityMs(process.env.SANDBOX_ACTIVITY_SECONDS);
    if (typeof activity === 'string') return fail([activity]);
    // Loaded only here: a production start loads no sandbox code (the bundle keeps it in a chunk of its own).
    const { startSandbox } = await import('./sandbox/mode.js');
    const sandbox = await startSandbox({
      port: config.server.port,
      log,
      metrics,
      yaml: yamlText,
      file,
      connection: config.feishu.connection,
      demo: { activityMs: activity },
      ...(process.env.REDIS_URL ? { redisUrl: process.env.REDIS_URL } : {}),
    }).catch((e: Error) => (e instanceof PortUnavailableError ? failOnce(e.message) : fail([`Sandbox start-up failed: ${e.message}`])));
    if (!sandbox) return;
    health = () => sandbox.bot.health();
    log.info('started', { mode: config.mode, port: sandbox.bot.port, console: sandbox.consoleUrl, ...scrape });
    const stop = async (signal: string) => {
      log.info('stopping', { signal });
      log.info('stopped', { finished_all_work: await sandbox.stop() });
      await metricsServer?.close();
      process.exit(0);
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
    return;
  }

  // Deliveries refused from here on get 503 (over the long connection: code 500) and the platform
  // redelivers them (to another instance, or to this one once restarted); those already accepted
  // were acknowledged, so their replies must go out before the process ends.
  let stopping = false;
  let running: Awaited<ReturnType<typeof startBot>> | undefined;
  const shutdown = async (why: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { why, queued: running?.state.work.depth ?? 0, timeout_ms: config.server.shutdown_timeout_ms });
    const finished = running ? await running.stop() : true;
    log.info('stopped', { finished_all_work: finished });
    await metricsServer?.close();
    process.exit(exitCode);
  };
  // A refused long connection will not heal: stop, saying what to fix, with a non-zero exit.
  const onFatal = (message: string) => {
    process.stderr.write(`The helpdesk bot cannot receive events:\n  - ${message}\n`);
    void shutdown('long connection refused', 1);
  };
  running = await startBot(config, { log, metrics, onFatal }).catch((e: Error) => (e instanceof PortUnavailableError ? failOnce(e.message) : fail([`Start-up failed: ${e.message}`])));
  if (!running) return;
  health = () => running?.health();
  log.info('started', { mode: config.mode, connection: config.feishu.connection, port: running.port, domain: config.feishu.domain, bot_open_id: running.botOpenId, ...scrape });
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

/** The demo helpdesk's pace in the sandbox: a step every N seconds (default 20; 0: none). */
function sandboxActivityMs(value: string | undefined): number | string {
  if (value === undefined || value.trim() === '') return 20_000;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > 86_400) return `SANDBOX_ACTIVITY_SECONDS: "${value}" is not a number of seconds between 0 (no activity) and 86400`;
  return Math.round(seconds * 1000);
}

/** One problem, one line. */
function failOnce(problem: string): undefined {
  process.stderr.write(`Cannot start the helpdesk bot: ${problem}.\n`);
  process.exit(1);
}

function fail(problems: string[]): undefined {
  process.stderr.write(`Cannot start the helpdesk bot:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
  process.exit(1);
}

void main();
