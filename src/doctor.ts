// npm run doctor [-- --json]: checks the configuration `npm start` would use against the live
// platform, one line per check. Exits 0 when nothing failed, 1 otherwise.
import { runDoctor, type Check } from './doctor/checks.js';

const MARK: Record<Check['status'], string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', skip: 'SKIP' };

async function main() {
  const json = process.argv.includes('--json');
  const unknown = process.argv.slice(2).filter((a) => a !== '--json');
  if (unknown.length > 0) {
    process.stderr.write(`npm run doctor: unknown argument ${unknown.join(' ')}. Usage: npm run doctor [-- --json]\n`);
    process.exit(1);
  }
  const report = await runDoctor(process.env);
  if (json) {
    process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  } else {
    const width = Math.max(...report.checks.map((c) => c.name.length));
    for (const c of report.checks) {
      process.stdout.write(`${MARK[c.status]}  ${c.name.padEnd(width)}  ${c.detail}${c.fix && c.status !== 'pass' ? `. Fix: ${c.fix}` : ''}\n`);
    }
    const failed = report.checks.filter((c) => c.status === 'fail').length;
    const warned = report.checks.filter((c) => c.status === 'warn').length;
    process.stdout.write(report.ok ? `\nReady: nothing failed${warned ? ` (${warned} warning${warned > 1 ? 's' : ''})` : ''}.\n` : `\nNot ready: ${failed} check${failed > 1 ? 's' : ''} failed.\n`);
  }
  process.exit(report.ok ? 0 : 1);
}

void main();
