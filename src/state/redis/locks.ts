// Locks every instance sees: a key set only if absent (SET NX PX) to a lease of the taker's, and
// deleted only while it still holds that lease, so a holder whose hold ran out frees nobody else's.
import { randomBytes } from 'node:crypto';
import type { Locks } from '../types.js';
import { wholeMs, type Commands, type Link } from './connection.js';

export class RedisLocks implements Locks {
  constructor(
    private readonly client: Commands,
    private readonly link: Link,
    private readonly prefix: string,
  ) {}

  async take(key: string, holdMs: number) {
    const lease = randomBytes(8).toString('hex');
    const taken = await this.link.run(() => this.client.set(this.prefix + key, lease, 'PX', wholeMs(holdMs), 'NX'));
    return taken === 'OK' ? lease : undefined;
  }

  async give(key: string, lease: string) {
    await this.link.run(() => this.client.deleteIf(this.prefix + key, lease));
  }
}
