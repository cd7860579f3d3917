// Records shared by every instance: JSON values under their keys, and sets as sorted sets scored by
// each member's expiry (on Redis's clock), so members expire one by one and a set drops its
// soonest-expiring members when it grows past its bound. Each set operation is one Lua script:
// "add and tell me which were new" is atomic across instances.
import { MAX_SET_MEMBERS, type Records } from '../types.js';
import { wholeMs, type Commands, type Link } from './connection.js';

/** Stands in for "never expires" as a score (year 33658). */
const NEVER = 1e15;

const NOW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
`;

// ARGV: ttl ms (0: never), max members, then the members. Returns those added.
const ADD = `${NOW}
local ttl = tonumber(ARGV[1])
local max = tonumber(ARGV[2])
local expires = ${NEVER}
if ttl > 0 then expires = now + ttl end
local added = {}
for i = 3, #ARGV do
  if redis.call('ZADD', KEYS[1], 'NX', expires, ARGV[i]) == 1 then added[#added + 1] = ARGV[i] end
end
local n = redis.call('ZCARD', KEYS[1])
if n > max then redis.call('ZREMRANGEBYRANK', KEYS[1], 0, n - max - 1) end
-- The key itself goes when its last member does.
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
if last[2] and tonumber(last[2]) < ${NEVER} then redis.call('PEXPIREAT', KEYS[1], math.floor(tonumber(last[2]))) else redis.call('PERSIST', KEYS[1]) end
return added
`;

const MEMBERS = `${NOW}
return redis.call('ZRANGE', KEYS[1], 0, -1)
`;

const TAKE = `${NOW}
local all = redis.call('ZRANGE', KEYS[1], 0, -1)
redis.call('DEL', KEYS[1])
return all
`;

type SetCommands = Commands & {
  recordsAdd(key: string, ...args: (string | number)[]): Promise<string[]>;
  recordsMembers(key: string): Promise<string[]>;
  recordsTake(key: string): Promise<string[]>;
};

export class RedisRecords implements Records {
  private readonly commands: SetCommands;

  constructor(
    client: Commands,
    private readonly link: Link,
    /** Key prefix of this bot's records. */
    private readonly prefix: string,
  ) {
    client.defineCommand('recordsAdd', { numberOfKeys: 1, lua: ADD });
    client.defineCommand('recordsMembers', { numberOfKeys: 1, lua: MEMBERS });
    client.defineCommand('recordsTake', { numberOfKeys: 1, lua: TAKE });
    this.commands = client as SetCommands;
  }

  private valueKey = (key: string) => `${this.prefix}value:${key}`;
  private setKey = (key: string) => `${this.prefix}set:${key}`;

  async get<V>(key: string): Promise<V | undefined> {
    const text = await this.link.run(() => this.commands.get(this.valueKey(key)));
    return text === null ? undefined : (JSON.parse(text) as V);
  }

  async getMany<V>(keys: readonly string[]): Promise<(V | undefined)[]> {
    if (keys.length === 0) return [];
    const texts = await this.link.run(() => this.commands.mget(...keys.map(this.valueKey)));
    return texts.map((text) => (text === null ? undefined : (JSON.parse(text) as V)));
  }

  async put<V>(key: string, value: V, ttlMs?: number): Promise<void> {
    const text = JSON.stringify(value);
    await this.link.run(() => (ttlMs === undefined ? this.commands.set(this.valueKey(key), text) : this.commands.set(this.valueKey(key), text, 'PX', wholeMs(ttlMs))));
  }

  async delete(key: string): Promise<void> {
    await this.link.run(() => this.commands.del(this.valueKey(key)));
  }

  async add(set: string, members: readonly string[], ttlMs?: number): Promise<string[]> {
    if (members.length === 0) return [];
    const ttl = ttlMs === undefined ? 0 : wholeMs(ttlMs);
    return this.link.run(() => this.commands.recordsAdd(this.setKey(set), ttl, MAX_SET_MEMBERS, ...members));
  }

  members(set: string): Promise<string[]> {
    return this.link.run(() => this.commands.recordsMembers(this.setKey(set)));
  }

  async remove(set: string, members: readonly string[]): Promise<void> {
    if (members.length === 0) return;
    await this.link.run(() => this.commands.zrem(this.setKey(set), ...members));
  }

  take(set: string): Promise<string[]> {
    return this.link.run(() => this.commands.recordsTake(this.setKey(set)));
  }

  /** Every command above resolved once Redis had it. */
  async sync(): Promise<void> {}
}
