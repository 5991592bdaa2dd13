import { availableParallelism, cpus } from 'node:os';
import { runBucketsBenchmark } from './buckets.ts';
import { runPipelineBenchmark } from './pipeline.ts';

/**
 * `npm run bench`: runs every benchmark in bench/ in turn and prints its
 * figures. The process exits non-zero when a benchmark's own check fails
 * (e.g. buckets that differ from PostgreSQL's); a missed speed target is
 * printed, not fatal, since it depends on the machine.
 */
type Benchmark = (log: (line: string) => void) => Promise<boolean>;

const BENCHMARKS: readonly [string, Benchmark][] = [
  ['buckets', runBucketsBenchmark],
  ['pipeline', runPipelineBenchmark],
];

const log = (line: string): void => {
  console.log(line);
};

log(`node ${process.version}, ${availableParallelism()} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}`);
let failed: string[] = [];
for (const [name, run] of BENCHMARKS) {
  if (!(await run(log))) failed = [...failed, name];
}
if (failed.length > 0) {
  console.error(`failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
