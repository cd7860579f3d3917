// The README stays short enough to read (at most 200 lines; the rest lives in docs/), and every
// relative link in the README and the pages under docs/ points at a file that exists, and at a
// heading that exists when it names one in a markdown page.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const PAGES = [
  'README.md',
  ...readdirSync(join(REPO, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const read = (page: string) => readFileSync(join(REPO, page), 'utf8');

/** The text a reader sees as prose: fenced code blocks and inline code removed. */
const prose = (markdown: string) => markdown.replace(/^```[\s\S]*?^```/gm, '').replace(/`[^`\n]*`/g, '');

/** Inline links [text](target) and images, with the target as written. */
function links(markdown: string): string[] {
  return [...prose(markdown).matchAll(/!?\[[^\]\n]*\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map((m) => m[1]!);
}

/** The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  for (const [, heading] of markdown.replace(/^```[\s\S]*?^```/gm, '').matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)) {
    const slug = heading!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(slug) ?? 0;
    seen.set(slug, n + 1);
    result.add(n === 0 ? slug : `${slug}-${n}`);
  }
  return result;
}

describe('the README', () => {
  it('has at most 200 lines', () => {
    const lines = read('README.md').split('\n');
    if (lines.at(-1) === '') lines.pop();
    expect(lines.length).toBeLessThanOrEqual(200);
  });

  it('links to every page under docs/', () => {
    const linked = new Set(links(read('README.md')).map((l) => l.split('#')[0]));
    for (const page of PAGES.filter((p) => p.startsWith('docs/'))) expect(linked, page).toContain(page);
  });
});

describe('relative links in the README and docs/', () => {
  it('finds links to check', () => {
    expect(PAGES.length).toBeGreaterThan(1);
    expect(PAGES.flatMap((page) => links(read(page))).length).toBeGreaterThan(20);
  });

  it.each(PAGES)('%s: every relative link points at a file (and heading) that exists', (page) => {
    const broken: string[] = [];
    for (const link of links(read(page))) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(link)) continue; // https:, mailto:
      const [path, anchor] = link.split('#') as [string, string | undefined];
      const target = path === '' ? join(REPO, page) : join(REPO, dirname(page), decodeURIComponent(path));
      if (relative(REPO, target).startsWith('..') || !existsSync(target)) {
        broken.push(`${link}: no such file`);
        continue;
      }
      if (anchor && target.endsWith('.md') && statSync(target).isFile() && !anchors(readFileSync(target, 'utf8')).has(anchor)) {
        broken.push(`${link}: no such heading`);
      }
    }
    expect(broken).toEqual([]);
  });
});
