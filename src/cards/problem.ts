// Cards for everything that can go wrong: each says what happened and what to do next.
import type { FilterError } from '../commands/filters/types.js';
import { fixesOf, type Problem, type RefusalReason, type StatsRefusal } from '../commands/problems.js';
import { hint } from './filterHints.js';
import { button, card, clip, esc, flow, grey, header, joinL, l, mapL, markdown, same, type HeaderColor, type Json, type L10n } from './kit.js';
import { ignoredNote } from './ticket.js';

interface Look {
  color: HeaderColor;
  title: L10n;
  what: L10n;
  todo: L10n;
}

/** The title of a lookup that failed, whichever way. */
const lookupFailed = (what: 'ticket' | 'list'): L10n => (what === 'ticket' ? l('查询工单失败', 'Ticket lookup failed') : l('查询工单列表失败', 'Ticket search failed'));

// Data is quoted, not put in a code span: entities are not decoded inside code spans.
const code = (s: string) => `**${esc(s)}**`;

function look(p: Problem): Look {
  switch (p.kind) {
    case 'ticket-not-found':
      return {
        color: 'orange',
        title: l('找不到工单', 'Ticket not found'),
        what: joinL([l(`服务台里没有工单 ${code(p.ticketId)}。`, `The helpdesk has no ticket ${code(p.ticketId)}.`), ...(p.ignored !== undefined ? [ignoredNote(p.ticketId, p.ignored)] : [])], l('', ' ')),
        todo: l('请核对工单号，或用 `/tickets` 按条件查找。', 'Check the id, or find the ticket with `/tickets` and a filter.'),
      };
    case 'too-long':
      return {
        color: 'orange',
        title: l('消息太长', 'Message too long'),
        what: l(
          `这条消息有 ${p.length.toLocaleString('en-US')} 个字符，命令最多 ${p.limit.toLocaleString('en-US')} 个字符。`,
          `This message has ${p.length.toLocaleString('en-US')} characters; a command is at most ${p.limit.toLocaleString('en-US')}.`,
        ),
        todo: l('只发送命令本身，例如 `/tickets 未关闭 今天`。', 'Send just the command, for example `/tickets open today`.'),
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
        title: lookupFailed(p.what),
        what: l('服务台出错或没有及时响应。', 'The helpdesk failed or did not answer in time.'),
        todo: l('请稍后再试；如果一直失败，请联系管理员。', 'Please try again shortly; if it keeps failing, tell the operator.'),
      };
    case 'feishu-unreachable':
      return {
        color: 'red',
        title: l('暂时连不上飞书', 'Cannot reach Feishu right now'),
        what: l('飞书拒绝了机器人的访问凭证，重新获取后仍然被拒绝。', "Feishu refused the bot's access token, and a new one too."),
        todo: l('请过几分钟再试；如果一直这样，请联系管理员（原因已记录在机器人的日志里）。', "Please try again in a few minutes; if it goes on, tell the operator (the bot's log says why)."),
      };
    case 'unreadable':
      return {
        color: 'red',
        title: lookupFailed(p.what),
        what: l('服务台返回了机器人看不懂的内容。', 'The helpdesk answered something the bot cannot read.'),
        todo: l('请稍后再试；如果一直这样，请联系管理员（日志里有详情）。', "Please try again shortly; if it goes on, tell the operator (the bot's log has the details)."),
      };
    case 'failed':
      return {
        color: 'red',
        title: l('出错了', 'Something went wrong'),
        what: l('机器人在准备回答时出错了。', 'The bot ran into an error preparing this answer.'),
        todo: l('请再试一次；如果一直这样，请联系管理员（日志里有详情）。', "Please try again; if it goes on, tell the operator (the bot's log has the details)."),
      };
    case 'not-saved':
      return {
        color: 'red',
        title: p.what === 'watch' ? l('关注没有保存', 'Watch not saved') : l('更改没有保存', 'Change not saved'),
        what:
          p.what === 'watch'
            ? l(`机器人无法保存这个关注，所以没有开始关注：${esc(p.reason)}。`, `The bot could not save this watch, so it has not started: ${esc(p.reason)}.`)
            : l(`机器人无法保存这个更改，重启后它可能会丢失：${esc(p.reason)}。`, `The bot could not save this change, which may be lost when it restarts: ${esc(p.reason)}.`),
        todo: l('请联系管理员（设置 state.file），修好后再试一次。', 'Tell the operator (the state.file setting), and try again once it is fixed.'),
      };
    case 'filter':
      return filterLook(p.error, p.examples, p.command ?? '/tickets');
    case 'refused':
      return {
        color: 'red',
        title: l('无法在这里使用工单机器人', 'You cannot use the helpdesk bot here'),
        what: REFUSALS[p.reason],
        todo: l(`如需开通，请联系${esc(p.contact)}。`, `To get access, ask ${esc(p.contact)}.`),
      };
    case 'unknown-menu-item':
      return {
        color: 'blue',
        title: l('这个菜单项还没有设置', 'This menu item is not set up'),
        what: l(`机器人没有为菜单项 ${code(clip(p.key, 40))} 配置命令。`, `The bot has no command for the menu item ${code(clip(p.key, 40))}.`),
        todo: l('请告诉管理员（app.yaml 的 menu 设置）。现在可以发送 `/help` 查看全部命令。', 'Please tell the operator (the menu setting in app.yaml). Meanwhile, send `/help` for every command.'),
      };
    case 'watch-filter':
      return p.why === 'time'
        ? {
            color: 'orange',
            title: l('关注不需要时间条件', 'A watch takes no time filter'),
            what: l(
              `${code(clip(p.word, 40))} 是时间条件：关注会在工单新建或变化时把它发出来，不按时间段查找。`,
              `${code(clip(p.word, 40))} is a time filter: a watch posts tickets as they are created or change, so there is no period to look in.`,
            ),
            todo: l('去掉时间条件再试，例如 `/watch 未关闭 标签 VIP`。要按时间查看，请用 `/tickets`。', 'Leave the time out, for example `/watch open tag VIP`. To look at a period, use `/tickets`.'),
          }
        : {
            color: 'orange',
            title: l('关注不需要页码', 'A watch takes no page'),
            what: l(`${code(clip(p.word, 40))} 是页码：关注会逐个发出符合条件的工单，没有分页。`, `${code(clip(p.word, 40))} is a page: a watch posts matching tickets one by one, so there are no pages.`),
            todo: l('去掉页码再试，例如 `/watch 未关闭 标签 VIP`。', 'Leave the page out, for example `/watch open tag VIP`.'),
          };
    case 'watch-limit':
      return {
        color: 'orange',
        title: l('关注太多了', 'Too many watches'),
        what:
          p.scope === 'chat'
            ? l(`这个会话已经有 ${p.max} 个关注，这是上限。`, `This chat already has ${p.max} watches, the most it may have.`)
            : l(`机器人在所有会话里一共已有 ${p.max} 个关注，这是上限。`, `The bot has ${p.max} watches across all chats, the most it keeps.`),
        todo:
          p.scope === 'chat'
            ? l('先发送 `/watch` 查看并取消不需要的关注。', 'Send `/watch` to see them, and unwatch one you no longer need.')
            : l('请联系管理员清理不再需要的关注。', 'Ask the operator to remove watches nobody needs any more.'),
      };
    case 'watch-duplicate':
      return {
        color: 'blue',
        title: l('已经在关注了', 'Already watching'),
        what: l(`这个会话的第 ${p.number} 个关注就是这些条件。`, `Watch ${p.number} in this chat has these filters already.`),
        todo: l('发送 `/watch` 查看全部关注。', 'Send `/watch` to see every watch here.'),
      };
    case 'unwatch-number':
      return {
        color: 'orange',
        title: l('没有这个关注', 'No such watch'),
        what:
          p.numbers.length === 0
            ? l(`这个会话没有关注，所以没有 ${code(clip(p.input, 20))}。`, `This chat has no watches, so there is no ${code(clip(p.input, 20))}.`)
            : l(
                `${code(clip(p.input, 20))} 不是关注的编号：这个会话的关注是第 ${p.numbers.join('、')} 个。`,
                `${code(clip(p.input, 20))} is not a watch number: this chat's watches are ${listEn(p.numbers.map(String))}.`,
              ),
        todo: l('发送 `/watch` 查看编号，或点关注旁边的“取消关注”。', 'Send `/watch` to see the numbers, or click Unwatch next to one.'),
      };
    case 'watch-refused':
      return {
        color: 'red',
        title: l('你不能设置关注', 'You cannot change watches'),
        what: l('你可以查询工单，但只有指定的人可以新建或取消关注。', 'You may look up tickets, but only some people may start or stop watches.'),
        todo: l(`如需开通，请联系${esc(p.contact)}。`, `To be added, ask ${esc(p.contact)}.`),
      };
    case 'stats-filter':
      return statsFilterLook(p.word, p.why);
    case 'digest-time':
      return {
        color: 'orange',
        title: l('日报需要一个时间', 'The digest needs a time of day'),
        what: l(`${code(clip(p.input, 40))} 不是一天中的时间。`, `${code(clip(p.input, 40))} is not a time of day.`),
        todo: l('例如 `/digest 09:00` 每天 9 点发日报，`/digest off` 停止，`/digest` 查看设置。', 'For example `/digest 09:00` for a digest every day at 9, `/digest off` to stop it, `/digest` to see the setting.'),
      };
    case 'digest-limit':
      return {
        color: 'orange',
        title: l('日报太多了', 'Too many digests'),
        what: l(`机器人在所有会话里一共已有 ${p.max} 个日报，这是上限。`, `The bot has ${p.max} daily digests across all chats, the most it keeps.`),
        todo: l('请联系管理员清理不再需要的日报。', 'Ask the operator to remove digests nobody needs any more.'),
      };
  }
}

