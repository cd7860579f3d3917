// The platform's side of the long connection, as the SDK's WSClient meets it:
//   POST /callback/ws/endpoint {AppID, AppSecret} -> {code, msg, data: {URL, ClientConfig}}
//   a WebSocket at URL speaking pbbp2.Frame: the client pings, the server answers with a pong that
//   carries ClientConfig; events go out as data frames (headers type, message_id, sum, seq,
//   trace_id, timestamp; split into fragments when asked) and come back as the same frame with
//   biz_rt and the payload {code, data?}. A late, absent or code-500 acknowledgement makes the
//   platform push the event again (on a shorter schedule here, for tests); each push goes to one
//   live connection picked at random.
// Fault switches: refuse at the endpoint (any code) or at the handshake, drop connections, go
// silent (half-open: nothing goes through either way, pings go unanswered). Everything is recorded.
import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { RequestHandler } from 'express';
import { type WebSocket, WebSocketServer } from 'ws';
import { bodyOf } from './body.js';
import { decodeFrame, encodeFrame, headerMap, METHOD, type Frame } from './frames.js';
import { randomHex } from './ids.js';
import { isObject, tryParse } from './json.js';
import { append, dropWhile } from './retention.js';
import { sendJson } from './respond.js';

/** Seconds, as the platform sends them (the SDK multiplies by 1000; fractions work). */
export interface ClientConfig {
  PingInterval: number;
  /** -1: reconnect forever. */
  ReconnectCount: number;
  ReconnectInterval: number;
  /** The first reconnect waits a random time up to this. */
  ReconnectNonce: number;
}

export interface GatewaySettings {
  clientConfig: ClientConfig;
  /** How long the platform waits for an acknowledgement (3 s). */
  ackTimeoutMs: number;
  /** Delays before each push again after a failed attempt; the platform's are about 15 s, 5 min, 1 h, 6 h. */
  repushScheduleMs: number[];
  /** Connections one app may hold (50). */
  maxConnections: number;
  /** How long an endpoint ticket is good for. */
  ticketTtlMs: number;
}

const PLATFORM_SETTINGS: GatewaySettings = {
  clientConfig: { PingInterval: 120, ReconnectCount: -1, ReconnectInterval: 120, ReconnectNonce: 30 },
  ackTimeoutMs: 3000,
  repushScheduleMs: [15_000, 300_000, 3_600_000, 21_600_000],
  maxConnections: 50,
  ticketTtlMs: 300_000,
};

/** The endpoint's codes (oapi-sdk-go ws/const.go). */
const ENDPOINT_CODES = {
  ok: 0,
  systemBusy: 1,
  forbidden: 403,
  authFailed: 514,
  internalError: 1000040343,
  noCredential: 1000040344,
  exceedConnLimit: 1000040350,
} as const;

const ENDPOINT_MSG: Record<number, string> = {
  1: 'system busy',
  403: 'forbidden',
  514: 'auth failed',
  1000040343: 'internal error',
  1000040344: 'no credential',
  1000040350: 'exceeded connection limit',
};

export type FrameKind = 'event' | 'card';

export interface PushOptions {
  /** The frame's type header: callbacks are reported to come as either. Default event. */
  type?: FrameKind;
  /** Split the payload into this many fragments (sum > 1). */
  fragments?: number;
  /** Send the fragments in reverse order. */
  reversed?: boolean;
  /** Push again after a failed attempt (default true). */
  repush?: boolean;
  /** Only to this connection (default: a random live one for each attempt). */
  to?: string;
}

export interface Ack {
  code: number;
  /** The handler's result (base64 JSON in the frame), decoded. */
  data?: unknown;
  /** The client's biz_rt header (the Node SDK writes a negative number). */
  bizRt?: number;
  at: number;
}

export type AttemptOutcome = 'pending' | 'acked' | 'failed' | 'no-ack' | 'no-connection';

