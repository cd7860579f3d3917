// Configuration: app.yaml, overridden by environment variables, validated once at start-up by the
// one schema (schema.ts). loadConfig never throws and never reads the process environment itself:
// main.ts passes both in, so every rule is testable. All problems are reported at once, each naming
// the setting to fix. With no credentials the bot runs the sandbox, except under NODE_ENV=production
// (unless SANDBOX=1).
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { configSchema, ENV_OVERRIDES, isWhole, settingName, type Config } from './schema.js';

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

export function loadConfig(yamlText: string, env: Record<string, string | undefined>, file = 'app.yaml'): ConfigResult {
  let doc: unknown;
  try {
    doc = yamlText.trim() === '' ? {} : parseYaml(yamlText);
  } catch (e) {
    return { ok: false, problems: [`${file} is not valid YAML: ${(e as Error).message.split('\n')[0]}`] };
  }
  if (doc === null || doc === undefined) doc = {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    return { ok: false, problems: [`${file} must be a mapping of sections (feishu:, helpdesk:, server:, ...)`] };
  }

  const merged = applyEnv(structuredClone(doc) as Record<string, unknown>, env);
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((i) => describeIssue(i, file)) };
  }
  const config = parsed.data;
  if (config.mode === 'sandbox' && env.NODE_ENV === 'production' && env.SANDBOX !== '1') return { ok: false, problems: productionWithoutCredentials(config) };
  return { ok: true, config };
}

/**
 * A production process with no credentials is a failed secret mount, not a wish for the demo: it
 * stops, naming what to set, instead of serving the sandbox's console to whoever finds it.
 */
function productionWithoutCredentials(config: Config): string[] {
  const needed = ['feishu.app_id', 'feishu.app_secret', ...(config.feishu.connection === 'webhook' ? ['feishu.verification_token', 'feishu.encrypt_key'] : []), 'helpdesk.id', 'helpdesk.token'];
  return [
    ...needed.map((path) => `${settingName(path)} is not set: NODE_ENV is production, where the bot does not fall back to the sandbox`),
    'SANDBOX=1 runs the sandbox (the demo helpdesk and its public console) under NODE_ENV=production on purpose',
  ];
}

function applyEnv(doc: Record<string, unknown>, env: Record<string, string | undefined>) {
  for (const [name, path] of Object.entries(ENV_OVERRIDES)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const [section, key] = path.split('.') as [string, string];
    const target = doc[section];
    const obj = target && typeof target === 'object' && !Array.isArray(target) ? (target as Record<string, unknown>) : {};
    obj[key] = value;
    doc[section] = obj;
  }
  return doc;
}

function describeIssue(issue: z.core.$ZodIssue, file: string): string {
  const path = issue.path.join('.');
  if (issue.code === 'unrecognized_keys') {
    const where = path ? `${path}.` : '';
    return `${file}: unknown setting ${issue.keys.map((k) => `${where}${k}`).join(', ')} (check the spelling against the commented app.yaml)`;
  }
  return isWhole(issue) ? issue.message : `${settingName(path)}: ${issue.message}`;
}
