// Upstream answers kept in a cache store (in process, or shared by every instance through Redis)
// whose concurrent loads of one key share a single upstream call: in one process by joining the
// load under way; across instances by a lease, so one instance loads while the others wait for
// its answer. Failures are never kept: the next request tries again.
import type { Timing } from './timing.js';

/**
 * A cache of JSON-safe values under string keys, with a TTL fixed per cache: what SharedLoads keeps
 * its answers in (each state backend in src/state/ has one). Values go in and come
 * out as copies: changing one changes nothing stored. Memory: at most `maxEntries` values, the
 * least recently used going first. Redis: shared by every instance; `maxEntries` is not used
 * (every value stays for the TTL).
 */
export interface CacheStore<V> {
  get(key: string): Promise<V | undefined>;
  set(key: string, value: V): Promise<void>;
  /**
   * Takes the right to load `key` for `ttlMs`, so that only one instance calls upstream for it
   * while the others wait for the value. Memory: always true (in one process, single flight does
   * it). Redis: true for one taker until it unleases or `ttlMs` is up, false for the others.
   */
  lease(key: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease back early (the load failed: let the next one try). */
  unlease(key: string): Promise<void>;
  /** How long to wait between looks while another instance holds the lease: memory 0, Redis 50. */
  readonly pollMs: number;
}

export interface CacheLimit {
  maxEntries: number;
  ttlMs: number;
}

export interface LoadOptions {
  /** Skip the cached value and read upstream (a load already under way here is still joined). */
  fresh?: boolean;
  stats?: { cacheHits: number };
  /** While another instance loads the key, wait for its answer until this time at most. */
  waitUntil?: number;
}

export class SharedLoads<V extends {}> {
  private readonly loading = new Map<string, Promise<V>>();

  constructor(
    private readonly store: CacheStore<V>,
    private readonly time: Pick<Timing, 'clock' | 'sleep'>,
    private readonly onStoreError: (error: unknown) => void = () => undefined,
    /** Told how each lookup was served (for metrics). */
    private readonly observe: (result: 'hit' | 'shared' | 'miss') => void = () => undefined,
  ) {}

  /**
   * The load already under way here for the key (a fresh request joins it too: it is reading
   * upstream right now); else the cached value unless `fresh`; else the value another instance
   * is loading; else a new load, whose value is then cached. Answers served without a call of
   * their own count as cache hits.
   */
  get(key: string, load: () => Promise<V>, options: LoadOptions = {}): Promise<V> {
    const shared = this.loading.get(key);
    if (shared) {
      if (options.stats) options.stats.cacheHits++;
      this.observe('shared');
      return shared;
    }
    const started = this.lookUp(key, load, options).finally(() => this.loading.delete(key));
    this.loading.set(key, started);
    return started;
  }

  private async lookUp(key: string, load: () => Promise<V>, options: LoadOptions): Promise<V> {
    const hit = (value: V) => {
      if (options.stats) options.stats.cacheHits++;
      this.observe('hit');
      return value;
    };
    let leased = false;
    if (!options.fresh) {
      const cached = await this.cached(key);
      if (cached !== undefined) return hit(cached);
      // Another instance may be loading it: wait for its answer instead of calling upstream too.
      const until = options.waitUntil ?? this.time.clock();
      while (!(leased = await this.lease(key, Math.max(1000, until - this.time.clock())))) {
        if (this.time.clock() + this.store.pollMs > until) break;
        await this.time.sleep(this.store.pollMs);
        const value = await this.cached(key);
        if (value !== undefined) return hit(value);
      }
      // The instance that held the lease may have stored the answer just before letting it go.
      if (leased) {
        const value = await this.cached(key);
        if (value !== undefined) {
          await this.store.unlease(key).catch(this.onStoreError);
          return hit(value);
        }
      }
    }
    this.observe('miss');
    try {
      const value = await load();
      await this.store.set(key, value).catch(this.onStoreError);
      return value;
    } finally {
      if (leased) await this.store.unlease(key).catch(this.onStoreError);
    }
  }

  /** A cache that cannot be read is a miss: the lookup goes upstream. */
  private cached(key: string): Promise<V | undefined> {
    return this.store.get(key).catch((error: unknown) => {
      this.onStoreError(error);
      return undefined;
    });
  }

  /** Without a lease store to ask, loading is allowed. */
  private lease(key: string, ttlMs: number): Promise<boolean> {
    return this.store.lease(key, ttlMs).catch((error: unknown) => {
      this.onStoreError(error);
      return true;
    });
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
