// The upstream:, cache: and server.shutdown_timeout_ms settings: defaults, app.yaml, validation.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';

const load = (yaml: string) => loadConfig(yaml, {});

describe('upstream and cache settings', () => {
  it('default to the documented limits, an 8 s budget and 30 s caches', () => {
    const result = load('');
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config.upstream).toEqual({
      timeout_ms: 5000,
      command_budget_ms: 8000,
      reply_reserve_ms: 2000,
      reply_wait_ms: 60_000,
      min_attempt_ms: 300,
      retry: { max_attempts: 4, base_delay_ms: 200, max_delay_ms: 2000 },
      limits: {
        ticket_get_per_second: 10,
        ticket_list_per_second: 5,
        ticket_messages_per_second: 10,
        messages_per_second: 50,
        messages_per_chat_per_second: 5,
        window_margin_ms: 100,
        max_queue: 100,
        max_wait_ms: 5000,
        messages_max_queue: 1000,
      },
    });
    expect(result.config.cache).toEqual({ ticket_ttl_ms: 30_000, ticket_max_entries: 5000, list_ttl_ms: 30_000, list_max_entries: 1000, question_max_entries: 10_000 });
    expect(result.config.server.shutdown_timeout_ms).toBe(15_000);
  });

  it('refuses a reply wait shorter than the command budget', () => {
    const result = load('upstream: { command_budget_ms: 8000, reply_wait_ms: 5000 }');
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).toContain('upstream.reply_wait_ms');
  });

  it('app.yaml states exactly the defaults', () => {
    const fromFile = load(readFileSync('app.yaml', 'utf8'));
    const defaults = load('');
    if (!fromFile.ok || !defaults.ok) throw new Error('app.yaml or the defaults do not load');
    expect(fromFile.config.upstream).toEqual(defaults.config.upstream);
    expect(fromFile.config.cache).toEqual(defaults.config.cache);
    expect(fromFile.config.server.shutdown_timeout_ms).toBe(defaults.config.server.shutdown_timeout_ms);
  });

  it('reads nested settings', () => {
    const result = load('upstream: { retry: { max_attempts: 2 }, limits: { ticket_get_per_second: 3 } }\ncache: { list_ttl_ms: 500 }');
    if (!result.ok) throw new Error(result.problems.join('\n'));
    expect(result.config.upstream.retry.max_attempts).toBe(2);
    expect(result.config.upstream.limits.ticket_get_per_second).toBe(3);
    expect(result.config.cache.list_ttl_ms).toBe(500);
  });

  it('names every bad setting at once', () => {
    const result = load(
      'upstream: { command_budget_ms: 2000, reply_reserve_ms: 1900, retry: { base_delay_ms: 500, max_delay_ms: 100 }, limits: { ticket_get_per_second: 0, burst: 3 } }\ncache: { ticket_ttl_ms: 0 }',
    );
    expect(result.ok).toBe(false);
    const problems = result.ok ? '' : result.problems.join('\n');
    expect(problems).toContain('upstream.limits.ticket_get_per_second');
    expect(problems).toContain('upstream.limits.burst');
    expect(problems).toContain('cache.ticket_ttl_ms');
  });

  it('refuses a budget that leaves no time for a lookup, and a max delay below the base', () => {
    const result = load('upstream: { command_budget_ms: 2000, reply_reserve_ms: 1800, retry: { base_delay_ms: 500, max_delay_ms: 100 } }');
    expect(result.ok).toBe(false);
    const problems = result.ok ? '' : result.problems.join('\n');
    expect(problems).toContain('upstream.command_budget_ms');
    expect(problems).toContain('upstream.retry.max_delay_ms');
  });
});
