// The work journal of one process with a state file: every job is written down before its delivery
// is acknowledged and struck off once it has been run, so jobs a crash (SIGKILL, OOM) left pending
// are run by the next start. One JSON line per entry, appended: {"a": id, "j": job, "t": due} adds
// a job, {"d": id} strikes it off. Appends that come together share one write; each resolves once
// its line is in the file (in the operating system's hands: a crashed process loses nothing, a
// crashed machine may lose the last moments, as the journal is not flushed to the disk each time).
// At start-up the file is read and rewritten with only what is pending, and again whenever it has
// grown well past that. A job pending at start-up is run again once: one still pending at the next
// start (it was being run again when the process died again) is given up and logged, so a job that
// kills its process cannot do so forever.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, unlink, writeFile, type FileHandle } from 'node:fs/promises';
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
  private handle: FileHandle | undefined;
  /** Lines waiting for the next write, with the callers waiting on them. */
  private batch: { lines: string[]; done: (() => void)[] } = { lines: [], done: [] };
  private writing: Promise<void> | undefined;
  private lines = 0;
  private failure: string | undefined;
  private retry: NodeJS.Timeout | undefined;

  constructor(
    private readonly file: string,
    private readonly log: Logger,
  ) {}

  /**
   * Reads what the last process left pending, keeps it (marked as being run again), and opens the
   * file for appending. Resolves with the jobs to run again.
   */
  async open(): Promise<JournaledJob[]> {
    const again: JournaledJob[] = [];
    for (const [id, entry] of read(await readFile(this.file, 'utf8').catch(() => ''))) {
      if (entry.r) {
        this.log.error('work.given_up', { job: entry.j?.kind, id, why: 'it was being run again after a crash when the process stopped again; it is not run a third time' });
        continue;
      }
      again.push({ id, job: entry.j!, ...(entry.t !== undefined ? { due: entry.t } : {}) });
      this.pending.set(id, line({ ...entry, r: 1 }));
    }
    await this.rewrite().then(
      () => this.recovered(),
      (error: unknown) => this.failed(error),
    );
    if (again.length) this.log.warn('work.replayed', { jobs: again.length, kinds: [...new Set(again.map((j) => j.job.kind))], why: 'accepted before the last process stopped without running them' });
    return again;
  }

  /** Resolves once the job is in the journal (or the journal cannot be written: said by health()). */
  added(id: string, job: Job, delayMs?: number): Promise<void> {
    // Delays are real time, as the queue's timers are.
    const text = line({ a: id, j: job, ...(delayMs ? { t: Date.now() + delayMs } : {}) });
    this.pending.set(id, text);
    return this.append(text);
  }

  /** The job has been run (or given up): it is not run again after a crash. */
  done(id: string): void {
    if (!this.pending.delete(id)) return;
    void this.append(line({ d: id }));
  }

  health(): Health {
    return this.failure === undefined ? { ok: true } : { ok: false, reason: this.failure };
  }

  /** Waits for the lines written so far, and closes the file. */
  async close(): Promise<void> {
    clearTimeout(this.retry);
    while (this.writing) await this.writing;
    await this.handle?.close();
    this.handle = undefined;
  }

  private append(text: string): Promise<void> {
    return new Promise((resolve) => {
      this.batch.lines.push(text);
      this.batch.done.push(resolve);
      this.writing ??= this.flush();
    });
  }

  /** Writes the batches one after another until none is left. */
  private async flush(): Promise<void> {
    while (this.batch.lines.length) {
      const { lines, done } = this.batch;
      this.batch = { lines: [], done: [] };
      try {
        // Rewritten (whole, with these lines in it) when it has grown, or is not open: the first
        // write, or one after a failure, when the file may be gone.
        if (!this.handle || this.lines > COMPACT_AFTER + 2 * this.pending.size) await this.rewrite();
        else {
          await this.handle.write(lines.join(''));
          this.lines += lines.length;
        }
        this.recovered();
      } catch (error) {
        this.failed(error);
      }
      for (const resolve of done) resolve();
    }
    this.writing = undefined;
  }

  /** The file replaced by one holding the pending jobs alone (a temporary file, then a rename). */
  private async rewrite(): Promise<void> {
    await this.handle?.close();
    this.handle = undefined;
    await mkdir(dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await writeFile(temp, [...this.pending.values()].join(''), { mode: 0o600 });
      await rename(temp, this.file);
    } catch (error) {
      await unlink(temp).catch(() => undefined);
      throw error;
    }
    this.lines = this.pending.size;
    this.handle = await open(this.file, 'a', 0o600);
  }

  /** Jobs are still taken and run, in memory only, as without a state file; the operator hears why, once. */
  private failed(error: unknown): void {
    const e = error as NodeJS.ErrnoException;
    if (this.failure === undefined) {
      this.log.error('work.journal_failed', {
        file: this.file,
        error: e.message,
        consequence: 'commands are still taken and answered, but one that is pending when the process dies is lost; /healthz answers 503 until the journal can be written',
      });
    }
    this.failure = `the work journal ${this.file} cannot be written (${e.code ?? e.message})`;
    this.handle?.close().catch(() => undefined);
    this.handle = undefined;
    // Tried again by itself (a rewrite, with every job pending), so it recovers with no new job.
    clearTimeout(this.retry);
    this.retry = setTimeout(() => {
      this.writing ??= this.rewrite()
        .then(
          () => this.recovered(),
          (error: unknown) => this.failed(error),
        )
        .finally(() => {
          this.writing = undefined;
          if (this.batch.lines.length) this.writing = this.flush();
        });
    }, RETRY_MS);
    this.retry.unref();
  }

  private recovered(): void {
    if (this.failure === undefined) return;
    this.failure = undefined;
    this.log.warn('work.journal_writable_again', { file: this.file });
  }
}

const line = (entry: Entry) => `${JSON.stringify(entry)}\n`;

/** The jobs left pending, in the order they were added; torn or unreadable lines are skipped. */
function read(text: string): Map<string, Entry> {
  const pending = new Map<string, Entry>();
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
