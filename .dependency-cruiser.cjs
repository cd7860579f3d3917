// Dependency rules (npm run depcheck): the shape docs/architecture and design.md give the code.
// One direction of flow, no cycles between modules or between folders, the sandbox out of
// production's way, and the stand-in platform reached only as a package.
//
// dependency-cruiser reads TypeScript with @swc/core (`parser: 'swc'` below): the project's
// TypeScript 7 has no JavaScript compiler API, which dependency-cruiser's own TypeScript reader
// needs. swc parses the source as written, so `import type` and `import { type X }` are
// dependencies like any other: a cycle through types is still a cycle for a reader.

// The layout, top to bottom: a folder may import only folders below it (and itself). The first
// entry is the entry points. Imports that all point down cannot form a cycle between folders.
const LAYERS = [
  { name: 'entry points', path: '^src/(main\\.ts$|doctor\\.ts$|doctor/)' },
  { name: 'sandbox', path: '^src/sandbox/' },
  { name: 'runtime', path: '^src/runtime/' },
  { name: 'intake', path: '^src/intake/' },
  { name: 'bot', path: '^src/bot/' },
  { name: 'watch', path: '^src/watch/' },
  { name: 'stats', path: '^src/stats/' },
  { name: 'views', path: '^src/views/' },
  { name: 'config', path: '^src/config/' },
  { name: 'cards', path: '^src/cards/' },
  { name: 'commands', path: '^src/commands/' },
  { name: 'helpdesk', path: '^src/helpdesk/' },
  { name: 'feishu', path: '^src/feishu/' },
  { name: 'state', path: '^src/state/' },
  { name: 'resilience', path: '^src/resilience/' },
  // Only types and small pure helpers.
  { name: 'jobs', path: '^src/jobs/' },
  // Logging and metrics: everything may log, so it imports nothing of ours.
  { name: 'obs', path: '^src/obs/' },
];

const anyOf = (layers) => layers.map((layer) => `(${layer.path})`).join('|');

// One rule a folder: it must not import any folder above it.
const layerRules = LAYERS.slice(1).map((layer, i) => {
  const below = LAYERS.slice(i + 2).map((l) => l.name);
  return {
    name: `layer-${layer.name}`,
    comment: `src/${layer.name}/ may import only the folders below it (${below.join(', ') || 'none'}); an import upward is where a cycle between folders starts.`,
    severity: 'error',
    from: { path: layer.path },
    to: { path: anyOf(LAYERS.slice(0, i + 1)) },
  };
});

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No module may reach itself through its imports (type-only ones included): a cycle has no place to start reading, and at run time it can meet a module that is not initialised yet.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'no-folder-cycle',
      comment: 'No cycle between folders, at any depth (e.g. two subfolders of one top-level folder). The layer rules below order the top-level folders; this catches cycles they cannot see.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'outside-the-layout',
      comment:
        'Every file under src/ belongs to a folder of the layout (src/main.ts and src/doctor.ts are the only files directly in src/): a file anywhere else is outside the layer order, so nothing would stop a cycle through it.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^src/', pathNot: anyOf(LAYERS) },
    },
    {
      name: 'sandbox-only-from-main',
      comment: 'Sandbox mode is loaded only when the sandbox runs: only src/main.ts may import src/sandbox/ (production start loads no sandbox code).',
      severity: 'error',
      from: { path: '^src/', pathNot: '^src/(main\\.ts$|sandbox/)' },
      to: { path: '^src/sandbox/' },
    },
    {
      name: 'sandbox-dynamically',
      comment: 'src/main.ts loads the sandbox with import() when it starts in sandbox mode; a static import would load it in production too.',
      severity: 'error',
      from: { path: '^src/main\\.ts$' },
      to: { path: '^src/sandbox/', dependencyTypesNot: ['dynamic-import'] },
    },
    {
      name: 'src-not-from-tests',
      comment: 'The product must not depend on its tests or benchmarks: they are not shipped, and they depend on src/.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'src-the-one-root',
      comment: 'src/ is the one source root: a relative import from src/ stays in src/ (packages are imported by name, and are checked by the rule below).',
      severity: 'error',
      from: { path: '^src/' },
      to: { pathNot: '^src/', dependencyTypes: ['local'], dependencyTypesNot: ['aliased'] },
    },
    {
      name: 'standin-by-package-name',
      comment: 'packages/feishu-standin is a package: import it by its name, @helpdesk-bot/feishu-standin, never a file of it by relative path (its insides can change without notice).',
      severity: 'error',
      from: { pathNot: '^packages/feishu-standin/' },
      // A relative import is 'local' without 'aliased'; one by package name resolves through the workspace: 'aliased-workspace'.
      to: { path: '^packages/feishu-standin/', dependencyTypes: ['local'], dependencyTypesNot: ['aliased'] },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing is a broken import, and its target cannot be checked against the rules above.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    // See the top of this file: TypeScript 7 cannot be used by dependency-cruiser; swc reads TypeScript as written.
    parser: 'swc',
    // Our modules are ES modules; scripts/*.cjs-style requires count too.
    moduleSystems: ['es6', 'cjs'],
    // Third-party packages are leaves here: their insides are not ours to check.
    doNotFollow: { path: ['node_modules'] },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
