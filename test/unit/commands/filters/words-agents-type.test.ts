// The words agents type without reading the help (issue 18): tags in any case or width and bare,
// unassigned, people by name, guest names with spaces, status phrases, score ranges and which time
// a time word filters; each to the list call(s) the helpdesk needs, or to a card saying why not.
import { describe, expect, it } from 'vitest';
import { ctx, KNOWN, NOW, parseErr, parseOk, sh } from './helpers.js';

const OPEN = [1, 2, 3, 4, 5];
const CLOSED = [50, 51, 52];
const known = ctx({ known: KNOWN });
const today = { start: sh(2026, 11, 20), end: NOW };

describe('tags, as the helpdesk spells them', () => {
  it.each(['tag vip', 'tag Vip', 'tag VIP', '标签 vip', 'tag ＶＩＰ', 'vip', 'VIP', 'tags vip'.replace('tags', 'tag')])('%s is the tag VIP', (text) => {
    expect(parseOk(text, known).filter.tags).toStrictEqual(['VIP']);
  });

  it('a bare tag name mixes with other words, in any order, Chinese too', () => {
    expect(parseOk('vip open', known).filter).toStrictEqual({ statuses: OPEN, tags: ['VIP'] });
    expect(parseOk('open vip', known).filter).toStrictEqual({ statuses: OPEN, tags: ['VIP'] });
    expect(parseOk('报销', known).filter).toStrictEqual({ tags: ['报销'] });
    expect(parseOk('未关闭报销', known).filter).toStrictEqual({ statuses: OPEN, tags: ['报销'] });
    // A mistyped Chinese tag is suggested the Chinese way.
    expect(parseErr('报消', known)).toMatchObject({ words: [{ word: '报消', suggestion: '标签 报销' }] });
    expect(parseOk('open source today', known).filter).toStrictEqual({ tags: ['Open Source'], created: today });
  });

  it('words of the language win over a tag of the same name', () => {
    expect(parseOk('open', ctx({ known: { ...KNOWN, tags: ['open'] } })).filter).toStrictEqual({ statuses: OPEN });
  });

  it('an unknown tag is refused, naming the tags in use and offering the nearest', () => {
    expect(parseErr('tag vlp open', known)).toStrictEqual({ kind: 'unknown-tag', tag: 'vlp', inUse: [...KNOWN.tags], fix: { label: 'VIP', text: 'tag VIP open' } });
    expect(parseErr('tag nothing', known)).toStrictEqual({ kind: 'unknown-tag', tag: 'nothing', inUse: [...KNOWN.tags] });
  });

  it('a quoted tag is searched as typed; without known tags every tag is', () => {
    expect(parseOk('tag "nothing"', known).filter.tags).toStrictEqual(['nothing']);
    expect(parseOk('tag nothing').filter.tags).toStrictEqual(['nothing']);
  });
});

describe('unassigned', () => {
  it.each(['unassigned', '未分配', 'no owner', 'No-Owner'])('%s is the board’s Unassigned: open tickets no agent has', (text) => {
    const q = parseOk(text);
    expect(q.filter).toStrictEqual({ statuses: OPEN });
    expect(q.unassigned).toBe(true);
  });

  it('keeps the statuses given', () => {
    expect(parseOk('closed unassigned')).toMatchObject({ filter: { statuses: CLOSED }, unassigned: true });
  });
});

