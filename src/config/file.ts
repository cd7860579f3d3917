// Reads the settings the way every entry point does (npm start, npm run doctor): the file named by
// BOT_CONFIG (default ./app.yaml), overridden by the environment.
import { readFileSync } from 'node:fs';
import { loadConfig } from './load.js';
import type { Config } from './schema.js';

export type Loaded = { ok: true; config: Config; yamlText: string; file: string } | { ok: false; problems: string[]; file: string };

export function loadConfigFile(env: Record<string, string | undefined>): Loaded {
  const file = env.BOT_CONFIG || './app.yaml';
  let yamlText = '';
  try {
    yamlText = readFileSync(file, 'utf8');
  } catch (e) {
    // Without BOT_CONFIG a missing app.yaml means "all defaults"; a named file must exist.
    if (env.BOT_CONFIG) return { ok: false, file, problems: [`BOT_CONFIG points at ${file}, which cannot be read: ${(e as NodeJS.ErrnoException).code ?? e}`] };
  }
  const result = loadConfig(yamlText, env, file);
  return result.ok ? { ok: true, config: result.config, yamlText, file } : { ok: false, problems: result.problems, file };
}
