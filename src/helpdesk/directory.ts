// What the helpdesk calls things, for the /tickets filter language: the tags in use and the agents
// by name. The SDK lists neither, so the tags are those seen on tickets, and the agents those on
// tickets and in the helpdesk's agent schedules. Every ticket the bot reads adds what is on it at
// once; at most every REFRESH_MS, a command whose words need them (a tag, a name, a word it does
// not know) first has the newest tickets (one list call) and the schedules read. Kept in the
// state's records (every instance's, on Redis) for KEEP_MS after they were noted; those still in
// use are seen, and noted, again.
import { LRUCache } from 'lru-cache';
import type { Logger } from '../obs/log.js';
import { messageOf } from '../obs/errors.js';
import type { Records } from '../state/types.js';
import type { CallOptions, Helpdesk } from './api.js';
import type { Agent, Ticket } from './types.js';

/** How often the tags and agents are read from the helpdesk itself, at most. */
export const REFRESH_MS = 10 * 60_000;
const KEEP_MS = 30 * 24 * 3600_000;
/** The newest tickets read at a refresh (one call of the list API's largest page). */
const NEWEST = 200;
/** One instance refreshes at a time; a refresh that failed is tried again after this. */
const LEASE_MS = 60_000;
/** An instance writes what it noted at most this often per tag or person. */
const NOTED_FOR_MS = REFRESH_MS;

const KEYS = { tags: 'known-tags', people: 'known-people', fresh: 'known-fresh', lease: 'known-refreshing' } as const;

export interface Names {
  tags: string[];
  people: Agent[];
}

export class Directory {
  private readonly noted = new LRUCache<string, true>({ max: 10_000, ttl: NOTED_FOR_MS });
  private refreshing: Promise<void> | undefined;

  constructor(
    private readonly records: Records,
    /** The helpdesk it reads when refreshing (not one that notes what it reads: this notes it). */
    private readonly helpdesk: Helpdesk,
    private readonly log: Logger,
  ) {}

  /** Notes the tags and agents on tickets the bot has read. */
  async note(tickets: readonly Ticket[]): Promise<void> {
    const tags = new Set<string>();
    const people = new Set<string>();
    for (const t of tickets) {
      for (const tag of t.tags) tags.add(tag.name);
      for (const p of [t.agentOwner, ...t.agents, ...t.collaborators]) if (p?.id && p.name) people.add(personMember(p as Agent));
    }
    await Promise.all([this.add(KEYS.tags, [...tags]), this.add(KEYS.people, [...people])]);
  }

  /** The tags and people known, without a call; `stale`: they are due to be read from the helpdesk again. */
  async known(): Promise<Names & { stale: boolean }> {
    const [names, fresh] = await Promise.all([this.read(), this.records.get(KEYS.fresh)]);
    return { ...names, stale: fresh === undefined };
  }

  /**
   * The tags and people, read from the helpdesk first if they are due (within the call's budget;
   * one instance reads, the others go on with what they have).
   */
  async refreshed(call: CallOptions = {}): Promise<Names> {
    if ((await this.records.get(KEYS.fresh)) === undefined) await this.refresh(call);
    return this.read();
  }

  private async add(set: string, members: string[]): Promise<void> {
    const fresh = members.filter((m) => !this.noted.has(`${set}\n${m}`));
    if (fresh.length === 0) return;
    await this.records.add(set, fresh, KEEP_MS);
    for (const m of fresh) this.noted.set(`${set}\n${m}`, true);
  }

  private async read(): Promise<Names> {
    const [tags, people] = await Promise.all([this.records.members(KEYS.tags), this.records.members(KEYS.people)]);
    // Later members were noted later: a renamed agent ends up with the newer name.
    const byId = new Map(people.map(readPerson).map((p) => [p.id, p]));
    return { tags: [...new Set(tags)], people: [...byId.values()] };
  }

  /** Reads the newest tickets and the schedules, in one instance at a time; never rejects. */
  private refresh(call: CallOptions): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        const [mine] = await this.records.add(KEYS.lease, ['lease'], LEASE_MS);
        if (!mine) return;
        const [agents, newest] = await Promise.allSettled([this.helpdesk.agents(call), this.helpdesk.listTickets({}, 1, NEWEST, call)]);
        if (agents.status === 'fulfilled') await this.add(KEYS.people, agents.value.map(personMember));
        if (newest.status === 'fulfilled') await this.note(newest.value.tickets);
        const failed = [agents, newest].filter((r) => r.status === 'rejected').map((r) => messageOf((r as PromiseRejectedResult).reason));
        // A failed read leaves the lease to run out: the next try comes after it, not at every command.
        if (failed.length > 0) this.log.warn('directory.refresh_failed', { errors: failed });
        else await Promise.all([this.records.put(KEYS.fresh, 1, REFRESH_MS), this.records.remove(KEYS.lease, ['lease'])]);
      } catch (error) {
        this.log.warn('directory.refresh_failed', { errors: [messageOf(error)] });
      }
    })().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }
}

/** A person as a member of the set: the open_id, a space, the name. */
const personMember = (p: Agent): string => `${p.id} ${p.name}`;

function readPerson(member: string): Agent {
  const at = member.indexOf(' ');
  return { id: member.slice(0, at), name: member.slice(at + 1) };
}

/** The helpdesk, noting the tags and agents of every ticket it reads. */
export function noting(helpdesk: Helpdesk, directory: Directory, log: Logger): Helpdesk {
  const note = (tickets: readonly Ticket[]) => void directory.note(tickets).catch((error: unknown) => log.warn('directory.note_failed', { error: messageOf(error) }));
  return {
    ...helpdesk,
    async getTicket(id, options) {
      const ticket = await helpdesk.getTicket(id, options);
      note([ticket]);
      return ticket;
    },
    async listTickets(filter, page, pageSize, options) {
      const result = await helpdesk.listTickets(filter, page, pageSize, options);
      note(result.tickets);
      return result;
    },
  };
}
