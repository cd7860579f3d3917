// The detail card for one ticket: every field the get API returns, absent fields left out.
import type { Person, Ticket } from '../src/helpdesk/types.js';
import { formatDuration, formatTime, zoneLabel } from './format.js';
import {
  button,
  card,
  clip,
  columns,
  esc,
  header,
  hr,
  inlineTag,
  joinL,
  l,
  mapL,
  markdown,
  panel,
  same,
  table,
  type Element,
  type Json,
  type L10n,
} from './kit.js';
import { channelLabel, scoreLabel, solvedLabel, statusLook, typeLabel } from './labels.js';

/** Guest details that can be hidden, e.g. in group chats. */
export type GuestField = 'email' | 'department' | 'city' | 'country' | 'name';

export interface TicketCardOptions {
  timezone: string;
  /** Guest fields to hide; they show as "hidden" rather than disappearing, so nobody wonders. */
  hide?: readonly GuestField[];
  /** Button values; a button is shown only when its value is given. */
  actions?: { refresh?: Json; back?: Json };
}

/** How much of long lists and texts to show. A card must stay under 30 KB (error 230025). */
interface Limits {
  people: number;
  tags: number;
  fields: number;
  fieldValue: number;
  comments: number;
  comment: number;
}
const LEVELS: Limits[] = [
  { people: 20, tags: 30, fields: 30, fieldValue: 300, comments: 5, comment: 1500 },
  { people: 8, tags: 12, fields: 12, fieldValue: 120, comments: 2, comment: 500 },
  { people: 3, tags: 5, fields: 5, fieldValue: 60, comments: 1, comment: 200 },
];
const BUDGET_BYTES = 24 * 1024;

export function ticketCard(ticket: Ticket, options: TicketCardOptions): Json {
  let rendered: Json = {};
  for (const limits of LEVELS) {
    rendered = render(ticket, options, limits);
    if (Buffer.byteLength(JSON.stringify(rendered)) <= BUDGET_BYTES) break;
  }
  return rendered;
}

function render(ticket: Ticket, options: TicketCardOptions, limits: Limits): Json {
  const status = statusLook(ticket.status);
  const elements: Element[] = [
    ...overview(ticket),
    ...guestSection(ticket.guest, options.hide ?? []),
    ...peopleSection(ticket, limits),
    ...timesSection(ticket, options.timezone),
    ...durationsSection(ticket),
    ...tagsSection(ticket, limits),
    ...customFieldsSection(ticket, limits),
    ...commentsSection(ticket, options.timezone, limits),
    ...actionRow(options.actions),
  ];
  const headerTags = [{ text: status.label, color: status.tag }];
  if (ticket.type !== undefined) headerTags.push({ text: typeLabel(ticket.type), color: 'neutral' });
  return card(
    header({
      title: l(`工单 ${ticket.id}`, `Ticket ${ticket.id}`),
      ...(ticket.guest?.name && !(options.hide ?? []).includes('name') ? { subtitle: same(clip(ticket.guest.name, 60)) } : {}),
      color: status.header,
      tags: headerTags,
    }),
    elements,
  );
}

/** "**Label**: value" in both languages; the value must already be escaped markdown. */
const field = (label: L10n, value: L10n): L10n => joinL([mapL(label, (s) => `**${s}**`), value], l('：', ': '));
const lines = (items: (L10n | undefined)[]): L10n => joinL(items.filter((x): x is L10n => x !== undefined), '\n');
const section = (title: L10n, body: (L10n | undefined)[]): Element[] => {
  const present = body.filter((x): x is L10n => x !== undefined);
  return present.length ? [hr(), markdown(lines([mapL(title, (s) => `**${s}**`), ...present]))] : [];
};
const grey = (text: L10n): L10n => mapL(text, (s) => `<font color='grey'>${s}</font>`);

function overview(t: Ticket): Element[] {
  const status = statusLook(t.status);
  const parts: L10n[] = [
    field(l('工单号', 'ID'), same(esc(t.id))),
    field(l('状态', 'Status'), mapL(status.label, (s) => inlineTag(esc(s), status.tag))),
  ];
  if (t.type !== undefined) parts.push(field(l('类型', 'Type'), typeLabel(t.type)));
  if (t.channel !== undefined) parts.push(field(l('渠道', 'Channel'), channelLabel(t.channel)));
  if (t.solved !== undefined) {
    const s = solvedLabel(t.solved);
    parts.push(field(l('是否解决', 'Solved'), mapL(s.label, (x) => inlineTag(x, s.color))));
  }
  if (t.score !== undefined) {
    const s = scoreLabel(t.score);
    parts.push(field(l('评分', 'Score'), mapL(s.label, (x) => inlineTag(`${t.score} · ${x}`, s.color))));
  }
  const reason = t.dissatisfactionReason;
  const reasonText = reason && (reason.zh_cn ?? reason.en_us ?? reason.ja_jp);
  if (reason && reasonText) {
    parts.push(field(l('不满意原因', 'Dissatisfaction reason'), l(esc(reason.zh_cn ?? reasonText), esc(reason.en_us ?? reasonText))));
  }
  return [markdown(lines(parts))];
}

