// Reading the settings: app.yaml with environment overrides, defaults, every problem named at once
// with the setting (and variable) that fixes it, and no secret echoed back.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';

const creds = {
  FEISHU_APP_ID: 'cli_0123456789abcdef',
  FEISHU_APP_SECRET: 'secret',
  FEISHU_VERIFICATION_TOKEN: 'vt',
  FEISHU_ENCRYPT_KEY: 'ek',
  FEISHU_HELPDESK_ID: '123',
  FEISHU_HELPDESK_TOKEN: 'ht',
};

describe('loadConfig', () => {
  it('runs in sandbox mode with no credentials, on the shipped app.yaml', () => {
    const result = loadConfig(readFileSync('app.yaml', 'utf8'), {});
    expect(result).toMatchObject({ ok: true, config: { mode: 'sandbox', server: { port: 3000, body_limit_bytes: 524288 }, display: { timezone: 'Asia/Shanghai' } } });
  });

  it('keeps watches in state.file by default; an empty one keeps them in memory only', () => {
    const shipped = loadConfig(readFileSync('app.yaml', 'utf8'), creds);
    expect(shipped).toMatchObject({ ok: true, config: { state: { file: 'data/helpdesk-bot-state.json' }, watch: { max_per_chat: 20, digest_after: 3, board_refresh_seconds: 5 }, access: { watch: [] } } });
    const none = loadConfig('state: { file: "" }', creds);
    expect(none.ok && none.config.state.file).toBe('');
    const moved = loadConfig(readFileSync('app.yaml', 'utf8'), { ...creds, STATE_FILE: '/var/lib/helpdesk-bot/state.json' });
    expect(moved.ok && moved.config.state.file).toBe('/var/lib/helpdesk-bot/state.json');
  });

  it('names a bad access.watch entry or watch setting', () => {
    const result = loadConfig('access: { watch: [alice] }\nwatch: { max_per_chat: 0, digest_after: 50, board_refresh_seconds: -1, per_user: 3 }', creds);
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems).toContain('access.watch.0: must be an open_id such as ou_3a1b…');
    expect(problems.some((p) => p.startsWith('watch.max_per_chat:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('watch.digest_after:'))).toBe(true);
    expect(problems.some((p) => p.startsWith('watch.board_refresh_seconds:'))).toBe(true);
    expect(problems.some((p) => p.includes('unknown setting watch.per_user'))).toBe(true);
  });

  it('takes every documented environment variable', () => {
    const result = loadConfig('', { ...creds, FEISHU_DOMAIN: 'http://127.0.0.1:9999/', PORT: '8080', REDIS_URL: 'redis://:pw@redis.internal:6380/2', METRICS_PORT: '9100' });
    expect(result).toMatchObject({
      ok: true,
      config: {
        mode: 'production',
        feishu: { app_id: 'cli_0123456789abcdef', app_secret: 'secret', verification_token: 'vt', encrypt_key: 'ek', domain: 'http://127.0.0.1:9999' },
        helpdesk: { id: '123', token: 'ht' },
        server: { port: 8080 },
        state: { redis_url: 'redis://:pw@redis.internal:6380/2', startup_wait_ms: 30_000 },
        metrics: { enabled: true, port: 9100, host: '' },
      },
    });
  });

  it('takes the sign-in variables, and derives the accounts host from the domain', () => {
    const key = 'k'.repeat(32);
    const feishu = loadConfig('access: { agents: [ou_agent1] }', { ...creds, BOT_PUBLIC_URL: 'https://bot.example.com/', USER_TOKEN_KEY: key });
    expect(feishu).toMatchObject({
      ok: true,
      config: { server: { public_url: 'https://bot.example.com' }, sign_in: { token_key: key }, feishu: { oauth_url: 'https://accounts.feishu.cn' }, access: { agents: ['ou_agent1'] } },
    });
    expect(loadConfig('', { ...creds, FEISHU_DOMAIN: 'lark' })).toMatchObject({ ok: true, config: { feishu: { oauth_url: 'https://accounts.larksuite.com' } } });
    // A platform at a URL serves sign-in itself, unless FEISHU_OAUTH_URL says otherwise.
    expect(loadConfig('', { ...creds, FEISHU_DOMAIN: 'http://127.0.0.1:9999/' })).toMatchObject({ ok: true, config: { feishu: { oauth_url: 'http://127.0.0.1:9999' } } });
    expect(loadConfig('', { ...creds, FEISHU_OAUTH_URL: 'https://accounts.example.com/' })).toMatchObject({ ok: true, config: { feishu: { oauth_url: 'https://accounts.example.com' } } });
    // Off by default: no key, no public URL, no agents.
    expect(loadConfig('', creds)).toMatchObject({ ok: true, config: { server: { public_url: '' }, sign_in: { token_key: '' }, access: { agents: [] } } });
  });

  it('names a short token key, a bad public or accounts URL and a bad agent, never echoing the key', () => {
    const result = loadConfig('access: { agents: [chen] }', { ...creds, USER_TOKEN_KEY: 'short-secret-key', BOT_PUBLIC_URL: 'bot.example.com', FEISHU_OAUTH_URL: 'ftp://accounts' });
    const problems = result.ok ? [] : result.problems;
    expect(problems).toContain('sign_in.token_key (or USER_TOKEN_KEY): is 16 characters long; use at least 32 (for example: openssl rand -base64 32)');
    expect(problems.some((p) => p.startsWith('server.public_url (or BOT_PUBLIC_URL): "bot.example.com" is not an http(s) URL'))).toBe(true);
    expect(problems.some((p) => p.startsWith('feishu.oauth_url (or FEISHU_OAUTH_URL): "ftp://accounts" is not an http(s) URL'))).toBe(true);
    expect(problems).toContain('access.agents.0: must be an open_id such as ou_3a1b…');
    expect(problems.join('\n')).not.toContain('short-secret-key');
  });

  it('serves metrics on port 9464 by default, and refuses the public port for them', () => {
    expect(loadConfig('', {})).toMatchObject({ ok: true, config: { metrics: { enabled: true, port: 9464, host: '' } } });
    const same = loadConfig('server: { port: 8080 }\nmetrics: { port: 8080 }\n', {});
    expect((same as { problems: string[] }).problems).toEqual(['metrics.port (or METRICS_PORT) (8080) must differ from server.port (or PORT): metrics are served on a port of their own']);
    expect(loadConfig('server: { port: 8080 }\nmetrics: { port: 8080, enabled: false }\n', {})).toMatchObject({ ok: true });
    expect(loadConfig('metrics: { port: 0 }\nserver: { port: 0 }\n', {})).toMatchObject({ ok: true });
  });

  it('closes slow and idle connections within seconds by default, and wants the body after the headers', () => {
    expect(loadConfig('', {})).toMatchObject({ ok: true, config: { server: { headers_timeout_ms: 10_000, request_timeout_ms: 30_000, keep_alive_timeout_ms: 5000, max_connections: 1000 } } });
    const backwards = loadConfig('server: { headers_timeout_ms: 20000, request_timeout_ms: 20000 }\n', {});
    expect((backwards as { problems: string[] }).problems).toEqual(['server.request_timeout_ms (20000) must be longer than server.headers_timeout_ms (20000): the body comes after the headers']);
  });

  it('keeps all state in process without a Redis URL', () => {
    const result = loadConfig(readFileSync('app.yaml', 'utf8'), { ...creds, REDIS_URL: '' });
    expect(result.ok && result.config.state).toEqual({ redis_url: '', startup_wait_ms: 30_000, file: 'data/helpdesk-bot-state.json' });
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
    expect(result).toMatchObject({ ok: true, config: { feishu: { app_id: 'cli_0123456789abcdef', domain: 'https://open.larksuite.com' } } });
  });

  it('lists every problem at once, naming the setting and its variable', () => {
    const result = loadConfig('server:\n  port: 99999\n  colour: red\ndisplay:\n  timezone: Mars/Olympus\n', { FEISHU_APP_ID: 'cli_0123456789abcdef', FEISHU_DOMAIN: 'ftp://x' });
    expect(result.ok).toBe(false);
    const problems = (result as { problems: string[] }).problems.join('\n');
    expect(problems).toContain('server.colour');
    expect(problems).toContain('server.port (or PORT)');
    // Cross-field problems are reported after the shape is valid; fix the shape first.
    const second = loadConfig('display:\n  timezone: Mars/Olympus\n', { FEISHU_APP_ID: 'cli_0123456789abcdef', FEISHU_DOMAIN: 'ftp://x' });
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

  it('takes the long connection without an encrypt key or verification token', () => {
    const { FEISHU_VERIFICATION_TOKEN: _t, FEISHU_ENCRYPT_KEY: _k, ...rest } = creds;
    const result = loadConfig('', { ...rest, FEISHU_CONNECTION: 'long-connection' });
    expect(result).toMatchObject({ ok: true, config: { feishu: { connection: 'long-connection', encrypt_key: '', verification_token: '', long_connection: { ping_timeout_seconds: 30 } } } });
    const webhook = loadConfig('', rest);
    expect(webhook.ok).toBe(false);
    const problems = (webhook as { problems: string[] }).problems;
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toContain('FEISHU_ENCRYPT_KEY) is not set: a real Feishu app needs it in webhook mode (feishu.connection: long-connection does without it)');
  });

  it('defaults to the webhook and names FEISHU_CONNECTION when its value is wrong', () => {
    expect(loadConfig('', creds)).toMatchObject({ ok: true, config: { feishu: { connection: 'webhook' } } });
    const result = loadConfig('', { ...creds, FEISHU_CONNECTION: 'websocket' });
    expect((result as { problems: string[] }).problems).toEqual(['feishu.connection (or FEISHU_CONNECTION): must be webhook or long-connection']);
  });

  it('refuses an app id of the wrong shape, in both modes', () => {
    for (const connection of ['webhook', 'long-connection']) {
      for (const id of ['cli_a', 'cli_0123456789abcdeg', 'app_0123456789abcdef', 'cli_0123456789abcdef0']) {
        const result = loadConfig('', { ...creds, FEISHU_APP_ID: id, FEISHU_CONNECTION: connection });
        expect((result as { problems: string[] }).problems).toEqual([
          `feishu.app_id (or FEISHU_APP_ID): "${id}" is not an app id: it is cli_ followed by 16 hex digits (Credentials & Basic Info in the developer console)`,
        ]);
      }
    }
    expect(loadConfig('', { ...creds, FEISHU_APP_ID: 'cli_A1B2C3D4E5F60718' }).ok).toBe(true);
  });

  it('maps menu keys to commands, and refuses a command the bot does not know', () => {
    expect(loadConfig('', creds)).toMatchObject({ ok: true, config: { menu: { help: '/help', my_open: '/tickets mine open' } } });
    expect(loadConfig('menu:\n  today: /tickets open today\n', creds)).toMatchObject({ ok: true, config: { menu: { today: '/tickets open today' } } });
    const bad = loadConfig('menu:\n  oops: /tikets open\n  "has space": /help\n', creds);
    const text = (bad as { problems: string[] }).problems.join('\n');
    expect(text).toContain('menu.has space');
    const unknown = loadConfig('menu:\n  oops: /tikets open\n', creds);
    expect((unknown as { problems: string[] }).problems).toEqual(['menu.oops: "/tikets open" is not a command the bot knows; use one such as /help, /tickets mine open or /ticket <id>']);
  });

  it('refuses the sandbox under NODE_ENV=production unless SANDBOX=1, naming the settings a real app needs', () => {
    const refused = loadConfig('', { NODE_ENV: 'production' });
    expect(refused.ok).toBe(false);
    const problems = (refused as { problems: string[] }).problems;
    expect(problems).toContain('feishu.app_id (or FEISHU_APP_ID) is not set: NODE_ENV is production, where the bot does not fall back to the sandbox');
    expect(problems.filter((p) => p.includes('is not set'))).toHaveLength(6);
    expect(problems.at(-1)).toContain('SANDBOX=1');
    const overLongConnection = loadConfig('feishu: { connection: long-connection }', { NODE_ENV: 'production' });
    expect((overLongConnection as { problems: string[] }).problems.filter((p) => p.includes('is not set'))).toHaveLength(4);
    expect(loadConfig('', { NODE_ENV: 'production', SANDBOX: '1' })).toMatchObject({ ok: true, config: { mode: 'sandbox' } });
    expect(loadConfig('', { NODE_ENV: 'development' })).toMatchObject({ ok: true, config: { mode: 'sandbox' } });
  });
});
