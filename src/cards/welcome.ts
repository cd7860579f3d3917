// The welcome card: posted when the bot is added to a group and on someone's first direct message.
// What the bot does, the three commands worth knowing, and what it hides in groups.
import type { MaskedField } from './ticket.js';
import { card, header, hr, joinL, l, markdown, type Json, type L10n } from './kit.js';

export interface WelcomeOptions {
  /** privacy.masking and privacy.masked_fields, which decide the last paragraph. */
  masking: 'groups' | 'everywhere' | 'off';
  maskedFields: readonly MaskedField[];
}

const FIELD: Record<MaskedField, L10n> = {
  email: l('邮箱', 'email'),
  department: l('部门', 'department'),
  city: l('城市', 'city'),
  country: l('国家', 'country'),
  name: l('姓名', 'name'),
  conversation: l('对话内容', 'conversation'),
};

const EXAMPLE_ID = '6626871355780366331';

export function welcomeCard(options: WelcomeOptions): Json {
  const intro = l(
    '我可以在聊天里查服务台工单，结果以卡片显示。在群里请 @我；私聊直接发消息即可。',
    'I look up helpdesk tickets from chat and answer with cards. In a group, @mention me; in a direct message, just type.',
  );
  const commands = l(
    ['**最常用的三个命令**', `\`${EXAMPLE_ID}\` 或 \`/ticket ${EXAMPLE_ID}\`：查看一个工单的全部信息`, '`/tickets 未关闭 今天`：按条件列出工单，用按钮翻页、查看、刷新', '`/help`：全部命令和筛选条件'].join('\n'),
    [
      '**Three commands worth knowing**',
      `\`${EXAMPLE_ID}\` or \`/ticket ${EXAMPLE_ID}\`: one ticket in full`,
      '`/tickets open today`: matching tickets, with buttons to page, open and refresh',
      '`/help`: every command and filter',
    ].join('\n'),
  );
  return card(header({ title: l('你好，我是服务台工单机器人', 'Hi, I am the helpdesk ticket bot'), subtitle: l('在聊天里查工单', 'Look up tickets from chat'), color: 'blue' }), [
    markdown(intro),
    hr(),
    markdown(commands),
    hr(),
    markdown(privacyNote(options)),
  ]);
}

function privacyNote({ masking, maskedFields }: WelcomeOptions): L10n {
  const fields = joinL(
    maskedFields.map((f) => FIELD[f]),
    l('、', ', '),
  );
  if (masking === 'off' || maskedFields.length === 0) {
    return l('**群聊中**：群里的每个人都能看到我发出的工单卡片，包括用户的联系方式。', '**In groups**: everyone in the group sees the ticket cards I post, guest contact details included.');
  }
  if (masking === 'everywhere') {
    return l(`**隐藏的信息**：所有卡片都不显示用户的${fields.zh_cn}。`, `**What is hidden**: ticket cards never show the guest's ${fields.en_us}.`);
  }
  return l(
    `**群聊中**：群里的每个人都能看到卡片，所以不显示用户的${fields.zh_cn}；私聊我可以看到。`,
    `**In groups**: everyone in the group sees the cards, so the guest's ${fields.en_us} is hidden; ask me in a direct message to see it.`,
  );
}
