// docker-compose.yml and deploy/nginx.conf cannot be run here (no Docker): they are parsed and
// checked against what the bot needs, so they stay true as the bot changes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../../src/config/load.js';
import { ENV_OVERRIDES } from '../../../src/config/schema.js';

type Service = { build?: unknown; image?: string; environment?: Record<string, string>; command?: string[]; volumes?: string[]; ports?: string[]; depends_on?: Record<string, unknown> };
const compose = parse(readFileSync('docker-compose.yml', 'utf8'), { merge: true }) as { services: Record<string, Service> };
const nginx = readFileSync('deploy/nginx.conf', 'utf8');
const bots = Object.entries(compose.services).filter(([, s]) => s.build !== undefined);

describe('docker-compose.yml', () => {
  it('runs two bot instances built from this repository, on one Redis, behind a load balancer', () => {
    expect(bots.map(([name]) => name)).toEqual(['bot-1', 'bot-2']);
    for (const [, bot] of bots) {
      expect(bot.build).toBe('.');
      expect(bot.environment?.REDIS_URL).toBe('redis://redis:6379/0');
      expect(bot.depends_on).toHaveProperty('redis');
    }
    expect(compose.services.redis?.image).toMatch(/^redis:/);
    expect(compose.services.lb?.image).toMatch(/^nginx:/);
    expect(compose.services.lb?.volumes).toContain('./deploy/nginx.conf:/etc/nginx/conf.d/default.conf:ro');
  });

  it('keeps accepted commands through a Redis restart and never lets Redis evict them', () => {
    const command = compose.services.redis!.command!.join(' ');
    expect(command).toContain('--appendonly yes');
    expect(command).toContain('--maxmemory-policy noeviction');
  });

  it('gives the bots only documented variables, which make a valid production configuration', () => {
    const env = bots[0]![1].environment!;
    for (const name of Object.keys(env)) expect(Object.keys(ENV_OVERRIDES)).toContain(name);
    // As compose would fill them in from the operator's environment.
    const filled = Object.fromEntries(
      Object.entries(env).map(([k, v]) => [
        k,
        v.replace(/\$\{(\w+):[?-]([^}]*)\}/, (_, name: string, rest: string) => (name === 'FEISHU_DOMAIN' ? rest : name === 'FEISHU_APP_ID' ? 'cli_0123456789abcdef' : `x-${name}`)),
      ]),
    );
    const result = loadConfig(readFileSync('app.yaml', 'utf8'), filled);
    expect(result).toMatchObject({ ok: true, config: { mode: 'production', server: { port: 3000 }, state: { redis_url: 'redis://redis:6379/0' } } });
  });
});

describe('deploy/nginx.conf', () => {
  it('sends to every bot instance on its port, and passes a refused delivery to the next one', () => {
    for (const [name, bot] of bots) expect(nginx).toContain(`server ${name}:${bot.environment!.PORT}`);
    expect(nginx).toMatch(/proxy_next_upstream [^;]*http_503[^;]*non_idempotent;/);
    expect(nginx).toContain('proxy_pass http://helpdesk_bot;');
  });

  it('states the bot body limit as app.yaml sets it, and lets bigger bodies through for the bot to refuse', () => {
    const loaded = loadConfig(readFileSync('app.yaml', 'utf8'), {});
    if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
    const limit = loaded.config.server.body_limit_bytes;
    const stated = /server\.body_limit_bytes, (\d+) KiB/.exec(nginx);
    expect(Number(stated?.[1]) * 1024).toBe(limit);
    const proxied = /client_max_body_size (\d+)([km]);/.exec(nginx);
    expect(Number(proxied?.[1]) * (proxied?.[2] === 'm' ? 1024 * 1024 : 1024)).toBeGreaterThan(limit);
  });
});
