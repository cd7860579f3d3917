// A bounded, short-lived cache of upstream answers whose concurrent loads of one key share a single
// upstream call. Failures are never kept: the next request tries again.
import { LRUCache } from 'lru-cache';
import type { Clock } from '../clock.js';

export interface CacheLimit {
  maxEntries: number;
  ttlMs: number;
}

export class SharedLoads<V extends {}> {
  private readonly values: LRUCache<string, V>;
  private readonly loading = new Map<string, Promise<V>>();

  constructor(limit: CacheLimit, clock: Clock) {
    // ttlResolution 0: read the (injected) clock on every check rather than a cached "now".
    this.values = new LRUCache<string, V>({ max: limit.maxEntries, ttl: limit.ttlMs, ttlResolution: 0, perf: { now: clock } });
  }

  /**
   * The cached value unless `fresh`; else the load already in progress for the key (a fresh request
   * joins it too: it is reading upstream right now); else a new load, whose value is then cached.
   * Answers served without a call of their own count as cache hits.
   */
  get(key: string, load: () => Promise<V>, options: { fresh?: boolean; stats?: { cacheHits: number } } = {}): Promise<V> {
    const cached = options.fresh ? undefined : this.values.get(key);
    const shared = cached === undefined ? this.loading.get(key) : undefined;
    if (cached !== undefined || shared) {
      if (options.stats) options.stats.cacheHits++;
      return cached !== undefined ? Promise.resolve(cached) : shared!;
    }
    const started = load()
      .then((value) => {
        this.values.set(key, value);
        return value;
      })
      .finally(() => this.loading.delete(key));
    this.loading.set(key, started);
    return started;
  }
}

/** A cache key for any JSON-like value, independent of key order and of the order of set-like arrays. */
export function canonicalKey(value: unknown): string {
  return JSON.stringify(canonical(value));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value
      .map((item) => ({ item: canonical(item), text: JSON.stringify(canonical(item)) }))
      .sort((a, b) => compare(a.text, b.text))
      .map(({ item }) => item);
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => compare(a, b))
        .map(([k, v]) => [k, canonical(v)]),
    );
  }
  return value;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
