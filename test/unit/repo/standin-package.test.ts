// The stand-in is a package of its own (packages/feishu-standin, @helpdesk-bot/feishu-standin):
// it imports nothing of the bot or the sandbox, names every package it imports as its own
// dependency, and everything else reaches it by name, never by a path into its folder.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../../support/process.js';

const PACKAGE = 'packages/feishu-standin';
const manifest = JSON.parse(readFileSync(join(REPO, PACKAGE, 'package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, string>;
  dependencies: Record<string, string>;
};

/** Every .ts file under a folder of the repository. */
const sources = (folder: string): string[] =>
  readdirSync(join(REPO, folder), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => join(folder, f));
/** The module specifiers a file imports or re-exports (static and dynamic). */
const importsOf = (file: string): string[] =>
  [...readFileSync(join(REPO, file), 'utf8').matchAll(/^(?:import|export)\b[^;']*?\bfrom '([^']+)'|^import '([^']+)'|\bimport\('([^']+)'\)/gm)].map((m) => (m[1] ?? m[2] ?? m[3])!);

describe('the stand-in package', () => {
  it('is linked into node_modules by the workspace and exports TypeScript entry points that exist', () => {
    expect(manifest.name).toBe('@helpdesk-bot/feishu-standin');
    // A dev dependency of the root: the build bundles it (test/container.test.ts), nothing installs it at run time.
    const root = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { workspaces: string[]; devDependencies: Record<string, string> };
    expect(root.workspaces).toContain('packages/*');
    expect(Object.keys(root.devDependencies)).toContain(manifest.name);
    expect(readFileSync(join(REPO, 'node_modules', manifest.name, 'package.json'), 'utf8')).toBe(readFileSync(join(REPO, PACKAGE, 'package.json'), 'utf8'));
    for (const target of Object.values(manifest.exports)) expect(sources(`${PACKAGE}/src`)).toContain(join(PACKAGE, target));
  });

  it('imports only its own files, Node built-ins and its own dependencies: nothing of the bot or the sandbox', () => {
    for (const file of sources(`${PACKAGE}/src`)) {
      for (const specifier of importsOf(file)) {
        if (specifier.startsWith('.')) {
          const target = relative(REPO, join(REPO, file, '..', specifier));
          expect(target.startsWith(`${PACKAGE}/src/`), `${file} imports ${specifier}`).toBe(true);
        } else if (!specifier.startsWith('node:') && !builtinModules.includes(specifier)) {
          expect(Object.keys(manifest.dependencies), `${file} imports ${specifier}`).toContain(specifier.split('/')[0]);
        }
      }
    }
  });

  it('is imported by name everywhere else, never by a path into its folder', () => {
    for (const file of [...sources('src'), ...sources('test'), ...sources('bench')]) {
      for (const specifier of importsOf(file)) {
        expect(specifier.includes('packages/') || specifier.includes('feishu-standin/src'), `${file} imports ${specifier}`).toBe(false);
      }
    }
  });
});
