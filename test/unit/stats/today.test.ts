// The board's day so far: tickets noted once however often their events come, a closed one that
// is reopened no longer closed today, a new day starting empty, and hours from midnight to now.
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { Ticket } from '../../../src/helpdesk/types.js';
import { dayByHour, noteDay, type DayTickets } from '../../../src/stats/today.js';

const SH = 'Asia/Shanghai';
const at = (day: number, hour: number, minute = 0) => DateTime.fromObject({ year: 2026, month: 11, day, hour, minute }, { zone: SH }).toMillis();
const ticket = (id: string, over: Partial<Ticket>): Ticket => ({ id, agents: [], collaborators: [], durations: {}, tags: [], customFields: [], comments: [], ...over });
const empty = (day: number): DayTickets => ({ start: at(day, 0), created: {}, closed: {}, partial: false });

describe('the day so far', () => {
  it('counts a ticket once, in its hour, however often it is noted', () => {
    let day = empty(20);
    const t = ticket('1', { createdAt: at(20, 9, 30), status: 1 });
    for (let i = 0; i < 3; i++) day = noteDay(day, t, at(20, 11), SH)!;
    const chart = dayByHour(day, at(20, 11, 5), SH);
    expect(chart.hours).toHaveLength(12);
    expect(chart.created[9]).toBe(1);
    expect(chart.created.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('counts a ticket closed today while it stays closed, and not one created before today', () => {
    let day = empty(20);
    day = noteDay(day, ticket('2', { createdAt: at(18, 9), status: 51, closedAt: at(20, 10, 15) }), at(20, 11), SH)!;
    expect(dayByHour(day, at(20, 11), SH)).toMatchObject({ created: Array(12).fill(0) });
    expect(dayByHour(day, at(20, 11), SH).closed[10]).toBe(1);
    day = noteDay(day, ticket('2', { createdAt: at(18, 9), status: 2, closedAt: at(20, 10, 15) }), at(20, 11), SH)!;
    expect(dayByHour(day, at(20, 11), SH).closed.every((n) => n === 0)).toBe(true);
  });

  it('starts a new day empty, and shows nothing of a day that is over', () => {
    const yesterday = noteDay(empty(19), ticket('3', { createdAt: at(19, 22), status: 1 }), at(19, 23), SH)!;
    expect(dayByHour(yesterday, at(20, 1), SH)).toEqual({ hours: [at(20, 0), at(20, 1)], created: [0, 0], closed: [0, 0], partial: false });
    const today = noteDay(yesterday, ticket('4', { createdAt: at(20, 0, 30), status: 1 }), at(20, 1), SH)!;
    expect(today.start).toBe(at(20, 0));
    expect(Object.keys(today.created)).toEqual(['4']);
    expect(noteDay(undefined, ticket('5', { createdAt: at(20, 1) }), at(20, 1), SH)).toBeUndefined();
  });
});
