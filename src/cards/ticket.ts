// The detail card for one ticket. It leads with what the customer said (their first message) and
// the state of the ticket (status, guest, owner, how long, tags); the latest messages follow in a
// panel; custom fields, times and durations wait in collapsed panels. Absent fields are left out.
import type { Conversation, Message, Person, Ticket } from '../helpdesk/types.js';
import { agoAt, formatClock, formatDuration, formatTime, formatWhen, roughDuration, zoneLabel } from './format.js';
import { button, card, clip, esc, fitCard, footerRow, grey, header, inlineTag, joinL, l, mapL, markdown, panel, plain, same, type Element, type Json, type L10n } from './kit.js';
import { channelLabel, scoreLabel, solvedLabel, statusLook, typeLabel } from './labels.js';
import { actionArea, type ActionArea } from './ticketActions.js';

/** Guest details that can be hidden, e.g. in group chats. */
export type GuestField = 'email' | 'department' | 'city' | 'country' | 'name';
/** What privacy.masked_fields can hide: guest details, and the conversation with the guest. */
export type MaskedField = GuestField | 'conversation';

/** The conversation as the card gets it: loaded, not loadable, or hidden from this chat. */
export type ConversationState = Conversation | 'failed' | 'hidden';

export interface TicketCardOptions {
  timezone: string;
  /** When the ticket was fetched: relative times count from it, and the card says "as of". */
  now: number;
  /** Fields to hide; they show as "hidden" rather than disappearing, so nobody wonders. */
  hide?: readonly MaskedField[];
  /** Absent when the conversation was not asked for. */
  conversation?: ConversationState;
  /** Button values; a button is shown only when its value is given. */
  actions?: { refresh?: Json; back?: Json };
  /** Words typed after the ticket id, which were not used: the card says so first. */
  ignored?: string;
  /** What agents can do from the card (ticketActions.ts); none on a card that only shows. */
  acting?: ActionArea;
}

/** How much of long lists and texts to show, level by level, until the reply fits in 30 KB. */
interface Limits {
  summary: number;
  people: number;
  name: number;
  tags: number;
  fields: number;
  fieldValue: number;
  messages: number;
  message: number;
  comment: number;
}
const LEVELS: Limits[] = [
  { summary: 300, people: 10, name: 60, tags: 12, fields: 20, fieldValue: 300, messages: 4, message: 500, comment: 1000 },
  { summary: 200, people: 5, name: 40, tags: 6, fields: 10, fieldValue: 100, messages: 3, message: 200, comment: 300 },
  { summary: 120, people: 2, name: 24, tags: 3, fields: 4, fieldValue: 40, messages: 2, message: 80, comment: 80 },
];

export function ticketCard(ticket: Ticket, options: TicketCardOptions): Json {
  return fitCard(
    LEVELS,
    (limits) => render(ticket, options, limits),
    () => tooLarge(ticket, options),
  );
}

const bold = (text: L10n): L10n => mapL(text, (s) => `**${s}**`);
const field = (label: L10n, value: L10n): L10n => joinL([bold(label), value], l('：', ': '));
const present = <T>(items: (T | undefined | false)[]): T[] => items.filter((x): x is T => x !== undefined && x !== false);
const lines = (items: (L10n | undefined)[]): L10n => joinL(present(items), '\n');
const hiddenHere = grey(l('群聊中隐藏，私聊机器人可查看', 'hidden in group chats; ask the bot in a direct message'));

/** The ticket's id as the title, its status (and kind) as tags; a subtitle says why it was posted. */
export function cardHeader(t: Ticket, subtitle?: L10n): Json {
  const status = statusLook(t.status);
  const tags = [{ text: status.label, color: status.tag }];
  if (t.type !== undefined) tags.push({ text: typeLabel(t.type), color: 'neutral' });
  return header({ title: l(`工单 ${plain(t.id)}`, `Ticket ${plain(t.id)}`), color: status.header, tags, ...(subtitle ? { subtitle } : {}) });
}

