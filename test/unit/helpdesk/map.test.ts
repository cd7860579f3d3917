// The helpdesk's answers read into ours: every documented field of a ticket, what is missing, odd or
// out of range in it (read as absent), and answers that are not the documented shape at all.
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { readAnswer, ticketAnswer, ticketListAnswer, toTicket } from '../../../src/helpdesk/map.js';
import { fullTicket, sparseTicket } from '../../fixtures/tickets.js';

describe('toTicket', () => {
  it('normalises every duration to milliseconds, minding each field unit', () => {
    const t = toTicket(fullTicket)!;
    expect(t.durations).toEqual({
      agentService: Math.round(42624.95 * 60_000), // minutes
      agentFirstResponse: 123_869_000, // seconds
      botService: 1000, // seconds
      agentResolution: 66_000, // seconds
      actualProcessing: 68_000, // seconds
    });
    expect(t.agentEntryAt).toBe(1636444596000); // already ms
  });

  it('keeps custom fields in display order and reads the comment object', () => {
    const t = toTicket(fullTicket)!;
    expect(t.customFields.map((f) => f.label)).toEqual(['优先级', 'System']);
    expect(t.comments).toHaveLength(1);
    expect(t.comments[0]!.authorName).toBe('Li Lei');
  });

  it('treats -1 times and missing fields as absent', () => {
    const t = toTicket(sparseTicket)!;
    expect(t.updatedAt).toBeUndefined();
    expect(t).not.toHaveProperty('closedBy');
    expect(t.agents).toEqual([]);
    expect(t.durations).toEqual({});
  });

  it('rejects what is not a ticket and survives wrong types', () => {
    expect(toTicket(null)).toBeUndefined();
    expect(toTicket({})).toBeUndefined();
    const odd = toTicket({ ticket_id: 5, agents: 'x', tags: [null, { name: 3 }], status: '2', comments: [{ content: 'a' }, 'b'] })!;
    expect(odd.id).toBe('5');
    expect(odd.agents).toEqual([]);
    expect(odd.tags).toEqual([{ name: '3' }]);
    expect(odd.status).toBe(2);
    expect(odd.comments).toEqual([{ content: 'a' }]);
  });
});

describe('a field the bot cannot use', () => {
  it('is read as absent (shown as unknown): a time no date can hold, numbers out of range, wrong types', () => {
    const t = toTicket({ ...fullTicket, created_at: 1e16, updated_at: -1e16, closed_at: 'soon', status: { code: 1 }, agent_service_duration: 1e300, guest: 'Wang', tags: 'VIP', score: Number.NaN })!;
    expect(t.id).toBe(fullTicket.ticket_id);
    for (const key of ['createdAt', 'updatedAt', 'closedAt', 'status', 'guest', 'score'] as const) expect(t).not.toHaveProperty(key);
    expect(t.durations).not.toHaveProperty('agentService');
    expect(t.durations.agentFirstResponse).toBe(123_869_000);
    expect(t.tags).toEqual([]);
    // What could be read is kept.
    expect(t.agents.map((a) => a.name)).toEqual(['Li Lei', '韩梅梅']);
  });

  it('keeps the latest time a date can hold', () => {
    expect(toTicket({ ticket_id: '1', created_at: 8.64e15 })!.createdAt).toBe(8.64e15);
    expect(toTicket({ ticket_id: '1', created_at: '1616920429000' })!.createdAt).toBe(1616920429000);
  });
});

describe('an answer that is not the documented shape', () => {
  const unreadable = (body: unknown, shape: z.ZodType = ticketListAnswer) => {
    const answer = readAnswer(body, shape);
    expect(answer.kind).toBe('unreadable');
    return answer.kind === 'unreadable' ? answer.problem : '';
  };

  it('is unreadable, never an empty list: a list for a body, a code that is a string, a total no count can be', () => {
    expect(unreadable([1, 2, 3])).toBe('the body: Invalid input: expected object, received array');
    expect(unreadable({ code: '0' })).toBe('code: Invalid input: expected number, received string');
    expect(unreadable({ code: 0, data: { total: 1e300, tickets: [] } })).toMatch(/^data\.total: Too big/);
    expect(unreadable({ code: 0, data: { total: 1, tickets: [1, 2, 3] } })).toMatch(/^data\.tickets\.0: /);
    expect(unreadable({ code: 0, data: { total: 1, tickets: [{ status: 1 }] } })).toMatch(/^data\.tickets\.0\.ticket_id: /);
    expect(unreadable({ code: 0, data: 'none' })).toMatch(/^data: /);
    expect(unreadable({ code: 0 })).toMatch(/^data: /);
    expect(unreadable({ code: 0, data: { ticket: null } }, ticketAnswer)).toMatch(/^data\.ticket: /);
  });

  it('says where, never what: no value of the answer is repeated', () => {
    expect(unreadable({ code: 0, data: { total: 'secret words', tickets: [] } })).not.toContain('secret');
  });

  it('reads what the API may leave out when there are none, and passes the platform codes on', () => {
    expect(readAnswer({ code: 0, msg: 'success', data: {} }, ticketListAnswer)).toEqual({ kind: 'data', data: { total: 0, tickets: [] } });
    expect(readAnswer({ code: 0, data: { tickets: [{ ticket_id: '1' }] } }, ticketListAnswer)).toMatchObject({ kind: 'data', data: { total: 1 } });
    expect(readAnswer({ code: 154004, msg: 'Resource not found' }, ticketAnswer)).toEqual({ kind: 'refused', code: 154004, msg: 'Resource not found' });
  });
});
