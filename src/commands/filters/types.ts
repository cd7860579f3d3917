// Public shapes of the `/tickets` filter language. The parser is pure: everything it needs from the
// outside world (clock, zone, who is asking, who was mentioned) arrives in FilterContext.
import type { Mention } from '../../jobs/types.js';
import type { TicketFilter } from '../../helpdesk/types.js';

export interface FilterContext {
  /** Epoch ms, injected; the parser never reads the clock itself. */
  now: number;
  /** IANA zone, e.g. "Asia/Shanghai"; day, week and month boundaries are taken in it. */
  timezone: string;
  /** Open id of the person asking, for `mine` / `me`. */
  askerOpenId: string;
  /** The largest page the list API can serve at the bot's page size (its 10,000-row cap). */
  maxPage?: number;
  /** People mentioned in the message other than the bot; their placeholders appear in the text. */
  mentions: Mention[];
}

/** Time filters as words ("today", "7d", "2026-11-01..2026-11-20"), resolved again whenever shown. */
export interface TimeWords {
  created?: string;
  updated?: string;
}

export interface TicketQuery {
  /** With created/updated resolved at parse time. */
  filter: TicketFilter;
  /** The same time filters as words. */
  times: TimeWords;
  /** 1-based. */
  page: number;
  /** open_id -> display name, for people taken from mentions. */
  names: Record<string, string>;
}

export type ParseResult = { ok: true; query: TicketQuery } | { ok: false; error: FilterError };

export type FilterError =
  /** `suggestion` is text the user could type instead of `word` (usually one vocabulary word). */
  | { kind: 'unknown-word'; word: string; suggestion?: string }
  | { kind: 'missing-value'; word: string; expected: string }
  | { kind: 'bad-value'; word: string; value: string; expected: string }
  | { kind: 'conflict'; word: string; detail: string }
  /** The query is longer than the parser reads. */
  | { kind: 'too-long'; unit: 'characters' | 'words'; limit: number; word: string };