function guestSection(guest: Person | undefined, hide: readonly GuestField[]): Element[] {
  if (!guest) return [];
  const hidden = grey(l('群聊中隐藏，私聊机器人可查看', 'hidden in group chats; ask the bot in a direct message'));
  const show = (key: GuestField, label: L10n, value: string | undefined) =>
    value === undefined ? undefined : field(label, hide.includes(key) ? hidden : same(esc(value)));
  const place = [guest.city, guest.country].filter((x): x is string => x !== undefined);
  const placeHidden = hide.includes('city') || hide.includes('country');
  return section(l('用户', 'Guest'), [
    show('name', l('姓名', 'Name'), guest.name ?? (guest.id && !hide.includes('name') ? guest.id : undefined)),
    show('department', l('部门', 'Department'), guest.department),
    place.length ? field(l('地区', 'Location'), placeHidden ? hidden : same(esc(place.join(', ')))) : undefined,
    show('email', l('邮箱', 'Email'), guest.email),
  ]);
}

const personName = (p: Person) => esc(p.name ?? p.id ?? '?');
function peopleList(people: Person[], max: number): L10n | undefined {
  if (people.length === 0) return undefined;
  const shown = people.slice(0, max).map(personName).join(', ');
  const more = people.length - max;
  return more > 0 ? l(`${shown} 等 ${people.length} 人`, `${shown} and ${more} more`) : same(shown);
}

function peopleSection(t: Ticket, limits: Limits): Element[] {
  const agents = peopleList(t.agents, limits.people);
  const collaborators = peopleList(t.collaborators, limits.people);
  return section(l('处理人', 'People'), [
    agents && field(l('客服', 'Agents'), agents),
    t.agentOwner && field(l('主责客服', 'Agent owner'), same(personName(t.agentOwner))),
    collaborators && field(l('协作者', 'Collaborators'), collaborators),
    t.closedBy && field(l('关单人', 'Closed by'), same(personName(t.closedBy))),
  ]);
}

function timesSection(t: Ticket, timezone: string): Element[] {
  const at = (label: L10n, ms: number | undefined) => (ms === undefined ? undefined : field(label, same(formatTime(ms, timezone))));
  const anchor = t.createdAt ?? t.updatedAt ?? t.closedAt ?? 0;
  return section(l(`时间（${zoneLabel(timezone, anchor)}）`, `Times (${zoneLabel(timezone, anchor)})`), [
    at(l('创建', 'Created'), t.createdAt),
    at(l('更新', 'Updated'), t.updatedAt),
    at(l('关闭', 'Closed'), t.closedAt),
    at(l('客服接入', 'Agent joined'), t.agentEntryAt),
    at(l('客服首次回复', 'Agent first reply'), t.agentFirstResponseAt),
    at(l('客服最后回复', 'Agent last reply'), t.agentLastResponseAt),
  ]);
}

function durationsSection(t: Ticket): Element[] {
  const d = t.durations;
  const row = (label: L10n, ms: number | undefined) => (ms === undefined ? undefined : field(label, formatDuration(ms)));
  const rows = [
    row(l('机器人服务时长', 'Bot service'), d.botService),
    row(l('客服首次响应时长', 'Agent first response'), d.agentFirstResponse),
    row(l('客服服务时长', 'Agent service'), d.agentService),
    row(l('客服解决时长', 'Agent resolution'), d.agentResolution),
    row(l('实际处理时长', 'Actual processing'), d.actualProcessing),
  ].filter((x): x is L10n => x !== undefined);
  return rows.length ? [panel(l('**时长**', '**Durations**'), [markdown(lines(rows))], true)] : [];
}

function tagsSection(t: Ticket, limits: Limits): Element[] {
  if (t.tags.length === 0) return [];
  const more = t.tags.length - limits.tags;
  const tags = t.tags.slice(0, limits.tags).map((tag) => inlineTag(esc(clip(tag.name, 40)), 'blue')).join(' ');
  return section(l('标签', 'Tags'), [more > 0 ? l(`${tags} 等 ${t.tags.length} 个`, `${tags} and ${more} more`) : same(tags)]);
}

function customFieldsSection(t: Ticket, limits: Limits): Element[] {
  if (t.customFields.length === 0) return [];
  const rows = t.customFields.slice(0, limits.fields).map((f) => ({ field: clip(f.label, 60), value: clip(f.value, limits.fieldValue) }));
  return [
    hr(),
    markdown(l('**自定义字段**', '**Custom fields**')),
    table(
      [
        { name: 'field', title: '字段 Field', width: '35%' },
        { name: 'value', title: '值 Value' },
      ],
      rows,
      10,
    ),
  ];
}

function commentsSection(t: Ticket, timezone: string, limits: Limits): Element[] {
  if (t.comments.length === 0) return [];
  const blocks = t.comments.slice(0, limits.comments).map((c) => {
    const by = [c.authorName ? esc(c.authorName) : undefined, c.createdAt ? formatTime(c.createdAt, timezone) : undefined].filter(Boolean).join(' · ');
    const body = esc(clip(c.content, limits.comment), { keepLines: true });
    return by ? same(`<font color='grey'>${by}</font>\n${body}`) : same(body);
  });
  return section(l('备注', 'Comment'), blocks);
}

function actionRow(actions: TicketCardOptions['actions']): Element[] {
  if (!actions?.refresh && !actions?.back) return [];
  const buttons = [
    actions.back && button({ text: l('返回列表', 'Back to list'), value: actions.back }),
    actions.refresh && button({ text: l('刷新', 'Refresh'), value: actions.refresh }),
  ].filter((b): b is Element => b !== undefined);
  return [hr(), columns(buttons.map((b) => ({ elements: [b], width: 'auto' })))];
}
