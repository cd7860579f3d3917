// De-duplication keys in memory: each remembered for its own TTL, the oldest half forgotten when full.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/obs/log.js';
import { memoryState } from '../../../src/state/memory.js';
import { SeenKeys } from '../../../src/state/seenKeys.js';

const TTL = 1000;
function setup(maxEntries = 100) {
  let now = 0;
  const seen = new SeenKeys({ ttlMs: TTL, maxEntries }, () => now);
  return { seen, at: (t: number) => (now = t) };
}

describe('SeenKeys', () => {
  it('remembers every key for at least the TTL, whenever within a generation it was marked', () => {
    for (const markedAt of [0, 1, 500, 999, 1000, 1500, 1999]) {
      const { seen, at } = setup();
      at(0);
      seen.mark('warm-up');
      at(markedAt);
      seen.mark('k');
      // Checked often (each check may close a generation) and rarely: both keep it a whole TTL.
      for (let t = markedAt; t < markedAt + TTL; t += 97) {
        at(t);
        expect(seen.has('k'), `marked at ${markedAt}, checked at ${t}`).toBe(true);
      }
      at(markedAt + TTL - 1);
      expect(seen.has('k')).toBe(true);
    }
  });

  it('forgets a key within two TTLs, with or without calls in between', () => {
    const busy = setup();
    busy.seen.mark('k');
    for (let t = 0; t <= 2 * TTL; t += 50) {
      busy.at(t);
      busy.seen.has('other');
    }
    expect(busy.seen.has('k')).toBe(false);

    const quiet = setup();
    quiet.seen.mark('k');
    quiet.at(2 * TTL);
    expect(quiet.seen.has('k')).toBe(false);
    expect(quiet.seen.size).toBe(0);
  });

  it('forgets a key exactly one TTL after it was marked; marked again, its TTL starts over', () => {
    const { seen, at } = setup();
    at(300);
    seen.mark('k');
    seen.mark('again');
    at(300 + TTL - 1);
    expect(seen.has('k')).toBe(true);
    seen.mark('again');
    at(300 + TTL);
    expect(seen.has('k')).toBe(false);
    at(300 + 2 * TTL - 2);
    expect(seen.has('again')).toBe(true);
    at(300 + 2 * TTL - 1);
    expect(seen.has('again')).toBe(false);
  });

  it('never holds more than maxEntries; under pressure the most recent half stays', () => {
    const { seen } = setup(100);
    for (let i = 0; i < 1000; i++) {
      seen.mark(`k${i}`);
      expect(seen.size).toBeLessThanOrEqual(100);
    }
    for (let i = 950; i < 1000; i++) expect(seen.has(`k${i}`)).toBe(true);
    expect(seen.has('k0')).toBe(false);
  });
});

describe("the memory backend's claims (the contract for every backend: contract.test.ts)", () => {
  it('hold a key while it is taken, remember it once settled, and let a released one go again', async () => {
    let now = 0;
    const state = memoryState({ clock: () => now, sleep: async () => {}, log: createLogger('error'), dedupeMaxEntries: 100, workMaxPending: 1 });
    const { claims } = state;
    expect(await claims.claim('a', 50)).toBe('mine');
    expect(await claims.claim('a', 50)).toBe('held');
    await claims.settle('a', TTL);
    expect(await claims.claim('a', 50)).toBe('done');
    expect(await claims.claim('b', 50)).toBe('mine');
    await claims.release('b');
    expect(await claims.claim('b', 50)).toBe('mine');
    // A hold nobody settled ends by itself.
    now = 51;
    expect(await claims.claim('b', 50)).toBe('mine');
    now = TTL - 1;
    expect(await claims.claim('a', 50)).toBe('done');
    now = 2 * TTL;
    expect(await claims.claim('a', 50)).toBe('mine');
  });
});
