// The long connection's wire format: one pbbp2.Frame (proto2) per binary WebSocket message, no
// length prefix. The SDK does not export its codec, so the stand-in has its own, field for field
// as the SDK's decoder reads it:
//   1 SeqID uint64 (required)   2 LogID uint64 (required)   3 service int32 (required)
//   4 method int32 (required)   5 headers repeated Header {1 key string, 2 value string}
//   6 payloadEncoding string    7 payloadType string        8 payload bytes     9 LogIDNew string
// Written by hand rather than with protobufjs: the SDK resets protobufjs's global Long support
// when it loads, which breaks any other protobufjs type defined in the same process.

/** Frame.method: control frames carry pings and pongs, data frames events and their acknowledgements. */
export const METHOD = { control: 0, data: 1 } as const;

export interface Frame {
  SeqID: number;
  LogID: number;
  service: number;
  method: number;
  headers: { key: string; value: string }[];
  payload?: Uint8Array;
}

const VARINT = 0;
const FIXED64 = 1;
const BYTES = 2;
const FIXED32 = 5;

class Writer {
  private readonly parts: number[] = [];

  varint(value: bigint): void {
    let v = BigInt.asUintN(64, value);
    do {
      const low = Number(v & 0x7fn);
      v >>= 7n;
      this.parts.push(v > 0n ? low | 0x80 : low);
    } while (v > 0n);
  }

  key(field: number, wire: number): void {
    this.varint(BigInt((field << 3) | wire));
  }

  bytes(field: number, value: Uint8Array): void {
    this.key(field, BYTES);
    this.varint(BigInt(value.length));
    for (const b of value) this.parts.push(b);
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

class Reader {
  pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): bigint {
    let result = 0n;
    for (let shift = 0n; shift < 70n; shift += 7n) {
      if (this.pos >= this.buf.length) throw new Error('truncated varint');
      const b = this.buf[this.pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return BigInt.asUintN(64, result);
    }
    throw new Error('varint too long');
  }

  bytes(): Uint8Array {
    const length = Number(this.varint());
    if (this.pos + length > this.buf.length) throw new Error('truncated field');
    const out = this.buf.subarray(this.pos, this.pos + length);
    this.pos += length;
    return out;
  }

  skip(wire: number): void {
    if (wire === VARINT) this.varint();
    else if (wire === BYTES) this.bytes();
    else if (wire === FIXED64) this.pos += 8;
    else if (wire === FIXED32) this.pos += 4;
    else throw new Error(`invalid wire type ${wire}`);
  }
}

const utf8 = new TextEncoder();
const text = new TextDecoder('utf-8', { fatal: true });

export function encodeFrame(frame: Frame): Uint8Array {
  const w = new Writer();
  const number = (field: number, value: number) => {
    w.key(field, VARINT);
    w.varint(BigInt(value));
  };
  number(1, frame.SeqID);
  number(2, frame.LogID);
  number(3, frame.service);
  number(4, frame.method);
  for (const h of frame.headers) {
    const hw = new Writer();
    hw.bytes(1, utf8.encode(h.key));
    hw.bytes(2, utf8.encode(h.value));
    w.bytes(5, hw.finish());
  }
  if (frame.payload) w.bytes(8, frame.payload);
  return w.finish();
}

/** Throws on bytes that are not a Frame (missing required fields included), as the SDK does. */
export function decodeFrame(bytes: Uint8Array): Frame {
  const r = new Reader(bytes);
  const found: Partial<Frame> = { headers: [] };
  while (!r.done) {
    const key = Number(r.varint());
    const field = key >>> 3;
    const wire = key & 7;
    if (field >= 1 && field <= 4 && wire === VARINT) {
      const v = r.varint();
      if (field <= 2) found[field === 1 ? 'SeqID' : 'LogID'] = Number(v);
      else found[field === 3 ? 'service' : 'method'] = Number(BigInt.asIntN(32, v));
    } else if (field === 5 && wire === BYTES) {
      found.headers!.push(decodeHeader(r.bytes()));
    } else if (field === 8 && wire === BYTES) {
      found.payload = r.bytes();
    } else {
      r.skip(wire);
    }
  }
  for (const name of ['SeqID', 'LogID', 'service', 'method'] as const) {
    if (found[name] === undefined) throw new Error(`missing required '${name}'`);
  }
  return found as Frame;
}

function decodeHeader(bytes: Uint8Array): { key: string; value: string } {
  const r = new Reader(bytes);
  let key: string | undefined;
  let value: string | undefined;
  while (!r.done) {
    const k = Number(r.varint());
    if ((k >>> 3 === 1 || k >>> 3 === 2) && (k & 7) === BYTES) {
      const s = text.decode(r.bytes());
      if (k >>> 3 === 1) key = s;
      else value = s;
    } else r.skip(k & 7);
  }
  if (key === undefined) throw new Error("missing required 'key'");
  if (value === undefined) throw new Error("missing required 'value'");
  return { key, value };
}

/** The headers as a map (a repeated key keeps its last value, as the SDK reads them). */
export function headerMap(frame: Frame): Record<string, string> {
  return Object.fromEntries(frame.headers.map((h) => [h.key, h.value]));
}
