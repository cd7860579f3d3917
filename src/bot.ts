// What the bot does with a message or a click: work out the view, render it, send it, log one line.
import { helpCard } from '../cards/help.js';
import type { Json } from '../cards/kit.js';
import { problemCard } from '../cards/problem.js';
import { toastFor } from '../cards/toast.js';
import { checkAccess, hiddenFields, type AccessRules, type Privacy, type Who } from './access.js';
import type { ButtonValues, View } from './actions/values.js';
import type { Clock } from './clock.js';
import { exampleDates, helpExamples } from './commands/filters/index.js';
import { parseCommand, type Command } from './commands/parse.js';
import { ticketsView } from './commands/tickets.js';
import { showView, type Audience, type Outcome } from './commands/views.js';
import type { Messenger } from './feishu/messenger.js';
import type { CardAction, ChatType, IncomingMessage } from './feishu/types.js';
import { newStats, type CallOptions, type Helpdesk } from './helpdesk/api.js';
import type { Job } from './jobs.js';
import type { Logger } from './log.js';

export interface BotDeps {
  helpdesk: Helpdesk;
  messenger: Messenger;
  values: ButtonValues;
  log: Logger;
  clock: Clock;
  timezone: string;
  pageSize: number;
  /** How long a card callback may take before it answers with a toast and updates the card later. */
  callbackBudgetMs: number;
  /** Each command's (and click's) time budget: lookups and the reply finish within it. */
  commandBudgetMs: number;
  access: AccessRules & { contact: string };
  privacy: Privacy;
  /** How long a reply may wait for its chat's turn under the message limits, from the command's start. */
  replyWaitMs: number;
  /** Runs a follow-up (the reply) off the worker that prepared it; shutdown still waits for it. */
  detach(name: string, task: Promise<void>): void;
}

export interface Bot {
  /** Does queued work: answers a message. */
  run(job: Job): Promise<void>;
  onMessage(message: IncomingMessage): Promise<void>;
  onCardAction(action: CardAction): Promise<Json>;
}

