// The ticket card's action area: what an agent can do from the card, under the ticket's details.
// Its buttons (Reply and Suggest with the bot's rights; status, close, tags and a note as the
// agent, once signed in), what was last done from chat and by whom, and the part a click opens:
// a form, a reply's preview, suggested answers, the sign-in, or what became of an action.
import { form, input, MAX_INPUT_LENGTH, multiSelectStatic, selectStatic, submitButton } from './form.js';
import { ago } from './format.js';
import { button, clip, columns, esc, grey, joinL, l, markdown, mapL, plainText, same, type ButtonSpec, type Element, type Json, type L10n } from './kit.js';
import { statusLook } from './labels.js';
import { OPEN_STATUSES } from '../commands/filters/statuses.js';

/** What was done to a ticket from chat. */
export type Did = { kind: 'replied' } | { kind: 'status'; status: number } | { kind: 'closed'; solved: 1 | 2 } | { kind: 'tags'; tags: string[] } | { kind: 'note' };

export interface LastAction {
  did: Did;
  /** Who did it (open_id), and their name when the bot knows it (they signed in). */
  by: string;
  name?: string;
  /** Epoch ms. */
  at: number;
}

/** Button values; a button is shown only with its value. */
export interface ActionButtons {
  reply?: Json;
  suggest?: Json;
  status?: Json;
  closeSolved?: Json;
  closeUnsolved?: Json;
  tags?: Json;
  note?: Json;
}

/** What went wrong with what was typed into a form. */
export type FormProblem = { kind: 'empty' } | { kind: 'too-long'; length: number; limit: number } | { kind: 'no-status' } | { kind: 'bad-tags' };

/** Why an action did not happen (or may not have), in words the person can act on. */
export type Refusal =
  /** The helpdesk refused the person's change: not an agent with rights on this ticket (154003). */
  | { kind: 'no-rights' }
  | { kind: 'rate-limited'; seconds?: number }
  /** The helpdesk failed or did not answer; nothing (or, for a reply, maybe nothing) was done. */
  | { kind: 'failed'; maybeDone: boolean }
  | { kind: 'not-sent-twice' }
  | { kind: 'no-question' }
  /** A sign-in ended badly: nothing was done. */
  | { kind: 'sign-in'; reason: 'denied' | 'mismatch' | 'outside' | 'expired' | 'failed' };

export type Panel =
  | { kind: 'reply'; preview: Json; cancel: Json; draft?: string; problem?: FormProblem }
  | { kind: 'preview'; text: string; send: Json; edit: Json; cancel: Json }
  | { kind: 'suggestions'; query: string; faqs: { question: string; answer: string; use: Json }[]; cancel: Json }
  | { kind: 'status'; submit: Json; cancel: Json; problem?: FormProblem }
  | { kind: 'tags'; known: string[]; submit: Json; cancel: Json; problem?: FormProblem }
  | { kind: 'note'; submit: Json; cancel: Json; draft?: string; problem?: FormProblem }
  /** The clicker must sign in: a link for them (10 minutes), or a code to confirm (the device flow). */
  | { kind: 'sign-in'; who: string; url: string; expiresAt: number; again: boolean; cancel: Json }
  | { kind: 'device'; who: string; code: string; url: string; expiresAt: number; again: boolean; cancel: Json }
  | { kind: 'refused'; who: string; refusal: Refusal };

/** What the forms start from: the ticket as it is now. */
export interface TicketNow {
  id: string;
  status?: number;
  tags: string[];
}

export interface ActionArea {
  ticket: TicketNow;
  buttons: ActionButtons;
  /** Actions an operator has not turned on, so the card says how. */
  off: ('replies' | 'sign-in')[];
  last?: LastAction;
  panel?: Panel;
}

/** Statuses an agent may set from the card (closing has buttons of its own): the open ones. */
export { OPEN_STATUSES };
/** The longest reply or note: what one card input takes. */
export const REPLY_LIMIT = MAX_INPUT_LENGTH;

/** A person on a card: their name when known, else the platform's mention (which shows their name). */
export const personRef = (openId: string, name?: string): string => (name ? esc(clip(name, 40)) : `<at id=${/^ou_[A-Za-z0-9_-]+$/.test(openId) ? openId : 'unknown'}></at>`);

