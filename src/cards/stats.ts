// The /stats card: how the helpdesk is doing over a period, as charts with their figures in text
// beside each (in a collapsed panel, so nothing depends on seeing a chart). The card is drawn as
// its parts arrive: a part still loading says so in its place, a part that failed says why, and
// the rest still shows. Charts hold counts and agents' names only, never guest data; every spec is
// aggregated first (at most ~32 points a series), so the card stays far under the 30 KB limit.
import { formatClock, formatDuration, formatTime, ticketCount, zoneLabel } from './format.js';
import { card, clip, esc, grey, header, hr, joinL, l, mapL, markdown, panel, plain, same, type Element, type Json, type L10n } from './kit.js';
import { chart, type ChartOptions } from './chart.js';
import { scoreLabel, statusLook } from './labels.js';

export type BucketUnit = 'hour' | 'day' | 'week' | 'month';

/** Median and 90th percentile of a duration over `count` tickets, in ms. */
export interface Durations {
  count: number;
  median: number;
  p90: number;
}
export interface AgentDurations extends Durations {
  name: string;
}

/** Why a part could not be loaded (the platform error's kind, as the problem cards name them). */
export type PartFailure = 'busy' | 'rate-limited' | 'timeout' | 'unauthorized' | 'upstream';
export type Part<T> = { state: 'loading' } | { state: 'failed'; why: PartFailure } | { state: 'ok'; value: T };

/** Tickets read for durations: `read` of the `total` the list API reported. */
export interface Sample {
  total: number;
  read: number;
}

export interface StatsParts {
  /** Tickets created in each bucket (the list API's totals). */
  created: Part<number[]>;
  /** Open tickets now, by status (totals); only the statuses the filter allows. */
  open: Part<{ status: number; count: number }[]>;
  /** Tickets created in the period with score 1, 2, 3, and all of them (the unscored are the rest). */
  satisfaction: Part<{ scores: [number, number, number]; total: number }>;
  /** First responses of the tickets created in the period; `metTarget` of `overall.count` within the target. */
  responses: Part<Sample & { overall?: Durations; agents: AgentDurations[]; metTarget: number }>;
  /** Tickets closed in the period: per bucket, and their resolution times. */
  resolved: Part<Sample & { closed: number[]; overall?: Durations; agents: AgentDurations[] }>;
}

export type PartName = keyof StatsParts;
export const PART_NAMES: readonly PartName[] = ['created', 'open', 'satisfaction', 'responses', 'resolved'];

export interface StatsCardData {
  /** The query in words (describe.ts): the period and filters. */
  query: L10n;
  range: { start: number; end: number };
  unit: BucketUnit;
  buckets: { start: number; end: number }[];
  parts: StatsParts;
  /** stats.first_response_target_minutes. */
  targetMinutes: number;
  timezone: string;
  /** When the figures were asked for. */
  asOf: number;
  /** Some parts are still loading: the card will be updated. */
  filling: boolean;
}

// ---- words ----

const n = (x: number) => x.toLocaleString('en-US');
const pct = (part: number, whole: number) => (whole === 0 ? '–' : `${Math.round((part / whole) * 100)}%`);
/** Chart text is data, not markdown, and has no per-language form: both languages at once. */
const both = (text: L10n) => (text.zh_cn === text.en_us ? text.en_us : `${text.zh_cn} / ${text.en_us}`);

const FAILURES: Record<PartFailure, L10n> = {
  busy: l('查询排队太多，没能及时统计', 'too many lookups were queued to count it in time'),
  'rate-limited': l('服务台限制了请求频率', 'the helpdesk is limiting requests'),
  timeout: l('服务台没有及时响应', 'the helpdesk did not answer in time'),
  unauthorized: l('服务台拒绝了机器人的请求', 'the helpdesk refused the bot'),
  upstream: l('服务台出错', 'the helpdesk failed'),
};

const loadingNote = (): Element => markdown(grey(l('统计中…', 'Counting…')));
const failedNote = (why: PartFailure): Element =>
  markdown(
    mapL(FAILURES[why], (s, loc) =>
      loc === 'zh_cn'
        ? `<font color='orange'>这部分没能统计：${s}。其余部分不受影响；稍后再发一次命令即可重试。</font>`
        : `<font color='orange'>This part could not be counted: ${s}. The rest is unaffected; send the command again shortly to retry.</font>`,
    ),
  );

