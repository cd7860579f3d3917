// What the platform's client sends when a form is submitted: only what the card allows, in the
// platform's shapes (strings, arrays for multi-selects, dates with the client's offset).
import { describe, expect, it } from 'vitest';
import { checkCard } from '@helpdesk-bot/feishu-standin/cards';
import { formSubmission } from '@helpdesk-bot/feishu-standin/card-forms';

const plain = (content: string) => ({ tag: 'plain_text', content });
const options = (...values: string[]) => values.map((value) => ({ text: plain(value), value }));
const SIGNED = { v: 1, act: 'tk.update', sig: 'abc' };
const card = {
  schema: '2.0',
  body: {
    elements: [
      {
        tag: 'form',
        name: 'tk_form',
        elements: [
          { tag: 'select_static', name: 'status', options: options('2', '5'), required: true },
          { tag: 'multi_select_static', name: 'tags', options: options('vpn', 'login') },
          { tag: 'input', name: 'note', max_length: 5 },
          { tag: 'date_picker', name: 'due' },
          { tag: 'column_set', columns: [{ tag: 'column', elements: [{ tag: 'button', name: 'save', text: plain('Save'), form_action_type: 'submit', behaviors: [{ type: 'callback', value: SIGNED }] }] }] },
          { tag: 'button', name: 'off', text: plain('Off'), form_action_type: 'submit', disabled: true, behaviors: [{ type: 'callback', value: SIGNED }] },
        ],
      },
    ],
  },
};
const save = { name: 'save', value: SIGNED };

describe('formSubmission', () => {
  it('is a card the platform accepts', () => expect(checkCard(card)).toMatchObject({ ok: true }));

  it('sends strings, arrays for multi-selects and dates with the offset; leaves out empty fields', () => {
    expect(formSubmission(card, save, { status: '5', tags: ['vpn', 'login', 'vpn'], note: '', due: '2026-11-01' })).toEqual({
      ok: true,
      name: 'save',
      formValue: { status: '5', tags: ['vpn', 'login'], due: '2026-11-01 +0800' },
    });
  });

  it.each<[string, object, Record<string, string | string[]>, RegExp]>([
    ['a required field empty', save, { tags: ['vpn'] }, /status is required/],
    ['an option the select does not have', save, { status: '9' }, /status: "9" is not one of its options/],
    ['a multi-select sent one value', save, { status: '2', tags: 'vpn' }, /tags: a multi-select sends a list/],
    ['a select sent a list', save, { status: ['2'] }, /status: this field sends one value/],
    ['text over max_length', save, { status: '2', note: '123456' }, /note: longer than its max_length 5/],
    ['a date in another format', save, { status: '2', due: '01/11/2026' }, /due: a date is yyyy-MM-dd/],
    ['a field the form does not have', save, { status: '2', owner: 'ou_x' }, /no field "owner"/],
    ['a button of another value', { name: 'save', value: { v: 1, act: 'forged' } }, { status: '2' }, /no submit button "save" with that value/],
    ['a disabled submit button', { name: 'off', value: SIGNED }, { status: '2' }, /no submit button "off"/],
  ])('sends nothing for %s', (_, button, entered, reason) => {
    const submission = formSubmission(card, button as typeof save, entered);
    expect(submission.ok).toBe(false);
    expect((submission as { reason: string }).reason).toMatch(reason);
  });
});
