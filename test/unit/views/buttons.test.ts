// Button values: encoded, signed and checked; a forged, widened, moved or expired value is refused,
// and time filters travel as words resolved at each click.
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ButtonValues, canonical, type Action } from '../../../src/views/buttons.js';

const key = ButtonValues.keyFrom('app-secret', 'encrypt-key');
let now = 1_763_800_000_000;
const values = new ButtonValues(key, () => now);

const list: Omit<Action, 'issuedAt'> = {
  view: {
    kind: 'list',
    list: {
      filter: { statuses: [1, 2, 3, 4, 5], created: { start: 1_763_740_800_000, end: 1_763_800_000_000 }, agentId: 'ou_abc', tags: ['vip'] },
      page: 3,
      names: { ou_abc: 'Alice' },
    },
  },
  fresh: false,
  chatId: 'oc_group1',
  chatType: 'group',
};

describe('button values', () => {
  it('round-trip the whole query, page, chat and freshness', () => {
    const decoded = values.decode(values.encode(list));
    expect(decoded).toEqual({ ok: true, action: { ...list, issuedAt: Math.floor(now / 1000) } });
    const ticket: Omit<Action, 'issuedAt'> = { view: { kind: 'ticket', ticketId: '123', back: (list.view as { kind: 'list'; list: never }).list }, fresh: true, chatId: 'oc_dm', chatType: 'p2p' };
    expect(values.decode(values.encode(ticket))).toMatchObject({ ok: true, action: ticket });
  });

  it('survive key reordering by the platform', () => {
    const encoded = values.encode(list);
    const reordered = JSON.parse(canonical(encoded).replace(/^\{/, '{')) as Record<string, unknown>;
    const reversed = Object.fromEntries(Object.entries(reordered).reverse());
    expect(values.decode(reversed).ok).toBe(true);
  });

  it('stay small', () => {
    expect(JSON.stringify(values.encode(list)).length).toBeLessThan(400);
  });

  it('refuse any change to a signed field', () => {
    const encoded = values.encode(list) as Record<string, unknown>;
    const l = encoded.l as { f: Record<string, unknown>; p: number };
    const tampered = [
      { ...encoded, l: { ...l, p: 4 } },
      { ...encoded, l: { ...l, f: { ...l.f, agentId: 'ou_other' } } },
      { ...encoded, l: { ...l, f: {} } },
      { ...encoded, ct: 'p' },
      { ...encoded, c: 'oc_other' },
      { ...encoded, r: 1 },
      { ...encoded, i: (encoded.i as number) + 1 },
      { ...encoded, k: 't', t: '123' },
    ];
    for (const value of tampered) expect(values.decode(value)).toMatchObject({ ok: false });
  });

  it('refuse values signed with another key, expired ones, and other versions', () => {
    const other = new ButtonValues(ButtonValues.keyFrom('another', 'key'), () => now);
    expect(values.decode(other.encode(list))).toEqual({ ok: false, reason: 'bad signature' });
    const old = values.encode(list);
    now += 15 * 24 * 3600 * 1000;
    expect(values.decode(old)).toEqual({ ok: false, reason: 'expired' });
    now -= 15 * 24 * 3600 * 1000;
    expect(values.decode({ ...values.encode(list), v: 4 })).toEqual({ ok: false, reason: 'malformed value' });
  });

  describe("a ticket card's action buttons (version 3)", () => {
    const ticket = { view: { kind: 'ticket' as const, ticketId: '123' }, fresh: false, chatId: 'oc_group1', chatType: 'group' as const };
    const sign = (unsigned: object) => ({ ...unsigned, s: createHmac('sha256', key).update(canonical(unsigned)).digest('base64url') });

    it('carry the action and the one person a button is for', () => {
      const send = values.encode({ ...ticket, act: { op: 'send', text: '您好，已处理 <b>', draft: 'd0123456789' }, for: 'ou_chen' });
      expect(send.v).toBe(3);
      expect(values.decode(send)).toEqual({ ok: true, action: { ...ticket, issuedAt: Math.floor(now / 1000), act: { op: 'send', text: '您好，已处理 <b>', draft: 'd0123456789' }, for: 'ou_chen' } });
      expect(values.decode(values.encode({ ...ticket, act: { op: 'close', solved: 1 } }))).toMatchObject({ ok: true, action: { act: { op: 'close', solved: 1 } } });
    });

    it('refuse a changed action, person or text, and an action on another view or in an older version', () => {
      const close = values.encode({ ...ticket, act: { op: 'close', solved: 2 } });
      const send = values.encode({ ...ticket, act: { op: 'send', text: 'hello', draft: 'd0123456789' }, for: 'ou_chen' });
      for (const tampered of [
        { ...close, a: { o: 'close', s: 1 } },
        { ...send, b: 'ou_other' },
        { ...send, a: { ...(send.a as object), x: 'goodbye' } },
      ]) {
        expect(values.decode(tampered)).toEqual({ ok: false, reason: 'bad signature' });
      }
      const base = { c: 'oc_group1', ct: 'g', i: Math.floor(now / 1000) };
      for (const bad of [
        { v: 2, k: 't', t: '123', a: { o: 'reply' } },
        { v: 2, k: 't', t: '123', b: 'ou_chen' },
        { v: 3, k: 'b', a: { o: 'reply' } },
        { v: 3, k: 't', t: '123', a: { o: 'close' } },
        { v: 3, k: 't', t: '123', a: { o: 'reply', x: 'text' } },
        { v: 3, k: 't', t: '123', a: { o: 'send', x: 'no draft' } },
        { v: 3, k: 't', t: '123', a: { o: 'send', x: 'x'.repeat(1001), d: 'd0123456789' } },
        { v: 3, k: 't', t: '123', a: { o: 'assign' } },
      ]) {
        expect(values.decode(sign({ ...base, ...bad }))).toEqual({ ok: false, reason: 'malformed value' });
      }
    });
  });

  it('validate every field even when the signature would match', () => {
    // A value with a well-formed signature over a bad filter must still be refused as malformed.
    for (const bad of [{ statuses: ['1'] }, { agentId: 'not-an-open-id' }, { created: { start: 5, end: 1 } }, { tags: Array(11).fill('x') }, { score: 7 }, { guestName: '' }]) {
      const value = values.encode({ ...list, view: { kind: 'list', list: { filter: bad as never, page: 1, names: {} } } });
      expect(values.decode(value)).toEqual({ ok: false, reason: 'malformed value' });
    }
  });

  it('never throw on anything', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const result = values.decode(value);
        expect(result.ok).toBe(false);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('v', 'k', 'l', 't', 'r', 'c', 'ct', 'i', 's', 'x'), fc.jsonValue()), (value) => {
        expect(values.decode(value).ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});

describe('time words in button values (versions 2 and 3)', () => {
  const today: Omit<Action, 'issuedAt'> = {
    view: { kind: 'list', list: { filter: { statuses: [1, 2, 3, 4, 5] }, times: { created: 'today', updated: '7d' }, page: 1, names: {} } },
    fresh: true,
    chatId: 'oc_dm',
    chatType: 'p2p',
  };

  it('keep relative times as words, not as a fixed range', () => {
    const value = values.encode(today);
    expect(value).toMatchObject({ v: 3, l: { f: { statuses: [1, 2, 3, 4, 5] }, w: { c: 'today', u: '7d' } } });
    expect(JSON.stringify(value)).not.toMatch(/start|end/);
    expect(values.decode(value)).toMatchObject({ ok: true, action: today });
  });

  it('still answer a version 1 value with its fixed range, and keep it on the next page', () => {
    const old = values.encode(list);
    expect(old).toMatchObject({ v: 1 });
    const decoded = values.decode(old);
    expect(decoded).toMatchObject({ ok: true, action: { view: { kind: 'list', list: { filter: { created: { start: 1_763_740_800_000 } } } } } });
    const next = values.encode({ ...list, view: { kind: 'list', list: { ...(list.view as { list: object }).list, page: 4 } as never } });
    expect(next).toMatchObject({ v: 1, l: { p: 4, f: { created: { start: 1_763_740_800_000 } } } });
  });

  it('refuse words that are not time words, and ranges in a version 2 value', () => {
    const value = values.encode(today) as Record<string, unknown>;
    expect(values.decode({ ...value, l: { ...(value.l as object), w: { c: 'tomorrow' } } })).toEqual({ ok: false, reason: 'malformed value' });
    const mixed = { ...value, l: { ...(value.l as object), f: { created: { start: 1, end: 2 } } } };
    expect(values.decode(mixed)).toMatchObject({ ok: false });
  });

  it('carry the board, the watch list, an Unwatch and "open as a new message", and the unassigned flag', () => {
    const at = { fresh: false, chatId: 'oc_group1', chatType: 'group' as const };
    for (const view of [{ kind: 'board' as const }, { kind: 'watches' as const }, { kind: 'unwatch' as const, watchId: 'w0123456789abcdef' }]) {
      expect(values.decode(values.encode({ ...at, view }))).toMatchObject({ ok: true, action: { ...at, view } });
    }
    const board = values.decode(values.encode({ ...at, view: { kind: 'board' }, fresh: true }));
    expect(board).toMatchObject({ ok: true, action: { view: { kind: 'board' }, fresh: true } });
    expect(board.ok && board.action.newMessage).toBeUndefined();
    const unassigned = { kind: 'list' as const, list: { filter: { statuses: [1, 2, 3, 4, 5] }, page: 1, names: {}, unassigned: true } };
    expect(values.decode(values.encode({ ...at, view: unassigned, newMessage: true }))).toMatchObject({ ok: true, action: { view: unassigned, newMessage: true } });
  });

  it('refuse a kind with fields that do not belong to it, even signed', () => {
    const sign = (unsigned: object) => ({ ...unsigned, s: createHmac('sha256', key).update(canonical(unsigned)).digest('base64url') });
    const base = { v: 2, c: 'oc_group1', ct: 'g', i: Math.floor(now / 1000) };
    expect(values.decode(sign({ ...base, k: 'b' })).ok).toBe(true);
    for (const bad of [{ k: 'b', t: '123' }, { k: 'w', u: 'w0123456789abcdef' }, { k: 'u' }, { k: 'u', u: 'not-a-watch' }, { k: 'l', u: 'w0123456789abcdef', l: { f: {}, p: 1 } }, { k: 'b', x: 2 }]) {
      expect(values.decode(sign({ ...base, ...bad }))).toEqual({ ok: false, reason: 'malformed value' });
    }
  });
});

describe("version 3: a closing time, a score range and the list's anchor", () => {
  const sign = (unsigned: object) => ({ ...unsigned, s: createHmac('sha256', key).update(canonical(unsigned)).digest('base64url') });
  const anchored: Omit<Action, 'issuedAt'> = {
    view: { kind: 'list', list: { filter: { statuses: [50, 51, 52] }, times: { closed: 'yesterday' }, scores: [1, 2, 3], anchor: 1_763_799_000_000, page: 2, names: {}, unassigned: true } },
    fresh: false,
    chatId: 'oc_group1',
    chatType: 'group',
  };

  it('carry them, and the anchor on to the next page and back from a ticket', () => {
    const value = values.encode(anchored);
    expect(value).toMatchObject({ v: 3, l: { w: { d: 'yesterday' }, r: [1, 2, 3], t: 1_763_799_000_000, a: 1 } });
    expect(values.decode(value)).toMatchObject({ ok: true, action: anchored });
    const back = { ...anchored, view: { kind: 'ticket' as const, ticketId: '123', back: (anchored.view as unknown as { list: never }).list } };
    expect(values.decode(values.encode(back))).toMatchObject({ ok: true, action: back });
  });

  it('old buttons keep working: a version 2 value, as cards sent before carry it, still answers', () => {
    const v2 = sign({ v: 2, k: 'l', l: { f: { statuses: [1, 2, 3, 4, 5] }, p: 2, w: { c: 'today' } }, c: 'oc_group1', ct: 'g', i: Math.floor(now / 1000) });
    const decoded = values.decode(v2);
    expect(decoded).toMatchObject({ ok: true, action: { view: { kind: 'list', list: { filter: { statuses: [1, 2, 3, 4, 5] }, times: { created: 'today' }, page: 2 } } } });
    // Without an anchor: shown as of now, as it was before.
    expect(decoded.ok && decoded.action.view.kind === 'list' && decoded.action.view.list.anchor).toBeUndefined();
  });

  it('refuse what only version 3 has in an older value, even signed', () => {
    const base = { k: 'l', c: 'oc_group1', ct: 'g', i: Math.floor(now / 1000) };
    for (const l of [
      { f: {}, p: 1, t: 1_763_799_000_000 },
      { f: {}, p: 1, r: [1, 2] },
      { f: {}, p: 1, w: { d: 'today' } },
    ]) {
      expect(values.decode(sign({ ...base, v: 2, l }))).toEqual({ ok: false, reason: 'malformed value' });
      expect(values.decode(sign({ ...base, v: 3, l })).ok).toBe(true);
    }
    expect(values.decode(sign({ ...base, v: 3, l: { f: {}, p: 1, r: [1, 4] } }))).toEqual({ ok: false, reason: 'malformed value' });
  });
});
