// The directory of tags and agents by name over the state's records, on a fake timeline, with an
// inner helpdesk whose answers the test sets: what is noted from tickets, when the helpdesk is
// read again (at most every REFRESH_MS, once while another read is under way, not at once after
// a failure), and a renamed agent.
import { describe, expect, it } from 'vitest';
import type { Helpdesk } from '../../../src/helpdesk/api.js';
import { Directory, noting, REFRESH_MS } from '../../../src/helpdesk/directory.js';
import type { Agent, Ticket } from '../../../src/helpdesk/types.js';
import { memoryLogger } from '../../../src/obs/log.js';
import { fakeTime } from '../../support/fakeTime.js';
import { stateFor } from '../../support/load.js';

const ticket = (id: string, fields: Partial<Ticket> = {}): Ticket => ({ id, agents: [], collaborators: [], durations: {}, tags: [], customFields: [], comments: [], ...fields });

function setup() {
  const time = fakeTime();
  const log = memoryLogger();
  const calls: string[] = [];
  const answers = { agents: [{ id: 'ou_a', name: '王磊' }] as Agent[], newest: [ticket('1', { tags: [{ name: 'VIP' }], agentOwner: { id: 'ou_b', name: 'Emily Zhang' } })], fail: false };
  const inner: Helpdesk = {
    getTicket: async (id) => {
      calls.push(`get ${id}`);
      return ticket(id, { tags: [{ name: 'Urgent' }], agents: [{ id: 'ou_c', name: 'David Chen' }] });
    },
    listTickets: async (filter, page, pageSize) => {
      calls.push(`list ${JSON.stringify(filter)} ${page} ${pageSize}`);
      if (answers.fail) throw new Error('helpdesk down');
      return { total: answers.newest.length, tickets: answers.newest };
    },
    getConversation: async () => ({ total: 0, messages: [] }),
    firstMessage: async () => '',
    knownFirstMessages: async () => new Map(),
    agents: async () => {
      calls.push('agents');
      if (answers.fail) throw new Error('helpdesk down');
      return answers.agents;
    },
  };
  const state = stateFor(time, log);
  const directory = new Directory(state.records, inner, log);
  return { time, log, calls, answers, inner, directory };
}

describe('directory', () => {
  it('knows nothing at first, and says it is due a read', async () => {
    const { directory, calls } = setup();
    expect(await directory.known()).toEqual({ tags: [], people: [], stale: true });
    expect(calls).toEqual([]);
  });

  it('reads the schedules and the newest 200 tickets when asked for fresh names, then not again for REFRESH_MS', async () => {
    const { directory, calls, time } = setup();
    const names = await directory.refreshed({});
    expect(names.tags).toEqual(['VIP']);
    expect(names.people.map((p) => p.name).sort()).toEqual(['Emily Zhang', '王磊']);
    expect(calls.sort()).toEqual(['agents', 'list {} 1 200']);
    await directory.refreshed({});
    expect(calls).toHaveLength(2);
    expect((await directory.known()).stale).toBe(false);
    await time.advance(REFRESH_MS);
    expect((await directory.known()).stale).toBe(true);
    await directory.refreshed({});
    expect(calls).toHaveLength(4);
  });

  it('notes the tags and agents of every ticket the helpdesk it wraps reads', async () => {
    const { directory, inner, log } = setup();
    await noting(inner, directory, log).getTicket('9');
    await new Promise((r) => setImmediate(r));
    const known = await directory.known();
    expect(known.tags).toEqual(['Urgent']);
    expect(known.people).toEqual([{ id: 'ou_c', name: 'David Chen' }]);
  });

  it('after a failed read, does not read again at every command, only when its lease runs out', async () => {
    const { directory, calls, answers, time, log } = setup();
    answers.fail = true;
    expect(await directory.refreshed({})).toEqual({ tags: [], people: [] });
    expect(log.lines.some((l) => l.includes('directory.refresh_failed'))).toBe(true);
    const failed = calls.length;
    await directory.refreshed({});
    expect(calls).toHaveLength(failed);
    answers.fail = false;
    await time.advance(60_000);
    expect((await directory.refreshed({})).tags).toEqual(['VIP']);
  });

  it('one read at a time, shared by those that ask meanwhile', async () => {
    const { directory, calls } = setup();
    await Promise.all([directory.refreshed({}), directory.refreshed({}), directory.refreshed({})]);
    expect(calls.sort()).toEqual(['agents', 'list {} 1 200']);
  });

  it('a renamed agent is known by the newer name', async () => {
    const { directory, time } = setup();
    await directory.note([ticket('1', { agents: [{ id: 'ou_x', name: 'Old Name' }] })]);
    await time.advance(1000);
    await directory.note([ticket('2', { agents: [{ id: 'ou_x', name: 'New Name' }] })]);
    expect((await directory.known()).people).toEqual([{ id: 'ou_x', name: 'New Name' }]);
  });
});