export function actionArea(area: ActionArea, timezone: string, now: number): Element[] {
  const { buttons: b } = area;
  const id = area.ticket.id;
  // Closing is confirmed in the platform's own dialog, which also says what closing does not do.
  const closing = (solved: boolean) => ({
    title: solved ? l(`将工单 ${id} 关闭为已解决？`, `Close ticket ${id} as solved?`) : l(`将工单 ${id} 关闭为未解决？`, `Close ticket ${id} as unsolved?`),
    text: l('这会以你的身份更改服务台中的工单状态；不会结束用户的会话。', "This changes the ticket in the helpdesk, as you; it does not end the customer's chat."),
  });
  const specs: ButtonSpec[] = [
    { value: b.reply, text: l('回复用户', 'Reply'), kind: 'primary' },
    { value: b.suggest, text: l('推荐答案', 'Suggest answers') },
    { value: b.status, text: l('更改状态', 'Change status') },
    { value: b.closeSolved, text: l('关闭：已解决', 'Close as solved'), confirm: closing(true) },
    { value: b.closeUnsolved, text: l('关闭：未解决', 'Close as unsolved'), confirm: closing(false) },
    { value: b.tags, text: l('标签', 'Tags') },
    { value: b.note, text: l('添加备注', 'Add note') },
  ];
  // A button is offered only with its value.
  const buttons = specs.filter((spec) => spec.value !== undefined).map((spec) => ({ elements: [button(spec)], width: 'auto' as const }));
  const notes = [
    ...(area.last ? [lastLine(area.last, timezone, now)] : []),
    ...(area.off.includes('replies')
      ? [l('回复用户和推荐答案未开启：请管理员在 app.yaml 的 access.agents 中列出客服。', 'Reply and Suggest are off: an operator lists the agents in access.agents in app.yaml.')]
      : []),
    ...(area.off.includes('sign-in')
      ? [l('以本人身份更改状态、关闭、标签和备注未开启：请管理员设置 USER_TOKEN_KEY。', 'Status, closing, tags and notes as yourself are off: an operator must set USER_TOKEN_KEY.')]
      : []),
    // There is no assign API: say so where an agent would look for it.
    l('分配工单请在[服务台](https://feishu.cn/helpdesk/admin)中操作（开放接口不支持分配）。', 'Assign tickets in the [helpdesk](https://feishu.cn/helpdesk/admin): the platform has no API for it.'),
  ];
  return [
    ...(buttons.length ? [columns(buttons, { flex_mode: 'flow', horizontal_spacing: '8px' })] : []),
    ...(area.panel ? panelElements(area.panel, area.ticket, now) : []),
    markdown(grey(joinL(notes, '\n')), { text_size: 'notation' }),
  ];
}

function lastLine(last: LastAction, timezone: string, now: number): L10n {
  const who = personRef(last.by, last.name);
  const what = didWords(last.did);
  const when = ago(last.at, now, timezone);
  return l(`最近在聊天中：${who}${what.zh_cn} · ${when.zh_cn}`, `Last from chat: ${who} ${what.en_us} · ${when.en_us}`);
}

function didWords(did: Did): L10n {
  switch (did.kind) {
    case 'replied':
      return l('回复了用户', 'replied to the customer');
    case 'status':
      return mapL(statusLook(did.status).label, (s, loc) => (loc === 'zh_cn' ? `将状态改为「${s}」` : `set the status to ${s}`));
    case 'closed':
      return did.solved === 2 ? l('关闭了工单（已解决）', 'closed it as solved') : l('关闭了工单（未解决）', 'closed it as unsolved');
    case 'tags':
      return did.tags.length ? mapL(same(did.tags.map((t) => esc(clip(t, 30))).join(', ')), (s, loc) => (loc === 'zh_cn' ? `将标签设为 ${s}` : `set the tags to ${s}`)) : l('清除了标签', 'removed every tag');
    case 'note':
      return l('添加了备注', 'added a note');
  }
}

