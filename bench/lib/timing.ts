import { performance } from 'node:perf_hooks';

export interface Timing {
  readonly bestMs: number;
  readonly medianMs: number;
  readonly runs: number;
}

/** Runs `fn` once to warm up, then `runs` times; best and median wall time in ms. */
export function timeRuns(runs: number, fn: () => void): Timing {
  fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { bestMs: times[0]!, medianMs: times[Math.floor(times.length / 2)]!, runs };
}

export const perSecond = (count: number, ms: number): number => Math.round((count / ms) * 1000);
export const millions = (n: number): string => `${(n / 1e6).toFixed(2)} M/s`;
