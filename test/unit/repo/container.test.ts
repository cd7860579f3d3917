// Docker cannot run in this test environment, so the container is checked from its files: the
// Dockerfile runs the same compiled bundle with the same node flags as `npm start`, as a non-root
// user with production dependencies only, and every package the bundle imports is one of those.
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { REPO, startFlags } from '../../support/process.js';

const read = (file: string) => readFileSync(join(REPO, file), 'utf8');
const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string>; devDependencies: Record<string, string>; workspaces: string[] };
/** The workspace packages (packages/*): folder and name. */
const workspaces = readdirSync(join(REPO, 'packages')).map((folder) => ({
  folder: `packages/${folder}`,
  name: (JSON.parse(read(`packages/${folder}/package.json`)) as { name: string }).name,
}));
/** Instructions, with continuation lines joined and comments dropped. */
const instructions = read('Dockerfile')
  .replace(/\\\n\s*/g, ' ')
  .split('\n')
  .filter((l) => l.trim() !== '' && !l.startsWith('#'));
const stages = instructions.join('\n').split(/^(?=FROM )/m);
const runStage = stages.at(-1)!;
const buildStage = stages.at(-2)!;

describe('Dockerfile', () => {
  it('runs node on dist/main.js with exactly the flags of npm start', () => {
    const cmd = /^CMD (\[.*\])$/m.exec(runStage);
    expect(cmd, 'an exec-form CMD').not.toBeNull();
    expect(JSON.parse(cmd![1]!)).toEqual(['node', ...startFlags(), 'dist/main.js']);
  });

  it('builds on Node 20 and runs as a non-root user with production dependencies only', () => {
    for (const stage of stages) expect(stage).toMatch(/^FROM node:20-alpine/);
    expect(runStage).toMatch(/^USER node$/m);
    expect(runStage).toMatch(/^RUN npm ci --omit=dev /m);
    expect(runStage).toMatch(/^COPY --from=build \/app\/dist \.\/dist$/m);
    expect(runStage).toMatch(/^COPY app\.yaml \.\/$/m);
    expect(runStage).not.toMatch(/COPY src/);
  });

  it('gives the non-root user a volume for state.file (watches without Redis), where the default setting points', () => {
    const defaults = loadConfig('', {});
    if (!defaults.ok) throw new Error('defaults do not load');
    expect(defaults.config.state.file).toBe('data/helpdesk-bot-state.json');
    expect(runStage).toMatch(/^WORKDIR \/app$/m);
    expect(runStage).toMatch(/^RUN mkdir -p \/app\/data && chown node:node \/app\/data$/m);
    expect(runStage).toMatch(/^VOLUME \/app\/data$/m);
    expect(runStage.indexOf('VOLUME /app/data')).toBeLessThan(runStage.indexOf('USER node'));
  });

  it('checks health on /healthz at the configured port, and exposes the default ports', () => {
    expect(runStage).toMatch(/^HEALTHCHECK .*CMD wget -q -O \/dev\/null "http:\/\/127\.0\.0\.1:\$\{PORT:-3000\}\/healthz"/m);
    const defaults = loadConfig('', {});
    if (!defaults.ok) throw new Error('defaults do not load');
    expect(runStage).toContain(`EXPOSE ${defaults.config.server.port} ${defaults.config.metrics.port}`);
  });

  it('copies only what .dockerignore lets into the build context', () => {
    const allowed = read('.dockerignore')
      .split('\n')
      .filter((l) => l.startsWith('!'))
      .map((l) => l.slice(1).replace(/\/$/, ''));
    const copied = instructions.filter((l) => l.startsWith('COPY ') && !l.includes('--from')).flatMap((l) => l.split(' ').slice(1, -1));
    expect(copied.length).toBeGreaterThan(0);
    for (const source of copied) {
      const path = source.replace(/\/$/, '');
      expect(
        allowed.some((a) => path === a || path.startsWith(`${a}/`)),
        source,
      ).toBe(true);
    }
  });

  it('builds the workspace packages into the bundle: the build stage has them (manifests before npm ci), the run stage none of them', () => {
    expect(pkg.workspaces).toEqual(['packages/*']);
    expect(workspaces.length).toBeGreaterThan(0);
    const npmCi = buildStage.indexOf('RUN npm ci ');
    for (const { folder } of workspaces) {
      const manifest = buildStage.indexOf(`COPY ${folder}/package.json ./${folder}/`);
      expect(manifest, `${folder}/package.json copied`).toBeGreaterThan(-1);
      expect(manifest).toBeLessThan(npmCi);
    }
    expect(buildStage).toMatch(/^COPY packages \.\/packages$/m);
    expect(buildStage.indexOf('COPY packages ./packages')).toBeLessThan(buildStage.indexOf('RUN node scripts/build.mjs'));
    expect(runStage).not.toMatch(/COPY .*packages/);
  });
});

