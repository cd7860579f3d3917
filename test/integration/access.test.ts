// Who may use the bot, through the HTTP path: every access rule, masking by chat kind, clicks under the same
// rules, and the audit line. Each rule gets its own bot (its own config) against one stand-in.
import { afterAll, describe, expect, it } from 'vitest';
import { checkAccess, type AccessRules } from '../../src/views/access.js';
import { fullTicket } from '../fixtures/tickets.js';
import { buttons, startHarness, type Harness } from '../support/harness.js';

const ALLOWED = 'ou_allowed1';
const OTHER = 'ou_other22';
const TICKET = '6626871355780366331';
const harnesses: Harness[] = [];
afterAll(() => Promise.all(harnesses.map((h) => h.close())));

async function harness(yaml = ''): Promise<Harness> {
  const h = await startHarness({ tickets: [fullTicket], yaml });
  harnesses.push(h);
  return h;
}
const helpdeskCalls = (h: Harness) => h.standin.calls.filter((c) => c.route === 'ticket_get' || c.route === 'ticket_list');
const auditLines = (h: Harness) => h.log.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === 'audit');
/** The audit line is written after the reply is sent, so it can trail the reply by a moment. */
async function lastAudit(h: Harness, count: number): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 5000;
  while (auditLines(h).length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  return auditLines(h).at(-1)!;
}

describe('access rules, each through a real delivery', () => {
  // [rule in app.yaml, sender, chat kind, chat id, refused?]
  const table: [string, string, string, 'p2p' | 'group', string, boolean][] = [
    ['defaults allow a DM', '', ALLOWED, 'p2p', 'oc_dm1', false],
    ['defaults allow a group', '', ALLOWED, 'group', 'oc_group1', false],
    ['users.deny refuses that user', `access:\n  users:\n    deny: [${OTHER}]\n`, OTHER, 'p2p', 'oc_dm1', true],
    ['users.deny leaves others alone', `access:\n  users:\n    deny: [${OTHER}]\n`, ALLOWED, 'p2p', 'oc_dm1', false],
    ['users.allow refuses anyone else', `access:\n  users:\n    allow: [${ALLOWED}]\n`, OTHER, 'group', 'oc_group1', true],
    ['users.allow admits its users', `access:\n  users:\n    allow: [${ALLOWED}]\n`, ALLOWED, 'group', 'oc_group1', false],
    ['deny wins over allow', `access:\n  users:\n    allow: [${ALLOWED}]\n    deny: [${ALLOWED}]\n`, ALLOWED, 'p2p', 'oc_dm1', true],
    ['chats.deny refuses that chat', `access:\n  chats:\n    deny: [oc_group1]\n`, ALLOWED, 'group', 'oc_group1', true],
    ['chats.allow refuses other groups', `access:\n  chats:\n    allow: [oc_group2]\n`, ALLOWED, 'group', 'oc_group1', true],
    ['chats.allow admits its groups', `access:\n  chats:\n    allow: [oc_group2]\n`, ALLOWED, 'group', 'oc_group2', false],
    ['chats.allow does not limit DMs', `access:\n  chats:\n    allow: [oc_group2]\n`, ALLOWED, 'p2p', 'oc_dm1', false],
    ['allow_direct_messages: false refuses DMs', `access:\n  allow_direct_messages: false\n`, ALLOWED, 'p2p', 'oc_dm1', true],
    ['allow_groups: false refuses groups', `access:\n  allow_groups: false\n`, ALLOWED, 'group', 'oc_group1', true],
    ['allow_groups: false still allows DMs', `access:\n  allow_groups: false\n`, ALLOWED, 'p2p', 'oc_dm1', false],
  ];

  it.each(table)('%s', async (_name, yaml, sender, chatType, chatId, refused) => {
    const h = await harness(yaml);
    const { messageId } = await h.say(`/ticket ${TICKET}`, { sender, chatType, chatId });
    const [reply] = await h.replies(messageId);
    const audit = await lastAudit(h, 1);
    expect(audit).toMatchObject({ user: sender, chat_id: chatId, chat_type: chatType, via: 'message', command: 'ticket', ticket_ids: [TICKET] });
    if (refused) {
      expect(reply!.content).toContain('You cannot use the helpdesk bot here');
      expect(reply!.content).toContain('your helpdesk administrators');
      expect(helpdeskCalls(h)).toEqual([]);
      expect(String(audit.outcome)).toMatch(/^refused:/);
    } else {
      expect(reply!.content).toContain(`Ticket ${TICKET}`);
      expect(audit.outcome).toBe('ok');
    }
  });

  it('says whom to ask, from access.contact', async () => {
    const h = await harness(`access:\n  allow_groups: false\n  contact: the IT desk (it@example.com)\n`);
    const { messageId } = await h.say('/tickets page 1', { chatType: 'group' });
    const [reply] = await h.replies(messageId);
    expect(reply!.content).toContain('the IT desk');
    expect(reply!.content).toContain('direct');
  });
});

