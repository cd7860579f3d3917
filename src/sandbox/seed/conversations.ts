// The demo helpdesk's conversations: for every ticket, the chat between its guest, the helpdesk's
// bot and (for human tickets) its agents, in the messages API's shape. Chinese guests write
// Chinese, others English; a few turns, some screenshots. Deterministic per ticket.
import { HOSTILE_TICKET_ID } from './ids.js';
import { HELPDESK_BOT } from './people.js';
import { rngFor } from './rng.js';
import type { RawTicket, RawTicketMessage, RawTicketUser } from '@helpdesk-bot/feishu-standin';

interface Topic {
  /** Tag or system names that make a ticket about this. */
  about: string[];
  zh: { ask: string; more: string; answer: string; done: string };
  en: { ask: string; more: string; answer: string; done: string };
}

const TOPICS: Topic[] = [
  {
    about: ['报销', 'Expense system'],
    zh: {
      ask: '报销单提交不了，一直提示“附件格式不支持”，附件就是普通的 PDF 发票。',
      more: '截图发你，是第二步审批那里报错。',
      answer: '收到，我看了一下是附件超过 10 MB 被拦截了，压缩后重新上传就可以。',
      done: '已经帮你在后台放行，重新提交试试。',
    },
    en: {
      ask: "My expense claim won't submit: it keeps saying the attachment type is not supported. It's a normal PDF invoice.",
      more: "Here's a screenshot of the error at the approval step.",
      answer: 'Thanks, the file is over the 10 MB limit. Compress it and upload it again.',
      done: "I've let it through on our side; please submit it again.",
    },
  },
  {
    about: ['Network', 'VPN', 'Wi-Fi'],
    zh: { ask: 'VPN 连不上，提示证书过期，在家办公没法访问内网。', more: '重启过电脑了，还是一样。', answer: '我远程帮你重置一下证书，请保持电脑在线。', done: '证书已更新，现在应该可以连接了。' },
    en: {
      ask: "I can't connect to the VPN, it says my certificate has expired. I'm working from home today.",
      more: 'I restarted the laptop, same error.',
      answer: "I'll reset your certificate remotely, please keep the laptop online.",
      done: 'The certificate is renewed; you should be able to connect now.',
    },
  },
  {
    about: ['账号', '权限', 'Jira', 'OA 审批'],
    zh: { ask: '新项目需要 Jira 权限，现在打开项目页面显示 403。', more: '项目是 PAY，需要开发者角色。', answer: '已提交给项目管理员审批，通过后会自动生效。', done: '权限已开通，刷新页面即可。' },
    en: {
      ask: 'I need access to the PAY project in Jira, the page shows 403 for me.',
      more: 'I need the developer role, my manager already approved it.',
      answer: "I've sent the request to the project admin; it applies as soon as it's approved.",
      done: 'Access is granted, please refresh the page.',
    },
  },
  {
    about: ['Laptop', '打印机 Printer', 'Onboarding'],
    zh: {
      ask: '笔记本充不进电，插上电源指示灯不亮。',
      more: '换了公司的另一个充电器也不行。',
      answer: '可能是电源适配器坏了，我给你登记一个新的，下午可以来 IT 服务台领取。',
      done: '新充电器已经准备好了，放在三楼服务台。',
    },
    en: {
      ask: "My laptop won't charge, the light doesn't come on when I plug it in.",
      more: "I tried another charger from the office, it doesn't work either.",
      answer: "Sounds like the adapter. I've booked a replacement, you can pick it up at the IT desk this afternoon.",
      done: 'Your new charger is ready at the 3rd-floor desk.',
    },
  },
  {
    about: ['邮箱 Email', 'HR system'],
    zh: { ask: '邮箱提示容量已满，收不到新邮件了。', more: '我已经删了一些，但还是显示满。', answer: '我帮你扩容到 50 GB，另外建议开启自动归档。', done: '扩容完成，新邮件可以正常接收了。' },
    en: {
      ask: "My mailbox says it's full and new mail is bouncing.",
      more: "I deleted a lot already, it still says it's full.",
      answer: "I'll raise your quota to 50 GB; turning on auto-archive will help too.",
      done: 'Done, your mailbox has room again.',
    },
  },
];

const HOSTILE_LINES = ['# Heading?\n===\n    indented code\n> a quote\n- a list item\n| a | b |\n|---|---|', '[link](javascript:alert(1)) <at id=all></at> <font color=red>red</font> **bold** `code` http://e.vil'];

