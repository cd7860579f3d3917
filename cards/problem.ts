// Cards for everything that can go wrong: each says what happened and what to do next.
import { card, clip, esc, header, joinL, l, mapL, markdown, type HeaderColor, type Json, type L10n } from './kit.js';

export type Problem =
  | { kind: 'ticket-not-found'; ticketId: string }
  | { kind: 'not-a-ticket-id'; input: string }
  | { kind: 'missing-ticket-id'; command: string }
  | { kind: 'unknown-command'; word: string; suggestion?: string }
  | { kind: 'unauthorized' }
  | { kind: 'rate-limited' }
  | { kind: 'busy' }
  | { kind: 'upstream'; what: 'ticket' | 'list' };

interface Look {
  color: HeaderColor;
  title: L10n;
  what: L10n;
  todo: L10n;
}

// Data is quoted, not put in a code span: entities are not decoded inside code spans.
const code = (s: string) => `**${esc(s)}**`;

function look(p: Problem): Look {
  switch (p.kind) {
    case 'ticket-not-found':
      return {
        color: 'orange',
        title: l('找不到工单', 'Ticket not found'),
        what: l(`服务台里没有工单 ${code(p.ticketId)}。`, `The helpdesk has no ticket ${code(p.ticketId)}.`),
        todo: l('请核对工单号，或用 `/tickets` 按条件查找。', 'Check the id, or find the ticket with `/tickets` and a filter.'),
      };
    case 'not-a-ticket-id':
      return {
        color: 'orange',
        title: l('工单号格式不对', 'That is not a ticket id'),
        what: l(`${code(clip(p.input, 60))} 不是工单号：工单号只包含数字。`, `${code(clip(p.input, 60))} is not a ticket id: ticket ids are digits only.`),
        todo: l('例如：`/ticket 6626871355780366331`', 'For example: `/ticket 6626871355780366331`'),
      };
    case 'missing-ticket-id':
      return {
        color: 'blue',
        title: l('要查哪个工单？', 'Which ticket?'),
        what: l(`${code(p.command)} 后面需要一个工单号。`, `${code(p.command)} needs a ticket id after it.`),
        todo: l('例如：`/ticket 6626871355780366331`', 'For example: `/ticket 6626871355780366331`'),
      };
    case 'unknown-command':
      return {
        color: 'blue',
        title: l('没有这个命令', 'Unknown command'),
        what: l(`我不认识 ${code(clip(p.word, 40))}。`, `I don't know ${code(clip(p.word, 40))}.`),
        todo: p.suggestion
          ? l(`你是想用 ${code(p.suggestion)} 吗？发送 \`/help\` 查看全部命令。`, `Did you mean ${code(p.suggestion)}? Send \`/help\` for every command.`)
          : l('发送 `/help` 查看全部命令。', 'Send `/help` for every command.'),
      };
    case 'unauthorized':
      return {
        color: 'red',
        title: l('没有访问服务台的权限', 'No access to the helpdesk'),
        what: l('服务台拒绝了机器人的请求（未授权）。', 'The helpdesk refused the bot (unauthorised).'),
        todo: l(
          '请管理员检查：应用和服务台属于同一租户，helpdesk.id / helpdesk.token 正确，且应用已开通 helpdesk:all:readonly 权限。',
          'Ask the operator to check that the app and the helpdesk are in the same tenant, that helpdesk.id and helpdesk.token are right, and that the app has the helpdesk:all:readonly scope.',
        ),
      };
    case 'rate-limited':
      return {
        color: 'yellow',
        title: l('服务台繁忙', 'Helpdesk is busy'),
        what: l('服务台暂时限制了请求频率。', 'The helpdesk is limiting requests right now.'),
        todo: l('请稍等几秒再试。', 'Please try again in a few seconds.'),
      };
    case 'busy':
      return {
        color: 'yellow',
        title: l('请求太多，请稍后再试', 'Busy, try again shortly'),
        what: l('现在排队的查询太多，这一条没能及时处理。', 'Too many lookups are queued; this one could not be answered in time.'),
        todo: l('请几秒后再发一次同样的命令。', 'Send the same command again in a few seconds.'),
      };
    case 'upstream':
      return {
        color: 'red',
        title: p.what === 'ticket' ? l('查询工单失败', 'Ticket lookup failed') : l('查询工单列表失败', 'Ticket search failed'),
        what: l('服务台出错或没有及时响应。', 'The helpdesk failed or did not answer in time.'),
        todo: l('请稍后再试；如果一直失败，请联系管理员。', 'Please try again shortly; if it keeps failing, tell the operator.'),
      };
  }
}

export function problemCard(problem: Problem): Json {
  const { color, title, what, todo } = look(problem);
  return card(header({ title, color }), [markdown(joinL([what, mapL(todo, (s) => `<font color='grey'>${s}</font>`)], '\n'))]);
}
