/** Half-open intervals [start, end) of real time in epoch ms. */
export type Interval = readonly [start: number, end: number];

/** The union of `intervals` as disjoint intervals in order; empty ones vanish. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** The parts of `intervals` inside [from, to). */
export function clipIntervals(intervals: readonly Interval[], from: number, to: number): Interval[] {
  return intervals.map(([s, e]): Interval => [Math.max(s, from), Math.min(e, to)]).filter(([s, e]) => e > s);
}

/** Total length of the intervals, in ms (overlaps counted as often as they occur). */
export function totalLength(intervals: readonly Interval[]): number {
  return intervals.reduce((t, [s, e]) => t + (e - s), 0);
}
