// A query, said back in words: "Open · created today 00:00 → 14:05 · agent Li Lei".
import { DateTime } from 'luxon';
import type { TicketFilter } from '../src/helpdesk/types.js';
import { esc, joinL, l, mapL, same, type L10n } from './kit.js';
import { channelLabel, scoreLabel, statusLook, typeLabel } from './labels.js';

const OPEN = [1, 2, 3, 4, 5];
const CLOSED = [50, 51, 52];
const sameSet = (a: number[], b: number[]) => a.length === b.length && a.every((x) => b.includes(x));

function statuses(codes: number[]): L10n {
  if (sameSet(codes, OPEN)) return l('未关闭', 'open');
  if (sameSet(codes, CLOSED)) return l('已关闭', 'closed');
  if (sameSet(codes, [...OPEN, ...CLOSED])) return l('任意状态', 'any status');
  return joinL(codes.map((c) => statusLook(c).label), l('、', ' or '));
}

function period(range: { start: number; end: number }, timezone: string): string {
  const start = DateTime.fromMillis(range.start, { zone: timezone });
  const end = DateTime.fromMillis(range.end, { zone: timezone });
  const wholeDays = start.toFormat('HH:mm:ss.SSS') === '00:00:00.000' && end.toFormat('HH:mm:ss.SSS') === '23:59:59.999';
  if (wholeDays) {
    const a = start.toFormat('yyyy-MM-dd');
    const b = end.toFormat('yyyy-MM-dd');
    return a === b ? a : `${a} → ${b}`;
  }
  const sameDay = start.hasSame(end, 'day');
  return `${start.toFormat('yyyy-MM-dd HH:mm')} → ${end.toFormat(sameDay ? 'HH:mm' : 'yyyy-MM-dd HH:mm')}`;
}

/**
 * Markdown-safe description of a filter; `names` maps open_ids to display names, and `mine` says
 * the agent is the person who asked.
 */
export function describeFilter(filter: TicketFilter, names: Record<string, string>, timezone: string, mine = false): L10n {
  const person = (openId: string) => esc(names[openId] ?? openId);
  const parts: L10n[] = [];
  if (filter.statuses?.length) parts.push(statuses(filter.statuses));
  if (filter.created) parts.push(mapL(l('创建于 ', 'created '), (s) => s + period(filter.created!, timezone)));
  if (filter.updated) parts.push(mapL(l('更新于 ', 'updated '), (s) => s + period(filter.updated!, timezone)));
  if (filter.agentId && mine) parts.push(l('我负责的（提问人）', 'mine (the asker’s)'));
  else if (filter.agentId) parts.push(l(`客服 ${person(filter.agentId)}`, `agent ${person(filter.agentId)}`));
  if (filter.closedById) parts.push(l(`关单人 ${person(filter.closedById)}`, `closed by ${person(filter.closedById)}`));
  if (filter.guestId) parts.push(l(`用户 ${person(filter.guestId)}`, `guest ${person(filter.guestId)}`));
  if (filter.guestName) parts.push(l(`用户名含“${esc(filter.guestName)}”`, `guest name “${esc(filter.guestName)}”`));
  if (filter.solved !== undefined) parts.push(filter.solved === 2 ? l('已解决', 'solved') : l('未解决', 'unsolved'));
  if (filter.score !== undefined) parts.push(mapL(scoreLabel(filter.score).label, (s, loc) => (loc === 'zh_cn' ? `评分：${s}` : `score: ${s.toLowerCase()}`)));
  if (filter.type !== undefined) parts.push(mapL(typeLabel(filter.type), (s, loc) => (loc === 'zh_cn' ? `${s}工单` : `${s.toLowerCase()} tickets`)));
  if (filter.channel !== undefined) parts.push(mapL(channelLabel(filter.channel), (s, loc) => (loc === 'zh_cn' ? `渠道：${s}` : `channel: ${s}`)));
  if (filter.tags?.length) parts.push(l(`标签 ${filter.tags.map((t) => esc(t)).join('、')}`, `tag ${filter.tags.map((t) => esc(t)).join(', ')}`));
  if (filter.ticketId) parts.push(same(`#${esc(filter.ticketId)}`));
  return parts.length ? joinL(parts, ' · ') : l('全部工单', 'all tickets');
}
