// Reading the parts of a request the stand-in cares about, in the shapes it records them.
import type { Request } from 'express';

/** A name given once stays a string; a repeated name becomes an array in the order sent. */
export function queryOf(req: Request): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [name, value] of urlOf(req).searchParams) {
    const seen = query[name];
    if (seen === undefined) query[name] = value;
    else query[name] = Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return query;
}

export const urlOf = (req: Request): URL => new URL(req.originalUrl, 'http://stand-in');

/** A named path segment (Express types allow arrays for wildcards, which no route here uses). */
export function pathParam(req: Request, name: string): string {
  const value = req.params[name];
  return Array.isArray(value) ? value.join('/') : (value ?? '');
}
