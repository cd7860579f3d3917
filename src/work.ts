// The bounded background queue that runs commands after their delivery was acknowledged.
import PQueue from 'p-queue';
import type { Logger } from './log.js';

export class WorkQueue {
  private readonly queue: PQueue;

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

  /** Jobs waiting plus jobs running. */
  get depth(): number {
    return this.queue.size + this.queue.pending;
  }

  /** Resolves true when every job has finished, or false if `timeoutMs` passes first. */
  async drain(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    const idle = this.queue.onIdle().then(() => true as const);
    try {
      return await Promise.race([idle, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
