// Work that runs after a delivery is acknowledged. Plain data (JSON-safe), so that it can be queued
// anywhere and run by whichever worker is free.
import type { IncomingMessage } from './feishu/types.js';

export type Job = { kind: 'message'; message: IncomingMessage };
