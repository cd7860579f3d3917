// The de-duplication memory: which deliveries (message ids, event ids) were already taken. Two
// generations of plain Sets rather than an LRU: a redelivery only needs "seen within the TTL", not
// recency order, and dropping a whole generation at once leaves no per-entry bookkeeping behind.
// At the default 100,000 keys it holds about 8 MiB where an LRU cache held about 20 MiB (its hash
// table doubles under churn, beside its order and TTL arrays), and its size is flat once full.
import type { Clock } from '../resilience/clock.js';

export interface SeenLimit {
  /** Each key is remembered at least this long after it was marked (and at most twice as long)... */
  ttlMs: number;
  /** ...unless more than this many keys come in meanwhile: then the older half is dropped at once. */
  maxEntries: number;
}

export class SeenKeys {
  private current = new Set<string>();
  private previous = new Set<string>();
  private since: number;

  constructor(
    private readonly limit: SeenLimit,
    private readonly clock: Clock,
  ) {
    this.since = clock();
  }

  has(key: string): boolean {
    this.age(this.clock());
    return this.current.has(key) || this.previous.has(key);
  }

  mark(key: string): void {
    const now = this.clock();
    this.age(now);
    if (this.current.size >= Math.ceil(this.limit.maxEntries / 2)) this.rotate(this.current, now);
    this.current.add(key);
  }

  /** Keys remembered now. */
  get size(): number {
    return this.current.size + this.previous.size;
  }

  /**
   * A generation is closed one TTL after it opened, so every key in it was marked before then
   * (every call checks); it is dropped at the next closing, at least one TTL later. After two TTLs
   * without a call, the open generation's keys are all older than a TTL: both go.
   */
  private age(now: number): void {
    const open = now - this.since;
    if (open >= this.limit.ttlMs) this.rotate(open < 2 * this.limit.ttlMs ? this.current : new Set(), now);
  }

  private rotate(previous: Set<string>, now: number): void {
    this.previous = previous;
    this.current = new Set();
    this.since = now;
  }
}