function panelElements(panel: Panel, ticket: TicketNow, now: number): Element[] {
  switch (panel.kind) {
    case 'preview':
      return [
        markdown(l('**将发送给用户**（以服务台机器人的身份，不显示你的名字）：', "**This goes to the customer** (from the helpdesk's bot account, not in your name):")),
        markdown(same(esc(panel.text, { keepLines: true })), { margin: '0px 0px 4px 12px' }),
        columns(
          [
            { elements: [button({ text: l('发送', 'Send'), value: panel.send, kind: 'primary' })], width: 'auto' },
            { elements: [button({ text: l('修改', 'Edit'), value: panel.edit })], width: 'auto' },
            { elements: [button({ text: l('取消', 'Cancel'), value: panel.cancel })], width: 'auto' },
          ],
          { flex_mode: 'flow', horizontal_spacing: '8px' },
        ),
      ];
    case 'suggestions': {
      const query = esc(clip(panel.query, 60));
      if (panel.faqs.length === 0) {
        return [markdown(l(`没有与“${query}”相关的常见问题。`, `No FAQ matches “${query}”.`)), button({ text: l('关闭', 'Close'), value: panel.cancel })];
      }
      return [
        markdown(l(`**推荐答案**：按用户的问题“${query}”搜索常见问题`, `**Suggested answers** from the FAQs, for the customer's “${query}”`)),
        ...panel.faqs.flatMap((faq) => [markdown(same(`**${esc(clip(faq.question, 100))}**\n${esc(clip(faq.answer, 200))}`)), button({ text: l('发送给用户', 'Send to customer'), value: faq.use })]),
        button({ text: l('关闭', 'Close'), value: panel.cancel }),
      ];
    }
    case 'sign-in':
      return [
        markdown(
          l(
            `${personRef(panel.who)}，${panel.again ? '你的登录已失效，请重新登录' : '请先登录'}：以你本人的身份和权限在服务台中操作。登录后刚才的操作会自动完成。链接只对你有效，10 分钟内有效。`,
            `${personRef(panel.who)}, ${panel.again ? 'your sign-in has ended: sign in again' : 'sign in first'} to act in the helpdesk as yourself, with your own rights. What you clicked then happens by itself. The link is yours alone and works for 10 minutes.`,
          ),
        ),
        columns(
          [
            { elements: [linkButton(l('登录以操作', 'Sign in to act'), panel.url)], width: 'auto' },
            { elements: [button({ text: l('取消', 'Cancel'), value: panel.cancel })], width: 'auto' },
          ],
          { flex_mode: 'flow', horizontal_spacing: '8px' },
        ),
      ];
    case 'device': {
      // The code's own life, as the token endpoint gave it (the bot keeps it at most 10 minutes).
      const minutes = Math.max(1, Math.round((panel.expiresAt - now) / 60_000));
      return [
        markdown(
          l(
            `${personRef(panel.who)}，${panel.again ? '你的登录已失效。' : ''}请打开登录页面，确认代码 **${esc(panel.code)}**，以你本人的身份在服务台中操作（${minutes} 分钟内有效）。确认后刚才的操作会自动完成。`,
            `${personRef(panel.who)}, ${panel.again ? 'your sign-in has ended. ' : ''}open the sign-in page and confirm the code **${esc(panel.code)}** to act in the helpdesk as yourself (within ${minutes} ${minutes === 1 ? 'minute' : 'minutes'}). What you clicked then happens by itself.`,
          ),
        ),
        columns(
          [
            { elements: [linkButton(l('打开登录页面', 'Open the sign-in page'), panel.url)], width: 'auto' },
            { elements: [button({ text: l('取消', 'Cancel'), value: panel.cancel })], width: 'auto' },
          ],
          { flex_mode: 'flow', horizontal_spacing: '8px' },
        ),
      ];
    }
    case 'refused':
      return [markdown(refusalWords(panel.who, panel.refusal))];
    default:
      return formPanel(panel, ticket);
  }
}

/** A button that opens a page (the sign-in) rather than calling back. */
function linkButton(text: L10n, url: string): Element {
  return { tag: 'button', text: plainText(text), type: 'primary', size: 'small', behaviors: [{ type: 'open_url', default_url: url }] };
}

function refusalWords(who: string, r: Refusal): L10n {
  const p = personRef(who);
  switch (r.kind) {
    case 'no-rights':
      return l(
        `⚠️ 服务台拒绝了 ${p} 的操作：你不是这个工单所在服务台的客服，或没有处理它的权限。请联系服务台管理员。`,
        `⚠️ The helpdesk refused ${p}: you are not an agent of this ticket's helpdesk, or may not handle it. Ask a helpdesk administrator.`,
      );
    case 'rate-limited':
      return l(
        `⚠️ 飞书暂时限制了请求频率，没有做任何更改。请${r.seconds ? ` ${r.seconds} 秒后` : '稍后'}再试。`,
        `⚠️ Feishu is limiting requests right now; nothing was changed. Try again ${r.seconds ? `in ${r.seconds} s` : 'shortly'}.`,
      );
    case 'failed':
      return r.maybeDone
        ? l('⚠️ 服务台没有回应，可能已经发送。再次发送前请先刷新卡片查看对话。', '⚠️ The helpdesk did not answer: it may have gone through. Refresh the card and check the conversation before trying again.')
        : l('⚠️ 服务台暂时出错，没有做任何更改。请稍后再试。', '⚠️ The helpdesk failed; nothing was changed. Try again shortly.');
    case 'not-sent-twice':
      return l('这条回复已经发送过，不会再发送一次。', 'This reply was sent already; it is not sent twice.');
    case 'no-question':
      return l('这个工单里没有用户的问题可以用来搜索常见问题。', 'This ticket has no question from the customer to search the FAQs with.');
    case 'sign-in': {
      const why: Record<typeof r.reason, L10n> = {
        denied: l('登录时选择了拒绝', 'the sign-in was refused'),
        mismatch: l('登录的是另一个飞书账号，只有点击的人本人可以用这个链接登录', 'another Feishu account signed in; only the person who clicked may use that link'),
        outside: l('你的账号不在这个应用的可用范围内，请联系管理员', "your account is outside the app's availability; ask an administrator"),
        expired: l('登录链接或代码已过期', 'the sign-in link or code expired'),
        failed: l('登录没有完成', 'the sign-in did not complete'),
      };
      return l(`⚠️ ${p} 的操作没有完成：${why[r.reason].zh_cn}。请再点一次。`, `⚠️ Nothing was done for ${p}: ${why[r.reason].en_us}. Click again to retry.`);
    }
  }
}

