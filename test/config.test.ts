import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

const creds = {
  FEISHU_APP_ID: 'cli_a',
  FEISHU_APP_SECRET: 'secret',
  FEISHU_VERIFICATION_TOKEN: 'vt',
  FEISHU_ENCRYPT_KEY: 'ek',
  FEISHU_HELPDESK_ID: '123',
  FEISHU_HELPDESK_TOKEN: 'ht',
};

describe('loadConfig', () => {
  it('runs in sandbox mode with no credentials, on the shipped app.yaml', () => {
    const result = loadConfig(readFileSync('app.yaml', 'utf8'), {});
    expect(result).toMatchObject({ ok: true, config: { mode: 'sandbox', server: { port: 3000, bodyLimitBytes: 524288 }, display: { timezone: 'Asia/Shanghai' } } });
  });

  it('takes every documented environment variable', () => {
    const result = loadConfig('', { ...creds, FEISHU_DOMAIN: 'http://127.0.0.1:9999/', PORT: '8080', REDIS_URL: 'redis://:pw@redis.internal:6380/2' });
    expect(result).toMatchObject({
      ok: true,
      config: {
        mode: 'production',
        feishu: { appId: 'cli_a', appSecret: 'secret', verificationToken: 'vt', encryptKey: 'ek', domain: 'http://127.0.0.1:9999' },
        helpdesk: { id: '123', token: 'ht' },
        server: { port: 8080 },
        state: { redisUrl: 'redis://:pw@redis.internal:6380/2', startupWaitMs: 30_000 },
      },
    });
  });

  it('keeps all state in process without a Redis URL', () => {
    const result = loadConfig(readFileSync('app.yaml', 'utf8'), { ...creds, REDIS_URL: '' });
    expect(result.ok && result.config.state).toEqual({ startupWaitMs: 30_000 });
  });

  it.each([
    ['localhost:6379', 'not a URL'],
    ['http://localhost:6379', 'the scheme must be redis:// or rediss://, not http://'],
    ['redis://:secret-pw@localhost:6379/cache', 'the path must be a database number'],
    ['redis://:secret-pw@localhost:99999', 'not a URL'],
  ])('refuses the Redis URL %s, naming the setting and never the password', (url, why) => {
    for (const result of [loadConfig('', { ...creds, REDIS_URL: url }), loadConfig(`state:\n  redis_url: "${url}"\n`, creds)]) {
      expect(result.ok).toBe(false);
      const problems = result.ok ? [] : result.problems;
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^state\.redis_url \(or REDIS_URL\): /);
      expect(problems[0]).toContain(why);
      expect(problems[0]).toContain('redis://[:password@]host:6379');
      expect(problems[0]).not.toContain('secret-pw');
    }
  });

  it('lets the environment override app.yaml', () => {
    const result = loadConfig('feishu:\n  app_id: from_yaml\n  domain: lark\n', { ...creds });
    expect(result).toMatchObject({ ok: true, config: { feishu: { appId: 'cli_a', domain: 'https://open.larksuite.com' } } });
  });

  it('lists every problem at once, naming the setting and its variable', () => {
    const result = loadConfig('server:\n  port: 99999\n  colour: red\ndisplay:\n  timezone: Mars/Olympus\n', { FEISHU_APP_ID: 'cli_a', FEISHU_DOMAIN: 'ftp://x' });
    expect(result.ok).toBe(false);
    const problems = (result as { problems: string[] }).problems.join('\n');
    expect(problems).toContain('server.colour');
    expect(problems).toContain('server.port (or PORT)');
    // Cross-field problems are reported after the shape is valid; fix the shape first.
    const second = loadConfig('display:\n  timezone: Mars/Olympus\n', { FEISHU_APP_ID: 'cli_a', FEISHU_DOMAIN: 'ftp://x' });
    const text = (second as { problems: string[] }).problems.join('\n');
    for (const s of ['feishu.app_secret (or FEISHU_APP_SECRET)', 'FEISHU_ENCRYPT_KEY', 'FEISHU_VERIFICATION_TOKEN', 'FEISHU_HELPDESK_ID', 'FEISHU_HELPDESK_TOKEN', 'FEISHU_DOMAIN', 'display.timezone']) {
      expect(text).toContain(s);
    }
  });

  it('reports YAML syntax errors and non-mapping documents', () => {
    expect(loadConfig('feishu: [', {})).toMatchObject({ ok: false });
    expect(loadConfig('- a\n- b', {})).toMatchObject({ ok: false });
  });

  it('never puts a secret value into a problem message', () => {
    const result = loadConfig('server:\n  port: nope\n', { ...creds, FEISHU_APP_SECRET: 'super-secret-value' });
    expect(JSON.stringify(result)).not.toContain('super-secret-value');
  });
});
