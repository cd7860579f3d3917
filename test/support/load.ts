// Shared by the resilience tests that run the real bot against the stand-in.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import type { Logger } from '../../src/obs/log.js';
import type { Timing } from '../../src/resilience/timing.js';
import type { RawTicket } from '@helpdesk-bot/feishu-standin';
import { memoryState } from '../../src/state/memory.js';
import type { State } from '../../src/state/types.js';
import { fullTicket } from '../fixtures/tickets.js';

/** `n` complete tickets with ids base, base + 1, … */
export function ticketsFrom(base: bigint, n: number): RawTicket[] {
  return Array.from({ length: n }, (_, i) => ({ ...fullTicket, ticket_id: String(base + BigInt(i)) }));
}

/**
 * When the bot's requests leave it, for paths matching `pattern`: the moment each HTTP request is
 * issued (Node's http.client.request.start). This is what a rate limit is about: the platform sees
 * these plus the network's delay, which the limiter's window margin is for. The in-process
 * stand-in's own timestamps are not: it shares the bot's event loop, so under CPU load it may read
 * a request 200 ms after it was sent, and bunch what left evenly spaced.
 */
export function requestsLeaving(pattern: RegExp): { times: number[]; paths: string[]; stop(): void } {
  const times: number[] = [];
  const paths: string[] = [];
  const onStart = (message: unknown) => {
    const { request } = message as { request: ClientRequest };
    if (!pattern.test(request.path)) return;
    times.push(Date.now());
    paths.push(request.path);
  };
  subscribe('http.client.request.start', onStart);
  return { times, paths, stop: () => unsubscribe('http.client.request.start', onStart) };
}

/** The most times that fall in any one-second window [t, t + 1000). */
export function busiestSecond(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; j < sorted.length; j++) {
    while (sorted[j]! - sorted[i]! >= 1000) i++;
    most = Math.max(most, j - i + 1);
  }
  return most;
}

/** The parsed JSON log lines with this event. */
function logged(lines: readonly string[], event: string): Record<string, unknown>[] {
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.event === event);
}

/**
 * The "command" log lines of these messages, once all are written: a command logs after its reply
 * was sent, so the line may come a moment after the reply reached the stand-in.
 */
export async function commandLines(lines: readonly string[], messageIds: readonly string[], timeoutMs = 5000): Promise<Record<string, unknown>[]> {
  const wanted = new Set(messageIds);
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = logged(lines, 'command').filter((l) => wanted.has(String(l.message_id)));
    if (found.length >= wanted.size || Date.now() > until) return found;
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** The in-process state (the embedded default) on a test's timeline. */
export function stateFor(time: Timing, log: Logger): State {
  return memoryState({ clock: time.clock, sleep: time.sleep, log, dedupeMaxEntries: 1000, workMaxPending: 1000 });
}
