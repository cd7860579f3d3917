// Platform events about chats and the bot's menu: the welcome card where the bot arrives, the
// answer to a menu tap (in the person's DM), and forgetting a chat the bot can no longer post to.
import { problemCard } from '../cards/problem.js';
import { welcomeCard } from '../cards/welcome.js';
import { sendUuid } from '../feishu/messenger.js';
import { newStats } from '../helpdesk/api.js';
import type { ChatEvent, ChatType } from '../jobs/types.js';
import { checkAccess, checkChat, type Who } from '../views/access.js';
import { audienceFor } from '../views/audience.js';
import { deliver, fillLater, keepCurrent, refusedCard, why, type Answer } from './answer.js';
import { logCommand } from './audit.js';
import { answerCommand } from './commands.js';
import type { BotContext } from './context.js';

/**
 * A menu tap names no chat, and a card's buttons are bound to the chat they are in: the answer is
 * sent with its buttons bound to this placeholder, then patched once the platform has said which
 * chat (the person's DM with the bot) it went to.
 */
const DM_NOT_YET_KNOWN = 'oc_dm_not_yet_known';

/** The welcome card where it is allowed, else the card saying why the bot cannot be used there. */
export async function welcome(ctx: BotContext, event: ChatEvent & { kind: 'bot-added' | 'first-dm' }): Promise<void> {
  const chatType: ChatType = event.kind === 'bot-added' ? 'group' : 'p2p';
  // A group is welcomed by its rules for chats: whoever added the bot, others there may ask.
  const verdict = event.kind === 'bot-added' ? checkChat(ctx.access, event.chatId, chatType) : checkAccess(ctx.access, { userOpenId: event.userOpenId, chatId: event.chatId, chatType });
  const card = verdict.ok ? welcomeCard({ masking: ctx.privacy.masking, maskedFields: ctx.privacy.masked_fields }) : refusedCard(ctx, verdict);
  // Like a reply, it waits for the chat's turn outside the workers.
  const { delivered } = await deliver(ctx.messenger.send({ chatId: event.chatId }, card, sendUuid(event.eventId), { chatId: event.chatId, deadline: ctx.clock() + ctx.replyWaitMs }), 'sent');
  ctx.log.info('welcome', { reason: event.kind, chat_id: event.chatId, chat_type: chatType, outcome: verdict.ok ? 'ok' : `refused:${verdict.reason}`, delivered });
}

/**
 * A menu tap runs its configured command for the person who tapped, answered in their DM with
 * the bot. A card with buttons is sent, then patched with the buttons bound to that DM.
 */
export async function menuTap(ctx: BotContext, event: ChatEvent & { kind: 'menu' }): Promise<void> {
  const { clock, log } = ctx;
  const stats = newStats();
  const text = Object.hasOwn(ctx.menu, event.eventKey) ? ctx.menu[event.eventKey] : undefined;
  const who: Who = { userOpenId: event.operatorOpenId, chatId: DM_NOT_YET_KNOWN, chatType: 'p2p' };
  // The budget starts when a worker takes the tap, not while it waits for one.
  let started = 0;
  let answer = await ctx.worker(async (): Promise<Answer> => {
    started = clock();
    if (text !== undefined) return answerCommand(ctx, who, text, [], { stats, deadline: started + ctx.commandBudgetMs });
    log.warn('menu.unknown_key', { key: event.eventKey, fix: 'add the key to menu in app.yaml, or change the menu item in the developer console' });
    return { card: problemCard({ kind: 'unknown-menu-item', key: event.eventKey }), outcome: 'unknown-menu-item', ticketIds: [], command: 'unknown' };
  });
  const replyBy = started + ctx.replyWaitMs;
  const reply = await (async () => {
    const sent = await ctx.messenger.send({ openId: event.operatorOpenId }, answer.card, sendUuid(event.eventId), { deadline: replyBy });
    who.chatId = sent.chatId;
    await fillLater(ctx, answer, sent);
    const bound = text !== undefined && answer.outcome === 'ok' && ['ticket', 'tickets', 'board', 'watch'].includes(answer.command);
    if (bound) {
      // Now that the chat is known (and its rules apply), the same answer with working buttons.
      answer = await ctx.worker(() => answerCommand(ctx, who, text, [], { stats, deadline: started + ctx.commandBudgetMs }));
      await ctx.messenger.patch(sent.messageId, answer.card, { chatId: sent.chatId, deadline: replyBy });
      await keepCurrent(ctx, sent.messageId, answer, audienceFor(ctx, sent.chatId, 'p2p'), clock());
    }
    return 'sent';
  })().catch(why);
  logCommand(ctx, who, answer, 'menu', { menu_key: event.eventKey }, reply, stats, started);
}
