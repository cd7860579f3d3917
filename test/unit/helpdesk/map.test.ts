// The helpdesk's ticket shape mapped to ours: every documented field, and what is missing or odd.
import { describe, expect, it } from 'vitest';
import { toTicket } from '../../../src/helpdesk/map.js';
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
