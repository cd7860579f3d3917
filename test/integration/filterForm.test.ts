// The filter form end to end: `/tickets` alone answers with a form (options from the helpdesk's
// tickets), submitting it makes the list call the typed words make and answers with that list
// (saying the words), a list's Filter opens the form filled in, and what the form sends is checked
// like typed words: a bad date range or a forged value gets the form back, saying what was wrong.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cardActionEvent } from '@helpdesk-bot/feishu-standin/deliveries';
import { buttons, startHarness, type Harness, type Reply } from '../support/harness.js';
import { AGENTS, makeTickets } from '../fixtures/many.js';

const NOW = Date.now();
let h: Harness;
beforeAll(async () => {
  h = await startHarness({ tickets: makeTickets(NOW, 120) });
});
afterAll(() => h.close());

type Node = Record<string, unknown>;
/** Every component of a card with a name (form fields, buttons). */
function named(node: unknown, found: Node[] = []): Node[] {
  if (!node || typeof node !== 'object') return found;
  const here = node as Node;
  if (typeof here['tag'] === 'string' && typeof here['name'] === 'string') found.push(here);
  for (const child of Object.values(here)) named(child, found);
  return found;
}
const field = (card: unknown, name: string) => named(card).find((n) => n['name'] === name)!;
const options = (card: unknown, name: string) => (field(card, name)['options'] as { value: string }[]).map((o) => o.value);
const listQuery = () => {
  const { page: _p, page_size: _s, ...query } = h.standin.callsTo('ticket_list').at(-1)!.query;
  return query;
};
/** The card a callback answered with. */
const answered = (res: { body: unknown }) => (res.body as { card: { data: Node } }).card.data;
const asReply = (on: Reply, card: Node): Reply => ({ ...on, card, content: JSON.stringify(card) });

describe('/tickets alone', () => {
  let form: Reply;
  beforeAll(async () => {
    const said = await h.say('/tickets');
    form = (await h.replies(said.messageId))[0]!;
  });

  it('answers with a form: status, owner, tags, time, guest and score, options from the helpdesk', () => {
    expect(named(form.card).some((n) => n['tag'] === 'form')).toBe(true);
    expect(named(form.card).map((n) => n['name'])).toEqual(['filters', 'status', 'owner', 'tags', 'time', 'time_field', 'from', 'to', 'guest', 'score', 'show']);
    expect(options(form.card, 'status')).toEqual(['1', '2', '3', '4', '5', '50', '51', '52']);
    expect(options(form.card, 'owner')).toEqual(['me', 'unassigned', ...[...AGENTS].sort((a, b) => a.name.localeCompare(b.name)).map((a) => a.id)]);
    expect(options(form.card, 'tags').sort()).toEqual(['vip', '报销']);
  });

  it('submitted with statuses and a tag, makes the list call the typed words make, and answers with that list', async () => {
    h.standin.clearCalls();
    const res = await h.submit(form, 'show', { status: ['2', '5'], tags: ['vip'] });
    const list = answered(res);
    const submitted = listQuery();
    expect(submitted).toEqual({ status_list: ['2', '5'], tags: 'vip' });
    const text = JSON.stringify(list);
    expect(text).toContain('also: /tickets processing waiting tag vip');

    const typed = await h.say('/tickets processing waiting tag vip');
    const [reply] = await h.replies(typed.messageId);
    expect(listQuery()).toEqual(submitted);
    // The same list: the same title, count and rows (only the buttons' signatures differ).
    // Nor the moment each list was first shown (its anchor, for paging), nor the second each was
    // drawn ("as of 10:58:04": the two may fall either side of a second).
    const unsigned = (card: unknown) => JSON.stringify(card).replace(/"s":"[^"]+"|"i":\d+|"t":\d{13}|\d\d:\d\d:\d\d/g, '');
    expect(unsigned(list)).toEqual(unsigned(reply!.card));
  });

  it('answers a date range that ends before it starts with the form again, saying so', async () => {
    const res = await h.submit(form, 'show', { time: 'range', from: '2026-11-20', to: '2026-11-01' });
    const again = answered(res);
    expect(named(again).some((n) => n['tag'] === 'form')).toBe(true);
    expect(JSON.stringify(again)).toContain('is not valid: expected an end on or after the start');
    // Filled in as it was sent.
    expect(field(again, 'time')['initial_option']).toBe('range');
    expect(field(again, 'from')['initial_date']).toBe('2026-11-20');
  });

  it('answers values no field of the form sends with the form again, and asks the helpdesk nothing for them', async () => {
    h.standin.clearCalls();
    const value = buttons(form.card).find((b) => b.text === 'Show tickets')!.value;
    const forged = cardActionEvent({
      token: h.token,
      operatorOpenId: 'ou_user_asker',
      value,
      name: 'show',
      formValue: { status: ['9'], owner: 'ou_x tag VIP' },
      messageId: form.messageId,
      chatId: form.chatId,
      cardToken: h.standin.issueCardToken(form.messageId),
    });
    const again = answered(await h.deliver(forged, 'callback'));
    expect(JSON.stringify(again)).toContain('**status** **');
    expect(JSON.stringify(again)).toContain('expected statuses from the list');
    expect(h.standin.callsTo('ticket_list').filter((c) => c.query['page_size'] !== '200')).toEqual([]);
  });
});

describe('a list’s Filter button', () => {
  it('opens the form filled in with the list’s filters, keeping what the form has no field for', async () => {
    const said = await h.say('/tickets open tag vip 7d human');
    const [list] = await h.replies(said.messageId);
    expect(list!.content).toContain('also: /tickets open 7d human tag vip');
    const form = answered(await h.click(list!, buttons(list!.card).find((b) => b.text === 'Filter')!.value));
    expect(field(form, 'status')['selected_values']).toEqual(['1', '2', '3', '4', '5']);
    expect(field(form, 'tags')['selected_values']).toEqual(['vip']);
    expect(field(form, 'time')['initial_option']).toBe('7d');
    expect(JSON.stringify(form)).toContain('Also kept from the list: Human tickets.');
    expect(buttons(form).map((b) => b.text)).toEqual(['Show tickets', 'Back to list']);

    // Submitted as it was filled in: the same list again, human tickets included.
    h.standin.clearCalls();
    const same = answered(await h.submit(asReply(list!, form), 'show', { status: ['1', '2', '3', '4', '5'], tags: ['vip'], time: '7d', time_field: 'created' }));
    expect(JSON.stringify(same)).toContain('also: /tickets open 7d human tag vip');
    expect(listQuery()).toMatchObject({ type: '2', tags: 'vip', status_list: ['1', '2', '3', '4', '5'] });
  });
});
