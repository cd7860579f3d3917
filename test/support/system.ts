// System programs some tests need (Debian packages, never downloaded by npm). On a machine without
// one, its tests are skipped and the run says so, with the one command that installs it; with
// REQUIRE_SYSTEM_PROGRAMS=1 (set by .ci/run) a missing program fails the run instead, so CI
// always runs everything.
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface SystemProgram {
  /** What the tests call it in messages. */
  name: string;
  /** Where to look: an absolute path, or a command name searched on PATH. */
  command: string;
  /** The one command that installs it. */
  install: string;
  /** Which tests need it. */
  neededBy: string;
}

export const PROGRAMS = {
  chromium: {
    name: 'Chromium',
    command: '/usr/bin/chromium',
    install: 'apt-get install -y chromium',
    neededBy: 'the console tests in a real browser (test/e2e/*.browser.test.ts)',
  },
  redis: {
    name: 'redis-server',
    command: 'redis-server',
    install: 'apt-get install -y redis-server',
    neededBy: "the shared-state tests against a real Redis (test/integration/state/, the digest's and the actions' two instances, test/e2e/*.alone.test.ts) and the bench's instances on Redis",
  },
} satisfies Record<string, SystemProgram>;

export type ProgramKey = keyof typeof PROGRAMS;

/** The program's full path, or undefined if it is not installed. */
export function locate(program: SystemProgram): string | undefined {
  const candidates = program.command.includes('/')
    ? [program.command]
    : (process.env.PATH ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, program.command));
  return candidates.find((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export const required = () => process.env.REQUIRE_SYSTEM_PROGRAMS === '1';

/**
 * For a test file: the program's path if present. If it is missing, undefined (use it with
 * describe.skipIf), or, when programs are required, an error that says how to install it.
 */
export function systemProgram(key: ProgramKey): string | undefined {
  const program = PROGRAMS[key];
  const path = locate(program);
  if (!path && required()) {
    throw new Error(`${program.name} is required (REQUIRE_SYSTEM_PROGRAMS=1) but not installed. Install it: ${program.install}`);
  }
  return path;
}

/** One line per missing program, for the start and the end of a run. */
export function missingReport(): string[] {
  return Object.values(PROGRAMS)
    .filter((program) => !locate(program))
    .map((program) => `NOT RUN: ${program.neededBy}, because ${program.name} is not installed. To run them: ${program.install}`);
}
