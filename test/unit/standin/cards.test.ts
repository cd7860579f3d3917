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