/** The forms (reply, status, tags, note): the field, its submit button, and Cancel beside the form. */
function formPanel(panel: Extract<Panel, { kind: 'reply' | 'status' | 'tags' | 'note' }>, ticket: TicketNow): Element[] {
  const problem = panel.problem ? [markdown(problemWords(panel.kind, panel.problem))] : [];
  const cancel = button({ text: l('取消', 'Cancel'), value: panel.cancel });
  const submit = (text: L10n, value: Json) => submitButton({ name: `${panel.kind}_submit`, text, value });
  const text = (name: 'reply' | 'note', placeholder: L10n, draft?: string) => input({ name, kind: 'multiline_text', maxLength: REPLY_LIMIT, required: true, placeholder, ...(draft ? { initial: draft } : {}) });
  switch (panel.kind) {
    case 'reply':
      return [
        markdown(
          l(
            '**回复用户**：用户看到的是服务台机器人发的消息，不显示你的名字；机器人会记录是谁发的。',
            "**Reply to the customer**: they see it from the helpdesk's bot account, not in your name; the bot records who sent it.",
          ),
        ),
        ...problem,
        form('reply_form', [text('reply', l(`要发给用户的话（最多 ${REPLY_LIMIT} 字）`, `What to tell the customer (at most ${REPLY_LIMIT} characters)`), panel.draft), submit(l('预览', 'Preview'), panel.preview)]),
        cancel,
      ];
    case 'note':
      return [
        markdown(l('**添加备注**：写进工单的备注，只有客服能看到。', '**Add a private note** to the ticket: agents see it, the customer does not.')),
        ...problem,
        form('note_form', [text('note', l(`备注（最多 ${REPLY_LIMIT} 字）`, `Note (at most ${REPLY_LIMIT} characters)`), panel.draft), submit(l('添加', 'Add'), panel.submit)]),
        cancel,
      ];
    case 'status': {
      const options = OPEN_STATUSES.map((s) => ({ value: String(s), text: statusLook(s).label }));
      return [
        markdown(l('**更改状态**（关闭工单请用“关闭”按钮）', '**Change the status** (to close the ticket, use the Close buttons)')),
        ...problem,
        form('status_form', [
          selectStatic({ name: 'status', options, required: true, placeholder: l('选择状态', 'Choose a status'), ...(ticket.status !== undefined ? { initial: String(ticket.status) } : {}) }),
          submit(l('设置', 'Set'), panel.submit),
        ]),
        cancel,
      ];
    }
    case 'tags': {
      const names = [...new Set([...ticket.tags, ...panel.known])];
      return [
        markdown(l('**标签**：选择这个工单应有的全部标签（取消勾选即移除）', '**Tags**: choose every tag this ticket should have (untick one to remove it)')),
        ...problem,
        form('tags_form', [
          multiSelectStatic({ name: 'tags', options: names.map((t) => ({ value: t, text: same(t) })), selected: ticket.tags, placeholder: l('没有标签', 'No tags') }),
          submit(l('保存', 'Save'), panel.submit),
        ]),
        cancel,
      ];
    }
  }
}

function problemWords(kind: 'reply' | 'status' | 'tags' | 'note', problem: FormProblem): L10n {
  const what = kind === 'note' ? l('备注', 'note') : l('回复', 'reply');
  switch (problem.kind) {
    case 'empty':
      return l(`⚠️ 请先输入${what.zh_cn}内容。`, `⚠️ Type the ${what.en_us} first: it is empty.`);
    case 'too-long':
      return l(`⚠️ ${what.zh_cn}有 ${problem.length} 个字，最多 ${problem.limit} 个。请缩短后再试。`, `⚠️ The ${what.en_us} is ${problem.length} characters; at most ${problem.limit} fit. Shorten it and try again.`);
    case 'no-status':
      return l('⚠️ 请先选择一个状态。', '⚠️ Choose a status first.');
    case 'bad-tags':
      return l('⚠️ 标签无效：最多 50 个，每个 1 到 50 个字。', '⚠️ Those tags cannot be set: at most 50, each 1 to 50 characters.');
  }
}