describe('people by name', () => {
  it.each([
    ['agent 王磊', 'ou_wanglei', '王磊'],
    ['by 王磊', 'ou_wanglei', '王磊'],
    ['负责人 王磊', 'ou_wanglei', '王磊'],
    ['owner Emily', 'ou_emily', 'Emily Zhang'],
    ['owner emily zhang', 'ou_emily', 'Emily Zhang'],
    ['owner "Emily Zhang"', 'ou_emily', 'Emily Zhang'],
    ['assigned to emma', 'ou_emma', 'Emma Stone'],
  ])('%s', (text, id, name) => {
    const q = parseOk(text, known);
    expect(q.filter.agentId).toBe(id);
    expect(q.names).toStrictEqual({ [id]: name });
  });

  it('a name and more words: the name ends where the words of the language begin', () => {
    expect(parseOk('owner emily zhang open today', known).filter).toStrictEqual({ agentId: 'ou_emily', statuses: OPEN, created: today });
    expect(parseOk('closed by 王磊 yesterday', known).filter).toMatchObject({ closedById: 'ou_wanglei' });
  });

  it('a name several people have asks which, with a query for each', () => {
    expect(parseErr('agent 王 open', known)).toStrictEqual({
      kind: 'which-person',
      word: 'agent',
      value: '王',
      choices: [
        { label: '王磊', text: 'agent 王磊 open' },
        { label: '王芳', text: 'agent 王芳 open' },
      ],
    });
    // Two people with the same whole name: told apart by their open_ids.
    expect(parseErr('owner David Chen', known)).toMatchObject({
      kind: 'which-person',
      choices: [
        { label: 'David Chen (_david)', text: 'owner ou_david' },
        { label: 'David Chen (david2)', text: 'owner ou_david2' },
      ],
    });
  });

  it('a name nobody has says so, offering the nearest names (all of them on a tie), a word of a name too', () => {
    expect(parseErr('agent 王蕾', known)).toStrictEqual({
      kind: 'unknown-person',
      word: 'agent',
      value: '王蕾',
      choices: [
        { label: '王磊', text: 'agent 王磊' },
        { label: '王芳', text: 'agent 王芳' },
      ],
    });
    expect(parseErr('owner Emliy', known)).toStrictEqual({ kind: 'unknown-person', word: 'owner', value: 'Emliy', choices: [{ label: 'Emily Zhang', text: 'owner "Emily Zhang"' }] });
    expect(parseErr('owner Zoe', known)).toStrictEqual({ kind: 'unknown-person', word: 'owner', value: 'Zoe', choices: [] });
    expect(parseErr('agent Li')).toStrictEqual({ kind: 'unknown-person', word: 'agent', value: 'Li', choices: [] });
  });

  it('a bare agent name is not understood, but the query with `agent` is offered', () => {
    expect(parseErr('王磊 open', known)).toMatchObject({ kind: 'unknown-words', words: [{ word: '王磊', suggestion: '客服 王磊' }], fix: { text: '客服 王磊 open' } });
    expect(parseErr('open emily zhang', known)).toMatchObject({ kind: 'unknown-words', words: [{ word: 'emily' }, { word: 'zhang' }] });
    expect(parseErr('open emily', ctx({ known: { ...KNOWN, people: [{ id: 'ou_e', name: 'Emily' }] } }))).toMatchObject({ words: [{ word: 'emily', suggestion: 'agent Emily' }] });
  });

  it('mentions, open_ids and me work as before', () => {
    expect(parseOk('agent @_user_2', known).filter.agentId).toBe('ou_b');
    expect(parseOk('owner me', known).filter.agentId).toBe('ou_asker');
    expect(parseOk('mine', known).filter.agentId).toBe('ou_asker');
  });
});

describe('guest names with spaces', () => {
  it.each([
    ['guest james wilson', 'james wilson'],
    ['guest "James Wilson"', 'James Wilson'],
    ['guest James Wilson open today', 'James Wilson'],
    ['用户 王小明 未关闭', '王小明'],
  ])('%s', (text, name) => {
    expect(parseOk(text, known).filter.guestName).toBe(name);
  });

  it('the name stops at a time, a page or a tag', () => {
    expect(parseOk('guest james wilson last 7 days page 2', known)).toMatchObject({ filter: { guestName: 'james wilson', created: { end: NOW } }, page: 2 });
    expect(parseOk('guest james vip', known).filter).toStrictEqual({ guestName: 'james', tags: ['VIP'] });
  });
});

describe('status phrases', () => {
  it.each([
    ['waiting for customer', [5]],
    ['waiting on customer', [5]],
    ['pending', [4]],
    ['待定', [4]],
    ['待用户响应', [5]],
    ['in progress', [2]],
    ['处理中', [2]],
  ])('%s', (text, statuses) => {
    expect(parseOk(text).filter.statuses).toStrictEqual(statuses);
  });
});

describe('score ranges', () => {
  it.each(['score 1-3', '评分 1-3', 'score 1–3', 'rating 1..3'])('%s is any of the three scores (asked for one by one)', (text) => {
    const q = parseOk(text);
    expect(q.scores).toStrictEqual([1, 2, 3]);
    expect(q.filter.score).toBeUndefined();
  });

  it('a range of one score is that score', () => {
    expect(parseOk('score 2-2')).toMatchObject({ filter: { score: 2 } });
    expect(parseOk('score 2-2').scores).toBeUndefined();
  });
});

describe('which time a time word filters', () => {
  it('a bare time is creation time; created and updated say which', () => {
    expect(parseOk('today')).toMatchObject({ filter: { created: today }, times: { created: 'today' } });
    expect(parseOk('created today')).toMatchObject({ filter: { created: today }, times: { created: 'today' } });
    expect(parseOk('updated today')).toMatchObject({ filter: { updated: today }, times: { updated: 'today' } });
  });

  it.each(['closed yesterday', 'yesterday closed', '已关闭 昨天', '昨天 已关闭', '关闭 昨天', 'closed in yesterday'])('%s: closed tickets, by closing time', (text) => {
    const q = parseOk(text);
    expect(q.filter).toStrictEqual({ statuses: CLOSED });
    expect(q.times).toStrictEqual({ closed: 'yesterday' });
  });

  it('closing time with other times and other closed statuses', () => {
    expect(parseOk('closed today updated yesterday')).toMatchObject({ times: { closed: 'today', updated: 'yesterday' } });
    expect(parseOk('closed created today')).toMatchObject({ filter: { statuses: CLOSED }, times: { created: 'today' } });
    expect(parseOk('closed by agent yesterday')).toMatchObject({ filter: { statuses: [51] }, times: { closed: 'yesterday' } });
    expect(parseOk('closed 7d unhappy')).toMatchObject({ filter: { statuses: CLOSED, score: 1 }, times: { closed: '7d' } });
  });
});