describe('privacy', () => {
  it('hides the guest email in a group and shows it in a DM, by default', async () => {
    const h = await harness();
    const group = await h.say(`/ticket ${TICKET}`, { chatType: 'group' });
    const [inGroup] = await h.replies(group.messageId);
    expect(inGroup!.content).not.toContain('xiaoming.wang&#64;example.com');
    expect(inGroup!.content).toContain('hidden in group chats');
    const dm = await h.say(`/ticket ${TICKET}`, { chatType: 'p2p' });
    const [inDm] = await h.replies(dm.messageId);
    expect(inDm!.content).toContain('xiaoming.wang&#64;example.com');
  });

  it('hides the listed fields everywhere, or nowhere, as configured', async () => {
    const everywhere = await harness(`privacy:\n  masking: everywhere\n  masked_fields: [email, department]\n`);
    const a = await everywhere.say(`/ticket ${TICKET}`, { chatType: 'p2p' });
    const [dm] = await everywhere.replies(a.messageId);
    expect(dm!.content).not.toContain('xiaoming.wang&#64;example.com');
    expect(dm!.content).not.toContain('财务部');
    const off = await harness(`privacy:\n  masking: off\n`);
    const b = await off.say(`/ticket ${TICKET}`, { chatType: 'group' });
    const [group] = await off.replies(b.messageId);
    expect(group!.content).toContain('xiaoming.wang&#64;example.com');
  });

  it('hides a masked guest name on list rows too, where it hides it on ticket cards', async () => {
    const h = await harness(`privacy:\n  masked_fields: [email, name]\n`);
    const group = await h.say('/tickets page 1', { chatType: 'group' });
    const [inGroup] = await h.replies(group.messageId);
    expect(inGroup!.content).not.toContain('王小明');
    expect(inGroup!.content).toContain(`**#${TICKET}**`);
    const dm = await h.say('/tickets page 1', { chatType: 'p2p' });
    const [inDm] = await h.replies(dm.messageId);
    expect(inDm!.content).toContain('王小明');
  });

  it('keeps masking on cards reached by clicks in a group', async () => {
    const h = await harness();
    const { messageId } = await h.say('/tickets page 1', { chatType: 'group' });
    const [list] = await h.replies(messageId);
    const open = buttons(list!.card).find((b) => b.text === 'Open')!;
    const res = await h.click(list!, open.value);
    expect(JSON.stringify(res.body)).toContain('hidden in group chats');
    expect(JSON.stringify(res.body)).not.toContain('xiaoming.wang&#64;example.com');
  });
});

describe('clicks are authorised like commands', () => {
  it('refuses a click from a user outside the rules with a toast and no API call', async () => {
    const h = await harness(`access:\n  users:\n    deny: [${OTHER}]\n`);
    const { messageId } = await h.say('/tickets page 1', { chatType: 'group', sender: ALLOWED });
    const [list] = await h.replies(messageId);
    h.standin.clearCalls();
    for (const b of buttons(list!.card).filter((x) => x.value)) {
      const res = await h.click(list!, b.value, { operator: OTHER });
      expect(res.body).toMatchObject({ toast: { type: 'error' } });
    }
    expect(helpdeskCalls(h)).toEqual([]);
    expect(await lastAudit(h, 1)).toMatchObject({ user: OTHER, via: 'click', outcome: 'refused:user-denied' });
    // The allowed user's click still works.
    const ok = await h.click(list!, buttons(list!.card).find((b) => b.text === 'Refresh')!.value, { operator: ALLOWED });
    expect(ok.body).toMatchObject({ card: { type: 'raw' } });
  });

  it('a group card cannot be turned into a DM card, and a chat rule applies to its clicks', async () => {
    const h = await harness(`access:\n  chats:\n    deny: [oc_group1]\n`);
    const dm = await h.say('/tickets page 1', { chatType: 'p2p', chatId: 'oc_dm1' });
    const [list] = await h.replies(dm.messageId);
    const value = buttons(list!.card).find((b) => b.text === 'Open')!.value as Record<string, unknown>;
    h.standin.clearCalls();
    // Same value, claimed from the denied group: refused.
    const moved = await h.click(list!, value, { chatId: 'oc_group1' });
    expect(moved.body).toMatchObject({ toast: { type: 'error' } });
    // A value rewritten to claim a DM in a group: refused by the signature.
    const forged = await h.click(list!, { ...value, ct: 'p', c: 'oc_group1' }, { chatId: 'oc_group1' });
    expect(forged.body).toMatchObject({ toast: { type: 'error' } });
    // A value rewritten to ask for another ticket: refused by the signature.
    const other = await h.click(list!, { ...value, t: '1' });
    expect(other.body).toMatchObject({ toast: { type: 'error' } });
    expect(helpdeskCalls(h)).toEqual([]);
  });
});

describe('checkAccess', () => {
  const open: AccessRules = { allow_direct_messages: true, allow_groups: true, users: { allow: [], deny: [] }, chats: { allow: [], deny: [] } };
  it('checks deny lists before anything else', () => {
    expect(checkAccess({ ...open, allow_groups: false, users: { allow: [], deny: ['ou_x'] } }, { userOpenId: 'ou_x', chatId: 'oc_1', chatType: 'group' })).toEqual({ ok: false, reason: 'user-denied' });
  });
});
