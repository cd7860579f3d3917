// Signing in as a browser would: the card's sign-in link, the stand-in's authorization page and
// its answer, and the redirect back to the bot's /oauth/callback.
import { expect } from 'vitest';

/** The open_url of the card's button with this (English) text, wherever it is. */
export function linkOf(card: unknown, text: string): string {
  const found: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    const label = (n['text'] as { content?: unknown } | undefined)?.content;
    if (n['tag'] === 'button' && label === text) {
      for (const b of (n['behaviors'] as { type?: string; default_url?: string }[] | undefined) ?? []) if (b.type === 'open_url' && b.default_url) found.push(b.default_url);
    }
    Object.values(n).forEach(walk);
  };
  walk(card);
  if (found.length !== 1) throw new Error(`expected one "${text}" link button, found ${found.length}`);
  return found[0]!;
}

/** Opens the authorization page at `url` and answers it (as `as`, the person at the browser by default); resolves with where the browser is sent. */
export async function consent(url: string, options: { as?: string; decision?: 'allow' | 'deny' } = {}): Promise<string> {
  const page = await fetch(url);
  expect(page.status).toBe(200);
  const html = await page.text();
  const fields = Object.fromEntries([...html.matchAll(/<input type="hidden" name="([a-z_]+)" value="([^"]*)">/g)].map((m) => [m[1]!, decode(m[2]!)]));
  const chosen = /<option value="([^"]+)" selected>/.exec(html)?.[1];
  const form = new URLSearchParams({ ...fields, open_id: options.as ?? chosen ?? '', decision: options.decision ?? 'allow' });
  const answer = await fetch(new URL('/open-apis/authen/v1/authorize', url), { method: 'POST', body: form, redirect: 'manual' });
  expect(answer.status).toBe(302);
  return answer.headers.get('location')!;
}

/** Follows the redirect to the bot's callback: its page. */
export async function callback(location: string): Promise<{ status: number; html: string; headers: Headers }> {
  const res = await fetch(location);
  return { status: res.status, html: await res.text(), headers: res.headers };
}

const decode = (s: string) => s.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n)));
