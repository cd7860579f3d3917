// The filter parser explains what it expected in short English phrases; these are their Chinese
// counterparts, so a Chinese error card does not switch language halfway. Unknown phrases stay
// English in both (a new phrase never breaks a card, it is only untranslated).
import { esc, l, type L10n } from './kit.js';

const ZH: Record<string, string> = {
  'a name, @someone, ou_… or me': '名字、@某人、ou_… 或 我',
  'a name, @someone or ou_…': '名字、@某人 或 ou_…',
  'api, qr, share, search or a number': 'api、二维码、分享、搜索 或数字',
  'a tag name': '标签名',
  'a ticket id (digits)': '工单号（数字）',
  '1, 2 or 3, or a range such as 1-3': '1、2 或 3，或者范围，例如 1-3',
  'a page number such as 2': '页码，例如 2',
  'a time such as today, 7d or 2026-11-20': '时间，例如 今天、近7天 或 2026-11-20',
  'a closing quote': '结束的引号',
  'a real date such as 2026-11-20': '真实存在的日期，例如 2026-11-20',
  'a span of at least 1': '至少 1 的时长',
  'an end on or after the start': '结束日期不早于开始日期',
  'a valid clock and time zone': '有效的时间和时区',
  'a known asker': '已知的提问人',
  'one person, not @all': '一个人，而不是 @所有人',
  'a person mentioned in this message': '这条消息里 @ 到的人',
  'a person with an open_id': '有 open_id 的人',
  'two different agents': '写了两个不同的客服',
  'two different closers': '写了两个不同的关单人',
  'two different guests': '写了两个不同的用户',
  'bot and human': '同时写了机器人和人工',
  'two different channels': '写了两个不同的渠道',
  'solved and unsolved': '同时写了已解决和未解决',
  'two different scores': '写了两个不同的评分',
  'two different ticket ids': '写了两个不同的工单号',
  'two different pages': '写了两个不同的页码',
  'two different creation times': '写了两个不同的创建时间',
  'two different update times': '写了两个不同的更新时间',
  'two different closing times': '写了两个不同的关闭时间',
  'a closing time for tickets that are not closed': '未关闭的工单没有关闭时间',
  'an agent and unassigned': '同时写了客服和未分配',
};

const PATTERNS: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^at most (\d+) characters$/, (m) => `最多 ${m[1]} 个字符`],
  [/^at most (\d+) words$/, (m) => `最多 ${m[1]} 个词`],
];

/** The phrase in both languages, escaped for markdown. */
export function hint(phrase: string): L10n {
  const fixed = ZH[phrase];
  if (fixed) return l(esc(fixed), esc(phrase));
  for (const [pattern, zh] of PATTERNS) {
    const m = pattern.exec(phrase);
    if (m) return l(esc(zh(m)), esc(phrase));
  }
  return l(esc(phrase), esc(phrase));
}