export function createBot(deps: BotDeps): Bot {
  const { log, clock } = deps;
  const audienceFor = (chatId: string, chatType: ChatType): Audience => ({ chatId, chatType, hide: hiddenFields(deps.privacy, chatType) });
  // One audit line per lookup, refused or not: who asked, where, what, and what came of it.
  const audit = (who: Who, what: Record<string, unknown>, outcome: string) =>
    log.info('audit', { user: who.userOpenId, chat_id: who.chatId, chat_type: who.chatType, ...what, outcome });

  async function answerMessage(message: IncomingMessage, command: Command, call: CallOptions): Promise<Outcome & { command: string; filters?: unknown }> {
    const audience = audienceFor(message.chatId, message.chatType);
    const shown = (view: View, name: string, hints = {}) => showView(view, audience, call, deps, hints).then((o) => ({ ...o, command: name }));
    switch (command.kind) {
      case 'help':
        return { card: helpCard({ listExamples: helpExamples(clock(), deps.timezone), dates: exampleDates(clock(), deps.timezone) }), outcome: 'ok', ticketIds: [], command: 'help' };
      case 'problem':
        return { card: problemCard(command.problem), outcome: command.problem.kind, ticketIds: [], command: 'unknown' };
      case 'ticket':
        return shown({ kind: 'ticket', ticketId: command.id }, 'ticket', command.ignored !== undefined ? { ignored: command.ignored } : {});
      case 'tickets': {
        const result = ticketsView(command.args, { openId: message.senderOpenId, mentions: message.mentions }, clock(), deps.timezone, deps.pageSize);
        if ('problem' in result) return { card: problemCard(result.problem), outcome: result.problem.kind, ticketIds: [], command: 'tickets' };
        const list = result.view.kind === 'list' ? result.view.list : undefined;
        return { ...(await shown(result.view, 'tickets')), ...(list ? { filters: { ...list.filter, ...list.times, page: list.page } } : {}) };
      }
    }
  }

  /** Sends the reply; resolves with "sent" or why it could not be sent, for the log. */
  const send = (message: IncomingMessage, card: Json, deadline: number): Promise<string> =>
    deps.messenger.reply(message.messageId, card, { chatId: message.chatId, deadline }).then(
      () => 'sent',
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );

  const bot: Bot = {
    run(job) {
      switch (job.kind) {
        case 'message':
          return bot.onMessage(job.message);
      }
    },

    async onMessage(message) {
      const started = clock();
      const stats = newStats();
      const deadline = started + deps.commandBudgetMs;
      const who: Who = { userOpenId: message.senderOpenId, chatId: message.chatId, chatType: message.chatType };
      const command = parseCommand(message.text);
      const verdict = checkAccess(deps.access, who);
      const answer = verdict.ok
        ? await answerMessage(message, command, { stats, deadline })
        : {
            card: problemCard({ kind: 'refused', reason: verdict.reason, contact: deps.access.contact }),
            outcome: `refused:${verdict.reason}`,
            ticketIds: command.kind === 'ticket' ? [command.id] : [],
            command: command.kind,
          };
      // The lookup kept to the command's budget; the reply may wait longer for its chat's turn
      // (5 messages a second), and waits off the worker so one busy chat cannot stall the others.
      const replied = send(message, answer.card, started + deps.replyWaitMs).then((reply) => {
        log.info('command', {
          command: answer.command,
          ...(answer.filters ? { filters: answer.filters } : {}),
          ticket_ids: answer.ticketIds,
          asker: message.senderOpenId,
          chat_id: message.chatId,
          chat_type: message.chatType,
          message_id: message.messageId,
          outcome: answer.outcome,
          ...(answer.degraded ? { degraded: answer.degraded } : {}),
          reply,
          upstream_calls: stats.upstreamCalls,
          cache_hits: stats.cacheHits,
          latency_ms: clock() - started,
        });
        audit(who, { via: 'message', command: answer.command, ...(answer.filters ? { filters: answer.filters } : {}), ticket_ids: answer.ticketIds }, answer.outcome);
      });
      deps.detach('reply', replied);
    },

    async onCardAction(action) {
      const started = clock();
      const decoded = deps.values.decode(action.value);
      if (!decoded.ok) {
        log.warn('click.refused', { reason: decoded.reason, operator: action.operatorOpenId, chat_id: action.chatId });
        return toastFor('invalid-button');
      }
      const { view, fresh, chatId, chatType } = decoded.action;
      if (action.chatId !== chatId) {
        log.warn('click.refused', { reason: 'card moved to another chat', operator: action.operatorOpenId, chat_id: action.chatId });
        return toastFor('moved-card');
      }
      // The same rules as a typed command, for the person clicking, in the chat the card is in.
      const who: Who = { userOpenId: action.operatorOpenId, chatId, chatType };
      const what = { via: 'click', view: view.kind, ticket_ids: view.kind === 'ticket' ? [view.ticketId] : [] };
      const verdict = checkAccess(deps.access, who);
      if (!verdict.ok) {
        audit(who, what, `refused:${verdict.reason}`);
        return toastFor('refused', deps.access.contact);
      }
      const stats = newStats();
      const deadline = started + deps.commandBudgetMs;
      const work = showView(view, audienceFor(chatId, chatType), { fresh, stats, deadline }, deps);
      const logLine = (outcome: Outcome, delivered: string) => {
        audit(who, { ...what, ticket_ids: outcome.ticketIds }, outcome.outcome);
        log.info('click', {
          view: view.kind,
          ...(view.kind === 'list' ? { filters: { ...view.list.filter, ...view.list.times, page: view.list.page } } : { ticket_ids: [view.ticketId] }),
          fresh,
          operator: action.operatorOpenId,
          chat_id: chatId,
          chat_type: chatType,
          outcome: outcome.outcome,
          ...(outcome.degraded ? { degraded: outcome.degraded } : {}),
          delivered,
          upstream_calls: stats.upstreamCalls,
          cache_hits: stats.cacheHits,
          latency_ms: clock() - started,
        });
      };

      const inTime = await Promise.race([work, sleep(deps.callbackBudgetMs).then(() => undefined)]);
      if (inTime) {
        logLine(inTime, 'response');
        return { card: { type: 'raw', data: inTime.card } };
      }
      // Too slow for the 3 s callback window: answer now, update the card when the work is done.
      // Tracked like a reply, so a shutdown waits for it too.
      deps.detach(
        'card-update',
        work.then(async (outcome) => {
          let delivered = 'update';
          try {
            if (!action.updateToken) throw new Error('no update token in the callback');
            await deps.messenger.updateByToken(action.updateToken, outcome.card, { chatId, deadline });
          } catch (error) {
            delivered = error instanceof Error ? error.message : String(error);
          }
          logLine(outcome, delivered);
        }),
      );
      return toastFor('loading');
    },
  };
  return bot;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
