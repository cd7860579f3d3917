// Start-up with Redis configured, as an operator meets it: the real process (src/main.ts) waits up
// to state.startup_wait_ms for Redis, starts as soon as it answers, and otherwise stops with a
// message naming the setting (and never the password).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StandIn } from '@helpdesk-bot/feishu-standin';
import { credentialsFor, freePort, mainProcess, type Started } from '../support/process.js';
import { startRedis, type RedisServer } from '../support/redis.js';
import { SECRETS } from '../support/secrets.js';
import { systemProgram } from '../support/system.js';

const redisServer = systemProgram('redis');

function configFile(yaml: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'startup-')), 'app.yaml');
  writeFileSync(file, yaml);
  return file;
}

let standin: StandIn;
const started: Started[] = [];
beforeAll(async () => {
  standin = await StandIn.start({ ...SECRETS });
});
afterAll(async () => {
  await Promise.all(started.map((p) => p.stop()));
  await standin.close();
});

it('stops with a message naming state.redis_url when Redis never answers, without the password', async () => {
  const deadPort = await freePort();
  const proc = mainProcess({
    ...credentialsFor(standin.url),
    PORT: String(await freePort()),
    REDIS_URL: `redis://:hunter2-secret@127.0.0.1:${deadPort}`,
    BOT_CONFIG: configFile('state:\n  startup_wait_ms: 1000\n'),
  });
  started.push(proc);
  expect(await proc.exited).toBe(1);
  expect(proc.stderr()).toContain(`state.redis_url (or REDIS_URL): Redis at redis://127.0.0.1:${deadPort} is unreachable`);
  expect(proc.stderr()).toContain('after waiting 1000 ms; start Redis or fix the URL');
  expect(proc.stderr() + proc.lines.join('\n')).not.toContain('hunter2');
});

describe.skipIf(!redisServer)('with a real redis-server', () => {
  let redis: RedisServer | undefined;
  afterAll(async () => {
    await redis?.close();
  });

  it('waits for Redis that comes up late, starts, says healthy, and stops cleanly on SIGTERM', async () => {
    // Reserve the port, start the bot, and only then start Redis on it.
    redis = await startRedis(redisServer!);
    await redis.stop();
    const port = await freePort();
    const proc = mainProcess({ ...credentialsFor(standin.url), PORT: String(port), REDIS_URL: redis.url });
    started.push(proc);
    await proc.waitFor(/"event":"redis.waiting"/);
    await redis.start();
    const ready = JSON.parse(await proc.waitFor(/"event":"started"/)) as { metrics: string };
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    // The whole report is on the metrics port.
    expect(await (await fetch(ready.metrics.replace(/\/metrics$/, '/healthz'))).json()).toMatchObject({ status: 'ok', state: 'redis', mode: 'production' });
    // And stops as gracefully as without Redis: its worker and connections closed, exit 0.
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
    expect(proc.lines.join('\n')).toMatch(/"event":"stopped","finished_all_work":true/);
  });
});
