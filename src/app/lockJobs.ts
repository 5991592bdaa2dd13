import { DomainError } from '../../domain/errors';
import { periodFromKey } from '../../domain/period';
import { KvConflictError, type Clock, type EventQueue, type KvStore, type QueuedEvent } from '../ports';
import { appendAudit } from './auditLog';
import { roleKeys, type Team } from './authorization';
import { lockPersonPeriod, type LockDeps } from './periodLock';
import { pseudonymsFor, registerPeople } from './pseudonyms';
import { pushInChunks } from './pushInChunks';
import { queryAll } from './queryAll';
import { keys } from './storageKeys';

/**
 * Locking a period for people or a team as a job on the `periods` queue: `periods/lock` records the
 * job and pushes its people in events of LOCK_PEOPLE_PER_EVENT; the consumer locks each person with
 * lockPersonPeriod (idempotent per job and person), and writes one result key per person, so
 * `periods/job` counts keys rather than a counter two consumers would fight over.
 *
 *   startLockJob(deps, actor, { periodKey, people? | teamId? })  → { jobId, total }    periods/lock
 *   handlePeriodsEvent(deps, event)                                                   the periods consumer
 *   readLockJob(kv, jobId)                                        → progress           periods/job
 */

/** People a queue event locks: each lock reads a period's inputs and writes a snapshot, well inside a consumer's 900 s. */
export const LOCK_PEOPLE_PER_EVENT = 10;
/** People one job locks at most: a team or a list of people. */
export const MAX_LOCK_JOB_PEOPLE = 2000;

export interface LockJob {
  readonly jobId: string;
  readonly kind: 'lock';
  readonly periodKey: string;
  readonly people: readonly string[];
  readonly actor: string;
  readonly createdAt: number;
  readonly teamId: string | null;
}

export interface PeriodsEvent {
  readonly kind: 'lock';
  readonly jobId: string;
  readonly periodKey: string;
  readonly actor: string;
  readonly people: readonly string[];
}

export interface LockJobResult {
  readonly personId: string;
  readonly ok: boolean;
  readonly version?: number;
  readonly hash?: string;
  readonly code?: string;
  readonly message?: string;
}

export interface LockJobDeps {
  readonly kv: KvStore;
  readonly clock: Clock;
  readonly periodsQueue: EventQueue;
}

export async function startLockJob(deps: LockJobDeps, actor: string, request: { periodKey: string; people?: readonly string[] | undefined; teamId?: string | undefined }): Promise<{ jobId: string; total: number }> {
  periodFromKey(request.periodKey); // INVALID_PERIOD before anything is written
  let people = [...new Set(request.people ?? [])];
  if (request.teamId !== undefined) {
    const team = await deps.kv.get<Team>(roleKeys.team(request.teamId));
    if (!team) throw new DomainError('NOT_FOUND', `there is no team ${JSON.stringify(request.teamId)}; teams/list shows the teams there are`);
    people = [...new Set([...people, ...team.members])];
  }
  if (people.length === 0) throw new DomainError('INVALID_INPUT', 'a lock needs people or a team with members; nothing was locked');
  if (people.length > MAX_LOCK_JOB_PEOPLE) throw new DomainError('INVALID_INPUT', `a lock job holds at most ${MAX_LOCK_JOB_PEOPLE} people; got ${people.length}. Split it`);
  const createdAt = deps.clock.now();
  // Keyed with the site's secret: a plain hash of who and whom could be matched against a list of accounts.
  const pseudonyms = await pseudonymsFor(deps.kv);
  const base = `lock-${createdAt}-${pseudonyms.keyed('j', `${actor}|${request.periodKey}|${people.join(',')}`).slice(2, 12)}`;
  // The job names these people: they are people the app keeps data about (reported, and erased when closed).
  await registerPeople(deps.kv, pseudonyms, people, createdAt);
  let job: LockJob | null = null;
  // The same lock asked twice in one millisecond (a relock after an unlock) is a second job, under the next free id.
  for (let n = 1; job === null; n++) {
    const candidate: LockJob = { jobId: n === 1 ? base : `${base}-${n}`, kind: 'lock', periodKey: request.periodKey, people, actor, createdAt, teamId: request.teamId ?? null };
    try {
      await deps.kv.set(keys.lockJob(candidate.jobId), candidate, { ifAbsent: true });
      job = candidate;
    } catch (e) {
      if (!(e instanceof KvConflictError) || n >= 20) throw e;
    }
  }
  const jobId = job.jobId;
  await appendAudit(deps.kv, { at: createdAt, actor, action: 'period.lock-job', target: keys.lockJob(jobId), details: { periodKey: request.periodKey, people: people.length, teamId: job.teamId } });
  const events: QueuedEvent[] = [];
  for (let i = 0; i < people.length; i += LOCK_PEOPLE_PER_EVENT) {
    const body: PeriodsEvent = { kind: 'lock', jobId, periodKey: request.periodKey, actor, people: people.slice(i, i + LOCK_PEOPLE_PER_EVENT) };
    events.push({ body: body as unknown as QueuedEvent['body'] });
  }
  await pushInChunks(deps.periodsQueue, events);
  return { jobId, total: people.length };
}

/** Refusals that mean "not now" rather than "no": the step is retried with the event, never recorded as that person's result. */
const TRY_AGAIN_CODES = new Set(['LEDGER_CONTENDED', 'AUDIT_CONTENDED', 'MUTEX_BUSY']);

/**
 * The periods consumer: locks each person of the event. A refusal (DomainError: the period has not
 * ended, the workflow wants approval first, …) is that person's result, not retried; a contended write
 * or any other failure makes the event retried once every person is tried (a lock step is idempotent,
 * so people already locked are unchanged, and a lock left half done is finished).
 */
export async function handlePeriodsEvent(deps: LockDeps, event: PeriodsEvent): Promise<undefined> {
  let retry: unknown = null;
  // The people already done (a retried event): one read for the event's ten, not one each.
  const done = await deps.kv.getMany(event.people.map((p) => keys.lockJobResult(event.jobId, p)));
  for (const personId of event.people) {
    const resultKey = keys.lockJobResult(event.jobId, personId);
    if (done.has(resultKey)) continue;
    try {
      const outcome = await lockPersonPeriod(deps, { personId, periodKey: event.periodKey, actor: event.actor, jobId: event.jobId });
      const result: LockJobResult = { personId, ok: true, version: outcome.version, hash: outcome.hash };
      await deps.kv.set(resultKey, result);
    } catch (e) {
      if (e instanceof DomainError && !TRY_AGAIN_CODES.has(e.code)) {
        const result: LockJobResult = { personId, ok: false, code: e.code, message: e.message };
        await deps.kv.set(resultKey, result);
      } else retry ??= e;
    }
  }
  if (retry !== null) throw retry;
  return undefined;
}

export async function readLockJob(kv: KvStore, jobId: string) {
  const job = await kv.get<LockJob>(keys.lockJob(jobId));
  if (!job) throw new DomainError('NOT_FOUND', `there is no job ${JSON.stringify(jobId)}; periods/lock answers with the id of the job it starts`);
  const results = (await queryAll<LockJobResult>(kv, keys.lockJobResultPrefix(jobId))).map((r) => r.value);
  const failed = results.filter((r) => !r.ok);
  return {
    job,
    total: job.people.length,
    done: results.length,
    locked: results.length - failed.length,
    failed: failed.length,
    state: results.length >= job.people.length ? 'done' : 'running',
    failures: failed.slice(0, 50),
  };
}
