// Text (bot mention already removed) -> which command, with its raw arguments. Filters for
// /tickets are parsed by filters/, where the asker and mentions are known.
import { closestWord } from './distance.js';
import type { Problem } from './problems.js';

export type Command =
  /** `ignored`: words after the id, which are not used (the card says so). */
  | { kind: 'ticket'; id: string; ignored?: string }
  | { kind: 'tickets'; args: string }
  /** `args` empty: list the chat's watches. */
  | { kind: 'watch'; args: string }
  /** `args` empty: list the chat's watches (to pick one). */
  | { kind: 'unwatch'; args: string }
  | { kind: 'board' }
  /** `args`: a time and filters, as for /tickets; empty: the last 7 days. */
  | { kind: 'stats'; args: string }
  /** `args`: a time of day, `off`, or empty (show the chat's setting). */
  | { kind: 'digest'; args: string }
  | { kind: 'help' }
  /** Forget the asker's sign-in (their tokens). */
  | { kind: 'signout' }
  | { kind: 'problem'; problem: Problem };

const ALIASES: Record<string, 'ticket' | 'tickets' | 'watch' | 'unwatch' | 'board' | 'stats' | 'digest' | 'help' | 'signout'> = {
  ticket: 'ticket',
  t: 'ticket',
  工单: 'ticket',
  tickets: 'tickets',
  ts: 'tickets',
  工单列表: 'tickets',
  watch: 'watch',
  关注: 'watch',
  unwatch: 'unwatch',
  取消关注: 'unwatch',
  board: 'board',
  看板: 'board',
  stats: 'stats',
  // What people type for it without reading the help (a near miss like /stat is asked about).
  statistics: 'stats',
  统计: 'stats',
  digest: 'digest',
  日报: 'digest',
  help: 'help',
  帮助: 'help',
  '?': 'help',
  signout: 'signout',
  退出登录: 'signout',
};
const COMMAND_WORDS = Object.keys(ALIASES).filter((w) => w.length > 1);
/** Without a slash only the full words count, so "t" or "?" in chatter is not a command. */
const BARE_WORDS = new Set(['ticket', '工单', 'tickets', '工单列表', 'help', '帮助', 'board', '看板', 'stats', '统计']);

const TICKET_ID = /^\d{1,32}$/;
/** Longer messages are not read as commands: the answer says how long a command may be. */
const MAX_COMMAND_CHARS = 1000;
const MENTION = /^@_[A-Za-z0-9_]+$/;

export function parseCommand(text: string): Command {
  const length = [...text.trim()].length;
  if (length > MAX_COMMAND_CHARS) return { kind: 'problem', problem: { kind: 'too-long', length, limit: MAX_COMMAND_CHARS } };
  const tokens = text.normalize('NFKC').trim().split(/\s+/).filter(Boolean);
  // Leading mentions of other people ("@alice @bot /ticket 1") are not the command.
  while (tokens.length && MENTION.test(tokens[0]!)) tokens.shift();
  const first = tokens.shift();
  if (first === undefined) return { kind: 'help' };
  // A ticket id on its own ("@bot 6626871355780366331", or just the id in a DM) shows that ticket.
  const bare = first.replace(/^#/, '');
  if (tokens.length === 0 && TICKET_ID.test(bare)) return { kind: 'ticket', id: bare };

  const slashed = first.startsWith('/');
  const word = (slashed ? first.slice(1) : first).toLowerCase();
  const kind = slashed ? ALIASES[word] : BARE_WORDS.has(word) ? ALIASES[word] : undefined;
  if (!kind) {
    const suggestion = slashed ? suggest(word) : undefined;
    return { kind: 'problem', problem: { kind: 'unknown-command', word: first, ...(suggestion ? { suggestion } : {}) } };
  }
  if (kind === 'help') return { kind: 'help' };
  if (kind === 'board') return { kind: 'board' };
  if (kind === 'signout') return { kind: 'signout' };
  if (kind === 'tickets' || kind === 'watch' || kind === 'unwatch' || kind === 'stats' || kind === 'digest') return { kind, args: tokens.join(' ') };

  const id = tokens[0]?.replace(/^#/, '');
  if (id === undefined) return { kind: 'problem', problem: { kind: 'missing-ticket-id', command: first } };
  if (!TICKET_ID.test(id)) return { kind: 'problem', problem: { kind: 'not-a-ticket-id', input: tokens[0]! } };
  const rest = tokens.slice(1).join(' ');
  return rest ? { kind: 'ticket', id, ignored: rest } : { kind: 'ticket', id };
}

function suggest(word: string): string | undefined {
  if (!word) return undefined;
  const best = closestWord(word, COMMAND_WORDS);
  return best && best.distance <= Math.max(1, Math.floor(best.word.length / 3)) ? `/${best.word}` : undefined;
}
