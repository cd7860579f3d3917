// Agents' tokens at rest: sealed with AES-256-GCM, opened only with the same key and for the record
// they were sealed for; anything changed, moved or sealed under another key opens to nothing.
import { describe, expect, it } from 'vitest';
import { Sealer } from '../../../src/feishu/sealed.js';

const sealer = new Sealer('k'.repeat(32));
const plain = JSON.stringify({ access: 'u-secret-access', refresh: 'ur-secret-refresh' });

describe('sealed tokens', () => {
  it('open to what was sealed, and show none of it', () => {
    const sealed = sealer.seal(plain, 'user-token:cli_1:ou_a');
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('secret');
    expect(sealer.open(sealed, 'user-token:cli_1:ou_a')).toBe(plain);
    // A fresh nonce each time.
    expect(sealer.seal(plain, 'user-token:cli_1:ou_a')).not.toBe(sealed);
  });

  it("open to nothing under another key, for another person's record, or changed by one bit", () => {
    const sealed = sealer.seal(plain, 'user-token:cli_1:ou_a');
    expect(new Sealer('x'.repeat(32)).open(sealed, 'user-token:cli_1:ou_a')).toBeUndefined();
    expect(sealer.open(sealed, 'user-token:cli_1:ou_b')).toBeUndefined();
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    for (const at of [0, 12, 28, raw.length - 1]) {
      const flipped = Buffer.from(raw);
      flipped[at]! ^= 1;
      expect(sealer.open(`v1.${flipped.toString('base64url')}`, 'user-token:cli_1:ou_a')).toBeUndefined();
    }
    for (const junk of ['', 'v1.', 'v2.abc', 'v1.short', 'not sealed']) expect(sealer.open(junk, 'user-token:cli_1:ou_a')).toBeUndefined();
  });
});
