// The filter form: `/tickets` alone, or a list's Filter button (filled in with the list's filters).
// Each field is a /tickets filter (status, owner, tags, time, guest, score); Show tickets sends them
// back and the bot answers with the list, exactly as the typed words would. Options come from the
// helpdesk (agents and tags seen on its tickets); labels are the card's, values are data.
import { datePicker, form, input, multiSelectStatic, selectStatic, submitButton, type Option } from './form.js';
import { zoneLabel } from './format.js';
import { button, card, columns, esc, footerRow, grey, header, joinL, l, mapL, markdown, same, type Element, type Json, type L10n } from './kit.js';
import { scoreLabel, statusLook } from './labels.js';
import { CLOSED_STATUSES, OPEN_STATUSES } from '../commands/filters/statuses.js';

/** The form's fields, by their names in form_value. */
export const FIELDS = { statuses: 'status', owner: 'owner', tags: 'tags', timeField: 'time_field', time: 'time', from: 'from', to: 'to', guest: 'guest', score: 'score' } as const;
/** Times offered as choices, besides a date range (`range`, the two date pickers). */
export const TIMES = ['today', '7d', '30d'] as const;
export const TIME_FIELDS = ['created', 'updated', 'closed'] as const;
/** The owner choices meaning the person asking (`mine`), and no agent (`unassigned`). */
export const OWNER_ME = 'me';
export const OWNER_NONE = 'unassigned';
export const STATUSES = [...OPEN_STATUSES, ...CLOSED_STATUSES] as const;
/** Longest guest name the parser takes. */
const MAX_GUEST = 100;

/** What the form holds: filled in from a list, or as it was submitted. */
export interface FormDraft {
  statuses: number[];
  /** `me`, `unassigned`, or an agent's open_id. */
  owner?: string;
  tags: string[];
  timeField: (typeof TIME_FIELDS)[number];
  /** Time words: one of TIMES, the list's own (such as "this week"), or `range` with from/to. */
  time?: string;
  from?: string;
  to?: string;
  guest?: string;
  score?: number;
}

export interface FilterFormData {
  draft: FormDraft;
  /** Agents to offer (the draft's own included), most tickets first. */
  agents: { id: string; name: string }[];
  /** Tags to offer (the draft's own included). */
  tags: string[];
  /** Filters kept that the form has no field for, in words, when there are any. */
  kept?: L10n;
  /** Why the last submission was not taken (the error card's words), said first. */
  problem?: L10n;
  timezone: string;
  now: number;
  actions: { submit: Json; back?: Json };
}

const TIME_LABELS: Record<string, L10n> = { today: l('今天', 'Today'), '7d': l('近7天', 'Last 7 days'), '30d': l('近30天', 'Last 30 days'), range: l('日期范围（下面选）', 'Dates (pick below)') };

const label = (text: L10n): Element => markdown(grey(mapL(text, (s) => `**${s}**`)), { text_size: 'notation' });

export function filterFormCard(d: FilterFormData): Json {
  const { draft } = d;
  const statuses: Option[] = STATUSES.map((code) => ({ value: String(code), text: statusLook(code).label }));
  const owners: Option[] = [{ value: OWNER_ME, text: l('我（我的工单）', 'Me (my tickets)') }, { value: OWNER_NONE, text: l('未分配', 'Unassigned') }, ...d.agents.map((a) => ({ value: a.id, text: same(a.name) }))];
  const tags: Option[] = d.tags.map((t) => ({ value: t, text: same(t) }));
  const times: Option[] = [
    ...TIMES.map((t) => ({ value: t, text: TIME_LABELS[t]! })),
    ...(draft.time && draft.time !== 'range' && !(TIMES as readonly string[]).includes(draft.time) ? [{ value: draft.time, text: same(draft.time) }] : []),
    { value: 'range', text: TIME_LABELS['range']! },
  ];
  const timeFields: Option[] = [
    { value: 'created', text: l('创建时间', 'Created') },
    { value: 'updated', text: l('更新时间', 'Updated') },
    { value: 'closed', text: l('关闭时间', 'Closed') },
  ];
  const scores: Option[] = [1, 2, 3].map((s) => ({ value: String(s), text: mapL(scoreLabel(s).label, (x) => `${s} · ${x}`) }));
  const pair = (left: Element[], right: Element[]) => columns([{ elements: left }, { elements: right }], { horizontal_spacing: '8px' });

  const fields = form('filters', [
    label(l('状态', 'Status')),
    multiSelectStatic({ name: FIELDS.statuses, placeholder: l('任意状态', 'Any status'), options: statuses, selected: draft.statuses.map(String) }),
    pair(
      [label(l('负责人', 'Owner')), selectStatic({ name: FIELDS.owner, placeholder: l('任何人', 'Anyone'), options: owners, ...(draft.owner ? { initial: draft.owner } : {}) })],
      [label(l('标签', 'Tags')), multiSelectStatic({ name: FIELDS.tags, placeholder: l('任意标签', 'Any tag'), options: tags, selected: draft.tags })],
    ),
    pair(
      [label(l('时间', 'Time')), selectStatic({ name: FIELDS.time, placeholder: l('任何时间', 'Any time'), options: times, ...(draft.time ? { initial: draft.time } : {}) })],
      [label(l('按哪个时间', 'Which time')), selectStatic({ name: FIELDS.timeField, options: timeFields, initial: draft.timeField })],
    ),
    pair(
      [label(l('从', 'From')), datePicker({ name: FIELDS.from, placeholder: l('开始日期', 'First day'), ...(draft.from ? { initial: draft.from } : {}) })],
      [label(l('到', 'To')), datePicker({ name: FIELDS.to, placeholder: l('结束日期', 'Last day'), ...(draft.to ? { initial: draft.to } : {}) })],
    ),
    pair(
      [label(l('用户名', 'Guest name')), input({ name: FIELDS.guest, placeholder: l('例如 王小明', 'e.g. James Wilson'), maxLength: MAX_GUEST, ...(draft.guest ? { initial: draft.guest } : {}) })],
      [label(l('评分', 'Score')), selectStatic({ name: FIELDS.score, placeholder: l('任意评分', 'Any score'), options: scores, ...(draft.score ? { initial: String(draft.score) } : {}) })],
    ),
    submitButton({ name: 'show', text: l('查看工单', 'Show tickets'), value: d.actions.submit }),
  ]);

  const zone = zoneLabel(d.timezone, d.now);
  const notes: L10n[] = [
    ...(d.problem ? [mapL(d.problem, (s) => `<font color='orange'>${s}</font>`)] : []),
    ...(d.kept ? [mapL(d.kept, (s, loc) => (loc === 'zh_cn' ? `还保留列表的其他条件：${esc(s)}。` : `Also kept from the list: ${esc(s)}.`))] : []),
  ];
  const hint = grey(
    l(
      `日期按 ${esc(d.timezone)}（${zone}）。结果卡片会写出对应的 \`/tickets\` 命令，下次可以直接输入。`,
      `Dates are in ${esc(d.timezone)} (${zone}). The list says which \`/tickets\` command gives it, to type next time.`,
    ),
  );
  return card(header({ title: l('查找工单', 'Find tickets'), subtitle: l('选好条件，点“查看工单”', 'Pick filters, then Show tickets'), color: 'blue' }), [
    ...(notes.length ? [markdown(joinL(notes, '\n'))] : []),
    fields,
    ...footerRow(d.actions.back ? [button({ text: l('返回列表', 'Back to list'), value: d.actions.back })] : [], hint),
  ]);
}
