// The help card: every command with real examples, in both languages.
import { card, header, hr, l, markdown, type Json, type L10n } from './kit.js';

export interface HelpOptions {
  /** Example queries for /tickets, shown verbatim. */
  listExamples: string[];
}

const cmd = (s: string) => `\`${s}\``;

export function helpCard(options: HelpOptions): Json {
  const blocks: L10n[] = [
    l(
      `**查看一个工单**\n${cmd('/ticket 6626871355780366331')}\n别名：${cmd('/t')}、${cmd('/工单')}`,
      `**Show one ticket**\n${cmd('/ticket 6626871355780366331')}\nAliases: ${cmd('/t')}, ${cmd('/工单')}`,
    ),
    l(
      `**按条件列出工单**\n${options.listExamples.map((e) => cmd(`/tickets ${e}`)).join('\n')}\n别名：${cmd('/ts')}、${cmd('/工单列表')}`,
      `**List tickets by filter**\n${options.listExamples.map((e) => cmd(`/tickets ${e}`)).join('\n')}\nAliases: ${cmd('/ts')}, ${cmd('/工单列表')}`,
    ),
    l(
      '**条件**：状态（open 未关闭、closed 已关闭、处理中、排队中、待定…）、时间（today 今天、yesterday、this week 本周、7d、2026-11-01..2026-11-20，加 updated 按更新时间）、' +
        '人（agent @某人、mine 我的、closed-by @某人、guest 名字）、solved / unsolved、score 1–3 或 满意 / 不满意、bot / human、channel、tag、id、page。词序随意。',
      '**Filters**: status (open, closed, processing, queued, pending, waiting…), time (today, yesterday, this week, last week, this month, 7d, 24h, 2026-11-20, 2026-11-01..2026-11-20; add updated for update time), ' +
        'people (agent @someone, mine, closed-by @someone, guest <name>), solved / unsolved, score 1–3 or happy / neutral / unhappy, bot / human, channel <name|number>, tag <name>, id <ticket id>, page N. Any order.',
    ),
    l(`**帮助**\n${cmd('/help')}、${cmd('/帮助')}，或者只 @ 机器人`, `**Help**\n${cmd('/help')}, ${cmd('/帮助')}, or just mention the bot`),
  ];
  const elements = blocks.flatMap((b, i) => (i === 0 ? [markdown(b)] : [hr(), markdown(b)]));
  return card(header({ title: l('服务台工单机器人', 'Helpdesk ticket bot'), subtitle: l('在聊天里查工单', 'Look up tickets from chat'), color: 'blue' }), elements);
}
