// The stand-in's conversation API (GET /open-apis/helpdesk/v1/tickets/:ticket_id/messages) through
// the real SDK: the API's shape, paging and error codes; and our mapping of its items.
import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toMessage } from '../../../src/helpdesk/map.js';
import type { RawTicketMessage, StandIn } from '@helpdesk-bot/feishu-standin';
import { httpFailure, sdkClient, startStandIn, ticket } from '../../support/standin.js';

const T0 = 1_700_000_000_000;
const message = (i: number): RawTicketMessage => ({
  id: String(6948728206392295000 + i),
  message_id: `om_${i}`,
  message_type: 'text',
  created_at: T0 + i * 1000,
  content: JSON.stringify({ content: `message ${i}`, msg_type: 'text' }),
  user_name: 'Alice',
  user_id: 'ou_alice',
});

let standIn: StandIn;
let client: lark.Client;
beforeEach(async () => {
  standIn = await startStandIn({ tickets: [ticket('7000000000000000001', {}), ticket('7000000000000000002', {})] });
  // Stored out of order: the API answers oldest first.
  standIn.setConversations({ '7000000000000000001': [5, 1, 4, 2, 3].map(message) });
  client = sdkClient(standIn);
});
afterEach(() => standIn.close());

const list = (ticket_id: string, params: { page?: number; page_size?: number; time_start?: number; time_end?: number } = {}) =>
  client.helpdesk.v1.ticketMessage.list({ path: { ticket_id }, params }, lark.withHelpDeskCredential());

describe('ticket messages', () => {
  it('answers with messages oldest first and the total, 20 to a page by default', async () => {
    const res = await list('7000000000000000001');
    expect(res).toEqual({ code: 0, msg: 'success', data: { messages: [1, 2, 3, 4, 5].map(message), total: 5 } });
  });

  it('pages with page and page_size, and filters by time', async () => {
    expect((await list('7000000000000000001', { page: 2, page_size: 2 })).data).toEqual({ messages: [3, 4].map(message), total: 5 });
    expect((await list('7000000000000000001', { page: 4, page_size: 2 })).data).toEqual({ messages: [], total: 5 });
    expect((await list('7000000000000000001', { time_start: T0 + 2000, time_end: T0 + 3000 })).data).toEqual({ messages: [2, 3].map(message), total: 2 });
  });

  it('answers a ticket without messages with none', async () => {
    expect((await list('7000000000000000002')).data).toEqual({ messages: [], total: 0 });
  });

  it.each([
    ['an unknown ticket', '7000000000000000999', {}, 404, 154004],
    ['a ticket id that is not digits', 'T-1', {}, 400, 154000],
    ['page_size over 200', '7000000000000000001', { page_size: 201 }, 400, 154000],
    ['page_size 0', '7000000000000000001', { page_size: 0 }, 400, 154000],
    ['page 0', '7000000000000000001', { page: 0 }, 400, 154000],
  ])('refuses %s', async (_, id, params, status, code) => {
    expect(await httpFailure(list(id, params))).toMatchObject({ status, data: { code } });
  });

  it('needs the helpdesk credential', async () => {
    const failure = await httpFailure(client.helpdesk.v1.ticketMessage.list({ path: { ticket_id: '7000000000000000001' } }));
    expect(failure).toMatchObject({ status: 401, data: { code: 154001 } });
  });
});

describe('toMessage', () => {
  it.each([
    [
      'text',
      { id: '1', message_type: 'text', content: JSON.stringify({ content: 'hello', msg_type: 'text' }), user_name: 'A', user_id: 'ou_a', created_at: 5 },
      { id: '1', kind: 'text', text: 'hello', authorName: 'A', authorId: 'ou_a', createdAt: 5 },
    ],
    [
      'rich text with a picture',
      {
        id: '2',
        message_type: 'post',
        content: JSON.stringify({
          content: JSON.stringify({
            title: 'T',
            content: [
              [
                { tag: 'text', text: 'a ' },
                { tag: 'at', user_name: 'Bob' },
              ],
              [{ tag: 'img', image_key: 'k' }],
            ],
          }),
          msg_type: 'post',
          image_keys: ['k'],
        }),
      },
      { id: '2', kind: 'post', text: 'T\na @Bob', images: 1 },
    ],
    ['an image', { id: '3', message_type: 'image', content: JSON.stringify({ image_key: 'k', msg_type: 'image' }) }, { id: '3', kind: 'image', images: 1 }],
    ['a file', { id: '4', message_type: 'file', content: '{"file_key":"f"}' }, { id: '4', kind: 'file' }],
    ['text that is not JSON', { id: '5', message_type: 'text', content: 'plain words' }, { id: '5', kind: 'text', text: 'plain words' }],
  ])('%s', (_, raw, expected) => {
    expect(toMessage(raw)).toEqual(expected);
  });

  it('drops what is not a message, and clips long text', () => {
    expect(toMessage(null)).toBeUndefined();
    expect(toMessage({ message_type: 'text' })).toBeUndefined();
    expect([...toMessage({ id: '1', message_type: 'text', content: JSON.stringify({ content: '字'.repeat(5000) }) })!.text!]).toHaveLength(600);
  });
});
