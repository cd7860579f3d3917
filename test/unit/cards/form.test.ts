// The form and chart builders make cards the platform accepts (the stand-in's validator is the
// judge), keep its bounds, clean data, and keep chart specs pure JSON.
import { describe, expect, it } from 'vitest';
import { checkCard } from '@helpdesk-bot/feishu-standin/cards';
import { formSubmission } from '@helpdesk-bot/feishu-standin/card-forms';
import { chart, type ChartSpec } from '../../../src/cards/chart.js';
import { datePicker, form, input, multiSelectStatic, resetButton, selectStatic, submitButton } from '../../../src/cards/form.js';
import { button, card, header, l, markdown, same } from '../../../src/cards/kit.js';
import { expectGolden } from '../../support/golden.js';

const SIGNED = { v: 2, k: 'form', sig: 'Zm9v' };
const HOSTILE = 'Ann\u202e\u0007 <b>*x*</b>';

function formCard() {
  return card(header({ title: l('更新工单', 'Update the ticket'), color: 'blue' }), [
    markdown(l('日期按北京时间（UTC+8）。', 'Dates are in Beijing time (UTC+8).')),
    form('tk_form', [
      selectStatic({
        name: 'status',
        placeholder: l('状态', 'Status'),
        required: true,
        options: [
          { value: '2', text: l('处理中', 'In progress') },
          { value: '5', text: l('待用户回复', 'Awaiting user') },
        ],
        initial: '2',
      }),
      multiSelectStatic({
        name: 'tags',
        placeholder: l('标签', 'Tags'),
        options: [
          { value: 'vpn', text: same('vpn') },
          { value: 'vpn', text: same('again') },
          { value: 'owner', text: same(HOSTILE) },
        ],
        selected: ['vpn', 'gone'],
      }),
      input({ name: 'note', kind: 'multiline_text', maxLength: 500, placeholder: l('备注', 'Note'), initial: HOSTILE }),
      datePicker({ name: 'due', placeholder: l('截止日期', 'Due'), initial: '2026-11-01' }),
      submitButton({ name: 'tk_save', text: l('保存', 'Save'), value: SIGNED, confirm: { title: l('保存修改？', 'Save the changes?'), text: same(HOSTILE) } }),
      resetButton('tk_reset', l('重置', 'Reset')),
    ]),
    chart(
      {
        type: 'bar',
        direction: 'horizontal',
        data: {
          values: [
            { agent: HOSTILE, open: 7 },
            { agent: 'Bo', open: 3 },
          ],
        },
        xField: 'open',
        yField: 'agent',
      },
      { aspectRatio: '4:3' },
    ),
  ]);
}

describe('form and chart builders', () => {
  it('make a card the platform accepts (golden)', () => {
    const made = formCard();
    expect(checkCard(made)).toMatchObject({ ok: true });
    expectGolden('kit-form', made);
  });

  it('make a form whose submission comes back in the platform’s shapes', () => {
    const entered = { status: '5', tags: ['vpn', 'owner'], note: 'done', due: '2026-11-02' };
    expect(formSubmission(formCard(), { name: 'tk_save', value: SIGNED }, entered)).toEqual({
      ok: true,
      name: 'tk_save',
      formValue: { status: '5', tags: ['vpn', 'owner'], note: 'done', due: '2026-11-02 +0800' },
    });
  });

  it('keep one option per value, drop chosen values no option has, clean data texts', () => {
    const select = multiSelectStatic({
      name: 't',
      options: [
        { value: 'a', text: same('first') },
        { value: 'a', text: same('second') },
        { value: 'b', text: same(HOSTILE) },
      ],
      selected: ['a', 'z', 'a'],
    });
    expect(select['options']).toEqual([
      { text: { tag: 'plain_text', content: 'first' }, value: 'a' },
      { text: { tag: 'plain_text', content: 'Ann <b>*x*</b>' }, value: 'b' },
    ]);
    expect(select['selected_values']).toEqual(['a']);
    expect(selectStatic({ name: 's', options: [{ value: 'a', text: same('a') }], initial: 'z' })).not.toHaveProperty('initial_option');
  });

  it('keep max_length within 1 to 1000, a placeholder within 100 characters, a default within max_length', () => {
    expect(input({ name: 'a', maxLength: 5000 })['max_length']).toBe(1000);
    expect(input({ name: 'a', maxLength: 0 })['max_length']).toBe(1);
    const long = input({ name: 'a', maxLength: 4, placeholder: same('x'.repeat(300)), initial: 'abcdef' });
    expect([...(long['placeholder'] as { content: string }).content]).toHaveLength(100);
    expect(long['default_value']).toBe('abc…');
    expect(checkCard(card(header({ title: same('t'), color: 'blue' }), [form('f', [long, submitButton({ name: 's', text: same('s'), value: SIGNED })])]))).toMatchObject({ ok: true });
    expect(() => datePicker({ name: 'd', initial: '2026/11/01' })).toThrow(/yyyy-MM-dd/);
  });

  it('give any button a confirm dialog, its texts cleaned', () => {
    expect(button({ text: same('Close'), value: SIGNED, kind: 'danger', confirm: { title: same('Close it?'), text: same(HOSTILE) } })['confirm']).toEqual({
      title: { tag: 'plain_text', content: 'Close it?' },
      text: { tag: 'plain_text', content: 'Ann <b>*x*</b>' },
    });
  });

  it('keep a chart spec pure JSON, with media: [] and a height within 1 to 999 px', () => {
    const made = chart({ type: 'pie', outerRadius: 0.8, innerRadius: 0.5, data: [{ id: 'd', values: [{ s: 'open', n: 2 }] }], valueField: 'n', categoryField: 's' }, { height: 2000 });
    expect(made).toMatchObject({ tag: 'chart', height: '999px', preview: true, chart_spec: { type: 'pie', media: [] } });
    const withFunction = { type: 'bar', label: { formatMethod: () => 'x' } } as unknown as ChartSpec;
    expect(() => chart(withFunction)).toThrow(/pure JSON, not function/);
    expect(() => chart({ type: 'line', data: { values: [{ x: Number.NaN }] } })).toThrow(/pure JSON, not NaN/);
    // @ts-expect-error: a function is not JSON, so the type refuses it too.
    expect(() => chart({ type: 'bar', tooltip: () => 1 })).toThrow(/pure JSON/);
  });
});
