// Compiles the bot for `npm start`: src/main.ts and everything it imports (src/, cards/) bundled by
// esbuild into dist/main.js, with a source map so stack traces name the TypeScript files and lines.
// Packages stay in node_modules (the SDK reads its own package.json at run time). Type checking is
// `npm run typecheck`'s job, not the build's, so a build takes well under a second.
//
//   node scripts/build.mjs             build
//   node scripts/build.mjs --if-stale  build only if a source file, package.json or this script is
//                                      newer than dist/main.js, or one of its sources is gone
//
// `npm start` runs it with --if-stale, so an edited source is never run stale; `npm install` runs it
// too (the `prepare` script), so a fresh clone needs only `npm install` and `npm start`.
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist');
const bundle = join(out, 'main.js');
const inputsFile = join(out, 'inputs.json');
// Files read at run time relative to their module: copied beside the bundle, whose import.meta.url
// is dist/main.js (the console's page: new URL('./page/…', import.meta.url)).
const ASSETS = [['src/sandbox/console/page', 'page']];

if (process.argv.includes('--if-stale') && !stale()) process.exit(0);
await build();

function stale() {
  if (!existsSync(bundle) || !existsSync(inputsFile)) return true;
  const built = statSync(bundle).mtimeMs;
  const inputs = [...JSON.parse(readFileSync(inputsFile, 'utf8')), 'package.json', 'scripts/build.mjs', ...ASSETS.map(([from]) => from)];
  return inputs.some((file) => {
    const path = join(root, file);
    return !existsSync(path) || newest(path) > built;
  });
}

/** A file's mtime, or the newest in a folder (an asset folder). */
function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

async function build() {
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    process.stderr.write('Cannot build the bot: esbuild is missing. Run `npm install` (with the dev dependencies) first.\n');
    process.exit(1);
  }
  const started = performance.now();
  rmSync(out, { recursive: true, force: true });
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['src/main.ts'],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    // Sources are in the map, so a trace resolves to them wherever the repository sits.
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
  });
  for (const [from, to] of ASSETS) cpSync(join(root, from), join(out, to), { recursive: true });
  writeFileSync(inputsFile, JSON.stringify(Object.keys(result.metafile.inputs).filter((file) => !file.startsWith('node_modules/'))));
  process.stderr.write(`built dist/main.js in ${Math.round(performance.now() - started)} ms\n`);
}
