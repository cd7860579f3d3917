// resilientMessenger over a scripted inner messenger on a fake timeline: which send failures are
// retried, the per-chat and per-app limits, and the log line when a reply misses its deadline.
import { describe, expect, it } from 'vitest';
import { kindOf, PlatformError, type PlatformErrorDetails } from '../../../src/feishu/errors.js';
import { chatGone, type Messenger } from '../../../src/feishu/messenger.js';
import { resilientMessenger, type ResilientMessengerOptions } from '../../../src/feishu/resilientMessenger.js';
import { memoryLogger } from '../../../src/obs/log.js';
import { fakeTime } from '../../support/fakeTime.js';
import { stateFor } from '../../support/load.js';

const OPTIONS: ResilientMessengerOptions = {
  retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000, timeoutMs: 5000, minAttemptMs: 50 },
  limits: { perApp: { rate: 50, windowMs: 1000 }, perChat: { rate: 5, windowMs: 1000 }, queue: { maxQueue: 100, maxWaitMs: 10_000 } },
  budgetMs: 8000,
  cutoff: () => Infinity,
};
const CARD = { schema: '2.0' };
/** A failed send as the messenger reports it: classified from its status and code (neither: no answer). */
const sendError = (message: string, details: PlatformErrorDetails = {}) =>
  new PlatformError(details.status === undefined && details.code === undefined ? 'network' : kindOf(details.code, details.status), message, details);

function setup(options: Partial<ResilientMessengerOptions> = {}) {
  const time = fakeTime(0);
  const sent: { op: string; id: string; at: number }[] = [];
  const failures: Error[] = [];
  const record = (op: string) => async (id: string) => {
    sent.push({ op, id, at: time.clock() });
    const failure = failures.shift();
    if (failure) throw failure;
  };
  const sendTo = record('send');
  const inner: Messenger = {
    reply: async (id) => {
      await record('reply')(id);
      return { messageId: `om_reply_${sent.length}`, chatId: 'oc_replied' };
    },
    patch: record('patch'),
    updateByToken: record('card_update'),
    send: async (to) => {
      const id = 'chatId' in to ? to.chatId : to.openId;
      await sendTo(id);
      return { messageId: `om_sent_${sent.length}`, chatId: 'chatId' in to ? to.chatId : 'oc_dm' };
    },
  };
  const log = memoryLogger();
  return { messenger: resilientMessenger(inner, { ...OPTIONS, ...options }, stateFor(time, log), time, log), time, sent, failures, log };
}

describe('send retries', () => {
  const retried: [string, PlatformError][] = [
    ['HTTP 429 / 99991400', sendError('429', { status: 429, code: 99991400 })],
    ['230020 too frequent', sendError('freq', { status: 400, code: 230020 })],
    ['HTTP 502', sendError('502', { status: 502 })],
    ['no answer (network, timeout)', sendError('send failed: socket hang up')],
  ];
  it.each(retried)('retries %s', async (_name, error) => {
    const { messenger, time, sent, failures } = setup();
    failures.push(error, error);
    await time.run(messenger.reply('om_1', CARD, { chatId: 'oc_1' }));
    expect(sent).toHaveLength(3);
  });

  const final: [string, PlatformError][] = [
    ['230025 card too large', sendError('big', { status: 400, code: 230025 })],
    ['230002 bot not in chat', sendError('out', { status: 400, code: 230002 })],
    ['99991672 scope not granted', sendError('scope', { status: 400, code: 99991672 })],
    ['a business code in a 2xx body', sendError('code', { code: 230001 })],
  ];
  it.each(final)('never retries %s', async (_name, error) => {
    const { messenger, time, sent, failures } = setup();
    failures.push(error);
    await expect(time.run(messenger.patch('om_1', CARD, { chatId: 'oc_1' }))).rejects.toBe(error);
    expect(sent).toHaveLength(1);
  });

  it('honours x-ogw-ratelimit-reset', async () => {
    const { messenger, time, sent, failures } = setup();
    failures.push(sendError('429', { status: 429, code: 99991400, retryAfterMs: 2000 }));
    await time.run(messenger.updateByToken('c-token', CARD, { chatId: 'oc_1' }));
    expect(sent.map((s) => s.at)).toEqual([0, 2000]);
  });
});

