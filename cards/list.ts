// The list card: what was asked, how many matched, one compact row per ticket with an open
// button, and previous / next / refresh buttons.
import type { Ticket } from '../src/helpdesk/types.js';
import { MAX_REACHABLE_ROWS, pages } from '../src/helpdesk/paging.js';
import { formatTime } from './format.js';
import { button, card, clip, columns, esc, header, hr, inlineTag, joinL, l, mapL, markdown, same, type Element, type Json, type L10n } from './kit.js';
import { statusLook } from './labels.js';

export interface ListCardData {
  /** The filters in words, already markdown-safe (see describe.ts). */
  description: L10n;
  page: number;
  pageSize: number;
  total: number;
  tickets: Ticket[];
  timezone: string;
  /** Button values; a missing prev/next renders that button disabled. */
  actions: { open: (ticketId: string) => Json; prev?: Json; next?: Json; refresh: Json };
}

export function listCard(data: ListCardData): Json {
  const p = pages(data.total, data.pageSize);
  const count = data.total.toLocaleString('en-US');
  const summary = data.total === 0
    ? l('没有符合条件的工单。可以放宽时间范围，或发送 `/help` 查看筛选条件。', 'No tickets match. Try a wider time range, or send `/help` for the filters.')
    : l(`共 **${count}** 个工单 · 第 ${data.page} / ${p.total} 页`, `**${count}** tickets · page ${data.page} of ${p.total}`);
  const top: L10n[] = [mapL(l('**条件**：', '**Filters**: '), (s, loc) => s + data.description[loc]), summary];
  if (p.capped) {
    const limit = MAX_REACHABLE_ROWS.toLocaleString('en-US');
    top.push(
      l(
        `<font color='orange'>服务台最多只能翻到前 ${limit} 个工单（第 ${p.lastReachable} 页）。请缩小时间范围，例如加上 \`近7天\` 或日期区间。</font>`,
        `<font color='orange'>The helpdesk pages through at most the first ${limit} tickets (page ${p.lastReachable}). Narrow by time, for example add \`7d\` or a date range.</font>`,
      ),
    );
  }
  if (data.total > 0 && data.tickets.length === 0) {
    top.push(l('这一页没有工单了。', 'This page is past the last ticket.'));
  }

  const head = header({ title: l('工单列表', 'Tickets'), color: 'wathet' });
  let rendered: Json = {};
  for (const limits of ROW_LEVELS) {
    rendered = card(head, [markdown(joinL(top, '\n')), ...data.tickets.flatMap((t) => [hr(), row(t, data, limits)]), ...footer(data)]);
    if (Buffer.byteLength(JSON.stringify(rendered)) <= BUDGET_BYTES) break;
  }
  return rendered;
}

function footer(data: ListCardData): Element[] {
  return [
    hr(),
    columns(
      [
        button({ text: l('上一页', 'Previous'), ...(data.actions.prev ? { value: data.actions.prev } : {}) }),
        button({ text: l('下一页', 'Next'), kind: 'primary', ...(data.actions.next ? { value: data.actions.next } : {}) }),
        button({ text: l('刷新', 'Refresh'), kind: 'text', value: data.actions.refresh }),
      ].map((b) => ({ elements: [b], width: 'auto' as const })),
    ),
  ];
}

/** How much of each row to show; rows shrink if a page would not fit the card size budget. */
interface RowLimits {
  name: number;
  tags: number;
}
const ROW_LEVELS: RowLimits[] = [
  { name: 40, tags: 4 },
  { name: 20, tags: 1 },
  { name: 12, tags: 0 },
];
const BUDGET_BYTES = 16 * 1024;

// Row details use symbols instead of words, so they are the same in both languages and sent once.
function row(t: Ticket, data: ListCardData, limits: RowLimits): Element {
  const status = statusLook(t.status);
  const first = mapL(status.label, (s) => `**#${esc(t.id)}** ${inlineTag(esc(s), status.tag)}`);
  const facts: string[] = [];
  const guest = t.guest?.name ?? t.guest?.id;
  if (guest) facts.push(`👤 ${esc(clip(guest, limits.name))}`);
  const agent = t.agentOwner ?? t.agents[0];
  const agentName = agent?.name ?? agent?.id;
  if (agentName) facts.push(`🎧 ${esc(clip(agentName, limits.name))}`);
  if (t.createdAt) facts.push(`🕒 ${formatTime(t.createdAt, data.timezone)}`);
  const details: string[] = [];
  if (facts.length) details.push(`<font color='grey'>${facts.join(' · ')}</font>`);
  if (t.tags.length && limits.tags > 0) details.push(t.tags.slice(0, limits.tags).map((tag) => inlineTag(esc(clip(tag.name, 20)), 'blue')).join(' '));
  // The status line differs by language; the details do not, so they go in their own element.
  const text = [markdown(first), ...(details.length ? [markdown(same(details.join('\n')))] : [])];
  return columns([
    { elements: text, weight: 5 },
    { elements: [button({ text: l('查看', 'Open'), value: data.actions.open(t.id) })], width: 'auto', align: 'center' },
  ]);
}