function statsFilterLook(word: string, why: StatsRefusal): Look {
  const said = code(clip(word, 40));
  const todo = l('例如 `/stats 近30天 标签 VIP`；按条件查看工单请用 `/tickets`。', 'For example `/stats 30d tag VIP`; to list tickets, use `/tickets`.');
  const look = (title: L10n, what: L10n, instead = todo): Look => ({ color: 'orange', title, what, todo: instead });
  switch (why) {
    case 'updated':
      return look(
        l('统计按创建时间', '/stats counts by creation time'),
        l(`${said} 是更新时间：统计的时间段指工单的创建时间（关闭数按关单时间）。`, `${said} is an update time: the period of /stats is when tickets were created (and closed, for the closed counts).`),
        l('去掉 `更新`，只写时间，例如 `/stats 今天`。', 'Leave out `updated` and give just the time, for example `/stats today`.'),
      );
    case 'page':
      return look(l('统计不需要页码', '/stats takes no page'), l(`${said} 是页码：统计卡片没有分页。`, `${said} is a page: the stats card has no pages.`));
    case 'too-long':
      return look(
        l('时间段太长', 'Period too long'),
        l(`${said} 超过一年：统计最多覆盖一年（按月）。`, `${said} is more than a year: /stats covers at most a year (by month).`),
        l('例如 `/stats 近12个月` 或 `/stats 本月`。', 'For example `/stats 12mo` or `/stats this month`.'),
      );
    case 'unassigned':
      return look(
        l('统计不能按“未分配”', '/stats cannot count unassigned tickets'),
        l('服务台的列表接口不能按“未分配”筛选，统计的数字都来自它的总数。', 'The helpdesk’s list API has no filter for unassigned tickets, and every /stats figure is one of its totals.'),
        l('看板上有未分配的数量：`/board`；列出它们：`/tickets unassigned`。', 'The board counts them: `/board`; to list them: `/tickets unassigned`.'),
      );
    case 'scores':
      return look(
        l('统计只能按一个评分', '/stats takes one score'),
        l(`${said} 是几个评分：服务台一次只能按一个评分统计。`, `${said} is several scores: the helpdesk counts one score at a time.`),
        l('例如 `/stats 近30天 不满意`；满意度图表本身就分了评分。', 'For example `/stats 30d unhappy`; the satisfaction chart splits the scores anyway.'),
      );
    case 'two-times':
      return look(
        l('统计只需要一个时间段', '/stats takes one period'),
        l(`${said} 是第二个时间：统计只有一个时间段，新建数按创建时间，关闭数按关单时间。`, `${said} is a second time: /stats has one period, by creation for what was created and by closing for what was closed.`),
      );
  }
}

