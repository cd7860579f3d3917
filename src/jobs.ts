// Work that runs after a delivery is acknowledged. Plain data (JSON-safe), so that it can be queued
// anywhere and run by whichever worker is free.
import type { ChatEvent, IncomingMessage } from './feishu/types.js';

/** A message to answer, or one of the platform events the bot acts on (welcome, menu). */
export type Job = { kind: 'message'; message: IncomingMessage } | ChatEvent;
