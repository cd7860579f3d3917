// Entry point: read app.yaml and the environment, validate, start, and stop gracefully on SIGTERM.
import { readFileSync } from 'node:fs';
import { loadConfig, ENV_OVERRIDES } from './config.js';
import { createLogger } from './log.js';
import { startBot } from './start.js';

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

  if (config.mode === 'sandbox') {
    return fail([
      'No Feishu credentials are configured. Set these environment variables (or the matching keys in app.yaml):',
      ...Object.keys(ENV_OVERRIDES).filter((v) => v !== 'PORT' && v !== 'FEISHU_DOMAIN'),
    ]);
  }

  const running = await startBot(config, { log }).catch((e: Error) => fail([`Start-up failed: ${e.message}`]));
  if (!running) return;
  log.info('started', { mode: config.mode, port: running.port, domain: config.feishu.domain, bot_open_id: running.botOpenId });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal, queued: running.app.work.depth });
    const finished = await running.stop(10_000);
    log.info('stopped', { finished_all_work: finished });
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

function fail(problems: string[]): undefined {
  process.stderr.write(`Cannot start the helpdesk bot:\n${problems.map((p) => `  - ${p}`).join('\n')}\n`);
  process.exit(1);
}

void main();
