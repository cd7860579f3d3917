// Entry point: read app.yaml and the environment, validate, start, and stop gracefully on SIGTERM.
import { readFileSync } from 'node:fs';
import { loadConfig } from './config.js';
import { createLogger } from './log.js';
import { startSandbox } from './sandbox/mode.js';
import { PortUnavailableError, startBot } from './start.js';

async function main() {
  const file = process.env.BOT_CONFIG || './app.yaml';
  let yamlText = '';
  try {
    yamlText = readFileSync(file, 'utf8');
  } catch (e) {
    if (process.env.BOT_CONFIG) return fail([`BOT_CONFIG points at ${file}, which cannot be read: ${(e as NodeJS.ErrnoException).code ?? e}`]);
  }
  const result = loadConfig(yamlText, process.env, file);
  if (!result.ok) return fail(result.problems);
  const config = result.config;
  const log = createLogger(config.log.level);
  // Every path already handles its own failures; this is the last guard, so a bug in one
  // command is logged instead of taking down the bot for everyone.
  process.on('unhandledRejection', (reason) => log.error('unhandled_rejection', { error: reason instanceof Error ? reason.message : String(reason) }));

  if (config.mode === 'sandbox') {
    // No credentials: the stand-in platform with a demo helpdesk, and the console. Its first log
    // line says so and how to connect a real app.
    const sandbox = await startSandbox({ port: config.server.port, log, yaml: yamlText, file, ...(process.env.REDIS_URL ? { redisUrl: process.env.REDIS_URL } : {}) }).catch((e: Error) =>
      e instanceof PortUnavailableError ? failOnce(e.message) : fail([`Sandbox start-up failed: ${e.message}`]),
    );
    if (!sandbox) return;
    log.info('started', { mode: config.mode, port: sandbox.bot.port, console: sandbox.consoleUrl });
    const stop = async (signal: string) => {
      log.info('stopping', { signal });
      log.info('stopped', { finished_all_work: await sandbox.stop() });
      process.exit(0);
    };
    process.once('SIGTERM', () => void stop('SIGTERM'));
    process.once('SIGINT', () => void stop('SIGINT'));
    return;
  }

  const running = await startBot(config, { log }).catch((e: Error) => (e instanceof PortUnavailableError ? failOnce(e.message) : fail([`Start-up failed: ${e.message}`])));
  if (!running) return;
  log.info('started', { mode: config.mode, port: running.port, domain: config.feishu.domain, bot_open_id: running.botOpenId });

  // Deliveries refused from here on get 503 and the platform redelivers them (to another instance
  // behind the load balancer, or to this one once restarted); those already accepted were
  // acknowledged with 200, so their replies must go out before the process ends.
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal, queued: running.app.state.work.depth, timeout_ms: config.server.shutdownTimeoutMs });
    const finished = await running.stop();
    log.info('stopped', { finished_all_work: finished });
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
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