/** A part in its place: its elements when loaded, else what is happening to it. */
function section<T>(title: L10n, part: Part<T>, render: (value: T) => Element[]): Element[] {
  const body = part.state === 'ok' ? render(part.value) : part.state === 'failed' ? [failedNote(part.why)] : [loadingNote()];
  return [markdown(mapL(title, (s) => `**${s}**`)), ...body];
}

/** The figures behind a chart, as text, in a collapsed panel. */
const figures = (lines: L10n[]): Element => panel(l('图表数据', 'Figures'), [markdown(joinL(lines, '\n'))]);

/** "14:00" for an hour, "11-20" for a day or a week (its Monday), "2026-11" for a month. */
function bucketLabel(start: number, unit: BucketUnit, timezone: string): string {
  const time = formatTime(start, timezone);
  return unit === 'hour' ? time.slice(11, 16) : unit === 'month' ? time.slice(0, 7) : time.slice(5, 10);
}

// ---- charts ----

const legend = { visible: true, orient: 'bottom' };

export function createdClosedChart(labels: string[], created: number[] | undefined, closed: number[] | undefined, options: ChartOptions = {}): Element {
  const series = [
    ...(created ? created.map((count, i) => ({ bucket: labels[i]!, series: both(l('新建', 'Created')), count })) : []),
    ...(closed ? closed.map((count, i) => ({ bucket: labels[i]!, series: both(l('关闭', 'Closed')), count })) : []),
  ];
  return chart({ type: 'bar', data: [{ id: 'counts', values: series }], xField: ['bucket', 'series'], yField: 'count', seriesField: 'series', legends: legend }, options);
}

function statusChart(open: { status: number; count: number }[]): Element {
  const values = open.map((s) => ({ status: both(statusLook(s.status).label), count: s.count }));
  return chart({ type: 'bar', direction: 'horizontal', data: [{ id: 'open', values }], xField: 'count', yField: 'status' });
}

const SCORES = [1, 2, 3] as const;

function satisfactionChart(scores: [number, number, number], unscored: number): Element {
  const values = [...SCORES.map((s, i) => ({ score: both(scoreLabel(s).label), count: scores[i]! })), { score: both(l('未评分', 'Unscored')), count: unscored }];
  return chart({ type: 'pie', data: [{ id: 'scores', values }], categoryField: 'score', valueField: 'count', innerRadius: 0.5, outerRadius: 0.8, legends: legend, label: { visible: true } });
}

/** Minutes for short durations, hours for long ones: the unit the chart's numbers are in. */
function chartUnit(agents: AgentDurations[]): { ms: number; name: L10n } {
  const longest = Math.max(0, ...agents.map((a) => a.p90));
  return longest >= 2 * 3_600_000 ? { ms: 3_600_000, name: l('小时', 'hours') } : { ms: 60_000, name: l('分钟', 'minutes') };
}

function agentChart(agents: AgentDurations[]): Element {
  const unit = chartUnit(agents);
  const round = (ms: number) => Math.round((ms / unit.ms) * 10) / 10;
  const median = both(l(`中位数（${unit.name.zh_cn}）`, `median (${unit.name.en_us})`));
  const p90 = both(l(`90 分位（${unit.name.zh_cn}）`, `90th percentile (${unit.name.en_us})`));
  const values = agents.flatMap((a) => [
    { agent: clip(plain(a.name), 20), series: median, value: round(a.median) },
    { agent: clip(plain(a.name), 20), series: p90, value: round(a.p90) },
  ]);
  return chart({ type: 'bar', direction: 'horizontal', data: [{ id: 'agents', values }], xField: 'value', yField: ['agent', 'series'], seriesField: 'series', legends: legend });
}

// ---- text ----

const durationLine = (d: Durations): L10n => {
  const count = ticketCount(d.count);
  return l(
    `中位数 ${formatDuration(d.median).zh_cn}，90 分位 ${formatDuration(d.p90).zh_cn}（${count.zh_cn}）`,
    `median ${formatDuration(d.median).en_us}, 90th percentile ${formatDuration(d.p90).en_us} (${count.en_us})`,
  );
};

/** "label: value", with the colon of each language. */
const labelled = (label: L10n, value: L10n | string): L10n => {
  const v = typeof value === 'string' ? same(value) : value;
  return l(`${label.zh_cn}：${v.zh_cn}`, `${label.en_us}: ${v.en_us}`);
};

const agentLines = (agents: AgentDurations[]): L10n[] => agents.map((a) => labelled(same(esc(clip(a.name, 40))), durationLine(a)));

