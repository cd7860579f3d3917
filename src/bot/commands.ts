// Typed commands: the access check, then the command's card for whoever asked wherever they are;
// a message is answered with a reply, within the command's budget.
import { helpCard } from '../cards/help.js';
import { problemCard } from '../cards/problem.js';
import { signOutCard } from '../cards/signOut.js';
import { exampleDates, helpExamples } from '../commands/filters/index.js';
import { parseCommand } from '../commands/parse.js';
import { newStats, type CallOptions } from '../helpdesk/api.js';
import type { IncomingMessage, Mention } from '../jobs/types.js';
import { checkAccess, type Who } from '../views/access.js';
import { audienceFor, valueFor } from '../views/audience.js';
import { understand } from '../views/tickets.js';
import type { View } from '../views/view.js';
import { startWatch, stopWatchByNumber } from '../watch/watches.js';
import { digestCommand } from '../watch/dailyDigest.js';
import { answerStats } from '../stats/show.js';
import { deliverCard, failure, fillLater, keepCurrent, refusedCard, show, type Answer } from './answer.js';
import { logCommand } from './audit.js';
import type { BotContext } from './context.js';

/** Access check, then the command's card, for whoever asked wherever they are. */
export async function answerCommand(ctx: BotContext, who: Who, text: string, mentions: Mention[], call: CallOptions): Promise<Answer> {
  const { clock } = ctx;
  const command = parseCommand(text);
  const verdict = checkAccess(ctx.access, who);
  if (!verdict.ok) {
    return {
      card: refusedCard(ctx, verdict),
      outcome: `refused:${verdict.reason}`,
      ticketIds: command.kind === 'ticket' ? [command.id] : [],
      command: command.kind,
    };
  }
  const audience = audienceFor(ctx, who.chatId, who.chatType);
  const shown = (view: View, name: string, hints = {}) => show(ctx, view, audience, call, who, hints).then((o) => ({ ...o, command: name }));
  try {
    switch (command.kind) {
      case 'watch':
        if (command.args.trim() === '') return await shown({ kind: 'watches' }, 'watch');
        return { ...(await startWatch(command.args, who, mentions, audience, call, ctx)), command: 'watch' };
      case 'unwatch':
        return { ...(await stopWatchByNumber(command.args, who, audience, ctx)), command: 'unwatch' };
      case 'board':
        return await shown({ kind: 'board' }, 'board');
      case 'stats':
        return { ...(await answerStats(command.args, { openId: who.userOpenId, mentions }, call, ctx)), command: 'stats' };
      case 'digest':
        return { ...(await digestCommand(command.args, who, ctx)), command: 'digest' };
      case 'signout': {
        const outcome = !ctx.signIn ? 'off' : (await ctx.signIn.tokens.forget(who.userOpenId)) ? 'signed-out' : 'not-signed-in';
        return { card: signOutCard(outcome), outcome: outcome === 'off' ? 'sign-in-off' : 'ok', ticketIds: [], command: 'signout' };
      }
      case 'help':
        return { card: helpCard({ listExamples: helpExamples(clock(), ctx.timezone), dates: exampleDates(clock(), ctx.timezone) }), outcome: 'ok', ticketIds: [], command: 'help' };
      case 'problem':
        return { card: problemCard(command.problem), outcome: command.problem.kind, ticketIds: [], command: 'unknown' };
      case 'ticket':
        return await shown({ kind: 'ticket', ticketId: command.id }, 'ticket', command.ignored !== undefined ? { ignored: command.ignored } : {});
      case 'tickets': {
        // Nothing to filter by yet: the form, which shows the words for next time.
        if (command.args.trim() === '') return await shown({ kind: 'filter' }, 'tickets');
        const result = await understand(command.args, { openId: who.userOpenId, mentions }, clock(), ctx.timezone, ctx.directory, call);
        if ('problem' in result) {
          const fixes = result.fixes.map((view) => valueFor(ctx, audience, view));
          return { card: problemCard(result.problem, fixes), outcome: result.problem.kind, ticketIds: [], command: 'tickets' };
        }
        const { list } = result.view;
        return {
          ...(await shown(result.view, 'tickets')),
          filters: { ...list.filter, ...list.times, ...(list.scores ? { scores: list.scores } : {}), ...(list.unassigned ? { unassigned: true } : {}), page: list.page },
        };
      }
    }
  } catch (error) {
    const name = command.kind === 'problem' ? 'unknown' : command.kind;
    return { ...failure(ctx, { command: name, ticketIds: command.kind === 'ticket' ? [command.id] : [], chatId: who.chatId }, error), command: name };
  }
}

/** `receivedAt`: when its delivery was accepted (epoch ms), for the latency; now if not given. */
export async function onMessage(ctx: BotContext, message: IncomingMessage, receivedAt?: number): Promise<void> {
  const { clock } = ctx;
  const arrived = receivedAt ?? clock();
  const stats = newStats();
  const who: Who = { userOpenId: message.senderOpenId, chatId: message.chatId, chatType: message.chatType };
  // The budget starts when a worker takes the command, not while it waits for one.
  let started = 0;
  const answer = await ctx.worker(async () => {
    started = clock();
    return answerCommand(ctx, who, message.text, message.mentions, { stats, deadline: started + ctx.commandBudgetMs });
  });
  // The lookup kept to the command's budget; the reply may wait longer for its chat's turn
  // (5 messages a second), and waits off the workers so one busy chat cannot stall the others.
  const asked = { command: answer.command, ticketIds: answer.ticketIds, chatId: message.chatId };
  const replied = await deliverCard(ctx, asked, answer.card, (card) => ctx.messenger.reply(message.messageId, card, { chatId: message.chatId, deadline: started + ctx.replyWaitMs }), 'sent');
  const { delivered: reply, sent } = replied;
  const said = replied.refused ? { ...answer, outcome: 'failed', shown: undefined, fill: undefined } : answer;
  // Remembered (in this process at once) before the log line, which does not wait for the disk.
  const remembering = sent ? Promise.all([keepCurrent(ctx, sent.messageId, said, audienceFor(ctx, message.chatId, message.chatType), clock()), fillLater(ctx, said, sent)]) : undefined;
  logCommand(ctx, who, said, 'message', { message_id: message.messageId }, reply, stats, started, arrived);
  await remembering;
}
