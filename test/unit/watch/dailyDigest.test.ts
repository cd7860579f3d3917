// /digest's words and the digest's slots: a time of day read the ways people write it, the next
// slot after a moment, and the slot owed after a restart (never one from before it was set).
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { lastSlot, nextSlot, readDigestArgs } from '../../../src/watch/dailyDigest.js';

const SH = 'Asia/Shanghai';
const at = (day: number, hour: number, minute = 0, zone = SH) => DateTime.fromObject({ year: 2026, month: 11, day, hour, minute }, { zone }).toMillis();

describe('readDigestArgs', () => {
  it.each([
    ['09:00', '09:00'],
    ['9:00', '09:00'],
    ['9', '09:00'],
    ['21:30', '21:30'],
    ['21：30', '21:30'],
    ['9点', '09:00'],
    ['9点30', '09:30'],
    ['9点30分', '09:30'],
    ['9am', '09:00'],
    ['9:30 PM', '21:30'],
    ['12am', '00:00'],
    ['0:05', '00:05'],
  ])('%s is %s', (text, time) => {
    expect(readDigestArgs(text)).toEqual({ kind: 'set', time });
  });

  it('reads off and nothing, and refuses what is not a time of day', () => {
    expect(readDigestArgs('')).toEqual({ kind: 'show' });
    for (const off of ['off', 'OFF', '关闭', '取消']) expect(readDigestArgs(off)).toEqual({ kind: 'off' });
    for (const bad of ['24:00', '9:60', '13pm', 'tomorrow', '9:0', '09:00 tag VIP', '-1']) expect(readDigestArgs(bad)).toBeUndefined();
  });
});

describe('slots', () => {
  it('the next slot is later today, else tomorrow', () => {
    expect(nextSlot('09:00', at(20, 8, 59), SH)).toBe(at(20, 9));
    expect(nextSlot('09:00', at(20, 9), SH)).toBe(at(21, 9));
    expect(nextSlot('09:00', at(20, 23), SH)).toBe(at(21, 9));
  });

  it('the slot owed is the last one passed since the digest was set, and only one', () => {
    // Set at 08:00; the bot was down from 08:30 to 09:30: today's 09:00 is owed.
    expect(lastSlot('09:00', at(20, 8), at(20, 9, 30), SH)).toBe(at(20, 9));
    // Down for three days: only the latest slot.
    expect(lastSlot('09:00', at(17, 8), at(20, 9, 30), SH)).toBe(at(20, 9));
    expect(lastSlot('09:00', at(17, 8), at(20, 8), SH)).toBe(at(19, 9));
    // Set after today's slot: nothing is owed before tomorrow's.
    expect(lastSlot('09:00', at(20, 10), at(20, 11), SH)).toBeUndefined();
  });

  it('keeps the local time across a DST change', () => {
    const ny = 'America/New_York';
    // 2026-11-01: clocks go back at 02:00.
    const next = nextSlot('09:00', DateTime.fromObject({ year: 2026, month: 10, day: 31, hour: 8 }, { zone: ny }).toMillis(), ny);
    expect(DateTime.fromMillis(next, { zone: ny }).toFormat('yyyy-MM-dd HH:mm')).toBe('2026-10-31 09:00');
    const after = nextSlot('09:00', next, ny);
    expect(DateTime.fromMillis(after, { zone: ny }).toFormat('yyyy-MM-dd HH:mm')).toBe('2026-11-01 09:00');
    expect(after - next).toBe(25 * 3600_000);
  });
});
