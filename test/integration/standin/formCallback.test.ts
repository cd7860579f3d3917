// A form submitted on a card the bot sent reaches the real bot as the platform sends it: a
// card.action.trigger callback with the submit button's name and value and the form's form_value,
// encrypted and signed over HTTP, and the bot answers it within the callback's rules. (Nothing in
// the bot uses forms yet: an unknown value is answered with an error toast, never a crash.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardActionEvent } from '@helpdesk-bot/feishu-standin/deliveries';
import { formSubmission } from '@helpdesk-bot/feishu-standin/card-forms';
import { startHarness, type Harness } from '../../support/harness.js';

const plain = (content: string) => ({ tag: 'plain_text', content });
const VALUE = { v: 1, act: 'fixture.form' };
const FORM_CARD = {
  schema: '2.0',
  header: { title: plain('A form') },
  body: {
    elements: [
      {
        tag: 'form',
        name: 'fixture_form',
        elements: [
          { tag: 'multi_select_static', name: 'tags', options: ['vpn', 'login'].map((v) => ({ text: plain(v), value: v })) },
          { tag: 'date_picker', name: 'due' },
          { tag: 'button', name: 'save', text: plain('Save'), form_action_type: 'submit', behaviors: [{ type: 'callback', value: VALUE }] },
        ],
      },
    ],
  },
};

describe('a form submission delivered to the bot', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h?.close());

  it('is answered with a toast, as any callback', async () => {
    const { messageId } = await h.say('/help');
    const [reply] = await h.replies(messageId);
    expect(h.standin.replaceCard(reply!.messageId, FORM_CARD)).toEqual({ ok: true });
    const submission = formSubmission(FORM_CARD, { name: 'save', value: VALUE }, { tags: ['login'], due: '2026-11-01' });
    if (!submission.ok) throw new Error(submission.reason);
    const event = cardActionEvent({
      token: h.token,
      operatorOpenId: 'ou_user_asker',
      value: VALUE,
      name: submission.name,
      formValue: submission.formValue,
      messageId: reply!.messageId,
      chatId: reply!.chatId,
      cardToken: h.standin.issueCardToken(reply!.messageId),
    });
    expect(event.event.action).toEqual({ tag: 'button', name: 'save', value: VALUE, form_value: { tags: ['login'], due: '2026-11-01 +0800' } });
    const answer = await h.deliver(event, 'callback');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ toast: { type: 'error' } });
  });
});
