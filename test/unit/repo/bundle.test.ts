// A production start loads no sandbox code: what `node dist/main.js` loads before it knows the
// mode (main.js and the chunks it imports statically) holds no file of src/sandbox/ or of the
// stand-in package; those are in chunks reached only through the dynamic import of the sandbox.
// Read from the build's own record (dist/meta.json, esbuild's metafile), which the global setup
// brings up to date.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../support/process.js';

interface Meta {
  outputs: Record<string, { imports: { path: string; kind: string; external?: boolean }[]; inputs: Record<string, unknown> }>;
}
const meta = JSON.parse(readFileSync(join(REPO, 'dist/meta.json'), 'utf8')) as Meta;

/** The outputs loaded with `entry`, following imports of the given kinds. */
function closure(entry: string, kinds: string[]): string[] {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length > 0) {
    const output = stack.pop()!;
    if (seen.has(output)) continue;
    seen.add(output);
    for (const i of meta.outputs[output]!.imports) if (!i.external && kinds.includes(i.kind)) stack.push(i.path);
  }
  return [...seen];
}
const inputsOf = (outputs: string[]) => outputs.flatMap((o) => Object.keys(meta.outputs[o]!.inputs));
const SANDBOX = /^(src\/sandbox\/|packages\/)/;

describe('the production bundle', () => {
  it("loads no sandbox or stand-in file at start: none is in dist/main.js's static imports", () => {
    const loaded = inputsOf(closure('dist/main.js', ['import-statement']));
    expect(loaded).toContain('src/main.ts');
    expect(loaded).toContain('src/runtime/start.ts');
    expect(loaded.filter((f) => SANDBOX.test(f))).toEqual([]);
  });

  it('reaches the sandbox (and the stand-in bundled with it) only through a dynamic import', () => {
    const all = inputsOf(closure('dist/main.js', ['import-statement', 'dynamic-import']));
    expect(all).toContain('src/sandbox/mode.ts');
    expect(all.some((f) => f.startsWith('packages/feishu-standin/'))).toBe(true);
  });

  it('keeps npm run doctor free of the sandbox too', () => {
    expect(inputsOf(closure('dist/doctor.js', ['import-statement', 'dynamic-import'])).filter((f) => SANDBOX.test(f))).toEqual([]);
  });
});