export interface Attempt {
  /** The frame's message_id (new for every attempt). */
  frameId?: string;
  connection?: string;
  at: number;
  outcome: AttemptOutcome;
  ack?: Ack;
  /** An acknowledgement that came after the platform had given up on the attempt. */
  lateAck?: Ack;
}

export interface Push {
  id: string;
  payload: object;
  type: FrameKind;
  attempts: Attempt[];
  /** The acknowledgement with code 200, once there is one. */
  acked?: Ack;
  /** Resolves when acknowledged, or when no further attempt will be made. */
  done: Promise<Push>;
  /** Resolves when the first attempt is acknowledged or counted as failed. */
  first: Promise<Attempt>;
}

export interface ConnectionInfo {
  id: string;
  deviceId: string;
  openedAt: number;
  closedAt?: number;
  closeCode?: number;
  pings: number;
  /** Pings whose `service` was not the URL's service_id. */
  badPings: number;
  silent: boolean;
}

export interface GatewayEvent {
  at: number;
  kind: 'endpoint' | 'refused' | 'open' | 'handshake-refused' | 'close' | 'ping' | 'ack' | 'late-ack' | 'bad-frame' | 'unknown-ack';
  connection?: string;
  detail?: string;
}

interface Live {
  info: ConnectionInfo;
  socket: WebSocket;
  serviceId: number;
}

interface Outstanding {
  push: Push;
  attempt: Attempt;
  timer: NodeJS.Timeout;
  timedOut: boolean;
  finish: () => void;
  next: () => void;
  settled: () => void;
}

export interface GatewayOptions {
  appId: string;
  appSecret: string;
  now: () => number;
  /** The stand-in's base URL (known once it listens). */
  baseUrl: () => string;
  settings?: Partial<GatewaySettings>;
  /** Pushes, connections and events kept (the newest); all by default. */
  keep?: number;
}

export class LongConnectionGateway {
  settings: GatewaySettings;
  readonly events: GatewayEvent[] = [];
  readonly pushes: Push[] = [];
  /** Connections opened, closed ones included (the newest `keep`: open ones are always in `live`). */
  readonly connections: ConnectionInfo[] = [];
  private readonly live = new Map<string, Live>();
  private readonly tickets = new Map<string, { deviceId: string; serviceId: number; expires: number }>();
  private readonly outstanding = new Map<string, Outstanding>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly wss = new WebSocketServer({ noServer: true });
  private endpointRefusal: { code: number; remaining: number } | undefined;
  private handshakeRefusal: { status: number; autherrcode?: number; remaining: number } | undefined;
  private seq = 0;
  private serial = 0;
  private opens = 0;
  private readonly keep: number;

  constructor(private readonly options: GatewayOptions) {
    this.settings = { ...PLATFORM_SETTINGS, ...options.settings };
    this.keep = options.keep ?? Infinity;
  }

  configure(settings: Partial<GatewaySettings>): void {
    this.settings = { ...this.settings, ...settings };
  }

