// The list card: the query as its title with the count, one row per ticket that leads with the
// guest and the ticket's state (status, owner, age), then what the customer asked, and an Open
// button; paging buttons only when there is more than one page.
import type { Ticket } from '../helpdesk/types.js';
import { MAX_REACHABLE_ROWS } from '../helpdesk/paging.js';
import type { FiltersUsed } from './describe.js';
import { formatClock, happened, ticketCount } from './format.js';
import { button, card, clip, columns, esc, fitCard, footerRow, grey, header, hr, inlineTag, joinL, l, mapL, markdown, plain, same, type Element, type Json, type L10n } from './kit.js';
import { statusLook } from './labels.js';

export interface ListCardData {
  /** The query in words, plain text (see describe.ts). */
  query: L10n;
  /** Which kinds of filter the query has, for the empty state's advice. */
  used: FiltersUsed;
  page: number;
  pageSize: number;
  total: number;
  /** The last page that can be shown. */
  lastPage: number;
  /** Matches past the list API's 10,000 rows cannot be reached. */
  capped: boolean;
  /** The bot filtered the matches itself and read this many of them (not all). */
  read?: { count: number; of: number };
  tickets: Ticket[];
  /** Each ticket's question (its first message; '' none), by id; a ticket not in it is not loaded yet. Absent: not shown here. */
  questions?: ReadonlyMap<string, string>;
  /** The agent the list is for: a row owned by someone else says this agent is on it too. */
  agentId?: string;
  agentName?: string | undefined;
  timezone: string;
  /** When the list was fetched. */
  now: number;
  /** The page asked for, when it was past the end and the last page is shown instead. */
  pastEnd?: number;
  /** Where guest names are hidden (privacy.masked_fields): rows lead with the id instead. */
  hideGuestName?: boolean;
  /** The `/tickets` words that give this list ("also: /tickets open 7d"), when words can. */
  also?: string;
  /** Button values. Previous / Next show only when `paged`; a missing prev/next is disabled. */
  actions: { open: (ticketId: string) => Json; prev?: Json; next?: Json; paged: boolean; refresh: Json; filter?: Json };
}

export function listCard(data: ListCardData): Json {
  const pageCount = Math.max(1, Math.ceil(data.total / data.pageSize));
  const subtitle =
    data.total === 0
      ? l('没有工单', 'No tickets')
      : pageCount > 1
        ? mapL(ticketCount(data.total), (s, loc) => (loc === 'zh_cn' ? `共 ${s} · 第 ${data.page}/${pageCount} 页` : `${s} · page ${data.page} of ${pageCount}`))
        : mapL(ticketCount(data.total), (s, loc) => (loc === 'zh_cn' ? `共 ${s}` : s));
  const head = header({ title: mapL(data.query, (s) => clip(plain(s), 100)), subtitle, color: data.total === 0 ? 'grey' : 'wathet' });

  const notes: L10n[] = [];
  if (data.pastEnd !== undefined) {
    notes.push(l(`第 ${data.pastEnd} 页已超出结果范围，这是最后一页（第 ${data.page} 页）。`, `Page ${data.pastEnd} is past the end; this is the last page, ${data.page}.`));
  }
  if (data.capped) {
    const limit = MAX_REACHABLE_ROWS.toLocaleString('en-US');
    notes.push(
      l(
        `<font color='orange'>服务台最多只能翻到前 ${limit} 个工单（第 ${data.lastPage} 页）。请缩小时间范围，例如加上 \`近7天\`。</font>`,
        `<font color='orange'>The helpdesk pages through at most the first ${limit} tickets (page ${data.lastPage}). Narrow by time, for example add \`7d\`.</font>`,
      ),
    );
  }
  if (data.read) {
    const [count, of] = [data.read.count.toLocaleString('en-US'), data.read.of.toLocaleString('en-US')];
    notes.push(
      l(
        `<font color='orange'>这些条件服务台不能直接筛选，机器人只读了符合其余条件的 ${of} 个工单中的前 ${count} 个。请缩小时间范围，例如加上 \`近7天\`。</font>`,
        `<font color='orange'>The helpdesk cannot filter by all of this, so the bot read the first ${count} of the ${of} tickets matching the rest. Narrow by time, for example add \`7d\`.</font>`,
      ),
    );
  }
  if (data.total === 0) notes.push(emptyAdvice(data.used));
  if (data.also !== undefined) notes.unshift(grey(l(`也可以直接输入 ${esc(`/tickets ${data.also}`.trim())}`, `also: ${esc(`/tickets ${data.also}`.trim())}`)));

  const render = (limits: RowLimits) =>
    card(head, [
      ...(notes.length ? [markdown(joinL(notes, '\n'))] : []),
      ...data.tickets.flatMap((t, i) => [
        ...(i > 0 || notes.length ? [hr()] : []),
        ticketRow(
          t,
          {
            now: data.now,
            timezone: data.timezone,
            open: data.actions.open(t.id),
            hideGuestName: data.hideGuestName === true,
            ...(data.questions ? { question: data.questions.get(t.id) ?? '' } : {}),
            ...(data.agentId ? { agent: { id: data.agentId, name: data.agentName } } : {}),
          },
          limits,
        ),
      ]),
      ...footer(data),
    ]);
  return fitCard(ROW_LEVELS, render, () => render(ROW_LEVELS[ROW_LEVELS.length - 1]!));
}

