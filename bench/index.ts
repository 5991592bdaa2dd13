import { runBucketsBenchmark } from './buckets.ts';

/** Runs every benchmark and prints its figures; exits non-zero when a benchmark's own check fails. */
const log = (line: string) => console.log(line);
const ok = await runBucketsBenchmark(log);
process.exitCode = ok ? 0 : 1;
