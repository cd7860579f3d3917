// The help card: every command with real examples, in both languages.
import { card, header, hr, l, markdown, type Json, type L10n } from './kit.js';

export interface HelpOptions {
  /** Example queries for /tickets, shown verbatim; Chinese ones go to the Chinese text. */
  listExamples: string[];
  /** A recent day and a recent range, for the date syntax (examples that find tickets). */
  dates: { day: string; from: string; to: string };
}

const cmd = (s: string) => `\`${s}\``;
const HAN = /[\u4e00-\u9fff]/;

function filters({ day, from, to }: HelpOptions['dates']): L10n {
  return l(
    [
      '**筛选条件**（顺序随意，中英文都可以）',
      '· 状态：`未关闭` `已关闭` `新建` `处理中` `排队中` `待定` `待用户响应` `机器人关闭` `客服关闭` `用户关闭`，可以同时写多个',
      `· 时间：\`今天\` \`昨天\` \`本周\` \`上周\` \`本月\` \`上月\` \`近7天\` \`近24小时\` \`${day}\` \`${from}..${to}\`；默认按创建时间，前面加 \`更新\` 按更新时间，\`已关闭 昨天\` 按关闭时间`,
      '· 人：`客服 王磊` `客服 @某人` `我的` `未分配` `关单人 @某人` `用户 王小明` `用户 @某人`',
      '· 其他：`已解决` `未解决` `评分 1-3` `满意` `一般` `不满意` `机器人` `人工` `渠道 二维码` `标签 报销`（可多个，只写标签名也行） `工单号 …` `第2页`',
    ].join('\n'),
    [
      '**Filters** (any order, English or Chinese)',
      '· Status: `open` `closed` `new` `in progress` `queued` `pending` `waiting for customer` `closed by bot` `closed by agent` `closed by user`; several at once are allowed',
      `· Time: \`today\` \`yesterday\` \`this week\` \`last week\` \`this month\` \`last month\` \`7d\` \`24h\` \`${day}\` \`${from}..${to}\`; by creation time, or \`updated today\` for update time, \`closed yesterday\` for closing time`,
      '· People: `agent 王磊`, `owner Emily`, `agent @someone` or `agent ou_…`, `mine`, `unassigned`, `closed by @someone`, `guest James Wilson` or `guest @someone`',
      "· Other: `solved` `unsolved`, `score 1-3` or `happy` `neutral` `unhappy`, `bot` `human`, `channel api|qr|share|search|<number>`, `tag VIP` (repeatable; the tag's name alone works too), `id <ticket id>`, `page 2`",
    ].join('\n'),
  );
}

