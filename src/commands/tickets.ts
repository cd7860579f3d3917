// /tickets <filters>: the words become a list view, or a card saying which word was not understood.
import type { Problem } from '../../cards/problem.js';
import type { View } from '../actions/values.js';
import type { Mention } from '../feishu/types.js';
import { FILTER_EXAMPLES, parseTicketQuery } from './filters/index.js';

export interface Asker {
  openId: string;
  mentions: Mention[];
}

export function ticketsView(args: string, asker: Asker, now: number, timezone: string): { view: View } | { problem: Problem } {
  const parsed = parseTicketQuery(args, { now, timezone, askerOpenId: asker.openId, mentions: asker.mentions });
  if (!parsed.ok) return { problem: { kind: 'filter', error: parsed.error, examples: FILTER_EXAMPLES } };
  const { filter, page, names } = parsed.query;
  const mine = filter.agentId === asker.openId && !names[asker.openId];
  return { view: { kind: 'list', list: { filter, page, names, ...(mine ? { mine } : {}) } } };
}
