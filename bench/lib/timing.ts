import { performance } from 'node:perf_hooks';

export interface Timing {
  readonly bestMs: number;
  readonly medianMs: number;
  readonly runs: number;
}

/** Best and median of measured times (ms). */
export function summarize(timesMs: readonly number[]): Timing {
  if (timesMs.length === 0) throw new Error('no runs to summarize');
  const sorted = [...timesMs].sort((a, b) => a - b);
  return { bestMs: sorted[0]!, medianMs: sorted[Math.floor(sorted.length / 2)]!, runs: sorted.length };
}

/**
 * Runs `fn` once untimed (so the JIT has compiled it), then `runs` times timed.
 * Best-of is the figure to compare: on a shared 2-core machine every slower
 * run is slower for reasons that are not the code's.
 */
export function timeRuns(runs: number, fn: () => void): Timing {
  fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  return summarize(times);
}

/** Items per second, rounded to an integer. */
export const perSecond = (count: number, ms: number): number => Math.round((count / ms) * 1000);

/** "12.34 M/s" */
export const millions = (perSec: number): string => `${(perSec / 1e6).toFixed(2)} M/s`;

/** "1,234,567" */
export const grouped = (n: number): string => n.toLocaleString('en');