/** "from a sample of 1,000 of 1,234 tickets", when not every ticket was read. */
const sampleNote = (s: Sample, what: L10n): L10n | undefined =>
  s.read < s.total
    ? mapL(what, (w, loc) =>
        loc === 'zh_cn'
          ? `<font color='orange'>按 ${n(s.total)} 个${w}中读取的 ${n(s.read)} 个计算（样本）。</font>`
          : `<font color='orange'>From a sample: ${n(s.read)} of the ${n(s.total)} ${w} were read.</font>`,
      )
    : undefined;

function summary(d: StatsCardData): L10n {
  const { parts } = d;
  const figure = <T>(part: Part<T>, value: (v: T) => string, zh: string, en: string): L10n => {
    const shown = part.state === 'ok' ? `**${value(part.value)}**` : part.state === 'failed' ? '**?**' : '…';
    return l(`${zh} ${shown}`, `${shown} ${en}`);
  };
  const created = figure(parts.created, (c) => n(c.reduce((a, b) => a + b, 0)), '新建', 'created');
  const closed = figure(parts.resolved, (r) => n(r.closed.reduce((a, b) => a + b, 0)) + (r.read < r.total ? '+' : ''), '关闭', 'closed');
  const open = figure(parts.open, (o) => n(o.reduce((a, b) => a + b.count, 0)), '现在未关闭', 'open now');
  const unhappy = figure(parts.satisfaction, (s) => pct(s.scores[0], s.scores[0] + s.scores[1] + s.scores[2]), '评分不满意', 'of scores unsatisfied');
  const target = figure(parts.responses, (r) => pct(r.metTarget, r.overall?.count ?? 0), `首次响应在 ${d.targetMinutes} 分钟内`, `first responses within ${d.targetMinutes} min`);
  return joinL([created, closed, open, unhappy, target], ' · ');
}

/** Created and closed per bucket in one chart, drawn as soon as either series is in. */
function countsChart(parts: StatsParts, labels: string[]): Element[] {
  const created = parts.created.state === 'ok' ? parts.created.value : undefined;
  const closed = parts.resolved.state === 'ok' ? parts.resolved.value.closed : undefined;
  const missing = (part: Part<unknown>, what: L10n): Element[] =>
    part.state === 'failed' ? [failedNote(part.why)] : part.state === 'loading' ? [markdown(grey(mapL(what, (s, loc) => (loc === 'zh_cn' ? `${s}统计中…` : `Counting the ${s} tickets…`))))] : [];
  if (!created && !closed) return parts.created.state === 'failed' && parts.resolved.state === 'failed' ? [failedNote(parts.created.why)] : [loadingNote()];
  const cell = (series: number[] | undefined, i: number) => (series ? n(series[i]!) : '–');
  return [
    createdClosedChart(labels, created, closed),
    ...missing(parts.created, l('新建的工单', 'created')),
    ...missing(parts.resolved, l('关闭的工单', 'closed')),
    figures(labels.map((label, i) => l(`${label}：新建 ${cell(created, i)}，关闭 ${cell(closed, i)}`, `${label}: ${cell(created, i)} created, ${cell(closed, i)} closed`))),
  ];
}

/** "11-14 14:05", with the year when it is not this one. */
const dateTime = (ms: number, now: number, timezone: string) => {
  const time = formatTime(ms, timezone);
  return time.slice(0, 4) === formatTime(now, timezone).slice(0, 4) ? time.slice(5) : time;
};

export function statsCard(d: StatsCardData): Json {
  const from = dateTime(d.range.start, d.asOf, d.timezone);
  const to = dateTime(d.range.end, d.asOf, d.timezone);
  const head = header({
    title: mapL(d.query, (s, loc) => (loc === 'zh_cn' ? `统计：${clip(plain(s), 80)}` : `Stats: ${clip(plain(s), 80)}`)),
    subtitle: same(`${from} → ${to} (${zoneLabel(d.timezone, d.asOf)})`),
    color: 'purple',
  });
  const state = d.filling ? l('其余部分统计中，卡片会自动更新', 'the rest is being counted; this card updates itself') : l('统计完成', 'complete');
  const clock = formatClock(d.asOf, d.timezone);
  const footer = grey(mapL(state, (s, loc) => (loc === 'zh_cn' ? `更新于 ${clock} · ${s}` : `as of ${clock} · ${s}`)));
  return card(head, [markdown(summary(d)), hr(), ...statsSections(d), hr(), markdown(joinL([FIELD_NOTES, footer], '\n'))]);
}