describe('the compiled bundle', () => {
  it('imports only Node built-ins and production dependencies (what npm ci --omit=dev installs), the Redis client among them', () => {
    const bundle = readdirSync(join(REPO, 'dist'))
      .filter((f) => f.endsWith('.js'))
      .map((f) => read(`dist/${f}`))
      .join('\n');
    const imported = new Set([...bundle.matchAll(/(?:from |import\()"([^"./][^"]*)"/g)].map((m) => m[1]!));
    // The SDK is required (src/feishu/sdk.ts), not imported.
    const required = [...read('src/feishu/sdk.ts').matchAll(/require\('(@[^']+)'\)/g)].map((m) => m[1]!);
    expect(required).toEqual(['@larksuiteoapi/node-sdk']);
    const packages = [...imported].filter((name) => !name.startsWith('node:') && !builtinModules.includes(name));
    expect(packages.length).toBeGreaterThan(5);
    expect(packages).toEqual(expect.arrayContaining(['bullmq', 'ioredis', 'express', 'prom-client']));
    for (const name of [...packages, ...required]) {
      const root = name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0]!;
      expect(Object.keys(pkg.dependencies), `${name} must be a production dependency`).toContain(root);
    }
  });

  it('bundles the workspace packages: it imports none of them, and they are dev dependencies, so npm ci --omit=dev neither needs packages/ nor links them', () => {
    const bundle = readdirSync(join(REPO, 'dist'))
      .filter((f) => f.endsWith('.js'))
      .map((f) => read(`dist/${f}`))
      .join('\n');
    for (const { folder, name } of workspaces) {
      expect(bundle, `${name} bundled, not imported`).not.toMatch(new RegExp(`(?:from |import\\()"${name}`));
      expect(bundle, `${name}'s sources in the bundle`).toContain(`// ${folder}/src/index.ts`);
      expect(Object.keys(pkg.dependencies)).not.toContain(name);
      expect(Object.keys(pkg.devDependencies)).toContain(name);
    }
  });

  it('runs the SDK from its compacted copy: ASCII, its MIT notice kept, and loaded by the bundle', () => {
    const copy = read('dist/vendor/node-sdk.cjs');
    expect(copy.startsWith('/* @larksuiteoapi/node-sdk ')).toBe(true);
    expect(copy).toContain('Copyright (c) 2022 Lark Technologies Pte. Ltd.');
    expect(/^[\x00-\x7f]*$/.test(copy)).toBe(true);
    const original = readFileSync(join(REPO, 'node_modules/@larksuiteoapi/node-sdk/lib/index.js'), 'utf8');
    expect(copy.length).toBeLessThan(original.length / 2);
    const loader = readdirSync(join(REPO, 'dist')).filter((f) => f.endsWith('.js') && read(`dist/${f}`).includes('./vendor/node-sdk.cjs'));
    expect(loader).toHaveLength(1);
  });
});
