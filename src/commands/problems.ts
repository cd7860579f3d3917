// Everything that can go wrong with a command, as data (cards/problem.ts draws each one), and the
// one mapping from a helpdesk failure to what the user is told.
import type { FilterError, Fix } from './filters/types.js';
import { PlatformError } from '../feishu/errors.js';

/** Why someone may not use the bot here (see views/access.ts). */
export type RefusalReason = 'user-denied' | 'chat-denied' | 'direct-messages-off' | 'groups-off' | 'user-not-allowed' | 'chat-not-allowed';

export type Problem =
  | { kind: 'ticket-not-found'; ticketId: string; ignored?: string }
  | { kind: 'too-long'; length: number; limit: number }
  | { kind: 'not-a-ticket-id'; input: string }
  | { kind: 'missing-ticket-id'; command: string }
  | { kind: 'unknown-command'; word: string; suggestion?: string }
  | { kind: 'unauthorized' }
  | { kind: 'rate-limited' }
  | { kind: 'busy' }
  | { kind: 'upstream'; what: 'ticket' | 'list' }
  /** The platform refuses the bot's access token, even a new one. */
  | { kind: 'feishu-unreachable' }
  /** The helpdesk answered, but not in the documented shape. */
  | { kind: 'unreadable'; what: 'ticket' | 'list' }
  /** Something went wrong preparing the answer (a bug): said, rather than left unanswered. */
  | { kind: 'failed' }
  /** What had to be kept (a new watch; a change) could not be written; `reason` says why. */
  | { kind: 'not-saved'; what: 'watch' | 'change'; reason: string }
  /**
   * `examples`: queries to show, best first, both languages mixed (each language gets its own),
   * after `command` (/tickets unless said).
   */
  | { kind: 'filter'; error: FilterError; examples: string[]; command?: string }
  | { kind: 'refused'; reason: RefusalReason; contact: string }
  | { kind: 'unknown-menu-item'; key: string }
  /** /watch with a time or page filter: a watch looks at tickets as they change, not at a period. */
  | { kind: 'watch-filter'; word: string; why: 'time' | 'page' }
  /** This chat (or the whole bot) has as many watches as it may. */
  | { kind: 'watch-limit'; max: number; scope: 'chat' | 'bot' }
  /** The same query is already watched here. */
  | { kind: 'watch-duplicate'; number: number }
  /** /unwatch with something other than a watch's number; `numbers`: the chat's watches'. */
  | { kind: 'unwatch-number'; input: string; numbers: number[] }
  /** Not on access.watch: may use the bot, but not start or stop watches. */
  | { kind: 'watch-refused'; contact: string }
  /** /digest with something other than a time of day or off. */
  | { kind: 'digest-time'; input: string }
  /** The bot keeps as many daily digests as it may. */
  | { kind: 'digest-limit'; max: number }
  /** What /stats cannot count: see StatsRefusal. */
  | { kind: 'stats-filter'; word: string; why: StatsRefusal };

/**
 * /stats counts the tickets of a period (created, or closed in it) with the list API's totals: no
 * update time, no page, at most a year, one time; no "unassigned" or score range (the API counts
 * neither).
 */
export type StatsRefusal = 'updated' | 'page' | 'too-long' | 'unassigned' | 'scores' | 'two-times';

/** The corrected queries a filter problem offers, in the order its card shows their buttons. */
export function fixesOf(problem: Problem): Fix[] {
  if (problem.kind !== 'filter') return [];
  const e = problem.error;
  if (e.kind === 'which-person' || e.kind === 'unknown-person') return e.choices;
  return 'fix' in e && e.fix ? [e.fix] : [];
}

export function problemFor(error: unknown, what: 'ticket' | 'list', ticketId?: string): Problem {
  // No token, no call at all: whatever the token endpoint answered, Feishu cannot be reached.
  if (error instanceof PlatformError && error.details.tokenEndpoint) return { kind: 'feishu-unreachable' };
  const kind = error instanceof PlatformError ? error.kind : 'upstream';
  switch (kind) {
    case 'not-found':
      return ticketId ? { kind: 'ticket-not-found', ticketId } : { kind: 'upstream', what };
    case 'unauthorized':
      return { kind: 'unauthorized' };
    case 'rate-limited':
      return { kind: 'rate-limited' };
    case 'busy':
      return { kind: 'busy' };
    case 'token':
      return { kind: 'feishu-unreachable' };
    case 'unreadable':
      return { kind: 'unreadable', what };
    case 'bad-request':
      return ticketId ? { kind: 'not-a-ticket-id', input: ticketId } : { kind: 'upstream', what };
    default:
      return { kind: 'upstream', what };
  }
}
