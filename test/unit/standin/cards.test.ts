// The stand-in refuses every card the platform would refuse, with its codes; every card the bot
// makes passes (the golden files, and the cards of the integration tests, which go through it).
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkCard } from '@helpdesk-bot/feishu-standin/cards';

const ok = { schema: '2.0', config: { update_multi: true }, header: { title: { tag: 'plain_text', content: 'T' } }, body: { elements: [{ tag: 'markdown', content: 'x' }] } };
const withElements = (...elements: unknown[]) => ({ ...ok, body: { elements } });
const nested = (depth: number): unknown => (depth === 0 ? { tag: 'markdown', content: 'x' } : { tag: 'collapsible_panel', header: { title: { tag: 'plain_text', content: 'p' } }, elements: [nested(depth - 1)] });
const button = { tag: 'button', text: { tag: 'plain_text', content: 'b' }, behaviors: [{ type: 'callback', value: {} }] };

describe('card validation (schema 2.0)', () => {
  it.each<[string, unknown, number, RegExp]>([
    ['an unknown attribute', withElements({ tag: 'markdown', content: 'x', colour: 'red' }), 11310, /unknown property; ErrorValue: body.elements\[0\].colour/],
    ['an unknown top-level attribute', { ...ok, extra: 1 }, 11310, /unknown property; ErrorValue: card.extra/],
    ['fallback (1.0 only)', { ...ok, fallback: {} }, 200861, /no longer support this capability: fallback/],
    ['i18n_header (1.0 only)', { ...ok, i18n_header: {} }, 200861, /i18n_header/],
    ['wide_screen_mode (1.0 only)', { ...ok, config: { wide_screen_mode: true } }, 200861, /wide_screen_mode/],
    ['a header title with i18n (1.0 only)', { ...ok, header: { title: { tag: 'plain_text', content: 'T', i18n: {} } } }, 200861, /i18n; ErrorValue: header.title.i18n/],
    ['ud_icon (1.0 only)', { ...ok, header: { ...ok.header, ud_icon: {} } }, 200861, /ud_icon/],
    ['markdown href (1.0 only)', withElements({ tag: 'markdown', content: 'x', href: {} }), 200861, /href/],
    ['update_multi false', { ...ok, config: { update_multi: false } }, 200861, /always shared/],
    ['the removed action tag', withElements({ tag: 'action', actions: [button] }), 200861, /tag action/],
    ['the removed note tag', withElements({ tag: 'note', elements: [] }), 200861, /tag note/],
    ['an unknown tag', withElements({ tag: 'blink' }), 11310, /unknown tag blink/],
    ['a table inside a container', withElements({ tag: 'column_set', columns: [{ tag: 'column', elements: [{ tag: 'table', columns: [], rows: [] }] }] }), 11310, /table can only be placed at the root/],
    ['a form inside a panel', withElements({ tag: 'collapsible_panel', elements: [{ tag: 'form', name: 'f', elements: [] }] }), 11310, /form can only be placed at the root/],
    ['six tables', withElements(...Array.from({ length: 6 }, () => ({ tag: 'table', columns: [], rows: [] }))), 11310, /card table number over limit; ErrorValue: table/],
    ['nesting six levels deep', withElements(nested(6)), 11310, /nested more than 5 levels/],
    ['201 elements counting button texts', withElements(...Array.from({ length: 100 }, () => button), { tag: 'markdown', content: 'x' }), 11310, /element exceeds the limit: 20[2-9] elements/],
    ['a column_set holding something else', withElements({ tag: 'column_set', columns: [{ tag: 'markdown', content: 'x' }] }), 11310, /holds columns/],
  ])('refuses %s', (_, card, subcode, reason) => {
    const check = checkCard(card);
    expect(check).toMatchObject({ ok: false, subcode });
    expect((check as { reason: string }).reason).toMatch(reason);
  });

  it('accepts five levels of nesting and 200 elements', () => {
    expect(checkCard(withElements(nested(5)))).toMatchObject({ ok: true });
    expect(checkCard(withElements(...Array.from({ length: 99 }, () => button)))).toMatchObject({ ok: true });
  });

  it.each(readdirSync(new URL('../../golden/', import.meta.url)).filter((f) => f.endsWith('.json')))('accepts the bot’s %s', (file) => {
    const card = JSON.parse(readFileSync(new URL(`../../golden/${file}`, import.meta.url), 'utf8')) as unknown;
    expect(checkCard(card)).toMatchObject({ ok: true });
  });
});