  /** POST /callback/ws/endpoint */
  endpoint(): RequestHandler {
    return (req, res) => {
      const now = this.options.now();
      const body = bodyOf(req).json;
      const given = isObject(body) ? body : {};
      // A refusal is HTTP 200 with a code; `data` is there (empty), as the SDK reads it.
      const refuse = (code: number) => {
        this.record('refused', undefined, `code ${code}`);
        sendJson(res, 200, { code, msg: ENDPOINT_MSG[code] ?? 'refused', data: {} });
      };
      const forced = this.takeEndpointRefusal();
      if (forced !== undefined) return refuse(forced);
      if (typeof given['AppID'] !== 'string' || given['AppID'] === '' || typeof given['AppSecret'] !== 'string' || given['AppSecret'] === '') {
        return refuse(ENDPOINT_CODES.noCredential);
      }
      if (given['AppID'] !== this.options.appId || given['AppSecret'] !== this.options.appSecret) return refuse(ENDPOINT_CODES.authFailed);
      if (this.live.size >= this.settings.maxConnections) return refuse(ENDPOINT_CODES.exceedConnLimit);

      const ticket = randomHex(32);
      const deviceId = String(randomInt(1e12, 2e14));
      const serviceId = 33554678;
      dropWhile(this.tickets, (t) => t.expires < now);
      this.tickets.set(ticket, { deviceId, serviceId, expires: now + this.settings.ticketTtlMs });
      const ws = this.options.baseUrl().replace(/^http/, 'ws');
      // device_id and service_id are never first: the SDK parses the whole URL as a query string.
      const URL = `${ws}/ws/v2?fpid=493&aid=552564&device_id=${deviceId}&access_key=${randomHex(32)}&service_id=${serviceId}&ticket=${ticket}`;
      this.record('endpoint', undefined, `device ${deviceId}`);
      sendJson(res, 200, { code: 0, msg: 'ok', data: { URL, ClientConfig: { ...this.settings.clientConfig } } });
    };
  }

