// Showing the filter form (`/tickets` alone, a list's Filter button) and answering its submission:
// the list its values give, read by the parser as typed words, or the form again, as submitted,
// saying what was wrong (the words of the error card the typed command would get).
import { describeQuery } from '../cards/describe.js';
import { filterFormCard, type FormDraft } from '../cards/filterForm.js';
import { problemWords } from '../cards/problem.js';
import { readTimeWords } from '../commands/filters/time.js';
import { OPEN_STATUSES } from '../commands/filters/vocabulary.js';
import type { Problem } from '../commands/problems.js';
import type { CallOptions } from '../helpdesk/api.js';
import { ownerOf, readTickets } from '../helpdesk/read.js';
import type { Audience } from './audience.js';
import { valueFor } from './audience.js';
import { draftOf, formWords, readForm, type Kept } from './filterForm.js';
import { showView, type Outcome, type ViewDeps } from './show.js';
import { ticketsView, type Asker } from './tickets.js';
import type { ListState, View } from './view.js';

/** Agents and tags to offer: those on the open tickets (the board's read, from the same cache), most tickets first. */
async function choices(deps: ViewDeps, call: CallOptions): Promise<{ agents: { id: string; name: string }[]; tags: string[] }> {
  const read = await readTickets(deps.helpdesk, { statuses: [...OPEN_STATUSES] }, call).catch(() => ({ tickets: [] }));
  const agents = new Map<string, { id: string; name: string; n: number }>();
  const tags = new Map<string, number>();
  for (const t of read.tickets) {
    const owner = ownerOf(t);
    if (owner?.id.startsWith('ou_')) agents.set(owner.id, { id: owner.id, name: owner.name ?? owner.id, n: (agents.get(owner.id)?.n ?? 0) + 1 });
    for (const tag of t.tags) tags.set(tag.name, (tags.get(tag.name) ?? 0) + 1);
  }
  return {
    agents: [...agents.values()].sort((a, b) => b.n - a.n || a.name.localeCompare(b.name)).map(({ id, name }) => ({ id, name })),
    tags: [...tags.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([tag]) => tag),
  };
}

/** The form, filled in with `draft`; `keep` (signed, in its submit button) and `back` as given. */
async function formFor(draft: FormDraft, keep: Kept | undefined, back: ListState | undefined, audience: Audience, call: CallOptions, deps: ViewDeps, problem?: Problem): Promise<Outcome> {
  const offered = await choices(deps, call);
  const names = back?.names ?? {};
  const owner = draft.owner && draft.owner !== 'me' && !offered.agents.some((a) => a.id === draft.owner) ? [{ id: draft.owner, name: names[draft.owner] ?? draft.owner }] : [];
  const times = { ...(keep?.times?.updated ? { updated: readTimeWords(keep.times.updated)! } : {}) };
  const kept = keep ? describeQuery(keep.filter, names, deps.timezone, { times }) : undefined;
  const card = filterFormCard({
    draft,
    agents: [...owner, ...offered.agents],
    tags: [...draft.tags.filter((t) => !offered.tags.includes(t)), ...offered.tags],
    ...(kept ? { kept } : {}),
    ...(problem ? { problem: problemWords(problem) } : {}),
    timezone: deps.timezone,
    now: deps.clock(),
    actions: {
      submit: valueFor(deps, audience, { kind: 'filtered', ...(keep ? { keep } : {}) }),
      ...(back ? { back: valueFor(deps, audience, { kind: 'list', list: back }) } : {}),
    },
  });
  return { card, outcome: problem ? problem.kind : 'ok', ticketIds: [] };
}

/** `/tickets` alone, or a list's Filter: the form, filled in with the list's filters. */
export function showFilterForm(list: ListState | undefined, audience: Audience, call: CallOptions, deps: ViewDeps): Promise<Outcome> {
  const { draft, keep } = draftOf(list);
  return formFor(draft, keep, list, audience, call, deps);
}

/**
 * The form submitted: its values become the words `/tickets` would be typed with, and those words
 * the list (`shown`), as if typed by the person who clicked; or the form again, saying what was wrong.
 */
export async function showFiltered(view: View & { kind: 'filtered' }, formValue: unknown, asker: Asker, audience: Audience, call: CallOptions, deps: ViewDeps): Promise<Outcome & { shown?: View }> {
  const read = readForm(formValue);
  if ('problem' in read) return formFor(draftOf(undefined).draft, view.keep, undefined, audience, call, deps, read.problem);
  const words = formWords(read.draft, view.keep);
  if ('problem' in words) return formFor(read.draft, view.keep, undefined, audience, call, deps, words.problem);
  const typed = ticketsView(words.words, asker, deps.clock(), deps.timezone, deps.pageSize);
  if ('problem' in typed) return formFor(read.draft, view.keep, undefined, audience, call, deps, typed.problem);
  if (typed.view.kind !== 'list') return formFor(read.draft, view.keep, undefined, audience, call, deps, { kind: 'upstream', what: 'list' });
  return { ...(await showView(typed.view, audience, call, deps)), shown: typed.view };
}
