// What the bot does with a message: parse the command, run it, reply with the card, log one line.
import { helpCard } from '../cards/help.js';
import type { Json } from '../cards/kit.js';
import { problemCard } from '../cards/problem.js';
import type { Clock } from './clock.js';
import { parseCommand, type Command } from './commands/parse.js';
import { ticketCommand, type Outcome } from './commands/ticket.js';
import type { Messenger } from './feishu/messenger.js';
import type { CardAction, IncomingMessage } from './feishu/types.js';
import type { Helpdesk } from './helpdesk/api.js';
import type { Logger } from './log.js';

export interface BotDeps {
  helpdesk: Helpdesk;
  messenger: Messenger;
  log: Logger;
  clock: Clock;
  timezone: string;
}

export interface Bot {
  onMessage(message: IncomingMessage): Promise<void>;
  onCardAction(action: CardAction): Promise<Json>;
}

const LIST_EXAMPLES = ['open today', '处理中 本周', 'mine unsolved 7d'];

export function createBot(deps: BotDeps): Bot {
  const { log, clock } = deps;

  async function run(command: Command): Promise<Outcome> {
    switch (command.kind) {
      case 'help':
        return { card: helpCard({ listExamples: LIST_EXAMPLES }), outcome: 'ok' };
      case 'problem':
        return { card: problemCard(command.problem), outcome: command.problem.kind };
      case 'ticket':
        return ticketCommand(command.id, deps);
      case 'tickets':
        return { card: problemCard({ kind: 'unknown-command', word: '/tickets' }), outcome: 'unsupported' };
    }
  }

  return {
    async onMessage(message) {
      const started = clock();
      const command = parseCommand(message.text);
      const { card, outcome } = await run(command);
      let sent = 'sent';
      try {
        await deps.messenger.reply(message.messageId, card, { chatId: message.chatId });
      } catch (error) {
        sent = error instanceof Error ? error.message : String(error);
      }
      log.info('command', {
        command: command.kind === 'problem' ? `problem:${command.problem.kind}` : command.kind,
        ...(command.kind === 'ticket' ? { ticket_ids: [command.id] } : {}),
        message_id: message.messageId,
        chat_type: message.chatType,
        outcome,
        reply: sent,
        latency_ms: clock() - started,
      });
    },
    async onCardAction(action) {
      log.warn('card_action.unknown', { event_id: action.eventId });
      return { toast: { type: 'error', content: 'This button is no longer valid.', i18n: { zh_cn: '这个按钮已失效。', en_us: 'This button is no longer valid.' } } };
    },
  };
}
