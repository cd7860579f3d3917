// Rate limits shared by every instance: the sliding windows of resilience/limiter.ts, with the same
// even pacing and the same rule for where the next slot is, kept in Redis sorted sets (one grant
// per member, scored by its time) and decided by one Lua script, atomically across all the
// windows a request is subject to (its chat's and the app's). Time is Redis's own clock, so the
// instances' clocks need not agree. No Redis limiter library does all of that: multi-key,
// reservations known in advance (so a request that cannot be served in time fails fast), and
// pacing within the window.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Clock } from '../../resilience/clock.js';
import type { QueueLimit } from '../../resilience/limiter.js';
import type { Sleep } from '../../resilience/timing.js';
import type { LimitKey, Limiter } from '../types.js';
import type { Link } from './connection.js';
import { LATE_MS } from '../../resilience/slot.js';

/** Stands in for "no limit" in the script's arguments. */
const UNBOUNDED = 1e12;

// KEYS: the windows. ARGV: rate and window length of each, then max queue, max wait (ms from
// now), and the member naming this grant. Returns {wait ms, or -1 if refused}.
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local n = #KEYS
local maxQueue = tonumber(ARGV[2 * n + 1])
local maxWait = tonumber(ARGV[2 * n + 2])
local member = ARGV[2 * n + 3]
local rates, wins, gaps, grants = {}, {}, {}, {}

-- Index of the first grant greater than v (#a + 1 if none).
local function ub(a, v)
  local lo, hi = 1, #a + 1
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if a[mid] <= v then lo = mid + 1 else hi = mid end
  end
  return lo
end
-- Grants in (lo, hi].
local function countIn(a, lo, hi) return ub(a, hi) - ub(a, lo) end

-- Whether one more grant at t keeps every window containing t within the rate, and the pacing.
local function fits(i, t)
  local a, gap, w = grants[i], gaps[i], wins[i]
  local near = ub(a, t - gap)
  if near <= #a and a[near] < t + gap then return false end
  if countIn(a, t - w, t) >= rates[i] then return false end
  local k = ub(a, t)
  while k <= #a and a[k] < t + w do
    local x = a[k] - w
    if countIn(a, x, x + w) >= rates[i] then return false end
    k = k + 1
  end
  return true
end

-- The earliest time >= from at which window i has room: room only appears one gap or one
-- window after an earlier grant.
local function earliest(i, from)
  if fits(i, from) then return from end
  local best = math.huge
  for _, g in ipairs(grants[i]) do
    for _, c in ipairs({ g + gaps[i], g + wins[i] }) do
      if c > from and c < best and fits(i, c) then best = c end
    end
  end
  if best == math.huge then best = grants[i][#grants[i]] + wins[i] end
  return best
end

for i = 1, n do
  rates[i] = tonumber(ARGV[2 * i - 1])
  wins[i] = tonumber(ARGV[2 * i])
  gaps[i] = math.ceil(wins[i] / rates[i])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - wins[i])
  if redis.call('ZCOUNT', KEYS[i], '(' .. now, '+inf') >= maxQueue then return -1 end
  local raw = redis.call('ZRANGE', KEYS[i], 0, -1, 'WITHSCORES')
  local a = {}
  for j = 2, #raw, 2 do a[#a + 1] = tonumber(raw[j]) end
  grants[i] = a
end

local at = now
while true do
  local nxt = at
  for i = 1, n do
    local e = earliest(i, at)
    if e > nxt then nxt = e end
  end
  if nxt == at then break end
  at = nxt
end
if at - now > maxWait then return -1 end
for i = 1, n do
  redis.call('ZADD', KEYS[i], at, member)
  redis.call('PEXPIRE', KEYS[i], at - now + wins[i] + 1000)
end
return at - now
`;

interface LimiterCommands {
  reserveSlot(...args: (string | number)[]): Promise<number>;
}

export class RedisLimiter implements Limiter {
  constructor(
    private readonly client: Redis,
    private readonly link: Link,
    private readonly prefix: string,
    private readonly clock: Clock,
    private readonly sleep: Sleep,
  ) {
    client.defineCommand('reserveSlot', { lua: RESERVE });
  }

  async acquire(windows: readonly LimitKey[], latest: number, queue: QueueLimit): Promise<boolean> {
    const keys = windows.map((w) => `${this.prefix}limit:${w.key}`);
    const limits = windows.flatMap((w) => [w.limit.rate, w.limit.windowMs]);
    const asked = this.clock();
    for (let first = true; ; first = false) {
      const now = this.clock();
      const maxWait = Math.min(queue.maxWaitMs - (now - asked), latest - now);
      if (maxWait < 0) return false;
      const member = randomBytes(8).toString('hex');
      const reserve = (this.client as unknown as LimiterCommands).reserveSlot;
      const wait = await this.link.run(() => reserve.call(this.client, keys.length, ...keys, ...limits, first ? queue.maxQueue : UNBOUNDED, Math.min(maxWait, UNBOUNDED), member));
      if (wait < 0) return false;
      const booked = this.clock();
      if (wait > 0) await this.sleep(wait);
      // A busy event loop can wake many sleepers at once, long after their slots: sending then
      // would bunch them into one second. A late sleeper gives its slot back and books another.
      if (this.clock() - booked - wait <= LATE_MS) return true;
      await this.link.run(() => Promise.all(keys.map((key) => this.client.zrem(key, member))));
    }
  }
}
