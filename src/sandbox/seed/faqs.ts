// The demo helpdesk's FAQs, for Suggest answers on a ticket card: one or two per topic the demo's
// customers write about (expenses, the VPN and Wi-Fi, access, laptops and printers, mail), in
// Chinese and in English, so a customer's question finds its answer in their own language.
import type { RawFaq } from '@helpdesk-bot/feishu-standin';

const faq = (id: string, question: string, answer: string, tags: string[]): RawFaq => ({ faq_id: `74${id.padStart(17, '0')}`, question, answer, tags, create_time: '1735689600000', update_time: '1735689600000' });

export const DEMO_FAQS: readonly RawFaq[] = [
  faq('1', '报销单提交时提示“附件格式不支持”怎么办？', '发票附件需为 PDF 或 JPG，且不超过 10 MB。请压缩后重新上传；仍然失败时，把报错截图发给 IT 服务台。', ['报销']),
  faq(
    '2',
    'My expense claim says the attachment type is not supported',
    'Attachments must be PDF or JPG and under 10 MB. Compress the file and upload it again; if it still fails, send the IT desk a screenshot of the error.',
    ['报销'],
  ),
  faq('3', 'VPN 连不上，提示证书过期', '在 VPN 客户端里选择“更新证书”，用公司账号登录后重新连接。在家办公时请先确认电脑能上网。', ['Network', 'VPN']),
  faq(
    '4',
    "I can't connect to the VPN: my certificate has expired",
    'In the VPN client choose "Renew certificate", sign in with your company account and connect again. Working from home, first check the laptop is online.',
    ['Network', 'VPN'],
  ),
  faq('5', 'Office Wi-Fi keeps dropping', 'Forget the "Corp" network, join it again with your company account, and keep the laptop on the latest Wi-Fi driver. Tell the IT desk which floor it happens on.', [
    'Network',
    'Wi-Fi',
  ]),
  faq('6', '打开 Jira 项目页面显示 403，怎么申请权限？', '在 IT 服务门户提交“项目权限”申请，写明项目和所需角色；项目管理员审批通过后自动生效。', ['账号', '权限', 'Jira']),
  faq(
    '7',
    'How do I get access to a Jira project (the page shows 403)?',
    'Request "Project access" in the IT service portal with the project and the role you need; it applies as soon as the project admin approves it.',
    ['账号', '权限', 'Jira'],
  ),
  faq('8', '笔记本充不进电怎么办？', '先换一个插座和充电器试试。仍然不行，请到三楼 IT 服务台登记更换电源适配器。', ['Laptop']),
  faq('9', "My laptop won't charge", 'Try another socket and charger first. If it still does not charge, book a replacement adapter at the 3rd-floor IT desk.', ['Laptop']),
  faq('10', '邮箱提示容量已满，收不到邮件', '删除大附件邮件并清空“已删除邮件”，或开启自动归档；需要扩容请联系 IT 服务台。', ['邮箱 Email']),
  faq('11', 'My mailbox is full and new mail bounces', 'Delete mail with large attachments and empty Deleted Items, or turn on auto-archive; ask the IT desk to raise your quota.', ['邮箱 Email']),
  faq('12', 'How do I reset my password?', 'Use "Forgot password" on the sign-in page, or ask the IT desk to reset it; then turn on two-factor sign-in.', ['账号']),
];
