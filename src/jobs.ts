// Work that runs after a delivery is acknowledged. Plain data (JSON-safe), so that it can be queued
// anywhere (in process, or in Redis for any instance to run) and run by whichever worker is free.
import type { CardAction, ChatEvent, IncomingMessage } from './feishu/types.js';

export type Job =
  | {
      kind: 'message';
      message: IncomingMessage;
      /** Epoch ms the delivery was accepted: a command's latency counts its time in the queue. */
      receivedAt?: number;
    }
  /** One of the platform events the bot acts on (welcome, menu). */
  | ChatEvent
  /**
   * A click whose card could not be ready within the callback's 3 s: show the view and replace
   * the card through the delayed update API (the action carries its update token).
   */
  | { kind: 'card-update'; action: CardAction };

/** The id a job is stored under: a second delivery of the same thing finds it already there. */
export function jobId(job: Job): string {
  switch (job.kind) {
    case 'message':
      return `message-${job.message.messageId}`;
    case 'card-update':
      return `card-update-${job.action.eventId}`;
    default:
      return `${job.kind}-${job.eventId}`;
  }
}
