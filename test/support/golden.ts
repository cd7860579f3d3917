// Golden JSON files: the rendered card is compared with a reviewed file in test/golden/.
// Run with UPDATE_GOLDEN=1 to rewrite them, then review the diff like code.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export function expectGolden(name: string, value: unknown) {
  const path = fileURLToPath(new URL(`../golden/${name}.json`, import.meta.url));
  const text = JSON.stringify(value, null, 2) + '\n';
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(path)) {
    if (process.env.CI) throw new Error(`golden file ${name}.json is missing; run the tests with UPDATE_GOLDEN=1 and review it`);
    writeFileSync(path, text);
  }
  expect(text).toBe(readFileSync(path, 'utf8'));
}
