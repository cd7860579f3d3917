// Showing the filter form (`/tickets` alone, a list's Filter button) and answering its submission:
// the list its values give, read by the parser as typed words, or the form again, as submitted,
// saying what was wrong (the words of the error card the typed command would get).
import { describeQuery } from '../cards/describe.js';
import { filterFormCard, type FormDraft } from '../cards/filterForm.js';
import { problemWords } from '../cards/problem.js';
import { readTimeWords } from '../commands/filters/time.js';
import type { Problem } from '../commands/problems.js';
import type { CallOptions } from '../helpdesk/api.js';
import type { Directory } from '../helpdesk/directory.js';
import type { Audience } from './audience.js';
import { valueFor } from './audience.js';
import { draftOf, formWords, readForm, type Kept } from './filterForm.js';
import { showView, type Outcome, type ViewDeps } from './show.js';
import { understand, type Asker } from './tickets.js';
import type { ListState, View } from './view.js';

/** What the form needs besides a view's: the helpdesk's tags and agents, as the directory knows them. */
export type FormDeps = ViewDeps & { directory: Directory };

/** Agents and tags to offer: those the directory knows (read from the helpdesk if due), by name. */
async function choices(deps: FormDeps, call: CallOptions): Promise<{ agents: { id: string; name: string }[]; tags: string[] }> {
  const known = await deps.directory.refreshed(call).catch(() => deps.directory.known());
  const byName = (a: string, b: string) => a.localeCompare(b);
  return { agents: known.people.filter((p) => p.id.startsWith('ou_')).sort((a, b) => byName(a.name, b.name)), tags: [...known.tags].sort(byName) };
}

/** The form, filled in with `draft`; `keep` (signed, in its submit button) and `back` as given. */
async function formFor(draft: FormDraft, keep: Kept | undefined, back: ListState | undefined, audience: Audience, call: CallOptions, deps: FormDeps, problem?: Problem): Promise<Outcome> {
  const offered = await choices(deps, call);
  const names = back?.names ?? {};
  const owner = draft.owner?.startsWith('ou_') && !offered.agents.some((a) => a.id === draft.owner) ? [{ id: draft.owner, name: names[draft.owner] ?? draft.owner }] : [];
  const times = Object.fromEntries(Object.entries(keep?.times ?? {}).flatMap(([field, words]) => (words === undefined ? [] : [[field, readTimeWords(words)!]])));
  const kept = keep ? describeQuery(keep.filter, names, deps.timezone, { times, ...(keep.scores ? { scores: keep.scores } : {}) }) : undefined;
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
export function showFilterForm(list: ListState | undefined, audience: Audience, call: CallOptions, deps: FormDeps): Promise<Outcome> {
  const { draft, keep } = draftOf(list);
  return formFor(draft, keep, list, audience, call, deps);
}

/**
 * The form submitted: its values become the words `/tickets` would be typed with, and those words
 * the list (`shown`), as if typed by the person who clicked; or the form again, saying what was wrong.
 */
export async function showFiltered(view: View & { kind: 'filtered' }, formValue: unknown, asker: Asker, audience: Audience, call: CallOptions, deps: FormDeps): Promise<Outcome & { shown?: View }> {
  const read = readForm(formValue);
  if ('problem' in read) return formFor(draftOf(undefined).draft, view.keep, undefined, audience, call, deps, read.problem);
  const words = formWords(read.draft, view.keep);
  if ('problem' in words) return formFor(read.draft, view.keep, undefined, audience, call, deps, words.problem);
  const typed = await understand(words.words, asker, deps.clock(), deps.timezone, deps.directory, call);
  if ('problem' in typed) return formFor(read.draft, view.keep, undefined, audience, call, deps, typed.problem);
  const shown = await showView(typed.view, audience, call, deps);
  return { ...shown, shown: shown.view ?? typed.view };
}
