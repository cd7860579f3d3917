// Lists and the board as an agent sees them in the sandbox, at the default limits: the sandbox runs
// in this process (the bot and its stand-in with the demo helpdesk), commands are typed through
// the console's API as a person would, and times are taken at the stand-in: the reply's arrival
// (the first card) and its last update (the complete card, once every row's question came).
import { startSandbox, type Sandbox } from '../src/sandbox/mode.js';
import { createLogger } from '../src/obs/log.js';
import { median } from './load.js';

export interface ListFigures {
  /** ms from typing to the card, and to the card with every row's question. */
  firstMs: number;
  completeMs: number;
  /** Messages API calls the command caused. */
  messagesCalls: number;
  rows: number;
}

export interface SandboxFigures {
  firstList: ListFigures;
  repeatedList: ListFigures;
  /** ms from typing /board to the card: the first (nothing counted yet), then the median of 10. */
  boardFirstMs: number;
  boardMs: number;
  /** /board typed while a burst of list recounts and questions is under way (median of 10). */
  boardBusyMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Types a command in one of the console's chats (lists in the direct message, the board in the
 * group, so neither waits for the other's turn under a chat's 5 messages a second); resolves with
 * its reply's times.
 */
async function type(sandbox: Sandbox, text: string, settleMs: number, chat: 'dm' | 'group' = 'dm'): Promise<{ firstMs: number; completeMs: number; content: string; calls: number }> {
  const base = `http://127.0.0.1:${sandbox.bot.port}/sandbox/api`;
  const before = sandbox.standin.callsTo('ticket_messages').length;
  const sent = Date.now();
  const res = await fetch(`${base}/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ chat, text }) });
  const { id } = (await res.json()) as { id: string };
  const reply = async () => {
    for (;;) {
      const found = [...sandbox.standin.messages.values()].find((m) => m.replyTo === id);
      if (found) return found;
      await sleep(2);
    }
  };
  const first = await reply();
  // The card is complete once nothing has changed it for settleMs.
  let last = first.updatedAt;
  for (let quiet = 0; quiet < settleMs; quiet += 10) {
    await sleep(10);
    if (first.updatedAt !== last) {
      last = first.updatedAt;
      quiet = 0;
    }
  }
  return { firstMs: first.createdAt - sent, completeMs: first.updatedAt - sent, content: first.content, calls: sandbox.standin.callsTo('ticket_messages').length - before };
}

const rowsOf = (content: string) => new Set(content.match(/<font color='grey'>#\d+<\/font>/g) ?? []).size;

export async function sandboxFigures(): Promise<SandboxFigures> {
  const sandbox = await startSandbox({ port: 0, log: createLogger(process.env.BENCH_LOG === '1' ? 'info' : 'error'), host: '127.0.0.1' });
  try {
    const list = async (text: string): Promise<ListFigures> => {
      const r = await type(sandbox, text, 3000);
      return { firstMs: r.firstMs, completeMs: r.completeMs, messagesCalls: r.calls, rows: rowsOf(r.content) };
    };
    const firstList = await list('/tickets page 1');
    const repeatedList = await list('/tickets page 1');
    const board = async () => {
      // A person does not type twice within the chat's message slot (5 a second).
      await sleep(300);
      return (await type(sandbox, '/board', 0, 'group')).firstMs;
    };
    const boardFirstMs = await board();
    const boards: number[] = [];
    for (let i = 0; i < 10; i++) boards.push(await board());
    // Background work under way: a page of tickets whose questions are not at hand, a ticket
    // arriving (its event updates the counts and the boards), then /board.
    const busy: number[] = [];
    for (let page = 2; page <= 11; page++) {
      void type(sandbox, `/tickets page ${page}`, 0);
      void sandbox.activity.arrive();
      busy.push(await board());
    }
    return { firstList, repeatedList, boardFirstMs, boardMs: median(boards), boardBusyMs: median(busy) };
  } finally {
    // The work those started ends first, so none of it is cut short by the stop.
    await sleep(5000);
    await sandbox.stop(5000);
  }
}
