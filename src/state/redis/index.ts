// State shared by every instance through one Redis: claims, durable work (BullMQ), rate limits,
// caches and records (watches, live cards, boards), all under one key prefix per Feishu app.
import { hostname } from 'node:os';
import type { Clock } from '../../resilience/clock.js';
import type { Logger } from '../../obs/log.js';
import type { Sleep } from '../../resilience/timing.js';
import type { CacheStore, RetryPolicy, State } from '../types.js';
import { RedisCache } from './cache.js';
import { RedisClaims } from './claims.js';
import { commandClient, Link, redisAddress, workerClient } from './connection.js';
import { RedisLimiter } from './limiter.js';
import { RedisLocks } from './locks.js';
import { RedisRecords } from './records.js';
import { RedisWork } from './work.js';

export interface RedisStateOptions {
  url: string;
  /** Namespaces every key: two bots (two Feishu apps) can share one Redis. */
  appId: string;
  /** What to call the setting in messages to the operator. */
  setting: string;
  startupWaitMs: number;
  workMaxPending: number;
  /** How a job that rejects is tried again (tests shorten it); WORK_RETRY otherwise. */
  workRetry?: RetryPolicy;
  clock: Clock;
  sleep: Sleep;
  log: Logger;
}

export function redisState(options: RedisStateOptions): State {
  const { log } = options;
  const address = redisAddress(options.url);
  const name = `helpdesk-bot:${hostname()}:${process.pid}`;
  const commands = commandClient(options.url, name);
  const workerConnection = workerClient(options.url, `${name}:worker`);
  const link = new Link(commands, address, log);
  // The worker's link is only logged: our own commands' link decides health.
  workerConnection.on('error', () => undefined);
  const prefix = `helpdesk-bot:${options.appId}:`;
  const work = new RedisWork({
    commands,
    worker: workerConnection,
    prefix: `helpdesk-bot:${options.appId}`,
    maxPending: options.workMaxPending,
    name,
    log,
    ...(options.workRetry ? { retry: options.workRetry } : {}),
  });
  // One store per name: the leases it took are its own to give back.
  const caches = new Map<string, RedisCache<unknown>>();

  return {
    backend: 'redis',
    claims: new RedisClaims(commands, link, prefix),
    work,
    limiter: new RedisLimiter(commands, link, prefix, options.clock, options.sleep),
    cache: <V>(cacheName: string, limit: { ttlMs: number }) => {
      let cache = caches.get(cacheName);
      if (!cache) {
        cache = new RedisCache<unknown>(commands, link, { values: `${prefix}cache:${cacheName}:`, leases: `${prefix}lease:${cacheName}:` }, limit.ttlMs);
        caches.set(cacheName, cache);
      }
      return cache as CacheStore<V>;
    },
    health: () => (link.ok ? { ok: true } : { ok: false, reason: link.reason }),
    records: new RedisRecords(commands, link, `${prefix}records:`),
    locks: new RedisLocks(commands, link, `${prefix}lock:`),
    async ready() {
      // Connecting takes milliseconds; only a Redis that keeps us waiting is worth a line.
      const waiting = setTimeout(() => log.info('redis.waiting', { redis: address, wait_ms: options.startupWaitMs, error: link.reason }), 1000);
      try {
        await link.waitUntilReady(options.startupWaitMs);
        await work.ready();
      } catch (error) {
        throw new Error(`${options.setting}: ${(error as Error).message} after waiting ${options.startupWaitMs} ms; start Redis or fix the URL`);
      } finally {
        clearTimeout(waiting);
      }
    },
    async close() {
      await work.close();
      await Promise.all([commands.quit().catch(() => commands.disconnect()), workerConnection.quit().catch(() => workerConnection.disconnect())]);
    },
  };
}
