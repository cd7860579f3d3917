// Says, at the start and again at the end of `npm test`, which tests were not run because a system
// program is missing, and how to install it. With REQUIRE_SYSTEM_PROGRAMS=1 a missing one fails.
import { missingReport, required } from './system.js';

export default function setup() {
  const missing = missingReport();
  if (missing.length === 0) return;
  if (required()) throw new Error(`REQUIRE_SYSTEM_PROGRAMS=1, but:\n${missing.join('\n')}`);
  const say = () => process.stdout.write(`\n${missing.join('\n')}\n\n`);
  say();
  return say;
}
