// The stand-in's long connection at the wire level, with a raw WebSocket client speaking pbbp2
// frames: the endpoint's answers and refusals, tickets, pings and pongs, data frames, fragments,
// acknowledgements, pushes again, the connection cap and the fault switches.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { decodeFrame, encodeFrame, headerMap, METHOD, type Frame } from '@helpdesk-bot/feishu-standin/frames';
import type { StandIn } from '@helpdesk-bot/feishu-standin';
import { CREDS, startStandIn } from '../../support/standin.js';
import { until } from '../../support/wait.js';

const FAST = { clientConfig: { PingInterval: 1, ReconnectCount: -1, ReconnectInterval: 0.2, ReconnectNonce: 0 }, ackTimeoutMs: 300, repushScheduleMs: [50, 100] };

let standIn: StandIn;
beforeEach(async () => {
  standIn = await startStandIn({ longConnection: FAST });
});
afterEach(() => standIn.close());

async function endpoint(body: unknown): Promise<{ code: number; msg: string; data: { URL?: string; ClientConfig?: unknown } }> {
  const res = await fetch(`${standIn.url}/callback/ws/endpoint`, { method: 'POST', headers: { 'content-type': 'application/json', locale: 'zh' }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  return (await res.json()) as never;
}

const good = { AppID: CREDS.appId, AppSecret: CREDS.appSecret };

/** A raw client: every frame it receives, decoded, in order. */
async function connect(url: string) {
  const socket = new WebSocket(url);
  const frames: Frame[] = [];
  socket.on('message', (data: Buffer) => frames.push(decodeFrame(data)));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return { socket, frames };
}

const ack = (frame: Frame, body: object): Uint8Array => encodeFrame({ ...frame, headers: [...frame.headers, { key: 'biz_rt', value: '-3' }], payload: Buffer.from(JSON.stringify(body)) });

describe('endpoint', () => {
  it('answers with a WebSocket URL and the client config; device_id and service_id are not first', async () => {
    const res = await endpoint(good);
    expect(res).toMatchObject({ code: 0, msg: 'ok', data: { ClientConfig: FAST.clientConfig } });
    const url = res.data.URL!;
    expect(url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws\/v2\?fpid=\d+&/);
    // The SDK parses the whole URL as a query string, so the first key is "ws://…?fpid": these two
    // must come later (that the SDK reads them is shown by its pings, in the integration tests).
    const params = [...new URL(url).searchParams.keys()];
    expect(params[0]).toBe('fpid');
    expect(params).toEqual(expect.arrayContaining(['device_id', 'service_id', 'ticket', 'access_key']));
  });

  it('refuses wrong or missing credentials with the platform codes, data still present', async () => {
    expect(await endpoint({ ...good, AppSecret: 'wrong' })).toEqual({ code: 514, msg: 'auth failed', data: {} });
    expect(await endpoint({ AppID: CREDS.appId })).toEqual({ code: 1000040344, msg: 'no credential', data: {} });
    standIn.ws.refuseEndpoint(1, 1);
    expect(await endpoint(good)).toMatchObject({ code: 1, msg: 'system busy' });
    expect((await endpoint(good)).code).toBe(0);
    expect(standIn.callsTo('ws_endpoint').map((c) => c.body)).toContainEqual({ AppID: CREDS.appId });
  });

  it('caps the connections of one app', async () => {
    standIn.ws.configure({ maxConnections: 1 });
    const first = await connect((await endpoint(good)).data.URL!);
    expect(await endpoint(good)).toEqual({ code: 1000040350, msg: 'exceeded connection limit', data: {} });
    first.socket.close();
    await until('the close', () => standIn.ws.open.length === 0);
    expect((await endpoint(good)).code).toBe(0);
  });
});

describe('handshake', () => {
  it('takes a ticket once, and refuses with the Handshake-* headers', async () => {
    const url = (await endpoint(good)).data.URL!;
    const { socket } = await connect(url);
    const refused = await new Promise<{ status?: number; headers: Record<string, unknown> }>((resolve) => {
      const again = new WebSocket(url);
      again.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode, headers: res.headers }));
    });
    expect(refused.status).toBe(403);
    expect(refused.headers).toMatchObject({ 'handshake-status': '403', 'handshake-msg': 'invalid ticket' });
    socket.close();

    standIn.ws.refuseHandshake(514, { autherrcode: 1000040350, times: 1 });
    const fresh = (await endpoint(good)).data.URL!;
    const forced = await new Promise<{ status?: number; headers: Record<string, unknown> }>((resolve) => {
      new WebSocket(fresh).on('unexpected-response', (_req, res) => resolve({ status: res.statusCode, headers: res.headers }));
    });
    expect(forced.status).toBe(514);
    expect(forced.headers).toMatchObject({ 'handshake-status': '514', 'handshake-autherrcode': '1000040350' });
    expect(standIn.ws.events.filter((e) => e.kind === 'handshake-refused')).toHaveLength(2);
  });
});

