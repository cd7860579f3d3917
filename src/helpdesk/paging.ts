// Paging rules of the list API: pages are 1-based, and paging reaches at most 10,000 rows in all
// (the API refuses pages past that; narrowing by time is the documented way out).
export const MAX_REACHABLE_ROWS = 10_000;

export interface Pages {
  /** Pages needed for every match. */
  total: number;
  /** The last page the API will serve. */
  lastReachable: number;
  /** True when there are matches beyond the last reachable page. */
  capped: boolean;
}

export function lastReachablePage(pageSize: number): number {
  return Math.max(1, Math.floor(MAX_REACHABLE_ROWS / pageSize));
}

export function pages(totalRows: number, pageSize: number): Pages {
  const total = Math.max(1, Math.ceil(totalRows / pageSize));
  const reachable = lastReachablePage(pageSize);
  return { total, lastReachable: Math.min(total, reachable), capped: total > reachable };
}
