// The board's kept figures taking in a ticket event with no call: the oldest ticket's question,
// once found, stays while that ticket is still the oldest, and goes with it.
import { describe, expect, it } from 'vitest';
import type { Ticket } from '../../../src/helpdesk/types.js';
import { applyTicket, countsOf, type BoardSnapshot, type BoardTicket } from '../../../src/watch/counts.js';

const ticket = (id: string, over: Partial<Ticket>): Ticket => ({ id, agents: [], collaborators: [], durations: {}, tags: [], customFields: [], comments: [], ...over });
const index: BoardTicket[] = [
  { id: '1', status: 1, createdAt: 1000, agents: [] },
  { id: '2', status: 2, createdAt: 2000, agents: [] },
];
const counts = countsOf(index, index.length);
const snapshot: BoardSnapshot = { counts: { ...counts, oldest: { ...counts.oldest!, question: 'VPN down' } }, index, at: 0, countedAt: 0 };

describe('a ticket event on the kept figures', () => {
  it('keeps the oldest ticket’s question while it is still the oldest', () => {
    const after = applyTicket(snapshot, ticket('3', { status: 1, createdAt: 3000 }), 5000, 'UTC')!;
    expect(after.counts.open).toBe(3);
    expect(after.counts.oldest).toMatchObject({ id: '1', question: 'VPN down' });
  });

  it('drops it with the ticket when that one is closed', () => {
    const after = applyTicket(snapshot, ticket('1', { status: 51, createdAt: 1000 }), 5000, 'UTC')!;
    expect(after.counts.oldest).toEqual({ id: '2', createdAt: 2000 });
  });
});
