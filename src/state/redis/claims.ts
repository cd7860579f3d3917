// Claim-once in Redis: a key is held by one delivery while its job is stored, then remembered as
// done for the dedupe window. Each step is one atomic command, so two instances that receive the
// same message at once cannot both take it.
import { randomBytes } from 'node:crypto';
import type { Claims } from '../types.js';
import { wholeMs, type Commands, type Link } from './connection.js';

// KEYS[1]; ARGV: value if taken, hold ms. Returns "mine", or the value found ("done" or "held:…").
const CLAIM = `
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 'mine' end
return redis.call('GET', KEYS[1]) or 'held'
`;
type ClaimCommands = Commands & { claimKey(key: string, value: string, holdMs: number): Promise<string> };

export class RedisClaims implements Claims {
  /** The hold values this instance put, by key, until settled or released. */
  private readonly holds = new Map<string, string>();
  private readonly commands: ClaimCommands;

  constructor(
    private readonly client: Commands,
    private readonly link: Link,
    private readonly prefix: string,
  ) {
    client.defineCommand('claimKey', { numberOfKeys: 1, lua: CLAIM });
    this.commands = client as ClaimCommands;
  }

  async claim(key: string, holdMs: number) {
    const hold = `held:${randomBytes(8).toString('hex')}`;
    const found = await this.link.run(() => this.commands.claimKey(this.prefix + 'claim:' + key, hold, wholeMs(holdMs)));
    if (found === 'mine') {
      this.holds.set(key, hold);
      return 'mine' as const;
    }
    return found === 'done' ? ('done' as const) : ('held' as const);
  }

  async settle(key: string, ttlMs: number) {
    this.holds.delete(key);
    await this.link.run(() => this.client.set(this.prefix + 'claim:' + key, 'done', 'PX', wholeMs(ttlMs)));
  }

  async release(key: string) {
    const hold = this.holds.get(key);
    this.holds.delete(key);
    if (hold) await this.link.run(() => this.client.deleteIf(this.prefix + 'claim:' + key, hold));
  }
}
