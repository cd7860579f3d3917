// Public shapes of the `/tickets` filter language. The parser is pure: everything it needs from the
// outside world (clock, zone, who is asking, who was mentioned, the helpdesk's tags and people)
// arrives in FilterContext.
import type { Mention } from '../../jobs/types.js';
import type { TicketFilter } from '../../helpdesk/types.js';

export interface KnownPerson {
  id: string;
  name: string;
}

/** What the helpdesk calls things, as far as the bot has seen (src/helpdesk/directory.ts). */
export interface Known {
  /** Tag names in use, as the helpdesk spells them. */
  tags: readonly string[];
  /** Agents by name: those on tickets the bot has read, and those in the agents' schedules. */
  people: readonly KnownPerson[];
}

export interface FilterContext {
  /** Epoch ms, injected; the parser never reads the clock itself. */
  now: number;
  /** IANA zone, e.g. "Asia/Shanghai"; day, week and month boundaries are taken in it. */
  timezone: string;
  /** Open id of the person asking, for `mine` / `me`. */
  askerOpenId: string;
  /** People mentioned in the message other than the bot; their placeholders appear in the text. */
  mentions: Mention[];
  /**
   * The helpdesk's tags and people. Without them tags are taken as typed and people only by
   * mention, open_id or `me`; with them, `tag vip` is the helpdesk's `VIP`, a bare tag name is
   * that tag, `agent 王磊` is found by name, and an unknown tag or name is said to be unknown.
   */
  known?: Known;
  /** A tag not in use (yet) is taken as typed instead of refused: a watch waits for tickets to come. */
  newTags?: boolean;
}

/** Time filters as words ("today", "7d", "2026-11-01..2026-11-20"), resolved again whenever shown. */
export interface TimeWords {
  created?: string;
  updated?: string;
  /** When the ticket was closed: not a filter of the list API (see views/listing.ts). */
  closed?: string;
}

export interface TicketQuery {
  /** What the list API filters, with created/updated resolved at parse time. */
  filter: TicketFilter;
  /** The time filters as words. */
  times: TimeWords;
  /** Several scores, any of them (`score 1-3`): the API takes one, so each is asked for. */
  scores?: number[];
  /** Only tickets no agent has: the API has no such filter, so the bot keeps those. */
  unassigned?: boolean;
  /** 1-based; a page past the end is shown as the last page. */
  page: number;
  /** open_id -> display name, for people taken from mentions or found by name. */
  names: Record<string, string>;
}

export type ParseResult = { ok: true; query: TicketQuery } | { ok: false; error: FilterError };

/** A corrected query: `text` is what to run (the /tickets arguments), `label` how to show it. */
export interface Fix {
  label: string;
  text: string;
}

export interface UnknownWord {
  word: string;
  /** Text the user could type instead of `word` (a vocabulary word, or `tag <name>`). */
  suggestion?: string;
}

export type FilterError =
  /** Every word not understood; `fix`: the query with each replaced by its suggestion (when all have one). */
  | { kind: 'unknown-words'; words: UnknownWord[]; fix?: Fix }
  | { kind: 'missing-value'; word: string; expected: string }
  | { kind: 'bad-value'; word: string; value: string; expected: string }
  | { kind: 'conflict'; word: string; detail: string }
  /** `tag X` where the helpdesk has no tag X; `fix`: with the nearest tag in use instead. */
  | { kind: 'unknown-tag'; tag: string; inUse: string[]; fix?: Fix }
  /** A name that several known people have: a query for each of them. */
  | { kind: 'which-person'; word: string; value: string; choices: Fix[] }
  /** A name nobody known has; `choices`: with the nearest known names instead. */
  | { kind: 'unknown-person'; word: string; value: string; choices: Fix[] }
  /** The query is longer than the parser reads. */
  | { kind: 'too-long'; unit: 'characters' | 'words'; limit: number; word: string };
