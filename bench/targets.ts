// The processes the bench measures: the bot as `npm start` runs it (compiled, with its node flags),
// and the bare Express baseline. Both answer GET /healthz once ready.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { credentialsFor, freePort, mainProcess, nodeProcess, startFlags, type Started } from '../test/support/process.js';

export interface Target {
  name: string;
  url: string;
  pid: number;
  proc: Started;
  /** Milliseconds from spawning the process to its first 200 from /healthz. */
  readyMs: number;
}

/**
 * Writes an app.yaml for the bot's process; without Redis its records (and its work journal) go to
 * a file of its own, starting empty, or, with `stateFile: false`, stay in memory only.
 */
export function configFile(yaml: string, { stateFile = true } = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-'));
  const file = join(dir, 'app.yaml');
  writeFileSync(file, `${yaml}\nlog: { level: warn }\nstate: { file: "${stateFile ? join(dir, 'state.json') : ''}" }\n`);
  return file;
}

/** The bot with `npm start`'s flags, or other flags (say, none), against the stand-in at `standin`. */
export async function startBotProcess(standin: string, o: { yaml?: string; flags?: string[]; name?: string; stateFile?: boolean } = {}): Promise<Target> {
  const port = await freePort();
  const env = { ...credentialsFor(standin), BOT_CONFIG: configFile(o.yaml ?? '', { stateFile: o.stateFile ?? true }), PORT: String(port) };
  const began = performance.now();
  const proc = o.flags ? nodeProcess([...o.flags, 'dist/main.js'], env) : mainProcess(env);
  return ready(o.name ?? 'bot', `http://127.0.0.1:${port}`, proc, began);
}

export async function startBare(): Promise<Target> {
  const port = await freePort();
  const began = performance.now();
  const proc = nodeProcess(['bench/bare.mjs'], { PORT: String(port) });
  return ready('bare Express', `http://127.0.0.1:${port}`, proc, began);
}

export { startFlags };

async function ready(name: string, url: string, proc: Started, began: number): Promise<Target> {
  const limit = Date.now() + 30_000;
  while (
    !(await fetch(url + '/healthz').then(
      (r) => r.ok,
      () => false,
    ))
  ) {
    if (Date.now() > limit || proc.child.exitCode !== null) {
      await proc.stop();
      throw new Error(`${name} did not become ready:\n${proc.stderr()}`);
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  return { name, url, pid: proc.child.pid!, proc, readyMs: performance.now() - began };
}