/** Which fields the durations are, and what "closed" counts: said on every card that shows them. */
export const FIELD_NOTES = grey(
  l(
    '时间取自工单自身的字段：首次响应 = agent_first_response_duration（客服接入到首次回复）；解决时间 = agent_resolution_time（客服接入到关单）。关闭数按关单时间（closed_at）落在本期的工单计算。按客服统计的是工单数最多的几位客服（按负责人）。',
    'Times are the tickets’ own fields: first response = agent_first_response_duration (an agent joining to their first reply); resolution = agent_resolution_time (an agent joining to the close). Closed counts the tickets whose closing time (closed_at) falls in the period. Per agent: the agents owning the most tickets.',
  ),
);

/** The charts and figures, part by part, each in its place (a daily digest shows them too). */
export function statsSections(d: Omit<StatsCardData, 'query' | 'filling'>): Element[] {
  const { parts, timezone } = d;
  const labels = d.buckets.map((b) => bucketLabel(b.start, d.unit, timezone));
  const per = { hour: l('每小时', 'per hour'), day: l('每天', 'per day'), week: l('每周', 'per week'), month: l('每月', 'per month') }[d.unit];
  const counts = [markdown(mapL(per, (s, loc) => (loc === 'zh_cn' ? `**${s}新建和关闭的工单**` : `**Tickets created and closed ${s}**`))), ...countsChart(parts, labels)];
  const open = section(l('现在未关闭的工单（按状态）', 'Open tickets now, by status'), parts.open, (statuses) =>
    statuses.length === 0
      ? [markdown(grey(l('筛选条件里没有未关闭的状态。', 'The filters include no open status.')))]
      : [statusChart(statuses), figures(statuses.map((s) => labelled(statusLook(s.status).label, n(s.count))))],
  );

  const satisfaction = section(l('满意度（本期新建的工单）', 'Satisfaction (tickets created in the period)'), parts.satisfaction, ({ scores, total }) => {
    const scored = scores[0] + scores[1] + scores[2];
    const unscored = Math.max(0, total - scored);
    return [
      markdown(
        l(`${n(scored)} 个评了分，其中 **${pct(scores[0], scored)}** 不满意；${n(unscored)} 个没有评分。`, `${n(scored)} scored, **${pct(scores[0], scored)}** of them unsatisfied; ${n(unscored)} unscored.`),
      ),
      satisfactionChart(scores, unscored),
      figures([...SCORES.map((s, i) => labelled(scoreLabel(s).label, `${n(scores[i]!)} (${pct(scores[i]!, scored)})`)), labelled(l('未评分', 'Unscored'), n(unscored))]),
    ];
  });

  const responses = section(l('首次响应时间（本期新建的工单）', 'First response time (tickets created in the period)'), parts.responses, (r) => {
    if (!r.overall) return [markdown(grey(l('这些工单都还没有客服首次响应。', 'None of these tickets has an agent’s first response yet.')))];
    const note = sampleNote(r, l('工单', 'tickets'));
    return [
      markdown(
        joinL(
          [
            mapL(durationLine(r.overall), (s, loc) => (loc === 'zh_cn' ? `全部：${s}` : `Overall: ${s}`)),
            l(
              `**${pct(r.metTarget, r.overall.count)}** 在目标 ${d.targetMinutes} 分钟内（${n(r.metTarget)}/${n(r.overall.count)}）`,
              `**${pct(r.metTarget, r.overall.count)}** within the ${d.targetMinutes}-minute target (${n(r.metTarget)} of ${n(r.overall.count)})`,
            ),
            ...(note ? [note] : []),
          ],
          '\n',
        ),
      ),
      ...(r.agents.length ? [agentChart(r.agents), figures(agentLines(r.agents))] : []),
    ];
  });

  const resolution = section(l('解决时间（本期关闭的工单）', 'Resolution time (tickets closed in the period)'), parts.resolved, (r) => {
    const note = sampleNote(r, l('关闭的工单', 'closed tickets'));
    if (!r.overall) return [markdown(joinL([grey(l('本期关闭的工单都没有解决时间。', 'No ticket closed in the period has a resolution time.')), ...(note ? [note] : [])], '\n'))];
    return [
      markdown(joinL([mapL(durationLine(r.overall), (s, loc) => (loc === 'zh_cn' ? `全部：${s}` : `Overall: ${s}`)), ...(note ? [note] : [])], '\n')),
      ...(r.agents.length ? [agentChart(r.agents), figures(agentLines(r.agents))] : []),
    ];
  });

  return [...counts, hr(), ...open, hr(), ...satisfaction, hr(), ...responses, hr(), ...resolution];
}