const REFUSALS: Record<RefusalReason, L10n> = {
  'user-denied': l('你没有查看工单的权限。', 'You are not allowed to look up tickets.'),
  'user-not-allowed': l('你不在可以查看工单的名单里。', 'You are not on the list of people who may look up tickets.'),
  'chat-denied': l('这个会话不能查看工单。', 'Tickets cannot be looked up in this chat.'),
  'chat-not-allowed': l('这个群不在可以查看工单的群名单里。', 'This group is not on the list of chats where tickets may be looked up.'),
  'direct-messages-off': l('机器人不接受私聊查询。', 'The bot does not answer direct messages.'),
  'groups-off': l('机器人不在群聊中查询工单，请私聊机器人。', 'The bot does not look up tickets in group chats; message it directly instead.'),
};

const HAN = /[\u4e00-\u9fff]/;

function filterLook(e: FilterError, examples: string[], command: string): Look {
  // Each language gets the examples written in it (falling back to all of them).
  const pick = (zh: boolean) => {
    const mine = examples.filter((x) => HAN.test(x) === zh);
    return (mine.length ? mine : examples)
      .slice(0, 4)
      .map((x) => `\`${command} ${x}\``)
      .join('\n');
  };
  const todo = (first?: L10n): L10n => {
    const tail = l(`例如：\n${pick(true)}`, `For example:\n${pick(false)}`);
    return first ? joinL([first, tail], '\n') : tail;
  };
  if (e.kind === 'too-long') {
    const unit = e.unit === 'words' ? l('个词', 'words') : l('个字符', 'characters');
    return {
      color: 'orange',
      title: l('条件太长', 'Filters too long'),
      what: l(`筛选条件最多 ${e.limit.toLocaleString('en-US')} ${unit.zh_cn}。`, `Filters are at most ${e.limit.toLocaleString('en-US')} ${unit.en_us} long.`),
      todo: todo(l('只保留需要的条件。', 'Keep only the filters you need.')),
    };
  }
  switch (e.kind) {
    case 'unknown-words': {
      const words = e.words.map((w) => code(clip(w.word, 60)));
      const guesses = e.words.filter((w) => w.suggestion !== undefined);
      const one = guesses.length === 1 && e.words.length === 1;
      const guessLines = guesses.map((w) =>
        one ? l(`你是想输入 ${code(w.suggestion!)} 吗？`, `Did you mean ${code(w.suggestion!)}?`) : l(`${code(clip(w.word, 60))} → ${code(w.suggestion!)}`, `${code(clip(w.word, 60))} → ${code(w.suggestion!)}`),
      );
      const fix = e.fix && !one ? [mapL(same(code(clip(`${command} ${e.fix.label}`, 120))), (s, loc) => (loc === 'zh_cn' ? `也就是：${s}` : `That is: ${s}`))] : [];
      return {
        color: 'orange',
        title: e.words.length > 1 ? l('有几个词没看懂', 'Some words not understood') : l('没看懂这个条件', 'Filter not understood'),
        what: l(`我不认识 ${words.join('、')}。`, `I don't understand ${listEn(words)}.`),
        todo: todo(guessLines.length || fix.length ? joinL([...guessLines, ...fix], '\n') : undefined),
      };
    }
    case 'unknown-tag': {
      const inUse = e.inUse.slice(0, 20).map((t) => code(clip(t, 30)));
      const more = e.inUse.length - inUse.length;
      const list = l(`${inUse.join('、')}${more > 0 ? ` 等 ${e.inUse.length} 个` : ''}`, `${inUse.join(', ')}${more > 0 ? ` and ${more} more` : ''}`);
      const anyway = l(`一定要按这个标签查，就加上引号：${code(`标签 "${clip(e.tag, 40)}"`)}`, `To search for it anyway, quote it: ${code(`tag "${clip(e.tag, 40)}"`)}`);
      return {
        color: 'orange',
        title: l('没有这个标签', 'No such tag'),
        what: l(`服务台里没有叫 ${code(clip(e.tag, 40))} 的标签。在用的标签：${list.zh_cn}。`, `The helpdesk has no tag called ${code(clip(e.tag, 40))}. Tags in use: ${list.en_us}.`),
        todo: joinL([...(e.fix ? [l(`你是想找 ${code(e.fix.label)} 吗？`, `Did you mean ${code(e.fix.label)}?`)] : []), anyway], '\n'),
      };
    }
    case 'which-person':
      return {
        color: 'blue',
        title: l('是哪一位？', 'Which person?'),
        what: l(
          `${code(clip(e.value, 40))} 可能是好几个人：${e.choices.map((c) => code(c.label)).join('、')}。`,
          `${code(clip(e.value, 40))} could be several people: ${listEn(e.choices.map((c) => code(c.label)))}.`,
        ),
        todo: l('点一下要找的人，或者写全名。', 'Click the one you mean, or type the whole name.'),
      };
    case 'unknown-person':
      return {
        color: 'orange',
        title: l('不认识这个人', 'No one by that name'),
        what: l(
          `不知道谁叫 ${code(clip(e.value, 40))}：名字来自机器人读过的工单上的客服和服务台的客服排班。`,
          `No one called ${code(clip(e.value, 40))} is known: names come from the agents on tickets the bot has read and the helpdesk's agent schedules.`,
        ),
        todo: joinL(
          [
            ...(e.choices.length
              ? [
                  l(
                    `你是想找 ${e.choices.map((c) => code(c.label)).join('、')} 吗？`,
                    `Did you mean ${listEn(
                      e.choices.map((c) => code(c.label)),
                      'or',
                    )}?`,
                  ),
                ]
              : []),
            l(`也可以 @ 这个人：${code(`${clip(e.word, 20)} @某人`)}`, `Or mention them: ${code(`${clip(e.word, 20)} @someone`)}`),
          ],
          '\n',
        ),
      };
  }
  const word = code(clip(e.word, 60));
  switch (e.kind) {
    case 'missing-value': {
      const expected = hint(e.expected);
      return {
        color: 'orange',
        title: l('条件缺少值', 'Filter needs a value'),
        what: l(`${word} 后面需要：${expected.zh_cn}。`, `${word} needs a value after it: ${expected.en_us}.`),
        todo: todo(),
      };
    }
    case 'bad-value': {
      const expected = hint(e.expected);
      // A time is its own word and value ("2026-02-30"): say it once.
      const said = e.value === e.word || e.value === '' ? word : `${word} ${code(clip(e.value, 60))}`;
      return {
        color: 'orange',
        title: l('条件的值不对', 'Filter value not valid'),
        what: l(`${said} 不行，需要：${expected.zh_cn}。`, `${said} is not valid: expected ${expected.en_us}.`),
        todo: todo(),
      };
    }
    case 'conflict': {
      const detail = hint(e.detail);
      return {
        color: 'orange',
        title: l('条件互相矛盾', 'Filters contradict each other'),
        what: l(`${word}：${detail.zh_cn}。`, `${word}: ${detail.en_us}.`),
        todo: todo(l('每种条件只保留一个。', 'Keep one of each kind of filter.')),
      };
    }
  }
}

/** "a", "a and b", "a, b and c" (or "a, b or c"). */
const listEn = (items: string[], last = 'and'): string => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} ${last} ${items.at(-1)}`);

/**
 * The card for a problem. `fixes`: the button values of the corrected queries the problem offers
 * (commands/problems.ts fixesOf), in that order; each button runs one.
 */
export function problemCard(problem: Problem, fixes: Json[] = []): Json {
  const { color, title } = look(problem);
  // A corrected query shows as the command it runs; a person or tag as its name.
  const whole = problem.kind === 'filter' && problem.error.kind === 'unknown-words';
  const buttons = fixesOf(problem)
    .slice(0, fixes.length)
    .map((fix, i) => button({ text: same(clip(whole ? `/tickets ${fix.label}` : fix.label, 60)), kind: i === 0 ? 'primary' : 'default', value: fixes[i]! }));
  return card(header({ title, color }), [markdown(problemWords(problem)), ...(buttons.length ? [flow(buttons)] : [])]);
}

/** What a problem card says (what happened, and what to do), for a card that says it in its own place. */
export function problemWords(problem: Problem): L10n {
  const { what, todo } = look(problem);
  return joinL([what, grey(todo)], '\n');
}