export function helpCard(options: HelpOptions): Json {
  const zhExamples = options.listExamples.filter((e) => HAN.test(e));
  const enExamples = options.listExamples.filter((e) => !HAN.test(e));
  const list = (examples: string[]) => examples.map((e) => cmd(`/tickets ${e}`)).join('\n');
  const blocks: L10n[] = [
    l(
      `**查看一个工单**\n${cmd('/ticket 6626871355780366331')}，或者只发工单号 ${cmd('6626871355780366331')}\n别名：${cmd('/t')}、${cmd('/工单')}`,
      `**Show one ticket**\n${cmd('/ticket 6626871355780366331')}, or just the id: ${cmd('6626871355780366331')}\nAliases: ${cmd('/t')}, ${cmd('/工单')}`,
    ),
    l(
      `**按条件列出工单**\n${list(zhExamples.length ? zhExamples : enExamples)}\n别名：${cmd('/ts')}、${cmd('/工单列表')}。只发 ${cmd('/tickets')} 会给出一个筛选表单。列表卡片上的按钮可以翻页、查看工单、刷新、修改筛选条件。`,
      `**List tickets by filter**\n${list(enExamples.length ? enExamples : zhExamples)}\nAliases: ${cmd('/ts')}, ${cmd('/工单列表')}. ${cmd('/tickets')} alone gives a form to pick filters from. The list card's buttons page through the results, open a ticket, refresh and change the filters.`,
    ),
    filters(options.dates),
    l(
      [
        '**关注与看板**',
        `${cmd('/watch 未关闭 标签 VIP')}：之后新建的、或变得符合条件的工单会发到这个会话，每个工单只发一次；条件和 ${cmd('/tickets')} 一样，但不带时间（别名 ${cmd('/关注')}）`,
        `${cmd('/watch')}：查看本会话的关注，每个都有“取消关注”按钮；${cmd('/unwatch 1')} 取消第 1 个（别名 ${cmd('/取消关注')}）`,
        `${cmd('/board')}：工单看板，按状态、未分配、按客服统计，点数字查看列表，工单变化时自动更新（别名 ${cmd('/看板')}）`,
        '机器人发出的工单卡片会在工单变化时自动更新。',
      ].join('\n'),
      [
        '**Watches and the board**',
        `${cmd('/watch open tag VIP')}: tickets created from now on, or that come to match later, are posted in this chat, each once; the filters of ${cmd('/tickets')}, without a time (alias ${cmd('/关注')})`,
        `${cmd('/watch')}: this chat's watches, each with an Unwatch button; ${cmd('/unwatch 1')} stops the first (alias ${cmd('/取消关注')})`,
        `${cmd('/board')}: the queue at a glance, by status, unassigned and per agent; click a count for the list; it updates itself (alias ${cmd('/看板')})`,
        'Ticket cards the bot posts update themselves when the ticket changes.',
      ].join('\n'),
    ),
    l(
      [
        '**统计与日报**',
        `${cmd('/stats')}：近7天的图表，新建和关闭数、未关闭工单、满意度、响应和解决时间；可以加时间和筛选条件，例如 ${cmd('/stats 近30天 标签 报销')}（别名 ${cmd('/统计')}）`,
        `${cmd('/digest 09:00')}：每天 9 点在这个会话发前一天的日报；${cmd('/digest off')} 停止（别名 ${cmd('/日报')}）`,
      ].join('\n'),
      [
        '**Stats and the daily digest**',
        `${cmd('/stats')}: charts of the last 7 days: tickets created and closed, open tickets, satisfaction, response and resolution times; add a time and filters, such as ${cmd('/stats 30d tag VIP')} (alias ${cmd('/统计')})`,
        `${cmd('/digest 09:00')}: the day before's figures in this chat every day at 9; ${cmd('/digest off')} stops it (alias ${cmd('/日报')})`,
      ].join('\n'),
    ),
    l(
      [
        '**在工单卡片上处理工单**',
        '客服可以点“回复用户”（以服务台机器人的身份发给用户，发送前可预览）和“推荐答案”（从常见问题中找答案）。',
        `“更改状态”“关闭”“标签”“添加备注”以你本人的身份和权限完成：第一次会请你登录一次。${cmd('/signout')} 忘记你的登录（别名 ${cmd('/退出登录')}）。`,
        '分配工单请在服务台中操作：开放接口不支持分配。',
      ].join('\n'),
      [
        '**Act on a ticket from its card**',
        "Agents can Reply to the customer (sent from the helpdesk's bot account, with a preview first) and Suggest answers from the FAQs.",
        `Change status, Close, Tags and Add note happen as yourself, with your own rights: the first time, you sign in once. ${cmd('/signout')} forgets your sign-in (alias ${cmd('/退出登录')}).`,
        'Assign tickets in the helpdesk itself: the platform has no API for it.',
      ].join('\n'),
    ),
    l(`**帮助**\n${cmd('/help')}、${cmd('/帮助')}，或者只 @ 机器人`, `**Help**\n${cmd('/help')}, ${cmd('/帮助')}, or just mention the bot`),
  ];
  const elements = blocks.flatMap((b, i) => (i === 0 ? [markdown(b)] : [hr(), markdown(b)]));
  return card(header({ title: l('服务台工单机器人', 'Helpdesk ticket bot'), subtitle: l('在聊天里查工单', 'Look up tickets from chat'), color: 'blue' }), elements);
}