function render(t: Ticket, o: TicketCardOptions, limits: Limits): Json {
  const top = present<L10n>([o.ignored !== undefined && grey(ignoredNote(t.id, o.ignored)), summary(t, o.conversation, limits), facts(t, o, limits)]);
  return card(cardHeader(t), [
    markdown(joinL(top, '\n')),
    ...conversationPanel(t, o, limits),
    ...commentSection(t, o.timezone, limits),
    ...customFieldsPanel(t, limits),
    ...timesPanel(t, o.timezone),
    ...(o.acting ? actionArea(o.acting, o.timezone, o.now) : []),
    ...footer(o, t),
  ]);
}

/** When even the smallest level does not fit: the ticket's state and a way to see the rest. */
function tooLarge(t: Ticket, o: TicketCardOptions): Json {
  const text = l('这个工单的内容太多，卡片放不下。请在服务台里查看完整内容。', 'This ticket holds more than a card can carry; open it in the helpdesk to see everything.');
  return card(cardHeader(t), [markdown(joinL([facts(t, { ...o, hide: [...(o.hide ?? []), 'email'] }, LEVELS[LEVELS.length - 1]!), grey(text)], '\n')), ...footer(o, t)]);
}

/** `/ticket 1 OR 1=1`: only the id is used, and the card says what was left out. */
export function ignoredNote(id: string, ignored: string): L10n {
  const rest = esc(clip(ignored, 60));
  return l(`只按工单号 ${esc(id)} 查询，后面的“${rest}”没有使用。`, `Looked up ticket ${esc(id)} only; the rest, “${rest}”, was not used.`);
}

// ---- above the fold ----

function isGuest(t: Ticket, m: Message): boolean {
  return t.guest?.id !== undefined && m.authorId === t.guest.id;
}

/** The customer's first message: what the ticket is about. */
function summary(t: Ticket, conversation: ConversationState | undefined, limits: Limits): L10n | undefined {
  if (conversation === 'hidden') return grey(l('对话：群聊中隐藏，私聊机器人可查看', 'Conversation: hidden in group chats; ask the bot in a direct message'));
  if (conversation === 'failed') return grey(l('对话暂时无法加载，其余信息如下。', 'The conversation could not be loaded; the rest of the ticket is below.'));
  if (!conversation) return undefined;
  const first = conversation.messages.find((m) => isGuest(t, m) && (m.text || m.images)) ?? conversation.messages.find((m) => m.text);
  if (!first) return undefined;
  const said = first.text ? same(esc(clip(first.text, limits.summary))) : kindLabel(first);
  return mapL(said, (s) => `💬 ${s}`);
}

function personName(p: Person | undefined, max: number): string {
  return esc(clip(p?.name ?? p?.id ?? '?', max));
}

/**
 * The ticket's state in a few lines (guest, owner, age, tags, outcome), at the middle level of
 * detail: what a watch post shows.
 */
export function compactFacts(t: Ticket, o: Pick<TicketCardOptions, 'timezone' | 'now' | 'hide'>): L10n {
  return facts(t, o, LEVELS[1]!);
}

function facts(t: Ticket, o: Pick<TicketCardOptions, 'timezone' | 'now' | 'hide'>, limits: Limits): L10n {
  const hide = o.hide ?? [];
  return lines([guestLine(t.guest, hide, limits), peopleLine(t, limits), ageLine(t, o.now, o.timezone, limits), tagsLine(t, limits), outcomeLine(t)]);
}

