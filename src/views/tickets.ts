// /tickets <filters>: the words become a list view, or a card saying which word was not understood.
import type { Problem } from '../commands/problems.js';
import type { View } from './view.js';
import type { Mention } from '../jobs/types.js';
import { lastReachablePage } from '../helpdesk/paging.js';
import { examplesFor, parseTicketQuery } from '../commands/filters/index.js';

export interface Asker {
  openId: string;
  mentions: Mention[];
}

export function ticketsView(args: string, asker: Asker, now: number, timezone: string, pageSize: number): { view: View } | { problem: Problem } {
  const parsed = parseTicketQuery(args, { now, timezone, askerOpenId: asker.openId, mentions: asker.mentions, maxPage: lastReachablePage(pageSize) });
  if (!parsed.ok) return { problem: { kind: 'filter', error: parsed.error, examples: examplesFor(parsed.error, now, timezone) } };
  const { filter, times, page, names } = parsed.query;
  const mine = filter.agentId === asker.openId && !names[asker.openId];
  // Times travel as words and are resolved whenever the list is shown (see show.ts).
  const { created: _created, updated: _updated, ...rest } = filter;
  return { view: { kind: 'list', list: { filter: rest, ...(Object.keys(times).length ? { times } : {}), page, names, ...(mine ? { mine } : {}) } } };
}
