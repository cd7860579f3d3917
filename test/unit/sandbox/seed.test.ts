// The demo helpdesk: deterministic, relative to now, every status, and plenty of "today".
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { toTicket } from '../../../src/helpdesk/map.js';
import { ALL_STATUSES, DEMO_AGENTS, FIRST_TICKET_ID, HOSTILE_TICKET_ID, isClosed, seedTickets } from '../../../src/sandbox/seed.js';

const ZONE = 'Asia/Shanghai';
const NOW = Date.UTC(2026, 10, 20, 6, 30); // 14:30 in Shanghai
const HOUR = 3600_000;
const startOfDay = (now: number) => DateTime.fromMillis(now, { zone: ZONE }).startOf('day').toMillis();

describe('seedTickets', () => {
  const tickets = seedTickets(NOW);

  it('is deterministic for a seed, and another seed gives other tickets', () => {
    expect(seedTickets(NOW)).toEqual(tickets);
    expect(seedTickets(NOW, { seed: 7 })).toEqual(seedTickets(NOW, { seed: 7 }));
    expect(seedTickets(NOW, { seed: 7 })).not.toEqual(tickets);
  });

  it('makes 300 tickets by default, with unique ids, the fixed ones first', () => {
    expect(tickets).toHaveLength(300);
    expect(new Set(tickets.map((t) => t.ticket_id)).size).toBe(300);
    expect(tickets[0]!.ticket_id).toBe(FIRST_TICKET_ID);
    expect(tickets.some((t) => t.ticket_id === HOSTILE_TICKET_ID)).toBe(true);
    expect(seedTickets(NOW, { count: 40 })).toHaveLength(40);
    for (const t of tickets) expect(t.ticket_id).toMatch(/^\d{19}$/);
  });

  it('is relative to now: the same shape a month later, with every time in the past six weeks', () => {
    const later = NOW + 31 * 24 * HOUR;
    const shifted = seedTickets(later);
    const today = (list: typeof tickets, now: number) => list.filter((t) => t.created_at! >= startOfDay(now)).length;
    expect(today(shifted, later)).toBe(today(tickets, NOW));
    for (const [now, list] of [
      [NOW, tickets],
      [later, shifted],
    ] as const) {
      for (const t of list) {
        expect(t.created_at!).toBeGreaterThanOrEqual(now - 43 * 24 * HOUR);
        for (const v of [t.created_at, t.updated_at, t.closed_at, t.agent_entry_time, t.agent_first_response_time, t.agent_last_response_time, t.comments?.created_at]) {
          if (v !== undefined && v !== -1) expect(v).toBeLessThanOrEqual(now);
        }
      }
    }
  });

  it.each([
    ['mid-afternoon', NOW],
    ['just after midnight', startOfDay(NOW) + 5 * 60_000],
    ['just before midnight', startOfDay(NOW) + 24 * HOUR - 1],
  ])('has tickets today in Asia/Shanghai (%s): at least 10 created today, some in the last hour, some updated today', (_name, now) => {
    const list = seedTickets(now);
    const today = startOfDay(now);
    const createdToday = list.filter((t) => t.created_at! >= today && t.created_at! <= now);
    expect(createdToday.length).toBeGreaterThanOrEqual(10);
    expect(list.filter((t) => t.created_at! >= now - HOUR).length).toBeGreaterThanOrEqual(4);
    expect(createdToday.filter((t) => !isClosed(t.status!)).length).toBeGreaterThanOrEqual(10);
    const updatedTodayOnly = list.filter((t) => t.created_at! < today && t.updated_at! >= today);
    expect(updatedTodayOnly.length).toBeGreaterThanOrEqual(3);
  });

  it('has every status, both types, several channels, 5-10 tags, 6-8 agents, Chinese and English names', () => {
    for (const count of [300, 20, 12]) {
      const statuses = new Set(seedTickets(NOW, { count }).map((t) => t.status));
      for (const s of ALL_STATUSES) expect(statuses, `count ${count}`).toContain(s);
    }
    expect(new Set(tickets.map((t) => t.ticket_type))).toEqual(new Set([1, 2]));
    expect(new Set(tickets.map((t) => t.channel)).size).toBeGreaterThanOrEqual(4);
    const tags = new Set(tickets.flatMap((t) => (t.tags ?? []).map((tag) => tag.name)));
    expect(tags.size).toBeGreaterThanOrEqual(5);
    expect(tags.size).toBeLessThanOrEqual(10);
    expect([...tags].some((n) => /[\u4e00-\u9fff]/.test(n!)) && [...tags].some((n) => /^[A-Za-z]+$/.test(n!))).toBe(true);
    const agents = new Set(tickets.flatMap((t) => (t.agents ?? []).map((a) => a.id)));
    expect(agents.size).toBeGreaterThanOrEqual(6);
    expect(agents.size).toBeLessThanOrEqual(8);
    expect(DEMO_AGENTS.length).toBe(agents.size);
    const guests = tickets.map((t) => t.guest?.name ?? '');
    expect(guests.some((n) => /[\u4e00-\u9fff]/.test(n)) && guests.some((n) => /^[A-Z][a-z]+ [A-Z]/.test(n))).toBe(true);
    const fields = new Set(tickets.flatMap((t) => (t.customized_fields ?? []).map((f) => f.key_name)));
    expect(fields).toEqual(new Set(['priority', 'system', 'region']));
    expect(tickets.filter((t) => t.comments?.content).length).toBeGreaterThan(50);
    const reasons = tickets.filter((t) => t.dissatisfaction_reason);
    expect(reasons.length).toBeGreaterThan(5);
    for (const t of reasons) expect(t.dissatisfaction_reason).toMatchObject({ zh_cn: expect.any(String), en_us: expect.any(String) });
  });

  it('combines fields sensibly: closed tickets have closing data, open ones none, durations in their units', () => {
    for (const t of tickets) {
      if (isClosed(t.status!)) {
        expect(t.closed_at, t.ticket_id).toBeGreaterThanOrEqual(t.created_at!);
        expect(t.closed_by?.name, t.ticket_id).toBeTruthy();
        expect([1, 2]).toContain(t.solve);
        expect(t.updated_at).toBe(t.closed_at);
        if (t.status === 50) expect(t.ticket_type).toBe(1);
        if (t.status === 52) expect(t.closed_by!.id).toBe(t.guest!.id);
      } else {
        expect(t.closed_at).toBeUndefined();
        expect(t.closed_by).toBeUndefined();
        expect(t.solve).toBeUndefined();
        expect(t.score).toBeUndefined();
        expect(t.dissatisfaction_reason).toBeUndefined();
      }
      if (t.score !== undefined) expect([1, 2, 3]).toContain(t.score);
      if (t.status === 3) expect(t.agents).toBeUndefined();
      if (t.agent_entry_time !== undefined) {
        expect(t.bot_service_duration).toBe(Math.round((t.agent_entry_time - t.created_at!) / 1000));
      }
      if (t.agent_first_response_time !== undefined) {
        const entry = t.agent_entry_time!;
        expect(t.agent_first_response_duration).toBe(Math.round((t.agent_first_response_time - entry) / 1000));
        // Minutes, as a float.
        expect(t.agent_service_duration!).toBeCloseTo((t.agent_last_response_time! - entry) / 60_000, 1);
        expect(t.agent_last_response_time!).toBeGreaterThanOrEqual(t.agent_first_response_time);
      }
      if (t.agent_resolution_time !== undefined) {
        expect(t.agent_resolution_time).toBe(Math.round((t.closed_at! - t.agent_entry_time!) / 1000));
        expect(t.actual_processing_time!).toBeLessThanOrEqual(t.agent_resolution_time);
      }
      // The bot's own mapping accepts every seeded ticket.
      expect(toTicket(t)?.id).toBe(t.ticket_id);
    }
    expect(tickets.some((t) => Number.isInteger(t.agent_service_duration) === false)).toBe(true);
  });

  it('has the fixed showcase ticket and the hostile one', () => {
    const first = tickets[0]!;
    expect(first).toMatchObject({ status: 51, ticket_type: 2, solve: 2, score: 1 });
    expect(first.tags?.length).toBeGreaterThan(0);
    expect(first.comments?.content).toBeTruthy();
    const hostile = tickets.find((t) => t.ticket_id === HOSTILE_TICKET_ID)!;
    expect(hostile.guest?.name).toBe('<img src=x onerror=alert(1)>');
    expect(hostile.comments?.content).toContain('**bold**');
    expect(hostile.comments?.content).toContain('[link](javascript:alert(1))');
    expect(hostile.created_at!).toBeGreaterThanOrEqual(startOfDay(NOW));
    expect(isClosed(hostile.status!)).toBe(false);
  });
});
