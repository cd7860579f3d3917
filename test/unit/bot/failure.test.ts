// The bot's last line of defence: whatever goes wrong preparing an answer (a bug, played here by a
// helpdesk that hands over a ticket its type does not allow, on which the card's renderer throws)
// is answered with a failure card, and its error line names the command, the ticket and the chat;
// the shared state being away is not answered but thrown, so the job runs again.
import { describe, expect, it } from 'vitest';
import { answerCommand } from '../../../src/bot/commands.js';
import type { BotContext } from '../../../src/bot/context.js';
import { loadConfig } from '../../../src/config/load.js';
import type { Helpdesk } from '../../../src/helpdesk/api.js';
import { newStats } from '../../../src/helpdesk/api.js';
import { Directory } from '../../../src/helpdesk/directory.js';
import { FileRecords } from '../../../src/state/fileRecords.js';
import { memoryLogger } from '../../../src/obs/log.js';
import { StateUnavailable } from '../../../src/state/types.js';
import { ButtonValues } from '../../../src/views/buttons.js';
import type { Ticket } from '../../../src/helpdesk/types.js';
import type { WatchStore } from '../../../src/watch/store.js';

const config = (() => {
  const loaded = loadConfig('', {});
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  return loaded.config;
})();

function context(store: Partial<WatchStore> = {}): BotContext & { log: ReturnType<typeof memoryLogger> } {
  // No agents list where every ticket has one: what a bug in the mapping would hand over.
  const broken = { id: '6626871355780366331', agents: null } as unknown as Ticket;
  const helpdesk: Helpdesk = {
    getTicket: async () => broken,
    listTickets: async () => ({ total: 1, tickets: [broken] }),
    getConversation: async () => ({ total: 0, messages: [] }),
    firstMessage: async () => '',
    knownFirstMessages: async () => new Map(),
    agents: async () => [],
  };
  const clock = () => 1_763_780_400_000;
  const log = memoryLogger();
  return {
    helpdesk,
    directory: new Directory(new FileRecords({ setting: 'state.file', clock, log }), helpdesk, log),
    values: new ButtonValues(ButtonValues.keyFrom('secret', 'key'), clock),
    timezone: 'Asia/Shanghai',
    pageSize: 10,
    clock,
    log,
    access: config.access,
    privacy: config.privacy,
    settings: config.watch,
    commandBudgetMs: 8000,
    replyWaitMs: 60_000,
    store,
  } as unknown as BotContext & { log: ReturnType<typeof memoryLogger> };
}

const who = { userOpenId: 'ou_asker', chatId: 'oc_the_chat', chatType: 'p2p' as const };

describe('a command whose answer fails to build', () => {
  it('is answered with a failure card, and the error line names the command, the ticket and the chat', async () => {
    const ctx = context();
    const answer = await answerCommand(ctx, who, '/ticket 6626871355780366331', [], { stats: newStats() });
    expect(answer).toMatchObject({ command: 'ticket', outcome: 'failed', ticketIds: ['6626871355780366331'] });
    const text = JSON.stringify(answer.card);
    expect(text).toContain('Something went wrong');
    expect(text).toContain('出错了');
    const line = ctx.log.lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.event === 'command.failed');
    expect(line).toMatchObject({
      level: 'error',
      command: 'ticket',
      ticket_ids: ['6626871355780366331'],
      chat_id: 'oc_the_chat',
      error: expect.stringMatching(/^Cannot read properties of null/),
    });
  });

  it('is thrown, not answered, while the shared state is away: the job runs again later', async () => {
    const ctx = context({
      chatWatches: async () => {
        throw new StateUnavailable('Redis is unreachable');
      },
    });
    await expect(answerCommand(ctx, who, '/watch open', [], { stats: newStats() })).rejects.toBeInstanceOf(StateUnavailable);
  });
});
