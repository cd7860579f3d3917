// Example queries shown by the help and error cards. A test parses every one of them, so they
// stay true as the language changes.

export const FILTER_EXAMPLES: string[] = [
  'open today',
  'mine unsolved 7d',
  'closed last week unhappy',
  'updated yesterday human channel api',
  '2026-11-01..2026-11-20 tag vip page 2',
  'guest "Zhang San" processing',
  '未关闭 今天',
  '我的 未解决 近7天',
  '已关闭 上周 不满意',
  '更新 昨天 渠道 二维码',
  '用户 “张三” 第2页',
];
