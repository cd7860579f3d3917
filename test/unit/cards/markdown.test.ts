// Data put into card markdown must stay text: whatever a ticket, a comment, the conversation or an
// echoed word holds, esc() turns it into markdown that a CommonMark + GFM parser (markdown-it,
// with tables, strikethrough, inline HTML and autolinks on) reads as one paragraph of plain text
// whose characters are exactly the data's.
import fc from 'fast-check';
import MarkdownIt from 'markdown-it';
import { describe, expect, it } from 'vitest';
import { esc, plain } from '../../../src/cards/kit.js';

const md = new MarkdownIt('default', { html: true, linkify: true });

const HOSTILE = [
  '#',
  '## h',
  '===',
  '---',
  '- - -',
  '***',
  '    code',
  '\t\tcode',
  '```',
  '~~~',
  '> quote',
  '>',
  '- item',
  '+ item',
  '* item',
  '1. one',
  '2) two',
  '| a | b |',
  '|---|---|',
  '[l](http://e.vil)',
  '![i](http://e.vil/x.png)',
  '[ref]: http://e.vil',
  '<at id=all></at>',
  '<at id="ou_1"></at>',
  "<font color='red'>",
  '</font>',
  '<text_tag color=red>x</text_tag>',
  '<b>',
  '<script>alert(1)</script>',
  '<http://e.vil>',
  'http://e.vil',
  'https://e.vil/p?q=1',
  'www.e.vil',
  'a@b.example',
  '&#60;',
  '&amp;',
  '&lt;b&gt;',
  '\\',
  '\\*',
  '`',
  '``x``',
  '_x_',
  '**b**',
  '*i*',
  '~~s~~',
  ':smile:',
  ':OK:',
  '$$x$$',
  '\n',
  '\n\n',
  '\n\n\n',
  '\r\n',
  '  ',
  '\u0000',
  '\u001b[31m',
  '\u202e',
  '\u200b',
  '\u200f',
  '\ufeff',
  'a\u200db',
  '👩\u200d💻',
  'text',
  '中文',
  '工单',
  '2026-11-20',
  "O'Brien",
  '"q"',
  '<',
  '>',
  '&',
  '|',
  '=',
  '-',
  '+',
  '.',
  ')',
  '(',
  '1',
  '10.',
  'x',
];
const hostile = fc.array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 4 })), { maxLength: 24 }).map((parts) => parts.join(''));

/** The text a reader sees: inline children joined, soft breaks as newlines; null if any structure. */
function readAsText(source: string): string | null {
  const tokens = md.parse(source, {});
  if (tokens.length === 0) return '';
  if (tokens.length !== 3 || tokens[0]!.type !== 'paragraph_open' || tokens[2]!.type !== 'paragraph_close') return null;
  let out = '';
  for (const child of tokens[1]!.children ?? []) {
    if (child.type === 'text') out += child.content;
    else if (child.type === 'softbreak') out += '\n';
    else return null;
  }
  return out;
}

// The model: control characters, bidirectional overrides and zero-width or direction marks shown as
// nothing; a zero-width joiner too, except between two emoji, where it is part of one.
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200b\u200c\u200e\u200f\u061c\u180e\u2060-\u2064\ufeff]|\u200d(?!💻)/g;
const oneLine = (s: string) => s.replace(/\r\n?/g, '\n').replace(CONTROLS, '').replace(/\s+/g, ' ').trim();
const lines = (s: string) =>
  s
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, ' ')
    .replace(CONTROLS, '')
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');

describe('esc: data never becomes markdown structure', () => {
  it('one line: plain text, exactly the data', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        expect(readAsText(esc(s))).toBe(oneLine(s));
      }),
      { numRuns: 3000 },
    );
  });

  it('several lines: one paragraph of plain text, line for line', () => {
    fc.assert(
      fc.property(hostile, (s) => {
        expect(readAsText(esc(s, { keepLines: true }))).toBe(lines(s));
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ['a setext heading', 'Title\n==='],
    ['a setext heading with dashes', 'Title\n---'],
    ['an indented code block', 'intro\n\n    rm -rf /'],
    ['a fenced code block', '```\ncode\n```'],
    ['a quote', '> said'],
    ['a list', '- a\n- b\n1. c'],
    ['a table', '| a | b |\n|---|---|\n| 1 | 2 |'],
    ['a link and an image', '[x](http://e.vil) ![y](http://e.vil/y.png)'],
    ['an autolink', 'see http://e.vil or www.e.vil or mail a@b.example'],
    ['Feishu tags', "<at id=all></at> <font color='red'>red</font> <text_tag color='red'>t</text_tag>"],
  ])('%s stays text', (_, s) => {
    expect(readAsText(esc(s, { keepLines: true }))).toBe(lines(s));
  });

  it('plain() keeps the text and drops control characters', () => {
    expect(plain(' a\u0000b \n c\u202e ')).toBe('ab c');
  });

  it('drops zero-width and direction marks from names and echoed text, and keeps emoji whole', () => {
    const name = '\u200fAd\u200bmin\u200e \ufeffWang\u2060\u061c';
    expect(plain(name)).toBe('Admin Wang');
    expect(esc(name)).toBe('Admin Wang');
    expect(esc('a\u200db \u200d👩\u200d💻 👩🏽\u200d💻 🏳️\u200d🌈')).toBe('ab 👩\u200d💻 👩🏽\u200d💻 🏳️\u200d🌈');
  });
});
