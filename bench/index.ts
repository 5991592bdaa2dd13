import { availableParallelism, cpus } from 'node:os';
import { runBucketsBenchmark } from './buckets';
import { costMarkdown } from './costReport';
import { pipelineOptions, runPipeline } from './pipeline';
import { runSnapshotListBenchmark } from './snapshotList';

/**
 * `npm run bench`: runs every benchmark in bench/ in turn and prints its
 * figures. The process exits non-zero when a benchmark's own check fails
 * (e.g. buckets that differ from PostgreSQL's); a missed speed target is
 * printed, not fatal, since it depends on the machine.
 *
 * Flags (after `npm run bench --`): `--events N` worklog events per pipeline
 * scenario (default 50,000); `--cost-only` runs only the pipeline (20,000
 * events unless --events says otherwise) and prints its cost figures as
 * markdown; `--kvs-ms`, `--push-ms`, `--jira-ms` the assumed Forge round trips.
 */
const options = pipelineOptions(process.argv.slice(2));
const machine = `node ${process.version}, ${availableParallelism()} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}`;
const when = `${new Date().toISOString().slice(0, 10)} on ${machine}`;

const log = (line: string): void => {
  console.log(line);
};

let failed: string[] = [];
if (options.costOnly) {
  const result = await runPipeline(options, log);
  if (!result.ok) failed = ['pipeline'];
  log(costMarkdown(result, when));
} else {
  log(machine);
  if (!(await runBucketsBenchmark(log))) failed = [...failed, 'buckets'];
  if (!(await runSnapshotListBenchmark(log))) failed = [...failed, 'snapshot listing'];
  const result = await runPipeline(options, log);
  if (!result.ok) failed = [...failed, 'pipeline'];
  log('');
  log(costMarkdown(result, when));
}
if (failed.length > 0) {
  console.error(`failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
