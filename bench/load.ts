// The bench's own load generator: keep-alive HTTP/1.1 from this process, `connections` requests in
// flight at once (a closed loop, like wrk), each delivery a distinct message signed and encrypted
// exactly as the platform does it. Bodies are made before the clock starts, in batches, so making
// them is not timed and their timestamps stay well inside the bot's 5-minute window.
import { Agent, request } from 'node:http';
import { readFileSync } from 'node:fs';
import { delivery, messageEvent } from '@helpdesk-bot/feishu-standin/deliveries';
import { SECRETS } from '../test/support/secrets.js';

export interface Body {
  body: Buffer;
  headers: Record<string, string>;
}

let made = 0;
/**
 * `n` deliveries of distinct group messages that do not mention the bot: every check of the intake
 * runs (signature, timestamp, decryption, token, parsing, de-duplication) and the delivery is
 * acknowledged, but no command is queued, so what is measured is the intake alone.
 */
export function deliveries(n: number): Body[] {
  return Array.from({ length: n }, () => {
    const event = messageEvent({
      token: SECRETS.verificationToken,
      appId: SECRETS.appId,
      chatType: 'group',
      chatId: 'oc_bench_group',
      senderOpenId: 'ou_bench_sender',
      messageId: `om_load_${process.pid}_${++made}`,
      text: 'hello everyone, the printer on floor 3 is out of paper again',
    });
    const d = delivery(event, { encryptKey: SECRETS.encryptKey });
    return { body: Buffer.from(d.body), headers: { ...d.headers, 'content-type': 'application/json' } };
  });
}

/** One direct message with a command for the bot, which it answers through the platform. */
export function command(text: string): Body {
  const event = messageEvent({ token: SECRETS.verificationToken, appId: SECRETS.appId, chatType: 'p2p', chatId: 'oc_bench_dm', senderOpenId: 'ou_bench_sender', messageId: `om_cmd_${process.pid}_${++made}`, text });
  const d = delivery(event, { encryptKey: SECRETS.encryptKey });
  return { body: Buffer.from(d.body), headers: { ...d.headers, 'content-type': 'application/json' } };
}

export interface LoadResult {
  /** Acknowledgement latencies, ms. */
  latencies: number[];
  seconds: number;
  /** Answers by HTTP status. */
  statuses: Record<number, number>;
}

/** Posts every body to `url` over `connections` keep-alive connections; resolves when all are answered. */
export async function load(url: string, bodies: readonly Body[], connections: number): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL(url);
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let next = 0;
  const post = (b: Body) =>
    new Promise<void>((resolve, reject) => {
      const started = performance.now();
      const req = request({ agent, host: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { ...b.headers, 'content-length': String(b.body.length) } }, (res) => {
        res.on('data', () => {});
        res.on('end', () => {
          latencies.push(performance.now() - started);
          statuses[res.statusCode!] = (statuses[res.statusCode!] ?? 0) + 1;
          resolve();
        });
      });
      req.on('error', reject);
      req.end(b.body);
    });
  const began = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      for (let i = next++; i < bodies.length; i = next++) await post(bodies[i]!);
    }),
  );
  const seconds = (performance.now() - began) / 1000;
  agent.destroy();
  return { latencies, seconds, statuses };
}

const TICK_MS = 1000 / 100; // USER_HZ is 100 on Linux
/** CPU time (user + system) a process has used so far, in ms. */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** Resident memory of a process now, and its peak, in MiB. */
export function rss(pid: number): { now: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { now: kib('VmRSS') / 1024, peak: kib('VmHWM') / 1024 };
}

export const pct = (xs: readonly number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
export const median = (xs: readonly number[]) => pct(xs, 50);
