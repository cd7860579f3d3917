// Our own body reader: it keeps the raw size (the 30 KB message rule is about bytes on the wire)
// and never rejects by itself, so oversized or malformed bodies are still recorded and then answered
// the platform's way instead of by a parser's error page.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { tryParse } from './json.js';

export interface RequestBody {
  /** Bytes received, counted even past the limit. */
  size: number;
  tooLarge: boolean;
  /** The body as UTF-8; empty when too large. */
  text: string;
  /** Parsed JSON; undefined when the body is empty, too large or not JSON. */
  json: unknown;
  /** Non-empty and not JSON. */
  malformed: boolean;
}

const bodies = new WeakMap<Request, RequestBody>();
const EMPTY: RequestBody = { size: 0, tooLarge: false, text: '', json: undefined, malformed: false };

export const bodyOf = (req: Request): RequestBody => bodies.get(req) ?? EMPTY;

export function readBody(limitBytes: number): RequestHandler {
  return (req: Request, _res: Response, next: NextFunction) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Keep draining past the limit so the client sees an answer rather than a reset.
      if (size <= limitBytes) chunks.push(chunk);
    });
    req.on('error', next);
    req.on('end', () => {
      const tooLarge = size > limitBytes;
      const text = tooLarge ? '' : Buffer.concat(chunks).toString('utf8');
      const parsed = text.trim() === '' ? undefined : tryParse(text);
      bodies.set(req, {
        size,
        tooLarge,
        text,
        json: parsed?.value,
        malformed: text.trim() !== '' && parsed === undefined,
      });
      next();
    });
  };
}