describe('new messages', () => {
  it('retries a send with the same uuid and answers with the message the platform made', async () => {
    const { messenger, time, sent, failures } = setup();
    failures.push(sendError('502', { status: 502 }));
    const result = await time.run(messenger.send({ chatId: 'oc_1' }, CARD, 'u1'));
    expect(sent.map((s) => s.id)).toEqual(['oc_1', 'oc_1']);
    expect(result).toEqual({ messageId: 'om_sent_2', chatId: 'oc_1' });
  });

  it("paces messages to one person at that person's limit", async () => {
    const { messenger, time, sent } = setup();
    const sends = Array.from({ length: 6 }, (_, i) => messenger.send({ openId: 'ou_a' }, CARD, `u${i}`, { deadline: 60_000 }));
    sends.push(messenger.send({ openId: 'ou_b' }, CARD, 'ub', { deadline: 60_000 }));
    await time.run(Promise.all(sends));
    expect(sent.filter((s) => s.id === 'ou_a').map((s) => s.at)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(sent.find((s) => s.id === 'ou_b')!.at).toBe(20);
  });
});

describe('message limits', () => {
  it("paces sends to one chat at its limit, while another chat only keeps to the app's pace", async () => {
    const { messenger, time, sent } = setup();
    const deadline = 60_000;
    const replies = Array.from({ length: 7 }, (_, i) => messenger.reply(`om_a${i}`, CARD, { chatId: 'oc_a', deadline }));
    replies.push(messenger.reply('om_b', CARD, { chatId: 'oc_b', deadline }));
    await time.run(Promise.all(replies));
    expect(sent.filter((s) => s.id.startsWith('om_a')).map((s) => s.at)).toEqual([0, 200, 400, 600, 800, 1000, 1200]);
    // 50 per second for the app: one send every 20 ms.
    expect(sent.find((s) => s.id === 'om_b')!.at).toBe(20);
  });

  it('holds every chat to the per-app limit', async () => {
    const { messenger, time, sent } = setup({ limits: { ...OPTIONS.limits, perApp: { rate: 3, windowMs: 1000 } } });
    const replies = ['a', 'b', 'c', 'd', 'e'].map((c) => messenger.reply(`om_${c}`, CARD, { chatId: `oc_${c}`, deadline: 60_000 }));
    await time.run(Promise.all(replies));
    expect(sent.map((s) => s.at)).toEqual([0, 334, 668, 1002, 1336]);
  });

  it('fails fast, and logs that the deadline passed, when no slot comes in time', async () => {
    const { messenger, time, sent, log } = setup({ limits: { ...OPTIONS.limits, perChat: { rate: 1, windowMs: 1000 } } });
    await time.run(messenger.reply('om_1', CARD, { chatId: 'oc_1', deadline: 500 }));
    await expect(time.run(messenger.reply('om_2', CARD, { chatId: 'oc_1', deadline: 500 }))).rejects.toThrow(/no reply slot/);
    expect(sent).toHaveLength(1);
    expect(log.lines.join('\n')).toMatch(/"event":"send.deadline_passed","op":"reply","why":"no-slot","message_id":"om_2"/);
  });
});

describe('a patch that may no longer be wanted', () => {
  it('asks once its turn has come, after the wait, and is not sent when the card shows something else by then', async () => {
    const { messenger, time, sent } = setup({ limits: { ...OPTIONS.limits, perChat: { rate: 1, windowMs: 1000 } } });
    let wanted = true;
    const askedAt: number[] = [];
    const stillWanted = async () => (askedAt.push(time.clock()), wanted);
    await time.run(messenger.reply('om_1', CARD, { chatId: 'oc_1' }));
    const patching = messenger.patch('om_1', CARD, { chatId: 'oc_1', stillWanted });
    // Clicked while the patch waits for the chat's next second.
    wanted = false;
    await time.run(patching);
    expect(askedAt).toEqual([1000]);
    expect(sent.map((s) => s.op)).toEqual(['reply']);
    wanted = true;
    await time.run(messenger.patch('om_1', CARD, { chatId: 'oc_1', stillWanted }));
    expect(sent.map((s) => s.op)).toEqual(['reply', 'patch']);
  });
});

describe('chatGone', () => {
  it('names the two refusals that mean the bot can never post to the chat again, and nothing else', () => {
    expect(chatGone(sendError('out', { status: 400, code: 230002 }))).toBe('bot-removed');
    expect(chatGone(sendError('dissolved', { status: 400, code: 232009 }))).toBe('chat-disbanded');
    for (const other of [sendError('bad', { status: 400, code: 230001 }), sendError('muted', { status: 400, code: 230035 }), sendError('503', { status: 503 }), new Error('230002')]) {
      expect(chatGone(other)).toBeUndefined();
    }
  });
});
