// Forgetting a chat the bot has left (WatchStore.forgetChat) on both backends: this process's
// records with their file, and a real redis-server shared by two states, where one instance forgets
// what the other wrote. Only that chat's watches, boards, live cards, waiting posts and daily
// digest go.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryLogger } from '../../../src/obs/log.js';
import { FileRecords } from '../../../src/state/fileRecords.js';
import type { Records } from '../../../src/state/types.js';
import { WatchStore, type Watch } from '../../../src/watch/store.js';
import { sharedRedisStates } from '../../support/redis.js';
import { systemProgram } from '../../support/system.js';

const redisServer = systemProgram('redis');

function forgetting(name: string, stores: () => [Records, Records]) {
  it(`${name}: drops the chat's watches, boards, live cards, waiting posts and daily digest, and nothing of another chat`, async () => {
    const [a, b] = stores();
    const writer = new WatchStore(a);
    const forgetter = new WatchStore(b);
    const run = Math.random().toString(36).slice(2, 8);
    const left = `oc_left_${run}`;
    const stays = `oc_stays_${run}`;
    const now = Date.now();
    const watch = (id: string, chatId: string): Watch => ({ id, chatId, chatType: 'group', list: { filter: { statuses: [1] }, page: 1, names: {} }, createdBy: 'ou_someone', createdAt: now });
    const card = (chatId: string, ticketId: string) => ({ view: { kind: 'ticket' as const, ticketId }, chatId, chatType: 'group' as const, sentAt: now });
    const ticket = `79000000${run.length}${now % 100000}`;

    await writer.addWatch(watch(`w${run}a`, left));
    await writer.addWatch(watch(`w${run}b`, left));
    await writer.addWatch(watch(`w${run}c`, stays));
    await writer.claimPosted(`w${run}a`, [ticket]);
    await writer.rememberBoard(`om_board_left_${run}`, { chatId: left, chatType: 'group', sentAt: now }, now, true);
    await writer.rememberBoard(`om_board_stays_${run}`, { chatId: stays, chatType: 'group', sentAt: now }, now, true);
    await writer.rememberCard(`om_card_left_${run}`, card(left, ticket), now, true);
    await writer.rememberCard(`om_card_stays_${run}`, card(stays, ticket), now, true);
    // A card in the chat that was clicked over to another ticket since: found by its chat all the same.
    await writer.rememberCard(`om_card_moved_${run}`, card(left, ticket), now, true);
    await writer.rememberCard(`om_card_moved_${run}`, card(left, `${ticket}1`), now);
    await writer.queuePost(left, { watchId: `w${run}a`, ticket: { id: ticket } as never, change: 'created' });
    await writer.markBusy(left, 60_000);
    const digest = (chatId: string) => ({ chatId, chatType: 'group' as const, time: '09:00', setBy: 'ou_someone', setAt: now });
    await writer.setDigest(digest(left));
    await writer.setDigest(digest(stays));

    expect(await forgetter.forgetChat(left)).toEqual({ watches: 2, boards: 1, cards: 2, digests: 1 });

    expect(await writer.chatWatches(left)).toEqual([]);
    expect(await writer.getWatch(`w${run}a`)).toBeUndefined();
    // The tickets the watch posted are forgotten with it (a later watch starts afresh).
    expect(await writer.claimPosted(`w${run}a`, [ticket])).toEqual([ticket]);
    expect((await writer.boards()).map((x) => x.messageId)).not.toContain(`om_board_left_${run}`);
    expect(await writer.getCard(`om_card_left_${run}`)).toBeUndefined();
    expect(await writer.getCard(`om_card_moved_${run}`)).toBeUndefined();
    expect(await writer.hasPosts(left)).toBe(false);
    expect(await writer.isBusy(left)).toBe(false);
    expect(await writer.getDigest(left)).toBeUndefined();

    // The other chat keeps everything.
    expect((await writer.chatWatches(stays)).map((w) => w.id)).toEqual([`w${run}c`]);
    expect((await writer.boards()).map((x) => x.messageId)).toContain(`om_board_stays_${run}`);
    expect((await writer.cardsOf(ticket)).map((c) => c.messageId)).toEqual([`om_card_stays_${run}`]);
    expect(await writer.getDigest(stays)).toEqual(digest(stays));
    expect((await writer.allDigests()).map((d) => d.chatId)).toContain(stays);
    expect((await writer.allDigests()).map((d) => d.chatId)).not.toContain(left);

    // Forgetting again finds nothing.
    expect(await forgetter.forgetChat(left)).toEqual({ watches: 0, boards: 0, cards: 0, digests: 0 });
  });
}

describe('in process, kept in a file', () => {
  const records = new FileRecords({ file: join(mkdtempSync(join(tmpdir(), 'forget-test-')), 'state.json'), setting: 'state.file', clock: Date.now, log: memoryLogger() });
  forgetting('memory', () => [records, records]);
});

describe.skipIf(!redisServer)('in Redis, shared by two instances (real redis-server)', () => {
  const { states } = sharedRedisStates(redisServer!, 'cli_5a7e0000000000b3');
  forgetting('redis', () => [states[0]!.records, states[1]!.records]);
});
