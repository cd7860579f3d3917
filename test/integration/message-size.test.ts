// Feishu sends text messages of up to 150 KB. Such a delivery, encrypted and signed as the
// platform sends it, is acknowledged (not 413) at the default body limit, and the over-long
// command gets a card saying what the limit is.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageEvent, delivery } from '@helpdesk-bot/feishu-standin/deliveries';
import { SECRETS, startHarness, type Harness } from '../support/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

/** A text whose message content ({"text": …}) is `bytes` long: quotes, backslashes and CJK, the costliest to escape. */
function textOfContent(bytes: number): string {
  const unit = '报"\\x';
  const unitBytes = Buffer.byteLength(JSON.stringify(unit)) - 2;
  const text = unit.repeat(Math.floor((bytes - 20) / unitBytes));
  return text + 'x'.repeat(bytes - Buffer.byteLength(JSON.stringify({ text })));
}

describe('large text messages', () => {
  it.each([
    ['100 KB', 100 * 1024],
    ['150 KB, the platform’s limit', 150 * 1024],
  ])('a %s message is acknowledged with 200 and answered with the command limit', async (_, bytes) => {
    const text = textOfContent(bytes);
    expect(Buffer.byteLength(JSON.stringify({ text }))).toBe(bytes);
    const { status, messageId } = await h.say(text);
    expect(status).toBe(200);
    const [reply] = await h.replies(messageId);
    expect(reply!.content).toContain('Message too long');
    expect(reply!.content).toContain('a command is at most 1,000');
  });

  it('a body over the limit still gets 413', async () => {
    const event = messageEvent({ token: SECRETS.verificationToken, appId: SECRETS.appId, chatType: 'p2p', chatId: 'oc_dm_test', senderOpenId: 'ou_user_asker', messageId: 'om_huge', text: 'x'.repeat(600 * 1024) });
    const d = delivery(event, { encryptKey: SECRETS.encryptKey });
    expect(Buffer.byteLength(d.body)).toBeGreaterThan(h.config.server.body_limit_bytes);
    const res = await fetch(h.bot.url + '/webhook/event', { method: 'POST', headers: d.headers, body: d.body });
    expect(res.status).toBe(413);
  });
});
