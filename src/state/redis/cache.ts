// Caches shared by every instance: JSON values with the cache's TTL, and a short lease per key so
// that one instance loads a missing value while the others wait for it.
import { randomBytes } from 'node:crypto';
import type { CacheStore } from '../types.js';
import { wholeMs, type Commands, type Link } from './connection.js';

export class RedisCache<V> implements CacheStore<V> {
  /** Lease values this instance holds, by key. */
  private readonly leases = new Map<string, string>();
  readonly pollMs = 50;

  constructor(
    private readonly client: Commands,
    private readonly link: Link,
    /** Where the values are, and where the leases of the same keys are. */
    private readonly prefix: { values: string; leases: string },
    private readonly ttlMs: number,
  ) {}

  async get(key: string): Promise<V | undefined> {
    const text = await this.link.run(() => this.client.get(this.prefix.values + key));
    return text === null ? undefined : (JSON.parse(text) as V);
  }

  async set(key: string, value: V): Promise<void> {
    await this.link.run(() => this.client.set(this.prefix.values + key, JSON.stringify(value), 'PX', wholeMs(this.ttlMs)));
  }

  async lease(key: string, ttlMs: number): Promise<boolean> {
    const token = randomBytes(8).toString('hex');
    const taken = await this.link.run(() => this.client.set(this.prefix.leases + key, token, 'PX', wholeMs(ttlMs), 'NX'));
    if (taken !== 'OK') return false;
    this.leases.set(key, token);
    return true;
  }

  async unlease(key: string): Promise<void> {
    const token = this.leases.get(key);
    this.leases.delete(key);
    if (token) await this.link.run(() => this.client.deleteIf(this.prefix.leases + key, token));
  }
}
