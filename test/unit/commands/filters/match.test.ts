// matches(filter, ticket): a watch's decision on one ticket must be the list API's decision on the
// same filter. Examples, then a property test against the stand-in's list (its real filtering):
// for random tickets and random filters, the ticket is in the list exactly when it matches.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTicketQuery } from '../../../../src/commands/filters/index.js';
import { matches } from '../../../../src/commands/filters/match.js';
import { listParams } from '../../../../src/helpdesk/api.js';
import { toTicket } from '../../../../src/helpdesk/map.js';
import type { TicketFilter } from '../../../../src/helpdesk/types.js';
import type { RawTicket } from '@helpdesk-bot/feishu-standin';
import { parseTicketQuery as apiQuery, runTicketQuery } from '@helpdesk-bot/feishu-standin/ticket-query';
import { fullTicket, sparseTicket } from '../../../fixtures/tickets.js';
import { ctx } from './helpers.js';

const full = toTicket(fullTicket)!;
const sparse = toTicket(sparseTicket)!;
const filterOf = (words: string) => {
  const parsed = parseTicketQuery(words, ctx());
  if (!parsed.ok) throw new Error(`${words}: ${JSON.stringify(parsed.error)}`);
  return parsed.query.filter;
};

describe('matches', () => {
  it.each([
    ['closed', true],
    ['open', false],
    ['closed-by-agent tag VIP', true],
    ['tag VIP tag 报销', true],
    ['tag VIP tag Laptop', false],
    ['guest 小明', true],
    ['guest 小红', false],
    ['solved unhappy human channel qr', true],
    ['bot', false],
    ['id 6626871355780366331', true],
    ['id 6626871355780366332', false],
    ['', true],
  ])('"%s" on the full ticket: %s', (words, expected) => {
    expect(matches(filterOf(words), full)).toBe(expected);
  });

  it('matches any agent on the ticket, and who closed it', () => {
    expect(matches({ agentId: 'ou_agent_hanmeimei' }, full)).toBe(true);
    expect(matches({ agentId: 'ou_agent_nobody' }, full)).toBe(false);
    expect(matches({ closedById: 'ou_agent_lilei' }, full)).toBe(true);
    expect(matches({ closedById: 'ou_agent_hanmeimei' }, full)).toBe(false);
  });

  it('a ticket missing a field does not match a filter on it', () => {
    expect(matches(filterOf('new'), sparse)).toBe(true);
    for (const words of ['tag VIP', 'solved', 'happy', 'channel qr', 'guest someone']) expect(matches(filterOf(words), sparse)).toBe(false);
    expect(matches({ agentId: 'ou_agent_lilei' }, sparse)).toBe(false);
  });

  it('counts the owner as an agent of the ticket, and takes time ranges whole', () => {
    const owned = { ...sparse, agents: [], agentOwner: { id: 'ou_owner' } };
    expect(matches({ agentId: 'ou_owner' }, owned)).toBe(true);
    const at = sparse.createdAt!;
    expect(matches({ created: { start: at, end: at } }, sparse)).toBe(true);
    expect(matches({ created: { start: at + 1, end: at + 10 } }, sparse)).toBe(false);
    // No update time ("-1"): an update range never matches.
    expect(matches({ updated: { start: 0, end: Number.MAX_SAFE_INTEGER } }, sparse)).toBe(false);
  });
});

// ---- against the stand-in's list ----

const AGENTS = [
  { id: 'ou_a1', name: 'Li Lei' },
  { id: 'ou_a2', name: '韩梅梅' },
];
const GUESTS = [
  { id: 'ou_g1', name: 'Emily Chen' },
  { id: 'ou_g2', name: '王小明' },
];
const TAGS = ['VIP', '报销', 'Laptop'];
const STATUSES = [1, 2, 3, 4, 5, 50, 51, 52];
const T0 = 1_763_000_000_000;