  /** Takes WebSocket upgrades on the stand-in's server. */
  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(req, socket, head));
  }

  /** Pushes a payload (the JSON body an HTTP delivery would carry, in plaintext) to the bot. */
  push(payload: object, options: PushOptions = {}): Push {
    let resolve!: (p: Push) => void;
    let resolveFirst!: (a: Attempt) => void;
    const push: Push = {
      id: `push_${++this.serial}`,
      payload,
      type: options.type ?? 'event',
      attempts: [],
      done: new Promise((r) => (resolve = r)),
      first: new Promise((r) => (resolveFirst = r)),
    };
    append(this.pushes, push, this.keep);
    const repush = options.repush ?? true;
    const attempt = (n: number) => {
      const finish = () => resolve(push);
      const next = () => {
        const delay = this.settings.repushScheduleMs[n];
        if (!repush || delay === undefined) return finish();
        this.later(delay, () => attempt(n + 1));
      };
      const target = options.to ? this.live.get(options.to) : this.pick();
      if (!target) {
        const missed: Attempt = { at: this.options.now(), outcome: 'no-connection' };
        push.attempts.push(missed);
        if (n === 0) resolveFirst(missed);
        return next();
      }
      const frameId = randomUUID();
      const record: Attempt = { frameId, connection: target.info.id, at: this.options.now(), outcome: 'pending' };
      push.attempts.push(record);
      const outstanding: Outstanding = {
        push,
        attempt: record,
        timedOut: false,
        finish,
        next,
        settled: () => n === 0 && resolveFirst(record),
        timer: this.later(this.settings.ackTimeoutMs, () => {
          outstanding.timedOut = true;
          record.outcome = 'no-ack';
          outstanding.settled();
          next();
        }),
      };
      this.outstanding.set(frameId, outstanding);
      this.sendData(target, frameId, push.type, Buffer.from(JSON.stringify(payload)), options);
    };
    attempt(0);
    return push;
  }

  /** Live connections now. */
  get open(): ConnectionInfo[] {
    return [...this.live.values()].map((l) => l.info);
  }

  /** Resolves once at least `n` connections are open. */
  async whenOpen(n = 1, timeoutMs = 10_000): Promise<ConnectionInfo[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.live.size < n) {
      if (Date.now() > deadline) throw new Error(`expected ${n} open long connections, have ${this.live.size}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return this.open;
  }

  /** Resolves once no connection is open. */
  async whenClosed(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.live.size > 0) {
      if (Date.now() > deadline) throw new Error(`expected no open long connection, have ${this.live.size}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Refuses the next `times` endpoint requests (every one, when absent) with this code. */
  refuseEndpoint(code: number, times?: number): void {
    this.endpointRefusal = { code, remaining: times ?? Infinity };
  }

  /** Refuses the next `times` handshakes with this HTTP status and the Handshake-* headers. */
  refuseHandshake(status: number, options: { autherrcode?: number; times?: number } = {}): void {
    this.handshakeRefusal = { status, ...(options.autherrcode !== undefined ? { autherrcode: options.autherrcode } : {}), remaining: options.times ?? Infinity };
  }

  clearFaults(): void {
    this.endpointRefusal = undefined;
    this.handshakeRefusal = undefined;
    for (const l of this.live.values()) l.info.silent = false;
  }

  /** Drops connections (all, or one): 1006 ends the TCP connection abruptly, 1000 closes it cleanly. */
  drop(options: { connection?: string; code?: 1000 | 1006 } = {}): void {
    for (const l of this.targets(options.connection)) {
      if (options.code === 1000) l.socket.close(1000, 'closed by the platform');
      else l.socket.terminate();
    }
  }

  /** Half-open: the socket stays up, but nothing goes through in either direction; pings go unanswered. */
  silence(connection?: string): void {
    for (const l of this.targets(connection)) l.info.silent = true;
  }

  close(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const l of this.live.values()) l.socket.terminate();
    this.wss.close();
  }

  private targets(connection: string | undefined): Live[] {
    return [...this.live.values()].filter((l) => connection === undefined || l.info.id === connection);
  }

  private pick(): Live | undefined {
    const all = [...this.live.values()];
    return all.length ? all[randomInt(all.length)] : undefined;
  }

  private later(ms: number, fn: () => void): NodeJS.Timeout {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
    return t;
  }

  private takeEndpointRefusal(): number | undefined {
    const r = this.endpointRefusal;
    if (!r) return undefined;
    r.remaining -= 1;
    if (r.remaining <= 0) this.endpointRefusal = undefined;
    return r.code;
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const reject = (status: number, msg: string, autherrcode?: number) => {
      this.record('handshake-refused', undefined, `${status} ${msg}`);
      const headers = [`Handshake-Status: ${status}`, `Handshake-Msg: ${msg}`, ...(autherrcode !== undefined ? [`Handshake-Autherrcode: ${autherrcode}`] : [])];
      socket.end(`HTTP/1.1 ${status} ${msg}\r\n${headers.join('\r\n')}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    if (url.pathname !== '/ws/v2') return reject(404, 'not found');
    const forced = this.handshakeRefusal;
    if (forced) {
      forced.remaining -= 1;
      if (forced.remaining <= 0) this.handshakeRefusal = undefined;
      return reject(forced.status, 'refused', forced.autherrcode);
    }
    const ticket = this.tickets.get(url.searchParams.get('ticket') ?? '');
    // A ticket is good once, for a short time.
    this.tickets.delete(url.searchParams.get('ticket') ?? '');
    if (!ticket || ticket.expires < this.options.now() || url.searchParams.get('device_id') !== ticket.deviceId) return reject(403, 'invalid ticket', ENDPOINT_CODES.forbidden);
    if (this.live.size >= this.settings.maxConnections) return reject(514, 'exceeded connection limit', ENDPOINT_CODES.exceedConnLimit);
    this.wss.handleUpgrade(req, socket, head, (ws) => this.opened(ws, ticket.deviceId, ticket.serviceId));
  }

  private opened(socket: WebSocket, deviceId: string, serviceId: number): void {
    const info: ConnectionInfo = { id: `conn_${++this.opens}`, deviceId, openedAt: this.options.now(), pings: 0, badPings: 0, silent: false };
    const live: Live = { info, socket, serviceId };
    append(this.connections, info, this.keep);
    this.live.set(info.id, live);
    this.record('open', info.id);
    socket.on('message', (data: Buffer, isBinary: boolean) => this.received(live, data, isBinary));
    socket.on('error', () => {});
    socket.on('close', (code: number) => {
      this.live.delete(info.id);
      info.closedAt = this.options.now();
      info.closeCode = code;
      this.record('close', info.id, String(code));
    });
  }

  private received(live: Live, data: Buffer, isBinary: boolean): void {
    if (live.info.silent) return;
    let frame: Frame;
    try {
      if (!isBinary) throw new Error('text message');
      frame = decodeFrame(data);
    } catch (error) {
      this.record('bad-frame', live.info.id, (error as Error).message);
      return;
    }
    const headers = headerMap(frame);
    if (frame.method === METHOD.control) {
      if (headers['type'] !== 'ping') return;
      live.info.pings += 1;
      if (frame.service !== live.serviceId) live.info.badPings += 1;
      this.record('ping', live.info.id);
      const pong: Frame = {
        SeqID: 0,
        LogID: 0,
        service: live.serviceId,
        method: METHOD.control,
        headers: [{ key: 'type', value: 'pong' }],
        payload: Buffer.from(JSON.stringify(this.settings.clientConfig)),
      };
      live.socket.send(encodeFrame(pong));
      return;
    }
    this.acknowledged(live, headers, frame);
  }

  private acknowledged(live: Live, headers: Record<string, string>, frame: Frame): void {
    const frameId = headers['message_id'] ?? '';
    const waiting = this.outstanding.get(frameId);
    if (!waiting) return this.record('unknown-ack', live.info.id, frameId);
    const body = tryParse(Buffer.from(frame.payload ?? []).toString('utf8'))?.value;
    const code = isObject(body) && typeof body['code'] === 'number' ? body['code'] : 0;
    const encoded = isObject(body) && typeof body['data'] === 'string' ? body['data'] : undefined;
    const data = encoded === undefined ? undefined : tryParse(Buffer.from(encoded, 'base64').toString('utf8'))?.value;
    const bizRt = Number(headers['biz_rt']);
    const ack: Ack = { code, at: this.options.now(), ...(data !== undefined ? { data } : {}), ...(Number.isFinite(bizRt) ? { bizRt } : {}) };
    this.outstanding.delete(frameId);
    if (waiting.timedOut) {
      // Too late: the platform already counted the attempt as failed and pushes again.
      waiting.attempt.lateAck = ack;
      return this.record('late-ack', live.info.id, frameId);
    }
    clearTimeout(waiting.timer);
    this.timers.delete(waiting.timer);
    waiting.attempt.ack = ack;
    this.record('ack', live.info.id, `${frameId} code ${code}`);
    if (code === 200) {
      waiting.attempt.outcome = 'acked';
      waiting.push.acked = ack;
      waiting.settled();
      return waiting.finish();
    }
    waiting.attempt.outcome = 'failed';
    waiting.settled();
    waiting.next();
  }

  private sendData(target: Live, frameId: string, type: FrameKind, bytes: Buffer, options: PushOptions): void {
    const sum = Math.max(1, Math.min(options.fragments ?? 1, bytes.length));
    const size = Math.ceil(bytes.length / sum);
    const traceId = randomBytes(8).toString('hex');
    const frames = Array.from(
      { length: sum },
      (_, seq): Frame => ({
        SeqID: ++this.seq,
        LogID: this.seq,
        service: target.serviceId,
        method: METHOD.data,
        headers: [
          { key: 'type', value: type },
          { key: 'message_id', value: frameId },
          { key: 'sum', value: String(sum) },
          { key: 'seq', value: String(seq) },
          { key: 'trace_id', value: traceId },
          { key: 'timestamp', value: String(this.options.now()) },
        ],
        payload: bytes.subarray(seq * size, (seq + 1) * size),
      }),
    );
    if (options.reversed) frames.reverse();
    // A silent (half-open) connection swallows what is sent: the acknowledgement never comes.
    if (target.info.silent) return;
    for (const f of frames) target.socket.send(encodeFrame(f));
  }

  private record(kind: GatewayEvent['kind'], connection?: string, detail?: string): void {
    append(this.events, { at: this.options.now(), kind, ...(connection ? { connection } : {}), ...(detail ? { detail } : {}) }, this.keep);
  }
}
