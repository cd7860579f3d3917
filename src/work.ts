// The bounded background queue that runs commands after their delivery was acknowledged, and
// keeps track of what they leave running (a reply waiting for its chat's turn) so that a graceful
// stop waits for that too.
import PQueue from 'p-queue';
import type { Logger } from './log.js';

export class WorkQueue {
  private readonly queue: PQueue;
  /** Tasks handed off by jobs: they hold no worker, but count as pending work. */
  private readonly following = new Set<Promise<void>>();

  constructor(
    concurrency: number,
    private readonly maxPending: number,
    private readonly log: Logger,
  ) {
    this.queue = new PQueue({ concurrency });
  }

  /** Queues a job unless the queue is full. Jobs never reject into the queue: failures are logged. */
  offer(name: string, job: () => Promise<void>): boolean {
    if (this.depth >= this.maxPending) return false;
    void this.queue.add(async () => {
      try {
        await job();
      } catch (error) {
        this.log.error('work.failed', { job: name, error: error instanceof Error ? error.message : String(error) });
      }
    });
    return true;
  }

  /**
   * Keeps a job's follow-up task (say, a reply waiting for the chat's message limit) off the
   * workers, so one busy chat cannot hold them all, while shutdown still waits for it.
   */
  follow(name: string, task: Promise<void>): void {
    const tracked = task
      .catch((error) => this.log.error('work.failed', { job: name, error: error instanceof Error ? error.message : String(error) }))
      .finally(() => this.following.delete(tracked));
    this.following.add(tracked);
  }

  /** Jobs waiting, jobs running and their follow-up tasks. */
  get depth(): number {
    return this.queue.size + this.queue.pending + this.following.size;
  }

  /** Resolves true when every job has finished, or false if `timeoutMs` passes first. */
  async drain(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const idle = (async () => {
      await this.queue.onIdle();
      // Jobs may add follow-ups until the last one ends; wait until none is left.
      while (this.following.size > 0) await Promise.all(this.following);
      return true as const;
    })();
    try {
      return await Promise.race([idle, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