const rawTicket: fc.Arbitrary<RawTicket> = fc
  .record({
    status: fc.constantFrom(...STATUSES),
    type: fc.constantFrom(1, 2),
    channel: fc.constantFrom(0, 2, 9, 13, 14),
    solve: fc.option(fc.constantFrom(1, 2), { nil: undefined }),
    score: fc.option(fc.constantFrom(1, 2, 3), { nil: undefined }),
    guest: fc.option(fc.constantFrom(...GUESTS), { nil: undefined }),
    agents: fc.subarray(AGENTS),
    closer: fc.option(fc.constantFrom(...AGENTS), { nil: undefined }),
    tags: fc.subarray(TAGS),
    created: fc.integer({ min: 0, max: 100 }),
    updated: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
  })
  .map((r) => ({
    ticket_id: '7100000000000000001',
    status: r.status,
    ticket_type: r.type,
    channel: r.channel,
    ...(r.solve !== undefined ? { solve: r.solve } : {}),
    ...(r.score !== undefined ? { score: r.score } : {}),
    ...(r.guest ? { guest: r.guest } : {}),
    ...(r.agents.length ? { agents: r.agents, agent_owner: r.agents[0] } : {}),
    ...(r.closer ? { closed_by: r.closer } : {}),
    ...(r.tags.length ? { tags: r.tags.map((name) => ({ id: name, name })) } : {}),
    created_at: T0 + r.created * 60_000,
    updated_at: r.updated === undefined ? -1 : T0 + r.updated * 60_000,
  }));

const range = fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 })).map(([a, b]) => ({ start: T0 + Math.min(a, b) * 60_000, end: T0 + Math.max(a, b) * 60_000 }));

const FIELDS = {
  statuses: fc.subarray(STATUSES, { minLength: 1 }),
  agentId: fc.constantFrom('ou_a1', 'ou_a2', 'ou_a3'),
  closedById: fc.constantFrom('ou_a1', 'ou_a2'),
  type: fc.constantFrom(1, 2),
  channel: fc.constantFrom(0, 2, 9),
  solved: fc.constantFrom(1, 2),
  score: fc.constantFrom(1, 2, 3),
  guestName: fc.constantFrom('emily', 'CHEN', '小明', 'nobody'),
  guestId: fc.constantFrom('ou_g1', 'ou_g2'),
  tags: fc.subarray(TAGS, { minLength: 1 }),
  ticketId: fc.constantFrom('7100000000000000001', '7100000000000000002'),
  created: range,
  updated: range,
};

/** One to three filters at once, as people write them: with more, almost nothing would match. */
const filter: fc.Arbitrary<TicketFilter> = fc
  .subarray(Object.keys(FIELDS) as (keyof typeof FIELDS)[], { minLength: 1, maxLength: 3 })
  .chain((keys) => fc.record(Object.fromEntries(keys.map((k) => [k, FIELDS[k]])) as { [K in keyof typeof FIELDS]: (typeof FIELDS)[K] }) as fc.Arbitrary<TicketFilter>);

/** Whether the stand-in's list API would list the ticket for this filter. */
function listed(raw: RawTicket, f: TicketFilter): boolean {
  const params = Object.fromEntries(Object.entries(listParams(f, 1, 10)).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)]));
  return runTicketQuery([raw], apiQuery(params)).total === 1;
}

describe('matches agrees with the list API', () => {
  it('for random tickets and filters, a ticket matches exactly when the list would hold it', () => {
    const seen = { in: 0, out: 0 };
    fc.assert(
      fc.property(rawTicket, filter, (raw, f) => {
        const listedNow = listed(raw, f);
        seen[listedNow ? 'in' : 'out']++;
        expect(matches(f, toTicket(raw)!)).toBe(listedNow);
      }),
      { numRuns: 3000 },
    );
    // Both answers come up often, so the agreement means something.
    expect(Math.min(seen.in, seen.out)).toBeGreaterThan(300);
  });
});