/** Speaks to the filters actually used: widen time only if a time was given, and so on. */
function emptyAdvice(used: FiltersUsed): L10n {
  const tips: L10n[] = [];
  if (used.time) tips.push(l('放宽时间范围，例如 `近30天`', 'widen the time range, e.g. `30d`'));
  if (used.status) tips.push(l('换一个状态，或去掉状态条件', 'try another status, or none'));
  if (used.people) tips.push(l('检查客服或用户是否写对', 'check the agent or guest'));
  if (used.other) tips.push(l('去掉一两个条件', 'drop a filter or two'));
  const none = !used.time && !used.status && !used.people && !used.other;
  const first = none ? l('服务台里还没有工单。', 'The helpdesk has no tickets yet.') : l('没有符合条件的工单。', 'No tickets match.');
  const todo = tips.length ? mapL(joinL(tips, l('；或', '; or ')), (s, loc) => (loc === 'zh_cn' ? `可以${s}。` : `You could ${s}.`)) : undefined;
  return joinL([first, ...(todo ? [todo] : []), grey(l('发送 `/help` 查看全部筛选条件。', 'Send `/help` for every filter.'))], l('', ' '));
}

function footer(data: ListCardData): Element[] {
  const asOf = grey(l(`更新于 ${formatClock(data.now, data.timezone)}`, `as of ${formatClock(data.now, data.timezone)}`));
  const buttons = [
    ...(data.actions.paged
      ? [
          button({ text: l('上一页', 'Previous'), ...(data.actions.prev ? { value: data.actions.prev } : {}) }),
          button({ text: l('下一页', 'Next'), kind: 'primary', ...(data.actions.next ? { value: data.actions.next } : {}) }),
        ]
      : []),
    button({ text: l('刷新', 'Refresh'), kind: data.actions.paged ? 'text' : 'default', value: data.actions.refresh }),
    ...(data.actions.filter ? [button({ text: l('筛选', 'Filter'), kind: data.actions.paged ? 'text' : 'default', value: data.actions.filter })] : []),
  ];
  return footerRow(buttons, asOf);
}

/** How much of each row to show; rows shrink if a page would not fit the 30 KB reply. */
export interface RowLimits {
  name: number;
  tags: number;
  /** In columns: a Chinese character takes two (see clipColumns). */
  question: number;
}
export const ROW_LEVELS: RowLimits[] = [
  { name: 40, tags: 4, question: 80 },
  { name: 20, tags: 1, question: 50 },
  { name: 10, tags: 0, question: 0 },
];

/** Wide characters (CJK, full-width forms, Hangul, emoji) take two columns of a line. */
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1faff}\u{20000}-\u{3fffd}]/u;

/** Shortens text to about one line of `columns` (a wide character counting two), marking the cut. */
function clipColumns(text: string, columns: number): string {
  let used = 0;
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  for (const [i, ch] of chars.entries()) {
    used += WIDE.test(ch) ? 2 : 1;
    if (used > columns) return `${chars.slice(0, Math.max(0, i - 1)).join('')}…`;
  }
  return chars.join('');
}

export interface RowOptions {
  now: number;
  timezone: string;
  /** The Open button's value. */
  open: Json;
  /** Where guest names are hidden (a group, by privacy.masked_fields): the row leads with the id. */
  hideGuestName?: boolean;
  /** What the customer asked (their first message); '' or absent: nothing is said. */
  question?: string;
  /** The agent the list is for: if someone else owns the ticket, the row says this one is on it too. */
  agent?: { id: string; name?: string | undefined };
  /** The card stays in a chat and is read later: times carry the clock time. */
  withClock?: boolean;
}

// A row leads with the guest and the ticket's state, then what the customer asked; the id and the
// tags come last, in grey.
export function ticketRow(t: Ticket, data: RowOptions, limits: RowLimits): Element {
  const status = statusLook(t.status);
  const guest = data.hideGuestName ? undefined : (t.guest?.name ?? t.guest?.id);
  const owner = t.agentOwner ?? t.agents[0];
  const ownerName = owner?.name ?? owner?.id;
  // Listed for an agent who does not own it: say they are on it too.
  const also = data.agent && owner?.id !== data.agent.id ? ([...t.agents, ...t.collaborators].find((p) => p.id === data.agent!.id)?.name ?? data.agent.name ?? data.agent.id) : undefined;
  const closed = (t.status ?? 0) >= 50 && t.closedAt !== undefined;
  const age = closed ? happened('closed', t.closedAt!, data.now, data.timezone, data.withClock) : t.createdAt !== undefined ? happened('opened', t.createdAt, data.now, data.timezone, data.withClock) : undefined;
  const state: L10n[] = [
    mapL(status.label, (s) => inlineTag(esc(s), status.tag)),
    ownerName ? same(esc(clip(ownerName, limits.name))) : grey(l('未分配', 'Unassigned')),
    ...(also !== undefined ? [grey(l(`其他客服 ${esc(clip(also, limits.name))}`, `also ${esc(clip(also, limits.name))}`))] : []),
    ...(age ? [age] : []),
  ];
  const first = joinL([same(guest ? `**${esc(clip(guest, limits.name))}**` : `**#${esc(t.id)}**`), joinL(state, ' · ')], ' ');
  const asked = data.question && limits.question > 0 ? [same(`💬 ${esc(clipColumns(data.question, limits.question))}`)] : [];
  const tags = limits.tags > 0 ? t.tags.slice(0, limits.tags).map((tag) => inlineTag(esc(clip(tag.name, 20)), 'blue')) : [];
  const last = same([`<font color='grey'>#${esc(t.id)}</font>`, ...tags].join(' '));
  return columns([
    { elements: [markdown(joinL([first, ...asked, last], '\n'))], weight: 5 },
    { elements: [button({ text: l('查看', 'Open'), value: data.open })], width: 'auto', align: 'center' },
  ]);
}
