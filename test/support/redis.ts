// A real redis-server for the shared-state tests, on a free 127.0.0.1 port with its own data
// directory (append-only file on, as docs/operations.md asks of production), that a test can stop and
// start again. Use with systemProgram('redis') and describe.skipIf.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { memoryLogger } from '../../src/obs/log.js';
import { realSleep } from '../../src/resilience/timing.js';
import { createState } from '../../src/runtime/state.js';
import type { State } from '../../src/state/types.js';
import { freePort } from './process.js';

export interface RedisServer {
  url: string;
  port: number;
  /** Stops the server (SIGTERM: it writes its data out, as a managed Redis does on a restart). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data directory; resolves once it answers. */
  start(): Promise<void>;
  /** Stops it for good and removes its data. */
  close(): Promise<void>;
}

export async function startRedis(program: string): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'redis-test-'));
  let child: ChildProcess | undefined;
  let output = '';

  const start = async () => {
    output = '';
    child = spawn(program, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes', '--save', '', '--maxmemory-policy', 'noeviction', '--loglevel', 'warning'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const until = Date.now() + 10_000;
    while (!(await answers(port))) {
      if (child.exitCode !== null) throw new Error(`redis-server exited: ${output}`);
      if (Date.now() > until) throw new Error(`redis-server did not answer on ${port}: ${output}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill('SIGTERM');
    await exited;
  };

  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop,
    start,
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Whether something answers PING with PONG on the port. */
function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    let got = '';
    socket.once('error', () => resolve(false));
    socket.on('data', (d) => {
      got += d.toString();
      if (got.includes('\r\n')) {
        socket.destroy();
        resolve(got.startsWith('+PONG'));
      }
    });
    socket.once('connect', () => socket.write('PING\r\n'));
  });
}

/**
 * For a describe block: a real redis-server and `count` states on it, as that many processes of
 * one app (`appId`) would have them; made before the block's tests, closed after (their work
 * drained first). Read `states` and `redis()` inside tests.
 */
export function sharedRedisStates(program: string, appId: string, count = 2): { states: State[]; redis: () => RedisServer } {
  let server: RedisServer | undefined;
  const states: State[] = [];
  beforeAll(async () => {
    server = await startRedis(program);
    const env = { FEISHU_APP_ID: appId, FEISHU_APP_SECRET: 's', FEISHU_VERIFICATION_TOKEN: 't', FEISHU_ENCRYPT_KEY: 'k', FEISHU_HELPDESK_ID: '1', FEISHU_HELPDESK_TOKEN: 'h', REDIS_URL: server.url };
    for (let i = 0; i < count; i++) {
      const loaded = loadConfig('', env);
      if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
      states.push(await createState(loaded.config, { clock: Date.now, sleep: realSleep }, memoryLogger()));
    }
    await Promise.all(states.map((s) => s.ready()));
  });
  afterAll(async () => {
    await Promise.all(states.map((s) => s.work.drain(1000)));
    await Promise.all(states.map((s) => s.close()));
    await server?.close();
  });
  return { states, redis: () => server! };
}
