// The sliding-window limiter: slots, the composite per-chat + per-app reservation, and the ways a
// request is refused at once (queue full, wait too long, slot past its deadline).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acquire, earliestSlot, SlidingWindow, type WindowLimit } from '../../../src/resilience/limiter.js';
import { fakeTime } from '../../support/fakeTime.js';

const W = 1000;
const take = (windows: SlidingWindow[], now: number) => {
  const at = earliestSlot(windows, now);
  for (const w of windows) w.record(at);
  return at;
};

/** The most grants any window [s, s + W) holds. */
function fullest(grants: number[], windowMs: number): number {
  const sorted = [...grants].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[j]! <= sorted[i]! - windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe('SlidingWindow', () => {
  it('paces a burst one window / rate apart (rounded up to whole ms)', () => {
    const w = new SlidingWindow({ rate: 3, windowMs: W });
    expect(Array.from({ length: 7 }, () => take([w], 0))).toEqual([0, 334, 668, 1002, 1336, 1670, 2004]);
  });

  it('gives a slot at once when the window has room again', () => {
    const w = new SlidingWindow({ rate: 2, windowMs: W });
    expect([take([w], 0), take([w], 400), take([w], 999), take([w], 1000)]).toEqual([0, 500, 1000, 1500]);
    expect(take([w], 5000)).toBe(5000);
  });

  it('counts only future reservations as waiting', () => {
    const w = new SlidingWindow({ rate: 1, windowMs: W });
    for (let i = 0; i < 4; i++) take([w], 0);
    expect(w.waiting(0)).toBe(3);
    expect(w.waiting(2500)).toBe(1);
  });

  it("a chat over its limit waits, while other chats only keep to the app's pace", () => {
    const app = new SlidingWindow({ rate: 10, windowMs: W });
    const chats = new Map<string, SlidingWindow>();
    const chat = (id: string) => chats.get(id) ?? chats.set(id, new SlidingWindow({ rate: 2, windowMs: W })).get(id)!;
    expect([take([chat('a'), app], 0), take([chat('a'), app], 0), take([chat('a'), app], 0)]).toEqual([0, 500, 1000]);
    // The app's pace is 1000 / 10 = 100 ms; chat b's first grant fits right after chat a's first.
    expect(take([chat('b'), app], 0)).toBe(100);
  });

  it('never lets any window exceed the rate, whatever the arrivals, chats and limits (property)', () => {
    const arrival = fc.record({ gap: fc.integer({ min: 0, max: 400 }), chat: fc.integer({ min: 0, max: 3 }) });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 4 }), fc.array(arrival, { maxLength: 120 }), (appRate, chatRate, arrivals) => {
        const appLimit: WindowLimit = { rate: appRate, windowMs: W };
        const app = new SlidingWindow(appLimit);
        const chats = [0, 1, 2, 3].map(() => new SlidingWindow({ rate: chatRate, windowMs: W }));
        const byChat: number[][] = [[], [], [], []];
        const all: number[] = [];
        let now = 0;
        for (const { gap, chat } of arrivals) {
          now += gap;
          const at = take([chats[chat]!, app], now);
          expect(at).toBeGreaterThanOrEqual(now);
          byChat[chat]!.push(at);
          all.push(at);
        }
        expect(fullest(all, W)).toBeLessThanOrEqual(appRate);
        for (const grants of byChat) expect(fullest(grants, W)).toBeLessThanOrEqual(chatRate);
      }),
    );
  });

  it('serves a lone request at once whenever its windows have room and the last grant is a pace back (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(fc.integer({ min: 0, max: 3000 }), { maxLength: 40 }), (rate, gaps) => {
        const w = new SlidingWindow({ rate, windowMs: W });
        const grants: number[] = [];
        let now = 0;
        for (const gap of gaps) {
          now += gap;
          const inWindow = grants.filter((g) => g > now - W).length;
          const at = take([w], now);
          if (inWindow < rate && grants.every((g) => g <= now - Math.ceil(W / rate))) expect(at).toBe(now);
          grants.push(at);
        }
      }),
    );
  });
});

describe('acquire', () => {
  const queue = { maxQueue: 2, maxWaitMs: 5000 };

  it('sleeps until its slot, exactly', async () => {
    const time = fakeTime(0);
    const w = new SlidingWindow({ rate: 1, windowMs: W });
    const first = acquire([w], Infinity, queue, time.clock, time.sleep);
    const second = acquire([w], Infinity, queue, time.clock, time.sleep);
    expect(await time.run(Promise.all([first, second]))).toEqual([true, true]);
    expect(time.slept).toEqual([1000]);
    expect(time.clock()).toBe(1000);
  });

  it('refuses at once, taking no slot, when the queue is full', async () => {
    const time = fakeTime(0);
    const w = new SlidingWindow({ rate: 1, windowMs: W });
    const granted = [1, 2, 3].map(() => acquire([w], Infinity, queue, time.clock, time.sleep));
    expect(await acquire([w], Infinity, queue, time.clock, time.sleep)).toBe(false);
    expect(w.waiting(0)).toBe(2);
    expect(await time.run(Promise.all(granted))).toEqual([true, true, true]);
  });

  it('refuses at once when the slot is later than the deadline allows or than the longest wait', async () => {
    const time = fakeTime(0);
    const w = new SlidingWindow({ rate: 1, windowMs: W });
    expect(await acquire([w], Infinity, queue, time.clock, time.sleep)).toBe(true);
    expect(await acquire([w], 999, queue, time.clock, time.sleep)).toBe(false);
    expect(await acquire([w], Infinity, { ...queue, maxWaitMs: 999 }, time.clock, time.sleep)).toBe(false);
    // Neither refusal took the slot at 1000: the next request still gets it.
    expect(earliestSlot([w], 0)).toBe(1000);
    expect(time.slept).toEqual([]);
  });
});
