// Says, at the start and again at the end of `npm test`, which tests were not run because a system
// program is missing, and how to install it. With REQUIRE_SYSTEM_PROGRAMS=1 a missing one fails.
// It also builds dist/main.js if a source changed since the last build: the tests that run the bot
// as a process run what `npm start` runs.
import { execFileSync } from 'node:child_process';
import { REPO } from './process.js';
import { missingReport, required } from './system.js';

export default function setup() {
  // vitest runs a global setup once for the root and once per project (vitest.config.ts): say it once.
  if (process.env.HELPDESK_BOT_TEST_SETUP === '1') return;
  process.env.HELPDESK_BOT_TEST_SETUP = '1';
  execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: REPO, stdio: 'inherit' });
  const missing = missingReport();
  if (missing.length === 0) return;
  if (required()) throw new Error(`REQUIRE_SYSTEM_PROGRAMS=1, but:\n${missing.join('\n')}`);
  const say = () => process.stdout.write(`\n${missing.join('\n')}\n\n`);
  say();
  return say;
}
