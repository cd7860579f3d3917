// The figures a sample gives: quantiles, durations overall and per agent, tickets per bucket.
import { describe, expect, it } from 'vitest';
import type { Ticket } from '../../../src/helpdesk/types.js';
import { ownerOf } from '../../../src/helpdesk/read.js';
import { durationsOf, perBucket, quantile, summarize, TOP_AGENTS } from '../../../src/stats/figures.js';

const ticket = (id: string, owner: string | undefined, firstResponse?: number): Ticket => ({
  id,
  agents: owner ? [{ id: `ou_${owner}`, name: owner }] : [],
  collaborators: [],
  durations: firstResponse === undefined ? {} : { agentFirstResponse: firstResponse },
  tags: [],
  customFields: [],
  comments: [],
});

describe('quantile and summarize', () => {
  it('interpolates between the nearest ranks', () => {
    expect(quantile([1, 2], 0.5)).toBe(1.5);
    expect(quantile([1, 2, 3], 0.5)).toBe(2);
    expect(quantile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100], 0.9)).toBe(91);
    expect(quantile([7], 0.9)).toBe(7);
  });

  it('sorts before it summarizes, and has nothing to say of no values', () => {
    expect(summarize([30, 10, 20])).toEqual({ count: 3, median: 20, p90: 28 });
    expect(summarize([])).toBeUndefined();
  });
});

describe('durationsOf', () => {
  it('counts a ticket for its owner, else its first agent, and leaves out tickets without the duration', () => {
    const owned: Ticket = { ...ticket('1', 'A', 60_000), agentOwner: { id: 'ou_B', name: 'B' } };
    expect(ownerOf(owned)).toEqual({ id: 'ou_B', name: 'B' });
    const { overall, agents } = durationsOf([owned, ticket('2', 'A', 120_000), ticket('3', 'A'), ticket('4', undefined, 180_000)], (t) => t.durations.agentFirstResponse);
    expect(overall).toEqual({ count: 3, median: 120_000, p90: 168_000 });
    expect(agents).toEqual([
      { name: 'A', count: 1, median: 120_000, p90: 120_000 },
      { name: 'B', count: 1, median: 60_000, p90: 60_000 },
    ]);
  });

  it('keeps the agents with the most tickets', () => {
    const tickets = Array.from({ length: 8 }, (_, a) => Array.from({ length: a + 1 }, (_, i) => ticket(`${a}-${i}`, `agent${a}`, 1000 * (i + 1)))).flat();
    const { agents } = durationsOf(tickets, (t) => t.durations.agentFirstResponse);
    expect(agents.map((a) => a.name)).toEqual(['agent7', 'agent6', 'agent5', 'agent4', 'agent3']);
    expect(agents).toHaveLength(TOP_AGENTS);
    expect(agents[0]).toEqual({ name: 'agent7', count: 8, median: 4500, p90: 7300 });
  });
});

describe('perBucket', () => {
  it('counts each time in its bucket, and none outside them', () => {
    const buckets = [
      { start: 0, end: 9 },
      { start: 10, end: 19 },
    ];
    expect(perBucket([0, 9, 10, 19, 20, -1, 5], buckets)).toEqual([3, 2]);
  });
});