const HAN = /\p{Script=Han}/u;
const SECOND = 1000;
const MINUTE = 60 * SECOND;

const text = (s: string) => JSON.stringify({ content: s, msg_type: 'text' });
const image = (key: string) => JSON.stringify({ image_key: key, msg_type: 'image' });
const post = (s: string, images: string[]) =>
  JSON.stringify({ content: JSON.stringify({ title: '', content: [[{ tag: 'text', text: s }], ...images.map((k) => [{ tag: 'img', image_key: k }])] }), msg_type: 'post', image_keys: images });

function topicOf(ticket: RawTicket, random: () => number): Topic {
  const names = [...(ticket.tags ?? []).map((t) => t.name), ...(ticket.customized_fields ?? []).map((f) => f.value)];
  return TOPICS.find((t) => t.about.some((a) => names.includes(a))) ?? TOPICS[Math.floor(random() * TOPICS.length)]!;
}

/** Each ticket's conversation by ticket id, every message between its creation and its last activity. */
export function seedConversations(tickets: readonly RawTicket[]): Record<string, RawTicketMessage[]> {
  return Object.fromEntries(tickets.map((t) => [t.ticket_id, conversationFor(t)]));
}

function conversationFor(ticket: RawTicket): RawTicketMessage[] {
  const random = rngFor(ticket.ticket_id).next;
  const guest: RawTicketUser = ticket.guest ?? { name: 'Guest' };
  const zh = HAN.test(guest.name ?? '');
  const words = topicOf(ticket, random)[zh ? 'zh' : 'en'];
  const start = ticket.created_at ?? 0;
  const end = Math.max(start + MINUTE, ticket.closed_at ?? (ticket.updated_at && ticket.updated_at > 0 ? ticket.updated_at : start + 10 * MINUTE));
  const agent = ticket.agent_owner ?? ticket.agents?.[0];
  const messages: RawTicketMessage[] = [];
  let n = 0;
  const say = (who: RawTicketUser, at: number, content: string, kind = 'text') => {
    const created = Math.min(Math.max(at, start), end);
    const id = `${ticket.ticket_id.slice(0, 12)}${String(++n).padStart(7, '0')}`;
    messages.push({ id, message_id: `om_${id}`, message_type: kind, created_at: created, content, user_name: who.name, avatar_url: who.avatar_url, user_id: who.id });
  };
  const span = end - start;
  const at = (share: number) => start + Math.floor(span * share) + Math.floor(random() * 20) * SECOND;

  if (ticket.ticket_id === HOSTILE_TICKET_ID) {
    say(guest, start, text(HOSTILE_LINES[0]!));
    say(guest, start + 20 * SECOND, text(HOSTILE_LINES[1]!));
    if (agent) say(agent, at(0.5), text('Looking into it. Everything above shows as plain text.'));
    return messages;
  }

  say(guest, start, text(words.ask));
  say(
    HELPDESK_BOT,
    start + 5 * SECOND,
    text(zh ? '您好，我是服务台机器人。已收到你的问题，正在为你转接人工客服，请稍候。' : "Hi, I'm the helpdesk assistant. I've got your question and I'm finding an agent for you."),
  );
  if (ticket.ticket_type === 1 || !agent) {
    if (random() < 0.5) say(guest, at(0.6), text(zh ? '好的，谢谢。' : 'OK, thanks.'));
    return messages;
  }
  say(agent, at(0.1), text(zh ? `进入人工服务。@${agent.name} 为你提供服务，开始聊起来吧~` : `Connected to an agent. ${agent.name} is here to help.`));
  const shot = random() < 0.4;
  if (shot) {
    const key = `img_v3_${ticket.ticket_id.slice(-10)}`;
    if (random() < 0.5) say(guest, at(0.2), image(key), 'image');
    else say(guest, at(0.2), post(words.more, [key]), 'post');
  } else {
    say(guest, at(0.2), text(words.more));
  }
  say(agent, at(0.45), text(words.answer));
  if ((ticket.status ?? 0) >= 50 || random() < 0.5) say(agent, at(0.9), text(words.done));
  if ((ticket.status ?? 0) >= 50 && random() < 0.6) say(guest, at(0.97), text(zh ? '可以了，谢谢！' : 'It works now, thank you!'));
  return messages;
}
