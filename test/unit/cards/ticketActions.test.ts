// The ticket card's action area as golden files (review their diffs like code): its buttons (closing
// confirmed in the platform's dialog), what was last done from chat and by whom, the forms, a
// reply's preview, suggested answers and the sign-in; data escaped everywhere, the card within the
// platform's limits and card rules.
import { checkCard } from '@helpdesk-bot/feishu-standin/cards';
import { describe, expect, it } from 'vitest';
import { BODY_LIMIT_BYTES, replyBodyBytes } from '../../../src/cards/kit.js';
import { ticketCard } from '../../../src/cards/ticket.js';
import type { ActionArea, Panel } from '../../../src/cards/ticketActions.js';
import { toTicket } from '../../../src/helpdesk/map.js';
import { expectGolden } from '../../support/golden.js';
import { markdownTexts, structureIn } from '../../support/markdown.js';
import { fullTicket } from '../../fixtures/tickets.js';

const tz = 'Asia/Shanghai';
const NOW = 1616929200000 + 2 * 3600_000;
const HOSTILE = '<b>**x**</b> [l](javascript:alert(1)) @all';
const v = (op: string) => ({ v: 3, op });
const open = { ...toTicket(fullTicket)!, status: 2 };
const area = (panel?: Panel, extra: Partial<ActionArea> = {}): ActionArea => ({
  ticket: { id: open.id, status: 2, tags: ['报销', 'VIP'] },
  buttons: { reply: v('reply'), suggest: v('suggest'), status: v('status'), closeSolved: v('close-2'), closeUnsolved: v('close-1'), tags: v('tags'), note: v('note') },
  off: [],
  last: { did: { kind: 'closed', solved: 2 }, by: 'ou_agent_chen', name: '陈静', at: NOW - 5 * 60_000 },
  ...(panel ? { panel } : {}),
  ...extra,
});
const card = (acting: ActionArea) => ticketCard(open, { timezone: tz, now: NOW, acting });
const valid = (c: unknown) => {
  const check = checkCard(c);
  expect(check.ok ? 'ok' : check.reason).toBe('ok');
  expect(replyBodyBytes(c as never)).toBeLessThanOrEqual(BODY_LIMIT_BYTES);
  // What the card makes itself aside (the link to assign in the helpdesk, a mention of an open_id), no text makes markdown structure.
  const ours = (text: string) => text.replace(/\[(helpdesk|服务台)\]\(https:\/\/feishu\.cn\/helpdesk\/admin\)/, '$1').replace(/<at id=(ou_[A-Za-z0-9_-]+|unknown)><\/at>/g, '@someone');
  for (const text of markdownTexts(c)) expect(structureIn(ours(text)), text).toEqual([]);
};

describe("the ticket card's actions", () => {
  it('offers every action, closing confirmed in the platform’s dialog, and says what was last done and by whom', () => {
    const c = card(area());
    expectGolden('ticket-actions', c);
    valid(c);
    const text = JSON.stringify(c);
    expect(text).toContain('Last from chat: 陈静 closed it as solved · 5 min ago');
    expect(text).toContain('"confirm":{"title":{"tag":"plain_text","content":"Close ticket 6626871355780366331 as solved?"');
    expect(text).toContain("it does not end the customer's chat");
    expect(text).toContain('the platform has no API for it');
  });

  it('says how to turn on what an operator has not', () => {
    const text = JSON.stringify(card(area(undefined, { buttons: {}, off: ['replies', 'sign-in'] })));
    expect(text).toContain('Reply and Suggest are off: an operator lists the agents in access.agents in app.yaml.');
    expect(text).toContain('an operator must set USER_TOKEN_KEY');
  });

  it('draws the reply form (what the customer sees, the limit, the problem) and the preview, data as text', () => {
    const form = card(area({ kind: 'reply', preview: v('preview'), cancel: v('cancel'), draft: HOSTILE, problem: { kind: 'too-long', length: 1001, limit: 1000 } }));
    expectGolden('ticket-reply-form', form);
    valid(form);
    expect(JSON.stringify(form)).toContain('The reply is 1001 characters; at most 1000 fit.');
    const preview = card(area({ kind: 'preview', text: `${HOSTILE}\n# not a heading`, send: v('send'), edit: v('reply'), cancel: v('cancel') }));
    valid(preview);
    expect(JSON.stringify(preview)).toContain('&#60;b&#62;&#42;&#42;x&#42;&#42;&#60;/b&#62;');
  });

  it('draws the status, tags and note forms from the ticket as it is', () => {
    for (const panel of [
      { kind: 'status', submit: v('set-status'), cancel: v('cancel') },
      { kind: 'tags', known: ['Network', HOSTILE], submit: v('set-tags'), cancel: v('cancel') },
      { kind: 'note', submit: v('add-note'), cancel: v('cancel'), problem: { kind: 'empty' } },
    ] satisfies Panel[]) {
      const c = card(area(panel));
      valid(c);
      if (panel.kind === 'status') expect(JSON.stringify(c)).toContain('"initial_option":"2"');
      if (panel.kind === 'tags') expect(JSON.stringify(c)).toContain('"selected_values":["报销","VIP"]');
    }
  });

  it('draws suggested answers, and the sign-in for the person who clicked (a link, or a code)', () => {
    const suggestions = card(area({ kind: 'suggestions', query: HOSTILE, faqs: [{ question: HOSTILE, answer: `${HOSTILE}\n- list`, use: v('use') }], cancel: v('cancel') }));
    valid(suggestions);
    const signIn = card(area({ kind: 'sign-in', who: 'ou_agent_chen', url: 'https://accounts.feishu.cn/open-apis/authen/v1/authorize?state=s', expiresAt: NOW + 600_000, again: false, cancel: v('cancel') }));
    expectGolden('ticket-sign-in', signIn);
    valid(signIn);
    expect(JSON.stringify(signIn)).toContain('"behaviors":[{"type":"open_url","default_url":"https://accounts.feishu.cn/open-apis/authen/v1/authorize?state=s"}]');
    const device = card(area({ kind: 'device', who: 'ou_agent_chen', code: 'BCDF-GHJK', url: 'https://accounts.feishu.cn/verify', expiresAt: NOW + 240_000, again: true, cancel: v('cancel') }));
    valid(device);
    expect(JSON.stringify(device)).toContain('confirm the code **BCDF-GHJK**');
    expect(JSON.stringify(device)).toContain('(within 4 minutes)');
    // The code's own life, not a fixed one.
    const longer = card(area({ kind: 'device', who: 'ou_agent_chen', code: 'BCDF-GHJK', url: 'https://accounts.feishu.cn/verify', expiresAt: NOW + 600_000, again: false, cancel: v('cancel') }));
    expect(JSON.stringify(longer)).toContain('(within 10 minutes)');
    expect(JSON.stringify(longer)).toContain('10 分钟内有效');
    // A person the card names by an id it did not make: never markup.
    const odd = card(area(undefined, { last: { did: { kind: 'note' }, by: 'ou_x></at><at id=all', at: NOW } }));
    expect(JSON.stringify(odd)).toContain('<at id=unknown></at> added a note');
  });
});
