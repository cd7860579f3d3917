// The queue board: open tickets by status, unassigned, the oldest open ticket and the open tickets
// of each agent, every count a button that opens the matching list. It is kept current by the bot.
import { formatClock, formatTime, formatWhen, roughDuration } from './format.js';
import { button, card, clip, columns, esc, flow, footerRow, grey, header, joinL, l, mapL, markdown, plain, same, type Element, type Json, type L10n } from './kit.js';
import { statusLook } from './labels.js';
import { createdClosedChart } from './stats.js';

/** What the board shows (counted by src/watch/counts.ts). */
export interface BoardCounts {
  /** Each open status with the number of tickets in it. */
  byStatus: { status: number; count: number }[];
  /** Open tickets in all (the API's total). */
  open: number;
  /** How many open tickets were read for the figures below (all of them, unless capped). */
  read: number;
  unassigned: number;
  /** Agents with open tickets (any agent on a ticket, as the list API's agent filter counts). */
  agents: { id: string; name: string; count: number }[];
  /** `question`: what its customer asked (its first message), when known and not hidden here. */
  oldest?: { id: string; createdAt: number; guestId?: string; question?: string };
  /** The day so far by hour, for the chart under the counts; absent when it could not be counted. */
  today?: DayByHour;
}

/** Tickets created and closed in each hour of the day so far (`hours`: each hour's start). */
export interface DayByHour {
  hours: number[];
  created: number[];
  closed: number[];
  /** More tickets than were read: the counts are of those read. */
  partial: boolean;
}

export interface BoardActions {
  status(code: number): Json;
  unassigned: Json;
  /** Undefined for an agent whose id cannot be a filter. */
  agent(openId: string): Json | undefined;
  oldest?: Json;
  refresh: Json;
}

export interface BoardCardData {
  counts: BoardCounts;
  timezone: string;
  now: number;
  /** When the figures were last brought up to date (a count or a ticket event); now if not given. */
  asOf?: number;
  actions: BoardActions;
}

/** Agents shown as buttons; the rest are counted in a line. */
const BOARD_AGENTS = 12;

const n = (x: number) => x.toLocaleString('en-US');

/** A count as a button; nothing to open at zero. */
const countButton = (label: L10n, count: number, value: Json | undefined, primary = false): Element =>
  button({ text: mapL(label, (s) => `${clip(plain(s), 24)} · ${n(count)}`), kind: primary && count > 0 ? 'primary' : 'default', ...(count > 0 && value ? { value } : {}) });

/** "#id, open for 3 d (since 11-20 09:12)": how long, and since when, as the board stays in its chat. */
function oldestAge(oldest: { id: string; createdAt: number }, d: BoardCardData): L10n {
  const open = roughDuration(d.now - oldest.createdAt);
  const since = formatWhen(oldest.createdAt, d.now, d.timezone);
  return l(`#${esc(oldest.id)}，已开启 ${open.zh_cn}（${since} 起）`, `#${esc(oldest.id)}, open for ${open.en_us} (since ${since})`);
}

/** The day so far: created and closed per hour, with the totals in words. */
function todayChart(today: DayByHour, timezone: string): Element[] {
  const sum = (xs: number[]) => n(xs.reduce((a, b) => a + b, 0));
  const more = today.partial ? '+' : '';
  return [
    markdown(
      l(`**今天到现在**：新建 ${sum(today.created)}${more}，关闭 ${sum(today.closed)}${more}（按小时）`, `**Today so far**: ${sum(today.created)}${more} created, ${sum(today.closed)}${more} closed (by hour)`),
    ),
    createdClosedChart(
      today.hours.map((h) => formatTime(h, timezone).slice(11, 13)),
      today.created,
      today.closed,
      { height: 180 },
    ),
  ];
}

export function boardCard(d: BoardCardData): Json {
  const { counts: c, actions } = d;
  const subtitle = c.open === 0 ? l('没有未关闭的工单', 'No open tickets') : l(`${n(c.open)} 个未关闭的工单`, `${n(c.open)} open ${c.open === 1 ? 'ticket' : 'tickets'}`);
  const byStatus = flow(c.byStatus.map((s) => countButton(statusLook(s.status).label, s.count, actions.status(s.status))));
  const attention = flow([countButton(l('未分配', 'Unassigned'), c.unassigned, actions.unassigned, true)]);
  const oldestLine: Element[] = c.oldest
    ? [
        columns([
          {
            elements: [
              markdown(
                joinL([joinL([l('**最早的未关闭工单**', '**Oldest open ticket**'), oldestAge(c.oldest, d)], l('：', ': ')), ...(c.oldest.question ? [same(`💬 ${esc(clip(c.oldest.question, 120))}`)] : [])], '\n'),
              ),
            ],
            weight: 5,
          },
          ...(actions.oldest ? [{ elements: [button({ text: l('查看', 'Open'), value: actions.oldest })], width: 'auto' as const, align: 'center' as const }] : []),
        ]),
      ]
    : [];
  const shownAgents = c.agents.slice(0, BOARD_AGENTS);
  const moreAgents = c.agents.length - shownAgents.length;
  const agents: Element[] = c.agents.length
    ? [
        markdown(l('**按客服**（未关闭的工单）', '**By agent** (open tickets)')),
        flow(shownAgents.map((a) => countButton(same(a.name), a.count, actions.agent(a.id)))),
        ...(moreAgents > 0 ? [markdown(grey(l(`还有 ${moreAgents} 位客服有未关闭的工单。`, `${moreAgents} more agents have open tickets.`)))] : []),
      ]
    : [];
  const partial =
    c.read < c.open
      ? [
          markdown(
            mapL(
              l(
                `未分配、按客服和最早工单只统计了服务台列出的前 ${n(c.read)} 个未关闭工单（共 ${n(c.open)} 个）：列表接口没有这些条件，只能逐页读取。`,
                `Unassigned, per agent and oldest count the first ${n(c.read)} of the ${n(c.open)} open tickets the helpdesk listed: its list API has no filter for them, so the bot reads the tickets page by page.`,
              ),
              (s) => `<font color='orange'>${s}</font>`,
            ),
          ),
        ]
      : [];
  const clock = formatClock(d.asOf ?? d.now, d.timezone);
  return card(header({ title: l('工单看板', 'Queue board'), subtitle, color: 'indigo' }), [
    markdown(l('**按状态**', '**By status**')),
    byStatus,
    markdown(l('**待分配**', '**Needs an owner**')),
    attention,
    ...oldestLine,
    ...agents,
    ...(c.today ? todayChart(c.today, d.timezone) : []),
    ...partial,
    ...footerRow([button({ text: l('刷新', 'Refresh'), value: actions.refresh })], grey(l(`更新于 ${clock} · 工单变化时自动更新`, `as of ${clock} · updates itself as tickets change`))),
  ]);
}
