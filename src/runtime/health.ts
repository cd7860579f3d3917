// What /healthz says. The public port (which the load balancer forwards from Feishu) says only
// whether this instance can serve, and if not which part is missing: the instance stopping, the
// shared state (Redis, or the state file that cannot be written), the long connection, or Feishu
// refusing the bot's token. The details (why, the backend, the queue, the connection) could tell
// an outsider about the network (a Redis host and port), so they go to the log, where each part
// says when it fails and recovers, and to GET /healthz on the metrics port.
import type { Mode } from '../config/schema.js';
import { isReceiving, type IntakeStatus } from '../intake/intake.js';
import type { Health, State } from '../state/types.js';

export type Part = 'shutdown' | 'redis' | 'state-file' | 'connection' | 'feishu';

/** The whole report: the metrics port's /healthz, and the tests'. */
export interface HealthReport {
  status: 'ok' | 'unavailable';
  /** The part that is missing, the first of them in the order of Part. */
  part?: Part;
  /** Why, in words for the operator (never a secret). */
  reason?: string;
  mode: Mode;
  state: State['backend'];
  /** Jobs this instance holds. */
  queued: number;
  connection: IntakeStatus;
}

export interface HealthSources {
  mode: Mode;
  state: State;
  connection(): IntakeStatus;
  /** Whether the platform takes the bot's tenant token. */
  feishu(): Health;
  accepting(): boolean;
}

export function healthReport(sources: HealthSources): HealthReport {
  const { state } = sources;
  const connection = sources.connection();
  const stored = state.health();
  const feishu = sources.feishu();
  const missing: { part: Part; reason?: string } | undefined = !sources.accepting()
    ? { part: 'shutdown', reason: 'the bot is stopping' }
    : !stored.ok
      ? { part: state.backend === 'redis' ? 'redis' : 'state-file', ...(stored.reason ? { reason: stored.reason } : {}) }
      : !isReceiving(connection)
        ? { part: 'connection', reason: `the long connection is ${connection.mode === 'long-connection' ? connection.state : 'down'}` }
        : !feishu.ok
          ? { part: 'feishu', ...(feishu.reason ? { reason: feishu.reason } : {}) }
          : undefined;
  return { status: missing ? 'unavailable' : 'ok', ...missing, mode: sources.mode, state: state.backend, queued: state.work.depth, connection };
}

/** What the public port says: ok, or unavailable and which part. */
export const publicHealth = (report: HealthReport): { status: HealthReport['status']; part?: Part } => ({ status: report.status, ...(report.part ? { part: report.part } : {}) });