// Forms, their fields, charts and people (shared/reference/helpdesk-actions.md §3).
const plain = (content: string) => ({ tag: 'plain_text', content });
const submit = { tag: 'button', name: 'save', text: plain('Save'), form_action_type: 'submit', behaviors: [{ type: 'callback', value: { v: 1 } }] };
const formOf = (...elements: unknown[]) => withElements({ tag: 'form', name: 'f', elements: [...elements, submit] });
const options = (...values: string[]) => values.map((value) => ({ text: plain(value), value }));
const spec = (extra: Record<string, unknown> = {}) => ({ type: 'bar', data: { values: [{ agent: 'A', open: 7 }] }, xField: 'agent', yField: 'open', media: [], ...extra });
const chart = (extra: Record<string, unknown> = {}) => ({ tag: 'chart', aspect_ratio: '4:3', height: 'auto', chart_spec: spec(), ...extra });

describe('forms, fields, charts and people (schema 2.0)', () => {
  const good: [string, unknown][] = [
    [
      'a form with every field and a submit, reset and confirm',
      formOf(
        { tag: 'input', name: 'note', input_type: 'multiline_text', max_length: 500, placeholder: plain('x'.repeat(100)), required: true },
        { tag: 'input', name: 'secret', input_type: 'password', max_length: 1 },
        { tag: 'select_static', name: 'status', options: options('2', '5'), initial_option: '5' },
        { tag: 'select_static', name: 'first', options: options('a', 'b'), initial_index: 2 },
        { tag: 'multi_select_static', name: 'tags', options: options('vpn', 'login'), selected_values: ['vpn'] },
        { tag: 'select_person', name: 'owner', options: [{ value: 'ou_a' }], initial_option: 'ou_a' },
        { tag: 'multi_select_person', name: 'people' },
        { tag: 'date_picker', name: 'due', initial_date: '2028-02-29' },
        { tag: 'picker_datetime', name: 'at', initial_datetime: '2026-11-01 23:59' },
        { tag: 'column_set', columns: [{ tag: 'column', elements: [{ tag: 'button', name: 'clear', text: plain('Clear'), form_action_type: 'reset' }] }] },
        { tag: 'button', name: 'sure', text: plain('Sure'), form_action_type: 'submit', confirm: { title: plain('Close it?'), text: plain('It cannot be reopened.') } },
      ),
    ],
    ['a select outside a form, unnamed', withElements({ tag: 'select_static', options: options('a'), behaviors: [{ type: 'callback', value: {} }] })],
    [
      'five charts of every supported type, a ring among them',
      withElements(
        chart(),
        chart({ aspect_ratio: '1:1', height: '999px', chart_spec: spec({ type: 'pie', innerRadius: 0.6, valueField: 'open', categoryField: 'agent' }) }),
        chart({ chart_spec: spec({ type: 'line' }) }),
        chart({ chart_spec: spec({ type: 'area' }), color_theme: 'brand', preview: true }),
        chart({ chart_spec: spec({ type: 'wordCloud' }) }),
      ),
    ],
    ['scatter charts, and the text "function" in a label', withElements(chart({ chart_spec: spec({ type: 'scatter', title: { text: 'function of time' } }) }))],
    [
      'a person and a person_list dropping invalid ids',
      withElements({ tag: 'person', user_id: 'ou_a', size: 'small', show_avatar: true, style: 'capsule' }, { tag: 'person_list', persons: [{ id: 'not an id' }], drop_invalid_user_id: true, size: 'extra_small' }),
    ],
    ['a person_list of well-formed ids', withElements({ tag: 'person_list', persons: [{ id: `ou_${'a'.repeat(32)}` }, { id: 'a1b2c3d4' }] })],
  ];
  it.each(good)('accepts %s', (_, card) => expect(checkCard(card)).toEqual({ ok: true, card }));

  it.each<[string, unknown, RegExp]>([
    ['a form in a column', withElements({ tag: 'column_set', columns: [{ tag: 'column', elements: [{ tag: 'form', name: 'f', elements: [submit] }] }] }), /form can only be placed at the root/],
    ['a form in a form', formOf({ tag: 'form', name: 'g', elements: [] }), /form can only be placed at the root/],
    ['a table in a form', formOf({ tag: 'table', columns: [], rows: [] }), /table can only be placed at the root/],
    ['a form nesting six levels deep', withElements({ tag: 'form', name: 'f', elements: [nested(5), submit] }), /nested more than 5 levels/],
    ['a form without a name', withElements({ tag: 'form', elements: [submit] }), /needs a name; ErrorValue: body.elements\[0\].name/],
    ['a form without a submit button', withElements({ tag: 'form', name: 'f', elements: [{ ...submit, form_action_type: 'reset' }] }), /needs a button with form_action_type submit/],
    ['a field in a form without a name', formOf({ tag: 'input' }), /needs a name; ErrorValue: body.elements\[0\].elements\[0\].name/],
    ['a button in a form without a name', formOf({ tag: 'button', text: plain('b'), form_action_type: 'reset' }), /needs a name/],
    ['two components of one name', formOf({ tag: 'input', name: 'save' }), /name is not unique in the card; ErrorValue: body.elements\[0\].elements\[1\].name/],
    [
      'a name used in and outside a form',
      { ...formOf({ tag: 'input', name: 'x' }), body: { elements: [{ tag: 'button', name: 'x', text: plain('b') }, (formOf({ tag: 'input', name: 'x' }).body.elements as unknown[])[0]] } },
      /name is not unique/,
    ],
    ['form_action_type outside a form', withElements({ ...submit }), /form_action_type is only for buttons in a form/],
    ['an unknown form_action_type', formOf({ ...submit, name: 'go', form_action_type: 'send' }), /must be submit or reset/],
    ['an unknown form attribute', withElements({ tag: 'form', name: 'f', action: 'x', elements: [submit] }), /unknown property; ErrorValue: body.elements\[0\].action/],
    ['an unknown input_type', formOf({ tag: 'input', name: 'n', input_type: 'email' }), /input_type must be one of text, multiline_text, password/],
    ['max_length 0', formOf({ tag: 'input', name: 'n', max_length: 0 }), /max_length must be an integer from 1 to 1000/],
    ['max_length 1001', formOf({ tag: 'input', name: 'n', max_length: 1001 }), /max_length must be an integer from 1 to 1000/],
    [
      'a placeholder over 100 characters',
      formOf({ tag: 'input', name: 'n', placeholder: { tag: 'plain_text', content: 'x', i18n_content: { zh_cn: '字'.repeat(101) } } }),
      /longer than 100 characters; ErrorValue: body.elements\[0\].elements\[0\].placeholder/,
    ],
    ['required as a string', formOf({ tag: 'input', name: 'n', required: 'yes' }), /required must be a boolean/],
    ['a default value over max_length', formOf({ tag: 'input', name: 'n', max_length: 3, default_value: 'four' }), /default_value must be a string within max_length/],
    ['an input with a 1.0 value', formOf({ tag: 'input', name: 'n', value: {} }), /unknown property/],
    ['a select without options', formOf({ tag: 'select_static', name: 's', options: [] }), /options must be a non-empty array/],
    ['two options of one value', formOf({ tag: 'select_static', name: 's', options: options('a', 'a') }), /option values must be unique/],
    ['an initial option not among them', formOf({ tag: 'select_static', name: 's', options: options('a'), initial_option: 'b' }), /initial_option is not one of the options/],
    ['an initial index past them', formOf({ tag: 'select_static', name: 's', options: options('a'), initial_index: 2 }), /initial_index/],
    ['selected values not among them', formOf({ tag: 'multi_select_static', name: 's', options: options('a'), selected_values: ['a', 'z'] }), /selected_values must be values of the options/],
    ['a person option that is not an open_id', formOf({ tag: 'select_person', name: 'p', options: [{ value: 'a1b2c3d4' }] }), /a person option is \{"value": open_id\}/],
    ['a date not as yyyy-MM-dd', formOf({ tag: 'date_picker', name: 'd', initial_date: '2026/11/01' }), /initial_date must be a date as yyyy-MM-dd/],
    ['a day that does not exist', formOf({ tag: 'date_picker', name: 'd', initial_date: '2026-02-29' }), /initial_date must be a date/],
    ['a date-time without the time', formOf({ tag: 'picker_datetime', name: 'd', initial_datetime: '2026-11-01' }), /initial_datetime must be a date as yyyy-MM-dd HH:mm/],
    ['a confirm without its text', formOf({ ...submit, name: 'go', confirm: { title: plain('Sure?') } }), /confirm needs a title and a text/],
    ['a confirm with an unknown attribute', withElements({ ...button, confirm: { title: plain('a'), text: plain('b'), ok: plain('c') } }), /unknown property; ErrorValue: body.elements\[0\].confirm.ok/],
    ['six charts', withElements(...Array.from({ length: 6 }, () => chart())), /card chart number over limit/],
    ['a chart of an unsupported type', withElements(chart({ chart_spec: spec({ type: 'funnel' }) })), /chart_spec.type must be one of line, area, bar, pie, scatter, wordCloud/],
    ['a chart typed ring (a ring is a pie with innerRadius)', withElements(chart({ chart_spec: spec({ type: 'ring' }) })), /chart_spec.type must be one of/],
    ['a chart without a spec', withElements({ tag: 'chart' }), /chart_spec must be an object/],
    ['a formatter function in a spec', withElements(chart({ chart_spec: spec({ label: { formatMethod: () => 'x' } }) })), /must not contain functions; ErrorValue: body.elements\[0\].chart_spec.label.formatMethod/],
    ['a function written as a string', withElements(chart({ chart_spec: spec({ tooltip: { mark: { content: [{ value: 'function (d) { return d.open }' }] } } }) })), /must not contain functions/],
    ['an arrow function written as a string', withElements(chart({ chart_spec: spec({ axes: [{ label: { formatMethod: '(v) => v + "%"' } }] }) })), /must not contain functions/],
    ['an aspect ratio of 3:2', withElements(chart({ aspect_ratio: '3:2' })), /aspect_ratio must be one of 1:1, 2:1, 4:3, 16:9/],
    ['a height of 1000px', withElements(chart({ height: '1000px' })), /height must be auto or 1px to 999px/],
    ['a height of 0px', withElements(chart({ height: '0px' })), /height must be auto or 1px to 999px/],
    ['a person without an id', withElements({ tag: 'person', size: 'small' }), /user_id is required/],
    [
      'a person_list with an unknown id, not dropping invalid ones',
      withElements({ tag: 'person_list', persons: [{ id: `ou_${'b'.repeat(32)}` }, { id: 'someone' }] }),
      /invalid user id .*; ErrorValue: body.elements\[0\].persons\[1\].id/,
    ],
    [
      '201 elements counting option texts',
      withElements(...Array.from({ length: 2 }, (_, i) => ({ tag: 'select_static', name: `s${i}`, options: options(...Array.from({ length: 99 }, (_, j) => `o${j}`)) }))),
      /element exceeds the limit: 201 elements/,
    ],
  ])('refuses %s with 11310', (_, card, reason) => {
    const check = checkCard(card);
    expect(check).toMatchObject({ ok: false, subcode: 11310 });
    expect((check as { reason: string }).reason).toMatch(reason);
  });
});