function guestLine(guest: Person | undefined, hide: readonly MaskedField[], limits: Limits): L10n | undefined {
  if (!guest) return undefined;
  const show = (key: GuestField, value: string | undefined) => (value === undefined ? undefined : hide.includes(key) ? undefined : esc(clip(value, limits.name)));
  const name = hide.includes('name') ? undefined : show('name', guest.name ?? guest.id);
  const place = [guest.city, guest.country].filter((x): x is string => x !== undefined).join(', ');
  const parts = present([name, show('department', guest.department), place && !hide.includes('city') && !hide.includes('country') ? esc(clip(place, limits.name)) : undefined, show('email', guest.email)]);
  const hidden =
    (['name', 'department', 'email'] as const).some((k) => hide.includes(k) && (k === 'name' ? guest.name : guest[k]) !== undefined) || ((hide.includes('city') || hide.includes('country')) && place !== '');
  const value = joinL(
    [same(parts.join(' · ')), ...(hidden ? [hiddenHere] : [])].filter((x) => x.en_us !== ''),
    ' · ',
  );
  return field(l('用户', 'Guest'), value.en_us === '' ? hiddenHere : value);
}

function peopleLine(t: Ticket, limits: Limits): L10n {
  const owner = t.agentOwner ?? t.agents[0];
  const ownerText = owner ? same(personName(owner, limits.name)) : grey(l('未分配', 'Unassigned'));
  const others = t.agents.filter((a) => a !== owner && (a.id === undefined || a.id !== owner?.id));
  const list = (people: Person[]) => {
    const shown = people
      .slice(0, limits.people)
      .map((p) => personName(p, limits.name))
      .join(', ');
    const more = people.length - limits.people;
    return more > 0 ? l(`${shown} 等 ${people.length} 人`, `${shown} and ${more} more`) : same(shown);
  };
  const extra = present<L10n>([
    others.length > 0 && mapL(list(others), (s, loc) => (loc === 'zh_cn' ? `其他客服 ${s}` : `also ${s}`)),
    t.collaborators.length > 0 && mapL(list(t.collaborators), (s, loc) => (loc === 'zh_cn' ? `协作者 ${s}` : `collaborators ${s}`)),
  ]);
  return field(l('负责人', 'Owner'), joinL([ownerText, ...extra], ' · '));
}

/**
 * How long the ticket has been open (and waiting), or when it was closed and after how long. The
 * card stays in its chat (and is kept current only as the ticket changes), so each time says its
 * clock time too: "just now" alone would still say so tomorrow.
 */
function ageLine(t: Ticket, now: number, timezone: string, limits: Limits): L10n | undefined {
  if (t.createdAt === undefined) return undefined;
  const status = t.status ?? 0;
  if (status >= 50 && t.closedAt !== undefined) {
    const by = t.closedBy ? personName(t.closedBy, limits.name) : undefined;
    const when = agoAt(t.closedAt, now, timezone);
    const took = formatDuration(Math.max(0, t.closedAt - t.createdAt));
    return field(l('已关闭', 'Closed'), l(`${when.zh_cn}${by ? `由 ${by} ` : ''}关闭，历时 ${took.zh_cn}`, `${when.en_us}${by ? ` by ${by}` : ''}, after ${took.en_us}`));
  }
  // Under a minute it has just opened: "Opened 14:05 (just now)".
  if (now - t.createdAt < 60_000) return field(l('已开启', 'Opened'), agoAt(t.createdAt, now, timezone));
  const open = roughDuration(now - t.createdAt);
  const since = status === 5 ? (t.agentLastResponseAt ?? t.updatedAt) : undefined;
  const waiting = since !== undefined && since <= now ? roughDuration(now - since) : undefined;
  const from = formatWhen(t.createdAt, now, timezone);
  return field(
    l('已开启', 'Open for'),
    waiting
      ? l(`${open.zh_cn}（${from} 起），等待用户回复 ${waiting.zh_cn}`, `${open.en_us} (since ${from}), waiting for the customer for ${waiting.en_us}`)
      : l(`${open.zh_cn}（${from} 起）`, `${open.en_us} (since ${from})`),
  );
}

