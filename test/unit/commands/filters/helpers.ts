// Shared fixtures for the filter-language tests: a fixed clock, a context with mentions, and
// independent arithmetic for expected epoch values (no luxon here, so the tests check the code).
import { expect } from 'vitest';
import type { Mention } from '../../../../src/jobs/types.js';
import { parseTicketQuery } from '../../../../src/commands/filters/index.js';
import type { FilterContext, FilterError, Known, TicketQuery } from '../../../../src/commands/filters/index.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** Epoch ms of a wall-clock time in Asia/Shanghai (always UTC+08:00, no DST). */
export function sh(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  return Date.UTC(y, mo - 1, d, h, mi, s, ms) - 8 * HOUR;
}

/** Friday 2026-11-20 15:30:00 in Shanghai. */
export const NOW = sh(2026, 11, 20, 15, 30);

export const ASKER = 'ou_asker';

export const MENTIONS: Mention[] = [
  { key: '@_user_2', openId: 'ou_b', name: 'Li Lei' },
  { key: '@_user_3', openId: 'ou_c', name: 'Han Meimei' },
  { key: '@_user_4', openId: 'ou_d', name: '张三' },
  { key: '@_user_5', openId: 'ou_e' },
  { key: '@_user_6', name: 'No Id' },
];

/** A helpdesk's tags and agents, as the directory would know them. */
export const KNOWN: Known = {
  tags: ['VIP', '报销', 'Urgent', 'Network', 'Open Source'],
  people: [
    { id: 'ou_wanglei', name: '王磊' },
    { id: 'ou_wangfang', name: '王芳' },
    { id: 'ou_emily', name: 'Emily Zhang' },
    { id: 'ou_emma', name: 'Emma Stone' },
    { id: 'ou_david', name: 'David Chen' },
    { id: 'ou_david2', name: 'David Chen' },
  ],
};

export function ctx(overrides: Partial<FilterContext> = {}): FilterContext {
  return { now: NOW, timezone: 'Asia/Shanghai', askerOpenId: ASKER, mentions: MENTIONS, ...overrides };
}

export function parseOk(text: string, context: FilterContext = ctx()): TicketQuery {
  const result = parseTicketQuery(text, context);
  if (!result.ok) expect.fail(`expected "${text}" to parse, got ${JSON.stringify(result.error)}`);
  return result.query;
}

export function parseErr(text: string, context: FilterContext = ctx()): FilterError {
  const result = parseTicketQuery(text, context);
  if (result.ok) expect.fail(`expected "${text}" to fail, got ${JSON.stringify(result.query)}`);
  return result.error;
}
