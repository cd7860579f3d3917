// Compiles the bot for `npm start`: src/main.ts and everything it imports bundled by
// esbuild into dist/main.js, and src/doctor.ts into dist/doctor.js (with chunks beside them for
// what they share and what is imported dynamically), with source maps so stack traces name the
// TypeScript files and lines.
// Packages stay in node_modules (the SDK reads its own package.json at run time), except the
// repository's own workspace packages (packages/*, such as the stand-in the sandbox runs): those are
// TypeScript sources, which Node cannot run from node_modules, so they are bundled like src/ (and
// the production image needs neither their sources nor their links). Type checking is
// `npm run typecheck`'s job, not the build's, so a build takes well under a second.
//
//   node scripts/build.mjs             build
//   node scripts/build.mjs --if-stale  build only if a source file (a workspace package's too),
//                                      package.json (a workspace package's too) or this script is
//                                      newer than dist/main.js, or one of its sources is gone
//
// `npm start` runs it with --if-stale, so an edited source is never run stale; `npm install` runs it
// too (the `prepare` script), so a fresh clone needs only `npm install` and `npm start`.
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist');
const bundle = join(out, 'main.js');
const inputsFile = join(out, 'inputs.json');
// Files read at run time relative to their module: copied beside the bundle, whose import.meta.url
// is dist/main.js (the console's page: new URL('./page/…', import.meta.url)).
const ASSETS = [['src/sandbox/console/page', 'page']];
// The official SDK is one 6 MB CommonJS file, mostly comments (many in Chinese, which makes V8 hold
// the whole source as a two-byte string: 11 MB of heap, for the life of the process). A compacted
// copy (whitespace and comments out, names kept, its MIT notice kept) is 1.9 MB of ASCII: 9 MB less
// memory and faster to load. src/feishu/sdk.ts loads it when present (the built bot), and the
// package itself otherwise (tests, npm run dev).
const SDK = '@larksuiteoapi/node-sdk';
// The browser build of VChart, which draws the charts of cards in the sandbox console.
const VCHART = '@visactor/vchart/build/index.min.js';
const requireHere = createRequire(join(root, 'package.json'));
// The workspace packages (root package.json's "workspaces": folders, or folder/* patterns), by name.
const WORKSPACES = workspacePackages();

if (process.argv.includes('--if-stale') && !stale()) process.exit(0);
await build();

function stale() {
  if (!existsSync(bundle) || !existsSync(inputsFile)) return true;
  const built = statSync(bundle).mtimeMs;
  const inputs = [
    ...JSON.parse(readFileSync(inputsFile, 'utf8')),
    'package.json',
    ...[...WORKSPACES.values()].map((folder) => join(folder, 'package.json')),
    'scripts/build.mjs',
    `node_modules/${SDK}/package.json`,
    'node_modules/@visactor/vchart/package.json',
    ...ASSETS.map(([from]) => from),
  ];
  return inputs.some((file) => {
    const path = join(root, file);
    return !existsSync(path) || newest(path) > built;
  });
}

/** Name -> folder (relative to the root) of each workspace package. */
function workspacePackages() {
  const patterns = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).workspaces ?? [];
  const folders = patterns.flatMap((pattern) => {
    if (!pattern.endsWith('/*')) return [pattern];
    const parent = pattern.slice(0, -2);
    if (!existsSync(join(root, parent))) return [];
    return readdirSync(join(root, parent), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => join(parent, e.name));
  });
  const found = new Map();
  for (const folder of folders) {
    const manifest = join(root, folder, 'package.json');
    if (existsSync(manifest)) found.set(JSON.parse(readFileSync(manifest, 'utf8')).name, folder);
  }
  return found;
}

/** A file's mtime, or the newest in a folder (an asset folder). */
function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** The package an import names: `@scope/name` or `name`, without a subpath. */
function packageOf(specifier) {
  return specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
}

/** esbuild plugin: every package import external except the workspace packages'. */
function externalExceptWorkspaces() {
  return {
    name: 'external-except-workspaces',
    setup(build) {
      // Bare specifiers: packages and node: built-ins (entry points are paths, resolved as usual).
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.kind === 'entry-point' || WORKSPACES.has(packageOf(args.path))) return undefined;
        return { path: args.path, external: true };
      });
    },
  };
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
    // The bot, and `npm run doctor` (it must run where only production dependencies are installed).
    entryPoints: ['src/main.ts', 'src/doctor.ts'],
    outdir: out,
    // What is loaded only when used (the Redis backend, imported dynamically), and what the two
    // entry points share, go in chunks beside them, so a path relative to any file (./vendor/…,
    // ./page/…) means the same.
    splitting: true,
    chunkNames: '[name]-[hash]',
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Every package import stays an import (as `packages: 'external'` would), except the
    // workspace packages', which are resolved (through their link in node_modules, to their
    // sources) and bundled.
    plugins: [externalExceptWorkspaces()],
    sourcemap: 'linked',
    // Sources are in the map, so a trace resolves to them wherever the repository sits.
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
  });
  for (const [from, to] of ASSETS) cpSync(join(root, from), join(out, to), { recursive: true });
  // VChart's browser build, for the console's charts: a file the page loads, not an import, so the
  // production image needs no VChart package (src/sandbox/console/index.ts serves it from here).
  cpSync(requireHere.resolve(VCHART), join(out, 'page', 'vchart.js'));
  const sdkEntry = requireHere.resolve(SDK);
  const sdkPackage = JSON.parse(readFileSync(join(dirname(sdkEntry), '..', 'package.json'), 'utf8'));
  const license = readFileSync(join(dirname(sdkEntry), '..', 'LICENSE'), 'utf8').trim();
  await esbuild.build({
    entryPoints: [sdkEntry],
    outfile: join(out, 'vendor', 'node-sdk.cjs'),
    bundle: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: 'none',
    charset: 'ascii',
    // It reads its own package.json beside its original file (for its version, in the User-Agent).
    define: { __dirname: '__sdkDir' },
    banner: {
      js: `/* ${SDK} ${sdkPackage.version}, compacted by scripts/build.mjs.\n${license.replaceAll('*/', '* /')} */\nconst __sdkDir = require('node:path').dirname(require.resolve('${SDK}'));`,
    },
    logLevel: 'warning',
  });
  writeFileSync(inputsFile, JSON.stringify(Object.keys(result.metafile.inputs).filter((file) => !file.startsWith('node_modules/'))));
  // Which source went into which output, and how outputs import each other: what a production start
  // loads is checked from it (test/unit/repo/bundle.test.ts: no sandbox file in dist/main.js's static closure).
  writeFileSync(join(out, 'meta.json'), JSON.stringify(result.metafile));
  process.stderr.write(`built dist/main.js in ${Math.round(performance.now() - started)} ms\n`);
}
