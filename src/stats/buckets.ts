// A period cut into the buckets a chart shows: hours for a day or less, days up to a month, weeks
// up to half a year, months beyond. Boundaries are the zone's own (luxon: DST included, weeks
// from Monday); the first and last buckets are clipped to the period, so the buckets cover it
// exactly and their counts add up to the period's.
import { DateTime } from 'luxon';
import type { TimeRange } from '../commands/filters/time.js';
import type { BucketUnit } from '../cards/stats.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A DST day has 25 hours: still a day, so still hours. */
const unitFor = (ms: number): BucketUnit => (ms <= 25 * HOUR ? 'hour' : ms <= 32 * DAY ? 'day' : ms <= 190 * DAY ? 'week' : 'month');

export function bucketsOf(range: TimeRange, zone: string): { unit: BucketUnit; buckets: TimeRange[] } {
  const unit = unitFor(range.end - range.start);
  const buckets: TimeRange[] = [];
  let from = DateTime.fromMillis(range.start, { zone }).startOf(unit);
  while (from.toMillis() <= range.end) {
    const next = from.plus({ [`${unit}s`]: 1 }).startOf(unit);
    buckets.push({ start: Math.max(from.toMillis(), range.start), end: Math.min(next.toMillis() - 1, range.end) });
    from = next;
  }
  return { unit, buckets };
}
