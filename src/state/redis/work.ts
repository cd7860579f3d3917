// Durable work on BullMQ: a job is in Redis before its delivery is acknowledged, and any instance
// runs it. Each instance holds at most server.work_max_pending jobs at once (its worker's
// concurrency); the bot itself bounds how many of those prepare their answers at once.
//
// If an instance dies with jobs in hand, their locks lapse (they are renewed every
// LOCK_MS / 2 while it lives) and the next stalled-job check of any other instance, every
// STALLED_CHECK_MS, puts them back to wait: they are run again within LOCK_MS + STALLED_CHECK_MS
// (15 s) of the crash, well within 30 s. The reply's uuid keeps a second attempt from showing
// twice. BullMQ's defaults (30 s lock, 30 s check) could take a minute.
import { Queue, Worker, type Job as BullJob } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Job } from '../../jobs/job.js';
import type { Logger } from '../../obs/log.js';
import { StateUnavailable, WORK_RETRY, type AddOptions, type JobRunner, type RetryPolicy, type WorkQueue } from '../types.js';

export const LOCK_MS = 10_000;
export const STALLED_CHECK_MS = 5_000;
/** A job put back more often than this (it keeps killing its instance?) is given up as failed. */
const MAX_STALLED = 3;

export interface RedisWorkOptions {
  /** For adding jobs: fails fast while Redis is unreachable. */
  commands: Redis;
  /** For the worker: waits for Redis to come back. */
  worker: Redis;
  /** Key prefix of the queue (per app, so two bots can share one Redis). */
  prefix: string;
  maxPending: number;
  /** Names this instance's worker in Redis (for operators inspecting the queue). */
  name: string;
  log: Logger;
  /**
   * How a job whose run rejected (the shared state went away mid-way) is tried again: WORK_RETRY
   * (tests shorten it).
   */
  retry?: RetryPolicy;
}

const QUEUE = 'jobs';

export class RedisWork implements WorkQueue {
  private readonly queue: Queue<Job>;
  private worker: Worker<Job> | undefined;
  private held = 0;

  constructor(private readonly options: RedisWorkOptions) {
    this.queue = new Queue<Job>(QUEUE, {
      connection: options.commands,
      prefix: options.prefix,
      defaultJobOptions: {
        attempts: (options.retry ?? WORK_RETRY).attempts,
        backoff: { type: 'exponential', delay: (options.retry ?? WORK_RETRY).delayMs },
        // Kept an hour after completion (its id then also refuses a late second add), a day after failing.
        removeOnComplete: { age: 3600, count: 10_000 },
        removeOnFail: { age: 24 * 3600 },
      },
    });
    this.queue.on('error', (error: Error) => options.log.debug('work.queue_error', { error: error.message }));
  }

  /** Resolves once the queue has checked the Redis version and loaded its scripts. */
  async ready(): Promise<void> {
    await this.queue.waitUntilReady();
  }

  async add(id: string, job: Job, options: AddOptions = {}): Promise<boolean> {
    const delay = options.delayMs !== undefined && options.delayMs > 0 ? { delay: Math.ceil(options.delayMs) } : {};
    try {
      await this.queue.add(job.kind, job, { jobId: bullId(id), ...delay });
    } catch (error) {
      throw error instanceof StateUnavailable ? error : new StateUnavailable(error instanceof Error ? error.message : String(error));
    }
    return true;
  }

  start(run: JobRunner): void {
    const { log } = this.options;
    this.worker = new Worker<Job>(
      QUEUE,
      async (bullJob: BullJob<Job>) => {
        this.held++;
        try {
          await run(bullJob.data);
        } finally {
          this.held--;
        }
      },
      {
        connection: this.options.worker,
        prefix: this.options.prefix,
        name: this.options.name,
        concurrency: this.options.maxPending,
        lockDuration: LOCK_MS,
        stalledInterval: STALLED_CHECK_MS,
        maxStalledCount: MAX_STALLED,
      },
    );
    // Without a listener an 'error' event would end the process; Redis outages are reported by
    // the connection's own log lines and /healthz.
    this.worker.on('error', (error: Error) => log.debug('work.worker_error', { error: error.message }));
    // A job whose instance died (or stalled for longer than the lock), put back for any instance.
    this.worker.on('stalled', (jobId: string) => log.warn('work.stalled', { job_id: jobId }));
    this.worker.on('failed', (bullJob, error) => {
      if (!bullJob) return;
      const final = bullJob.attemptsMade >= (bullJob.opts.attempts ?? 1);
      (final ? log.error : log.warn)(final ? 'work.failed' : 'work.retry', { job: bullJob.name, attempt: bullJob.attemptsMade, error: error.message });
    });
  }

  get depth(): number {
    return this.held;
  }

  /** Waits for the jobs in hand; those still running at the deadline are left for other instances. */
  async drain(timeoutMs: number): Promise<boolean> {
    const worker = this.worker;
    if (!worker) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([worker.close().then(() => true as const), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await this.worker?.close(true).catch(() => undefined);
    await this.queue.close().catch(() => undefined);
  }
}

/**
 * The job id BullMQ stores `id` under. BullMQ refuses ids with a ':' and ids that read as integers;
 * this keeps every other id as it is and stays one-to-one, so two ids are never one job: '%' and
 * ':' are percent-escaped, and an integer gets a prefix that no escaped id can have ('%' is only
 * ever followed by '25' or '3A' in those).
 */
export function bullId(id: string): string {
  const escaped = id.replaceAll('%', '%25').replaceAll(':', '%3A');
  return `${parseInt(escaped, 10)}` === escaped ? `%i${escaped}` : escaped;
}
