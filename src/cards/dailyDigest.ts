// The daily digest: a chat's morning summary of the day before (a few words, then the /stats
// charts and figures of that day), and the cards of /digest itself (the setting, set, stopped).
import { formatClock, formatWhen, roughDuration, zoneLabel } from './format.js';
import { button, card, esc, flow, grey, header, hr, joinL, l, mapL, markdown, type Json, type L10n } from './kit.js';
import { FIELD_NOTES, statsSections, type StatsCardData } from './stats.js';

const n = (x: number) => x.toLocaleString('en-US');

export interface DigestSettingData {
  /** The chat's digest time (HH:MM), or none. */
  time?: string;
  /** What just happened: set (or changed), stopped, or nothing (/digest alone). */
  change?: 'set' | 'off';
  /** When the next one is posted. */
  next?: number;
  timezone: string;
  now: number;
}

export function digestSettingCard(d: DigestSettingData): Json {
  const zone = `${esc(d.timezone)} ${zoneLabel(d.timezone, d.now)}`;
  const what = l(
    '前一天的数据：新建和关闭数、现在未关闭的工单和等待最久的一个、不满意的客户，以及 `/stats` 的图表',
    'the day before’s figures: tickets opened and closed, open now and the one waiting longest, unhappy customers, and the `/stats` charts',
  );
  const next = d.next !== undefined ? l(`下一次：${formatWhen(d.next, d.now, d.timezone)}。`, `Next: ${formatWhen(d.next, d.now, d.timezone)}.`) : undefined;
  if (d.time === undefined) {
    const body = joinL(
      [
        d.change === 'off' ? l('**日报已停止**，这个会话不会再收到日报。', '**Daily digest stopped**: this chat gets no more digests.') : l('这个会话没有设置日报。', 'This chat has no daily digest.'),
        mapL(what, (s, loc) => (loc === 'zh_cn' ? `发送 \`/digest 09:00\`，每天 9 点（${zone}）在这里发送${s}。` : `Send \`/digest 09:00\` and this chat gets ${s} every day at 09:00 (${zone}).`)),
      ],
      '\n',
    );
    return card(header({ title: l('日报', 'Daily digest'), subtitle: l('未设置', 'Off'), color: 'grey' }), [markdown(body)]);
  }
  const lead = d.change === 'set' ? l('**日报已设置。**每天', '**Daily digest set.** Every day') : l('**日报**：每天', '**Daily digest**: every day');
  const body = joinL(
    [
      mapL(what, (s, loc) => (loc === 'zh_cn' ? `${lead.zh_cn} ${d.time}（${zone}）在这里发送${s}。` : `${lead.en_us} at ${d.time} (${zone}) this chat gets ${s}.`)),
      ...(next ? [next] : []),
      grey(l('发送 `/digest 08:30` 改时间，`/digest off` 停止。', 'Send `/digest 08:30` to change the time, `/digest off` to stop it.')),
    ],
    '\n',
  );
  return card(header({ title: l('日报', 'Daily digest'), subtitle: l(`每天 ${d.time}`, `Every day at ${d.time}`), color: 'green' }), [markdown(body)]);
}

export interface DailyDigestData {
  /** The day summed up (yyyy-MM-dd). */
  day: string;
  /** Its charts and figures, as /stats shows them (every part settled). */
  stats: Omit<StatsCardData, 'query' | 'filling'>;
  /** Open tickets now, and the one waiting longest; undefined when they could not be counted. */
  open?: { count: number; oldest?: { id: string; createdAt: number } };
  /** The digest's time (HH:MM), for the footer. */
  time: string;
  actions: { unhappy?: Json; oldest?: Json; board: Json };
}

/** The day in a few words: opened, closed, open now and the longest waiting, unhappy customers. */
function words(d: DailyDigestData): L10n {
  const { parts } = d.stats;
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  const created = parts.created.state === 'ok' ? n(sum(parts.created.value)) : '?';
  const closed = parts.resolved.state === 'ok' ? n(sum(parts.resolved.value.closed)) + (parts.resolved.value.read < parts.resolved.value.total ? '+' : '') : '?';
  const unhappy = parts.satisfaction.state === 'ok' ? n(parts.satisfaction.value.scores[0]) : '?';
  const lines: L10n[] = [l(`新建 **${created}** 个工单，关闭 **${closed}** 个。`, `**${created}** ${created === '1' ? 'ticket' : 'tickets'} opened, **${closed}** closed.`)];
  if (d.open) {
    const oldest = d.open.oldest;
    const age = oldest ? roughDuration(d.stats.asOf - oldest.createdAt) : undefined;
    lines.push(
      l(
        `现在有 **${n(d.open.count)}** 个未关闭${oldest && age ? `，等待最久的是 #${esc(oldest.id)}（已 ${age.zh_cn}）` : ''}。`,
        `**${n(d.open.count)}** open now${oldest && age ? `; waiting longest: #${esc(oldest.id)}, for ${age.en_us}` : ''}.`,
      ),
    );
  }
  const one = parts.satisfaction.state === 'ok' && parts.satisfaction.value.scores[0] === 1;
  lines.push(l(`当天新建的工单中 **${unhappy}** 位客户不满意（评分 1）。`, `**${unhappy}** unhappy ${one ? 'customer' : 'customers'} (score 1) among that day’s tickets.`));
  return joinL(lines, '\n');
}

export function dailyDigestCard(d: DailyDigestData): Json {
  const { asOf, timezone } = d.stats;
  const buttons = [
    ...(d.actions.unhappy ? [button({ text: l('不满意的工单', 'Unhappy tickets'), value: d.actions.unhappy })] : []),
    ...(d.actions.oldest ? [button({ text: l('等待最久的工单', 'Longest waiting'), value: d.actions.oldest })] : []),
    button({ text: l('看板', 'Board'), value: d.actions.board }),
  ];
  const footer = grey(l(`${formatClock(asOf, timezone)} 统计 · 每天 ${d.time} 发送 · \`/digest off\` 停止`, `counted at ${formatClock(asOf, timezone)} · posted daily at ${d.time} · \`/digest off\` stops it`));
  return card(header({ title: l(`日报：${d.day}`, `Daily digest: ${d.day}`), subtitle: l(`前一天的工单（${zoneLabel(timezone, asOf)}）`, `The day before (${zoneLabel(timezone, asOf)})`), color: 'blue' }), [
    markdown(words(d)),
    hr(),
    ...statsSections(d.stats),
    hr(),
    markdown(FIELD_NOTES),
    hr(),
    // Three buttons and a note do not fit one row on a phone: the buttons wrap, the note goes below.
    flow(buttons),
    markdown(footer, { text_size: 'notation' }),
  ]);
}
