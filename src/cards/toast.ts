// Toasts: the short answers to a button click that come instead of (or before) a new card.
import type { Json } from './kit.js';

export type ToastKind = 'invalid-button' | 'moved-card' | 'refused' | 'loading' | 'busy' | 'opening' | 'not-yours' | 'not-agent' | 'agents-off' | 'sign-in-off' | 'working';

const toast = (type: 'info' | 'error', zh_cn: string, en_us: string): Json => ({ toast: { type, content: en_us, i18n: { zh_cn, en_us } } });

/** `contact` (whom to ask for access) is plain text: toasts render no markup. */
export function toastFor(kind: ToastKind, contact = ''): Json {
  switch (kind) {
    case 'invalid-button':
      return toast('error', '这个按钮已失效，请重新发送命令。', 'This button is no longer valid; send the command again.');
    case 'moved-card':
      return toast('error', '这张卡片来自别的会话，请在这里重新发送命令。', 'This card comes from another chat; send the command here instead.');
    case 'refused':
      return toast('error', `你不能在这里查看工单。如需开通，请联系${contact}。`, `You cannot look up tickets here. To get access, ask ${contact}.`);
    case 'loading':
      return toast('info', '正在加载…', 'Loading…');
    case 'busy':
      return toast('error', '机器人正忙，请稍后再点一次。', 'The bot is busy; click again shortly.');
    case 'opening':
      return toast('info', '正在打开，结果会作为新消息发出…', 'Opening it as a new message…');
    case 'not-yours':
      return toast('error', '这个按钮是给写这条回复的人用的。要回复，请点“回复用户”。', 'This button belongs to whoever wrote this reply. To reply yourself, click Reply.');
    case 'not-agent':
      return toast(
        'error',
        `只有服务台客服可以在这里处理工单，没有发送或更改任何内容。如需开通，请联系${contact}。`,
        `Only the helpdesk's agents may act on tickets here; nothing was sent or changed. To be added, ask ${contact}.`,
      );
    case 'agents-off':
      return toast('error', '回复用户和推荐答案未开启：管理员需要在 app.yaml 的 access.agents 中列出客服。', 'Reply and Suggest are off: an operator must list the agents in access.agents in app.yaml.');
    case 'sign-in-off':
      return toast('error', '以本人身份操作未开启：管理员需要设置 USER_TOKEN_KEY。', 'Acting as yourself is off: an operator must set USER_TOKEN_KEY.');
    case 'working':
      return toast('info', '正在处理，完成后卡片会更新…', 'Working on it; the card updates when it is done…');
  }
}
