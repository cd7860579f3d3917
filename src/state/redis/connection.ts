// The Redis connections and what /healthz says about them. Commands fail fast while Redis is out
// of reach (no offline queue), so a delivery gets its 503 at once instead of hanging; the client
// keeps reconnecting by itself, and the bot recovers as soon as Redis answers again.
import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../../obs/log.js';
import { StateUnavailable } from '../types.js';

/** A command that takes longer than this is treated as Redis being unavailable. */
const COMMAND_TIMEOUT_MS = 1000;

/** A TTL as Redis takes it (PX: a whole number of ms, at least 1), rounded up as memory would keep it. */
export const wholeMs = (ms: number): number => Math.max(1, Math.ceil(ms));

/** host:port of a Redis URL, for messages: never the password. */
export function redisAddress(url: string): string {
  const parsed = new URL(url);
  return `${parsed.protocol}//${parsed.hostname}:${parsed.port || '6379'}${parsed.pathname.length > 1 ? parsed.pathname : ''}`;
}

/** Reconnects every 200 ms at first, then every 2 s at most, for as long as it takes. */
const retryStrategy = (times: number) => Math.min(times * 200, 2000);

// Deletes KEYS[1] only if it still holds ARGV[1]: a hold or lease that expired may be another's now.
const DELETE_IF = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

export type Commands = Redis & { deleteIf(key: string, value: string): Promise<number> };

/** For our own commands and for adding jobs: fail at once when not connected. */
export function commandClient(url: string, name: string): Commands {
  const client = new Redis(url, { ...common(name), enableOfflineQueue: false, commandTimeout: COMMAND_TIMEOUT_MS, maxRetriesPerRequest: 1 });
  client.defineCommand('deleteIf', { numberOfKeys: 1, lua: DELETE_IF });
  return client as Commands;
}

/** For the job queue's worker: BullMQ requires its commands to wait for a reconnection. */
export function workerClient(url: string, name: string): Redis {
  return new Redis(url, { ...common(name), maxRetriesPerRequest: null });
}

const common = (name: string): RedisOptions => ({ connectionName: name, retryStrategy, connectTimeout: 5000, lazyConnect: false });

/** Follows a client's state: up or down, and why, logging each change once. */
export class Link {
  private lastError = 'not connected yet';
  private up = false;

  constructor(
    private readonly client: Redis,
    private readonly address: string,
    log: Logger,
  ) {
    let connectedBefore = false;
    client.on('ready', () => {
      // The first connection is routine; a reconnection after an outage is news.
      if (!this.up) (connectedBefore ? log.info : log.debug)('redis.ready', { redis: address });
      this.up = connectedBefore = true;
    });
    // Without a listener, an 'error' event would end the process.
    client.on('error', (error: Error) => {
      this.lastError = describe(error);
    });
    client.on('close', () => {
      if (this.up) log.warn('redis.unavailable', { redis: address, error: this.lastError });
      this.up = false;
    });
  }

  get ok(): boolean {
    return this.up && this.client.status === 'ready';
  }

  get reason(): string {
    return `Redis at ${this.address} is unreachable (${this.lastError})`;
  }

  /** Resolves once connected, or rejects after `ms` with what went wrong. */
  async waitUntilReady(ms: number): Promise<void> {
    if (this.ok) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.client.off('ready', ready);
        reject(new Error(this.reason));
      }, ms);
      const ready = () => {
        clearTimeout(timer);
        resolve();
      };
      this.client.once('ready', ready);
    });
  }

  /** Runs a command; any failure to get an answer means the state is unavailable. */
  async run<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw new StateUnavailable(this.ok ? describe(error) : this.reason);
    }
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