function tagsLine(t: Ticket, limits: Limits): L10n | undefined {
  if (t.tags.length === 0) return undefined;
  const shown = t.tags
    .slice(0, limits.tags)
    .map((tag) => inlineTag(esc(clip(tag.name, 30)), 'blue'))
    .join(' ');
  const more = t.tags.length - limits.tags;
  return field(l('标签', 'Tags'), more > 0 ? l(`${shown} 等 ${t.tags.length} 个`, `${shown} and ${more} more`) : same(shown));
}

/** Channel, and for closed tickets whether it was solved and how the guest scored it. */
function outcomeLine(t: Ticket): L10n | undefined {
  const parts: L10n[] = [];
  const channel = t.channel !== undefined ? channelLabel(t.channel) : undefined;
  if (channel) parts.push(mapL(channel, (s, loc) => (loc === 'zh_cn' ? `渠道：${s}` : `via ${s}`)));
  if (t.solved !== undefined) {
    const s = solvedLabel(t.solved);
    parts.push(mapL(s.label, (x) => inlineTag(x, s.color)));
  }
  if (t.score !== undefined) {
    const s = scoreLabel(t.score);
    const reason = t.dissatisfactionReason;
    const why = reason && l(esc(clip(reason.zh_cn ?? reason.en_us ?? reason.ja_jp ?? '', 100)), esc(clip(reason.en_us ?? reason.zh_cn ?? reason.ja_jp ?? '', 100)));
    const score = mapL(s.label, (x, loc) => inlineTag(loc === 'zh_cn' ? `评分 ${t.score} · ${x}` : `Score ${t.score} · ${x}`, s.color));
    parts.push(why?.en_us ? joinL([score, why], l('：', ': ')) : score);
  }
  return parts.length ? joinL(parts, ' · ') : undefined;
}

// ---- the conversation ----

function kindLabel(m: Message): L10n {
  switch (m.kind) {
    case 'image':
      return l('[图片]', '[Image]');
    case 'file':
      return l('[文件]', '[File]');
    case 'media':
      return l('[视频]', '[Video]');
    case 'post':
      return m.images ? l(`[图片 ×${m.images}]`, `[Image ×${m.images}]`) : l('[富文本]', '[Rich text]');
    default:
      return l(`[${esc(clip(m.kind, 20))} 消息]`, `[${esc(clip(m.kind, 20))} message]`);
  }
}

function conversationPanel(t: Ticket, o: TicketCardOptions, limits: Limits): Element[] {
  const c = o.conversation;
  if (!c || c === 'failed' || c === 'hidden' || c.messages.length === 0) return [];
  const hideName = (o.hide ?? []).includes('name');
  const latest = c.messages.slice(-limits.messages);
  const elements = latest.flatMap((m): Element[] => {
    const who = isGuest(t, m) && hideName ? l('用户', 'Guest') : same(esc(clip(m.authorName ?? m.authorId ?? '?', limits.name)));
    const when = m.createdAt !== undefined ? agoAt(m.createdAt, o.now, o.timezone) : undefined;
    const head = joinL([bold(who), ...(when ? [grey(when)] : [])], ' ');
    const images = m.kind === 'post' && m.images ? ` ${kindLabel(m).en_us}` : '';
    const body = m.text ? same(esc(clip(m.text, limits.message), { keepLines: true }) + images) : kindLabel(m);
    return [markdown(head), markdown(body, { margin: '0px 0px 4px 0px' })];
  });
  const shown = latest.length;
  if (c.total > shown) elements.push(markdown(grey(l(`最近 ${shown} 条，共 ${c.total} 条消息`, `The latest ${shown} of ${c.total} messages`))));
  const title = l(`**对话** · ${c.total} 条消息`, `**Conversation** · ${c.total} ${c.total === 1 ? 'message' : 'messages'}`);
  return [panel(title, elements, true)];
}

