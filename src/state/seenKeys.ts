// The de-duplication memory: which deliveries (message ids, event ids) were already taken. Two
// generations of plain Maps rather than an LRU: a redelivery only needs "seen within the TTL", not
// recency order, and dropping a whole generation at once leaves no per-entry bookkeeping behind.
// Each key keeps the time it was marked (as ms after its generation opened: a small integer that
// V8 stores inline), so it is forgotten exactly one TTL later, as a Redis key with that TTL is.
// At the default 100,000 keys it holds about 10 MiB where an LRU cache held about 20 MiB (its hash
// table doubles under churn, beside its order and TTL arrays), and its size is flat once full.
import type { Clock } from '../resilience/clock.js';

export interface SeenLimit {
  /** Each key is remembered for exactly this long after it was marked... */
  ttlMs: number;
  /** ...unless more than this many keys come in meanwhile: then the older half is dropped at once. */
  maxEntries: number;
}

interface Generation {
  /** Key -> when it was marked, in ms after `since`. */
  keys: Map<string, number>;
  since: number;
}

export class SeenKeys {
  private current: Generation;
  private previous: Generation;

  constructor(
    private readonly limit: SeenLimit,
    private readonly clock: Clock,
  ) {
    this.current = { keys: new Map(), since: clock() };
    this.previous = { keys: new Map(), since: this.current.since };
  }

  has(key: string): boolean {
    const now = this.clock();
    this.age(now);
    return this.live(this.current, key, now) || this.live(this.previous, key, now);
  }

  mark(key: string): void {
    const now = this.clock();
    this.age(now);
    if (this.current.keys.size >= Math.ceil(this.limit.maxEntries / 2)) this.rotate(this.current, now);
    // Marked again: the TTL starts over, as a Redis key set again.
    this.previous.keys.delete(key);
    this.current.keys.set(key, now - this.current.since);
  }

  /** Forgets the key (it was marked again under another TTL). */
  forget(key: string): void {
    this.current.keys.delete(key);
    this.previous.keys.delete(key);
  }

  /** Keys held now (some of them may have expired since their generation was last looked at). */
  get size(): number {
    return this.current.keys.size + this.previous.keys.size;
  }

  private live(generation: Generation, key: string, now: number): boolean {
    const at = generation.keys.get(key);
    return at !== undefined && generation.since + at + this.limit.ttlMs > now;
  }

  /**
   * A generation is closed one TTL after it opened, so every key in it was marked before then
   * (every call checks); it is dropped at the next closing, at least one TTL later, when all its
   * keys have expired. After two TTLs without a call, the open generation's keys have all expired
   * too: both go.
   */
  private age(now: number): void {
    const open = now - this.current.since;
    if (open >= this.limit.ttlMs) this.rotate(open < 2 * this.limit.ttlMs ? this.current : { keys: new Map(), since: now }, now);
  }

  private rotate(previous: Generation, now: number): void {
    this.previous = previous;
    this.current = { keys: new Map(), since: now };
  }
}