describe('frames', () => {
  it('answers a ping with a pong carrying the client config, and checks the service id', async () => {
    const url = (await endpoint(good)).data.URL!;
    const serviceId = Number(new URL(url).searchParams.get('service_id'));
    const { socket, frames } = await connect(url);
    socket.send(encodeFrame({ SeqID: 0, LogID: 0, service: serviceId, method: METHOD.control, headers: [{ key: 'type', value: 'ping' }] }));
    const pong = await until('the pong', () => frames.find((f) => headerMap(f)['type'] === 'pong'));
    expect(pong).toMatchObject({ method: METHOD.control, service: serviceId });
    expect(JSON.parse(Buffer.from(pong.payload!).toString())).toEqual(FAST.clientConfig);
    socket.send(encodeFrame({ SeqID: 0, LogID: 0, service: 0, method: METHOD.control, headers: [{ key: 'type', value: 'ping' }] }));
    await until('the second ping', () => standIn.ws.open[0]!.pings === 2);
    expect(standIn.ws.open[0]).toMatchObject({ pings: 2, badPings: 1 });
    socket.close();
  });

  it('pushes an event as a data frame and takes the echoed frame as its acknowledgement', async () => {
    const { socket, frames } = await connect((await endpoint(good)).data.URL!);
    const push = standIn.ws.push({ schema: '2.0', header: { event_id: 'e1' }, event: {} });
    const frame = await until('the event', () => frames.find((f) => f.method === METHOD.data));
    const h = headerMap(frame);
    expect(h).toMatchObject({ type: 'event', sum: '1', seq: '0' });
    expect(h['message_id']).toBeTruthy();
    expect(h['trace_id']).toBeTruthy();
    expect(Number(h['timestamp'])).toBeGreaterThan(0);
    expect(JSON.parse(Buffer.from(frame.payload!).toString())).toEqual({ schema: '2.0', header: { event_id: 'e1' }, event: {} });
    socket.send(ack(frame, { code: 200, data: Buffer.from(JSON.stringify({ toast: { type: 'info', content: 'hi' } })).toString('base64') }));
    await push.done;
    expect(push.acked).toMatchObject({ code: 200, data: { toast: { type: 'info', content: 'hi' } }, bizRt: -3 });
    expect(push.attempts).toHaveLength(1);
    socket.close();
  });

  it('splits a payload into fragments with one message_id', async () => {
    const { socket, frames } = await connect((await endpoint(good)).data.URL!);
    const payload = { schema: '2.0', header: { event_id: 'big' }, event: { text: 'x'.repeat(1000) } };
    standIn.ws.push(payload, { fragments: 3, reversed: true, repush: false });
    await until('three fragments', () => frames.length === 3);
    const hs = frames.map(headerMap);
    expect(new Set(hs.map((x) => x['message_id'])).size).toBe(1);
    expect(hs.map((x) => [x['sum'], x['seq']])).toEqual([
      ['3', '2'],
      ['3', '1'],
      ['3', '0'],
    ]);
    const joined = Buffer.concat([...frames].reverse().map((f) => Buffer.from(f.payload!)));
    expect(JSON.parse(joined.toString())).toEqual(payload);
    socket.close();
  });

  it('pushes again after a code-500 acknowledgement, and after a late one', async () => {
    const { socket, frames } = await connect((await endpoint(good)).data.URL!);
    const push = standIn.ws.push({ schema: '2.0', header: { event_id: 'e2' }, event: {} });
    const first = await until('the first frame', () => frames[0]);
    socket.send(ack(first, { code: 500 }));
    const second = await until('the second push', () => frames[1]);
    expect(headerMap(second)['message_id']).not.toBe(headerMap(first)['message_id']);
    // No answer within the acknowledgement window: counted as failed, then a late answer arrives.
    await until('the third push', () => frames[2]);
    socket.send(ack(second, { code: 200 }));
    socket.send(ack(frames[2]!, { code: 200 }));
    await push.done;
    expect(push.attempts.map((a) => a.outcome)).toEqual(['failed', 'no-ack', 'acked']);
    expect(push.attempts[1]!.lateAck?.code).toBe(200);
    expect(standIn.ws.events.some((e) => e.kind === 'late-ack')).toBe(true);
    socket.close();
  });

  it('delivers each push to one random live connection', async () => {
    const a = await connect((await endpoint(good)).data.URL!);
    const b = await connect((await endpoint(good)).data.URL!);
    for (const c of [a, b]) c.socket.on('message', (data: Buffer) => c.socket.send(ack(decodeFrame(data), { code: 200 })));
    const pushes = await Promise.all(Array.from({ length: 30 }, (_, i) => standIn.ws.push({ schema: '2.0', header: { event_id: `r${i}` }, event: {} }).done));
    expect(pushes.every((p) => p.attempts.length === 1 && p.acked)).toBe(true);
    expect(a.frames.length + b.frames.length).toBe(30);
    expect(a.frames.length).toBeGreaterThan(0);
    expect(b.frames.length).toBeGreaterThan(0);
    a.socket.close();
    b.socket.close();
  });

  it('holds a push with no connection open and pushes again on schedule', async () => {
    const push = standIn.ws.push({ schema: '2.0', header: { event_id: 'e3' }, event: {} });
    expect((await push.first).outcome).toBe('no-connection');
    const { socket, frames } = await connect((await endpoint(good)).data.URL!);
    const frame = await until('the push', () => frames[0]);
    socket.send(ack(frame, { code: 200 }));
    await push.done;
    expect(push.acked?.code).toBe(200);
    socket.close();
  });
});

