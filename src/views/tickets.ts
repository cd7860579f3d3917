// /tickets <filters>: the words become a list view, or a card saying what was not understood with
// the corrected queries it offers, each as a view its button opens.
import { fixesOf, type Problem } from '../commands/problems.js';
import type { View } from './view.js';
import type { Mention } from '../jobs/types.js';
import { examplesFor, parseTicketQuery, type Known } from '../commands/filters/index.js';
import type { CallOptions } from '../helpdesk/api.js';
import type { Directory } from '../helpdesk/directory.js';

export interface Asker {
  openId: string;
  mentions: Mention[];
}

export type TicketsView = { view: View & { kind: 'list' } } | { problem: Problem; fixes: View[] };

/**
 * The words as a view, with the helpdesk's tags and people as the directory knows them; if the
 * words depend on those (a tag, a name, a word not understood) and they are due, they are read
 * from the helpdesk first. `newTags`: a tag not in use yet is taken as typed (a watch waits for it).
 */
export async function understand(args: string, asker: Asker, now: number, timezone: string, directory: Directory, call: CallOptions, newTags = false): Promise<TicketsView> {
  const known = await directory.known();
  const first = ticketsView(args, asker, now, timezone, known, newTags);
  if (!known.stale || !dependsOnKnown(first)) return first;
  return ticketsView(args, asker, now, timezone, await directory.refreshed(call), newTags);
}

/** Whether what the words came to could change with more tags or people known. */
function dependsOnKnown(shown: TicketsView): boolean {
  if ('view' in shown) return (shown.view.list.filter.tags?.length ?? 0) > 0;
  return shown.problem.kind === 'filter' && ['unknown-words', 'unknown-tag', 'unknown-person', 'which-person'].includes(shown.problem.error.kind);
}

/** `known`: the helpdesk's tags and people (the directory's), for tags and names as people type them. */
export function ticketsView(args: string, asker: Asker, now: number, timezone: string, known?: Known, newTags = false): TicketsView {
  const context = { now, timezone, askerOpenId: asker.openId, mentions: asker.mentions, ...(known ? { known } : {}), ...(newTags ? { newTags } : {}) };
  const parsed = parseTicketQuery(args, context);
  if (!parsed.ok) {
    const problem: Problem = { kind: 'filter', error: parsed.error, examples: examplesFor(parsed.error, now, timezone) };
    // Each fix was checked to parse: its button opens the list it asks for.
    const fixes = fixesOf(problem).flatMap((fix) => {
      const fixed = ticketsView(fix.text, asker, now, timezone, known, newTags);
      return 'view' in fixed ? [fixed.view] : [];
    });
    return { problem, fixes };
  }
  const { filter, times, scores, unassigned, page, names } = parsed.query;
  const mine = filter.agentId === asker.openId && !names[asker.openId];
  // Times travel as words and are resolved whenever the list is shown (see listing.ts).
  const { created: _created, updated: _updated, ...rest } = filter;
  return {
    view: {
      kind: 'list',
      list: {
        filter: rest,
        ...(Object.keys(times).length ? { times } : {}),
        ...(scores ? { scores } : {}),
        page,
        names,
        ...(mine ? { mine } : {}),
        ...(unassigned ? { unassigned } : {}),
      },
    },
  };
}
