// The demo helpdesk's vocabulary: tags, custom field values, comments and dissatisfaction reasons.
import type { RawI18n, RawTicketTag } from '@helpdesk-bot/feishu-standin';

export const TAGS: readonly RawTicketTag[] = [
  { id: '7474857595946745884', name: '报销' },
  { id: '7474857595946745885', name: 'VIP' },
  { id: '7474857595946745886', name: '账号' },
  { id: '7474857595946745887', name: 'Network' },
  { id: '7474857595946745888', name: 'Laptop' },
  { id: '7474857595946745889', name: '权限' },
  { id: '7474857595946745890', name: 'Urgent' },
  { id: '7474857595946745891', name: 'Onboarding' },
];

/** Custom fields as the helpdesk defines them; values are picked per ticket. */
export const FIELDS = {
  priority: { id: '7101', key_name: 'priority', display_name: '优先级', position: 1, required: true, values: ['P0', 'P1', 'P2', 'P3'] },
  system: {
    id: '7102',
    key_name: 'system',
    display_name: 'System',
    position: 2,
    required: false,
    values: ['Expense system', 'VPN', '邮箱 Email', 'OA 审批', 'HR system', 'Jira', 'Wi-Fi', '打印机 Printer'],
  },
  region: { id: '7103', key_name: 'region', display_name: '区域 Region', position: 3, required: false, values: ['华东', '华北', '华南', 'APAC', 'EMEA'] },
} as const;

export const COMMENTS: readonly string[] = [
  '已远程协助重置 VPN 证书，用户确认可以连接。',
  'Reset the password and asked the user to turn on two-factor sign-in.',
  '报销单卡在审批流第二步，已联系财务共享中心处理。',
  'Replaced the laptop charger; waiting for the user to confirm it charges.',
  '打印机驱动重新安装后恢复正常。',
  'Escalated to the network team (INC-2291). Office Wi-Fi drops every ~10 min.',
  '用户需要 Jira 项目权限，已转交项目管理员审批。',
  'New hire starts Monday: laptop, badge and accounts are ready.',
  '邮箱容量已满，已扩容到 50 GB 并提醒用户归档。',
  'Asked for a screenshot of the error; no reply yet.',
  '差旅报销超标，需部门负责人补充审批意见。',
  'Customer-facing demo at 3 pm: projector & HDMI adapter booked.',
  '已确认是 OA 审批流配置问题，修复后重新提交即可。',
  'Could not reproduce. Cleared the browser cache, works < 5 min later.',
];

export const DISSATISFACTION_REASONS: readonly RawI18n[] = [
  { zh_cn: '答案看不懂', en_us: "I don't understand", ja_jp: '回答が複雑すぎる' },
  { zh_cn: '等待时间太长', en_us: 'I waited too long' },
  { zh_cn: '问题没有解决', en_us: 'My problem was not solved' },
  { zh_cn: '客服态度不好', en_us: 'The agent was unfriendly' },
];

/** Markup-looking text in a comment, to show card markdown never interprets ticket data. */
export const HOSTILE_COMMENT = '**bold** and *italic* are not markup here; neither is [link](javascript:alert(1)) nor <script>alert(1)</script> nor <font color=red>red</font> &#60;b&#62;';