describe('faults', () => {
  it('drops connections abruptly or cleanly, and records it', async () => {
    const a = await connect((await endpoint(good)).data.URL!);
    const closed = new Promise<number>((resolve) => a.socket.once('close', (code) => resolve(code)));
    standIn.ws.drop({ code: 1000 });
    expect(await closed).toBe(1000);
    const b = await connect((await endpoint(good)).data.URL!);
    const abrupt = new Promise<number>((resolve) => b.socket.once('close', (code) => resolve(code)));
    standIn.ws.drop();
    expect(await abrupt).toBe(1006);
    expect(standIn.ws.connections.map((c) => c.closedAt !== undefined)).toEqual([true, true]);
  });

  it('goes silent: pings get no pong and pushes never arrive', async () => {
    const url = (await endpoint(good)).data.URL!;
    const serviceId = Number(new URL(url).searchParams.get('service_id'));
    const { socket, frames } = await connect(url);
    standIn.ws.silence();
    socket.send(encodeFrame({ SeqID: 0, LogID: 0, service: serviceId, method: METHOD.control, headers: [{ key: 'type', value: 'ping' }] }));
    const push = standIn.ws.push({ schema: '2.0', header: { event_id: 'e4' }, event: {} }, { repush: false });
    await push.done;
    expect(push.attempts[0]!.outcome).toBe('no-ack');
    expect(frames).toHaveLength(0);
    socket.close();
  });

  it('answers garbage with nothing and records it', async () => {
    const { socket } = await connect((await endpoint(good)).data.URL!);
    socket.send(Buffer.from([0xff, 0xff, 0xff]));
    socket.send('text');
    await until('two bad frames', () => standIn.ws.events.filter((e) => e.kind === 'bad-frame').length === 2);
    socket.close();
  });
});
