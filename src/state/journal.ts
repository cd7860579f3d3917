// The work journal of one process with a state file: every job is written down before its delivery
// is acknowledged and struck off once it has been run, so jobs a crash (SIGKILL, OOM) left pending
// are run by the next start. One JSON line per entry, appended: {"a": id, "j": job, "t": due} adds
// a job, {"d": id} strikes it off. Each line is written at once, synchronously, as Node writes its
// own logs to a file: a small append to the operating system's cache takes microseconds, less than
// a trip through the thread pool would, and once written it survives the process (not a crash of
// the machine: the journal is not flushed to the disk each time). At start-up the file is read and
// rewritten with only what is pending, and again whenever it has grown well past that. A job pending
// at start-up is run again once: one still pending at the next start (it was being run again when
// the process died again) is given up and logged, so a job that kills its process cannot do so
// forever.
import { closeSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';
import type { Job } from '../jobs/job.js';
import type { Logger } from '../obs/log.js';
import type { Health } from './types.js';

/** A job the journal holds: its id, the job, when it is due (epoch ms, for a delayed one). */
export interface JournaledJob {
  id: string;
  job: Job;
  due?: number;
}

/** Rewritten once it holds this many lines more than the jobs pending (and twice as many). */
const COMPACT_AFTER = 10_000;
/** While the journal cannot be written, it is tried again this often. */
const RETRY_MS = 5000;

interface Entry {
  a?: string;
  j?: Job;
  t?: number;
  /** Set on a job pending at start-up: it is being run again. */
  r?: 1;
  d?: string;
}

export class WorkJournal {
  /** Pending jobs, by id, as their lines: what a rewrite keeps. */
  private readonly pending = new Map<string, string>();
  private fd: number | undefined;
  private lines = 0;
  private failure: string | undefined;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly file: string,
    private readonly log: Logger,
  ) {}

  /**
   * Reads what the last process left pending, keeps it (marked as being run again), and opens the
   * file for appending. Returns the jobs to run again.
   */
  open(): JournaledJob[] {
    const again: JournaledJob[] = [];
    for (const [id, entry] of read(this.file)) {
      if (entry.r) {
        this.log.error('work.given_up', { job: entry.j?.kind, id, why: 'it was being run again after a crash when the process stopped again; it is not run a third time' });
        continue;
      }
      again.push({ id, job: entry.j!, ...(entry.t !== undefined ? { due: entry.t } : {}) });
      this.pending.set(id, line({ ...entry, r: 1 }));
    }
    this.attempt(() => this.rewrite());
    if (again.length) this.log.warn('work.replayed', { jobs: again.length, kinds: [...new Set(again.map((j) => j.job.kind))], why: 'accepted before the last process stopped without running them' });
    return again;
  }

  /** Writes the job down (unless the journal cannot be written: health() says so). */
  added(id: string, job: Job, delayMs?: number): void {
    // Delays are real time, as the queue's timers are.
    const text = line({ a: id, j: job, ...(delayMs ? { t: Date.now() + delayMs } : {}) });
    this.pending.set(id, text);
    this.append(text);
  }

  /** The job has been run (or given up): it is not run again after a crash. */
  done(id: string): void {
    if (this.pending.delete(id)) this.append(line({ d: id }));
  }

  health(): Health {
    return this.failure === undefined ? { ok: true } : { ok: false, reason: this.failure };
  }

  close(): void {
    clearTimeout(this.retry);
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  /**
   * One line at the end of the file; the whole file rewritten instead (with this line in it) when
   * it has grown, or is not open: after a failure, when the file may be gone.
   */
  private append(text: string): void {
    this.attempt(() => {
      if (this.fd === undefined || this.lines > COMPACT_AFTER + 2 * this.pending.size) return this.rewrite();
      writeSync(this.fd, text);
      this.lines++;
    });
  }

  /** The file replaced by one holding the pending jobs alone (a temporary file, then a rename). */
  private rewrite(): void {
    this.close();
    mkdirSync(dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      writeFileSync(temp, [...this.pending.values()].join(''), { mode: 0o600 });
      renameSync(temp, this.file);
    } catch (error) {
      try {
        unlinkSync(temp);
      } catch {
        // never made
      }
      throw error;
    }
    this.lines = this.pending.size;
    this.fd = openSync(this.file, 'a', 0o600);
  }

  /**
   * Runs a write. When it fails, jobs are still taken and run, in memory only, as without a state
   * file; the operator hears why, once, and it is tried again shortly (a rewrite, with every job
   * pending), so it recovers with no new job to write.
   */
  private attempt(write: () => void): void {
    try {
      write();
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      if (this.failure === undefined) {
        this.log.error('work.journal_failed', {
          file: this.file,
          error: e.message,
          consequence: 'commands are still taken and answered, but one that is pending when the process dies is lost; /healthz answers 503 until the journal can be written',
        });
      }
      this.failure = `the work journal ${this.file} cannot be written (${e.code ?? e.message})`;
      this.close();
      this.retry = setTimeout(() => this.attempt(() => this.rewrite()), RETRY_MS);
      this.retry.unref();
      return;
    }
    if (this.failure === undefined) return;
    this.failure = undefined;
    this.log.warn('work.journal_writable_again', { file: this.file });
  }
}

const line = (entry: Entry) => `${JSON.stringify(entry)}\n`;

/** The jobs left pending in the file, in the order they were added; torn or unreadable lines are skipped. */
function read(file: string): Map<string, Entry> {
  const pending = new Map<string, Entry>();
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return pending; // none yet (or none readable: the rewrite that follows says why)
  }
  for (const raw of text.split('\n')) {
    let entry: Entry;
    try {
      entry = JSON.parse(raw) as Entry;
    } catch {
      continue; // the last line of a crash, cut short
    }
    if (typeof entry?.d === 'string') pending.delete(entry.d);
    else if (typeof entry?.a === 'string' && entry.j && typeof entry.j === 'object' && typeof entry.j.kind === 'string') pending.set(entry.a, entry);
  }
  return pending;
}
