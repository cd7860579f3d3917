// Runs the bot (or another npm script) as a real child process (its own process group, so stopping
// it ends npm and node together), with the credentials taken out of the environment unless a test
// gives its own. Used by the tests that run processes (*.process.test.ts, the sandbox, metrics,
// shutdown and doctor tests) and by the benchmark.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
export { credentialsFor } from './secrets.js';

export const REPO = fileURLToPath(new URL('../..', import.meta.url));

const CREDENTIALS = /^(FEISHU_|BOT_CONFIG$|PORT$|METRICS_PORT$|STATE_FILE$|REDIS_URL$)/;

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Started {
  child: ChildProcess;
  /** stdout lines so far (npm's own, then the bot's JSON log lines). */
  lines: string[];
  /** The bot's log lines so far, parsed. */
  logs(): Record<string, unknown>[];
  stderr: () => string;
  /** The exit code once the process has ended (null if a signal ended it). */
  exited: Promise<number | null>;
  /** Waits for a stdout line matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

/** `npm start`, exactly as a person runs it. */
export function npmStart(env: Record<string, string>): Started {
  return start('npm', ['start'], env);
}

/** Another npm script that keeps running (`npm run standin`). */
export function npmScript(name: string, env: Record<string, string>): Started {
  return start('npm', ['run', name], env);
}

/**
 * The compiled bot (dist/main.js, built by the test run's global setup or the bench) with the node
 * flags `npm start` gives it, without npm in between, so a signal reaches the bot itself.
 */
export function mainProcess(env: Record<string, string>): Started {
  return start(process.execPath, [...startFlags(), 'dist/main.js'], env);
}

/** Any node script of the repository as a process (the bench's bare Express baseline). */
export function nodeProcess(args: string[], env: Record<string, string>): Started {
  return start(process.execPath, args, env);
}

/** The node flags of package.json's start script (`exec node FLAGS dist/main.js`). */
export function startFlags(): string[] {
  const script = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts['start']!;
  const flags = /exec node (.*?) ?dist\/main\.js/.exec(script);
  if (!flags) throw new Error(`package.json's start script does not exec node … dist/main.js: ${script}`);
  return flags[1]!.split(' ').filter(Boolean);
}

/** An npm command run to its end (`npm run doctor`), with only the credentials given. */
export async function npmRun(args: string[], env: Record<string, string>, timeoutMs = 60_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn('npm', ['--silent', ...args], { cwd: REPO, env: { ...cleanEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

const cleanEnv = () => Object.fromEntries(Object.entries(process.env).filter(([k, v]) => v !== undefined && !CREDENTIALS.test(k))) as Record<string, string>;

function start(command: string, args: string[], env: Record<string, string>): Started {
  const clean = cleanEnv();
  // Metrics on any free port unless a test names one: bots started side by side must not collide
  // on the default 9464 (the "started" log line says where they are). Likewise the state file:
  // each process its own, unless a test names one (or a config file that does), so processes
  // started side by side, or by an earlier run, never share watches or live cards through the
  // repository's data/ directory.
  const stateDir = env.BOT_CONFIG || env.STATE_FILE !== undefined ? undefined : mkdtempSync(join(tmpdir(), 'bot-state-'));
  const stateFile = stateDir ? { STATE_FILE: join(stateDir, 'state.json') } : {};
  const child = spawn(command, args, { cwd: REPO, env: { ...clean, METRICS_PORT: '0', ...stateFile, ...env }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  // The process's own state file goes with it.
  if (stateDir) child.once('exit', () => rmSync(stateDir, { recursive: true, force: true }));
  const lines: string[] = [];
  let err = '';
  let partial = '';
  const waiters: (() => void)[] = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    lines.push(...parts.filter((l) => l.trim() !== ''));
    waiters.forEach((w) => w());
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  return {
    child,
    lines,
    logs: () => lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>),
    stderr: () => err,
    exited,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const line = lines.find((l) => pattern.test(l));
          if (line !== undefined) {
            clearTimeout(timer);
            resolve(line);
          }
        };
        const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; stdout:\n${lines.join('\n')}\nstderr:\n${err}`)), timeoutMs);
        waiters.push(check);
        void exited.then(() => setTimeout(() => reject(new Error(`${[command, ...args].join(' ')} exited; stdout:\n${lines.join('\n')}\nstderr:\n${err}`)), 50));
        check();
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        return;
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }, 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