function commentSection(t: Ticket, timezone: string, limits: Limits): Element[] {
  const c = t.comments[0];
  if (!c) return [];
  const by = [c.authorName ? esc(clip(c.authorName, limits.name)) : undefined, c.createdAt ? formatTime(c.createdAt, timezone) : undefined].filter(Boolean).join(' · ');
  const title = joinL([bold(l('备注', 'Comment')), ...(by ? [grey(same(by))] : [])], ' ');
  return [markdown(title), markdown(same(esc(clip(c.content, limits.comment), { keepLines: true })))];
}

// ---- collapsed details ----

function customFieldsPanel(t: Ticket, limits: Limits): Element[] {
  if (t.customFields.length === 0) return [];
  const rows = t.customFields.slice(0, limits.fields).map((f) => `**${esc(clip(f.label, 40))}**: ${esc(clip(f.value, limits.fieldValue))}`);
  const more = t.customFields.length - limits.fields;
  const body = more > 0 ? joinL([same(rows.join('\n')), grey(l(`还有 ${more} 个字段未显示`, `${more} more not shown`))], '\n') : same(rows.join('\n'));
  return [panel(l(`**自定义字段** · ${t.customFields.length}`, `**Custom fields** · ${t.customFields.length}`), [markdown(body)])];
}

function timesPanel(t: Ticket, timezone: string): Element[] {
  const at = (label: L10n, ms: number | undefined) => (ms === undefined ? undefined : field(label, same(formatTime(ms, timezone))));
  const took = (label: L10n, ms: number | undefined) => (ms === undefined ? undefined : field(label, formatDuration(ms)));
  const d = t.durations;
  const rows = present([
    // Every ticket has one: without it, the helpdesk's answer had none the bot could read.
    t.createdAt === undefined ? field(l('创建', 'Created'), grey(l('未知', 'unknown'))) : at(l('创建', 'Created'), t.createdAt),
    at(l('更新', 'Updated'), t.updatedAt),
    at(l('关闭', 'Closed'), t.closedAt),
    at(l('客服接入', 'Agent joined'), t.agentEntryAt),
    at(l('客服首次回复', 'Agent first reply'), t.agentFirstResponseAt),
    at(l('客服最后回复', 'Agent last reply'), t.agentLastResponseAt),
    took(l('机器人服务时长', 'Bot service'), d.botService),
    took(l('客服首次响应时长', 'Agent first response'), d.agentFirstResponse),
    took(l('客服服务时长', 'Agent service'), d.agentService),
    took(l('客服解决时长', 'Agent resolution'), d.agentResolution),
    took(l('实际处理时长', 'Actual processing'), d.actualProcessing),
  ]);
  if (rows.length === 0) return [];
  const zone = zoneLabel(timezone, t.createdAt ?? t.updatedAt ?? t.closedAt ?? 0);
  return [panel(l(`**时间与时长**（${zone}）`, `**Times and durations** (${zone})`), [markdown(lines(rows))])];
}

/**
 * When the ticket last changed and when the card was drawn: a card kept current by the bot moves
 * both, so anyone can see it is live.
 */
export function changedAsOf(t: Ticket, now: number, timezone: string): L10n {
  const clock = formatClock(now, timezone);
  if (t.updatedAt === undefined) return grey(l(`更新于 ${clock}`, `as of ${clock}`));
  const changed = formatWhen(t.updatedAt, now, timezone);
  return grey(l(`工单变更于 ${changed} · 更新于 ${clock}`, `changed ${changed} · as of ${clock}`));
}

function footer(o: TicketCardOptions, t: Ticket): Element[] {
  const asOf = changedAsOf(t, o.now, o.timezone);
  const buttons = present<Element>([
    o.actions?.back && button({ text: l('返回列表', 'Back to list'), value: o.actions.back }),
    o.actions?.refresh && button({ text: l('刷新', 'Refresh'), value: o.actions.refresh }),
  ]);
  return footerRow(buttons, asOf);
}
