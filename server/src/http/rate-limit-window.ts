/**
 * Sliding rate-limit windows made of buckets (pure arithmetic, no I/O).
 *
 * A limit of `max` per `windowMs` counts the requests in the buckets that overlap the last
 * `windowMs`: the current bucket and the BUCKETS before it, each ceil(windowMs / BUCKETS)
 * long. That span is never shorter than the window, so no stretch of `windowMs` ever
 * holds more admitted requests than the count says. Fixed windows aligned to the clock
 * (what this replaces) let a client send `max` just before a boundary and `max` again
 * just after it: 2 × max within a second, and a paced client saw its count start again
 * from 0 halfway through its run. The price of counting conservatively: a request keeps
 * counting for between one window and one window plus one bucket (60–65 s of a minute).
 *
 * Buckets are numbered from the epoch (floor(now / bucketMs)), so every replica numbers
 * them alike without talking to the others.
 */
export const BUCKETS = 12;

export interface Span {
  bucketMs: number;
  /** The bucket `now` falls in. */
  cur: number;
  /** The oldest bucket still counted. */
  lo: number;
}

export function span(now: number, windowMs: number): Span {
  const bucketMs = Math.max(1, Math.ceil(windowMs / BUCKETS));
  const cur = Math.floor(now / bucketMs);
  return { bucketMs, cur, lo: cur - BUCKETS };
}

/** Requests by bucket number. */
export type Counts = Map<number, number>;

export function add(c: Counts, bucket: number, n: number): void {
  const v = (c.get(bucket) ?? 0) + n;
  if (v > 0) c.set(bucket, v);
  else c.delete(bucket);
}

/** The requests in buckets `lo` and later. */
export function total(c: Counts, lo: number): number {
  let n = 0;
  for (const [b, v] of c) if (b >= lo) n += v;
  return n;
}

/** Forget buckets older than `lo`. */
export function drop(c: Counts, lo: number): void {
  for (const b of c.keys()) if (b < lo) c.delete(b);
}

/** Move every bucket of `from` (at or after `lo`) into a list, emptying `from`. */
export function take(from: Counts, lo: number): [number, number][] {
  const out: [number, number][] = [];
  for (const [b, v] of from) if (b >= lo) out.push([b, v]);
  from.clear();
  return out;
}

/**
 * Merge a reading from Redis. A bucket's total only grows while it is counted, so of two
 * readings the larger is the newer: replies that arrive out of order cannot move a count back.
 */
export function merge(into: Counts, reading: readonly (readonly [number, number])[], lo: number): void {
  for (const [b, v] of reading) if (b >= lo && v > (into.get(b) ?? 0)) into.set(b, v);
}

/** When bucket `b` stops counting. */
export const leavesAt = (b: number, s: Span) => (b + BUCKETS + 1) * s.bucketMs;

/**
 * Milliseconds until the requests in `counts` (all of them summed) number at most
 * `target`: buckets leave the span oldest first. 0 when they already do.
 */
export function msUntilAtMost(counts: readonly Counts[], s: Span, now: number, target: number): number {
  const byBucket = new Map<number, number>();
  for (const c of counts) for (const [b, v] of c) if (b >= s.lo) byBucket.set(b, (byBucket.get(b) ?? 0) + v);
  let left = [...byBucket.values()].reduce((a, v) => a + v, 0);
  if (left <= target) return 0;
  for (const b of [...byBucket.keys()].sort((x, y) => x - y)) {
    left -= byBucket.get(b)!;
    if (left <= target) return Math.max(0, leavesAt(b, s) - now);
  }
  return 0; // unreachable: every bucket leaves eventually
}
