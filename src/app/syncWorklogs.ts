import { randomUUID } from 'node:crypto';
import { KvConflictError, QueueRateLimitedError, SourceRateLimitedError, type Clock, type EventQueue, type KvStore, type QueuedEvent, type WorklogSource } from '../ports';
import type { IngestEvent } from './events';
import type { SyncEvent } from './handleSyncEvent';
import { LEASE_MS, LEASE_SECONDS, type SyncProgress } from './importProgress';
import { takeOverOnce } from './mutex';
// Page events are gathered up to one full push request (Forge's limits, as pushInChunks keeps them).
import { MAX_BYTES_PER_PUSH, MAX_EVENTS_PER_PUSH, pushInChunks } from './pushInChunks';
import { keys } from './storageKeys';

export interface SyncDeps {
  readonly kv: KvStore;
  readonly source: WorklogSource;
  readonly ingestQueue: EventQueue;
  readonly clock: Clock;
  /** Where a continuation goes. Without it, `continue` is returned and the caller continues the run itself. */
  readonly syncQueue?: EventQueue;
}

/** A run to begin (no runId: an import starts, a reconcile begins), or an event of a run, which carries its step. */
export type SyncOptions = { readonly mode: 'import' | 'reconcile'; readonly deadline: number } & (
  | { readonly runId?: undefined; readonly step?: undefined; readonly start?: undefined }
  | {
      readonly runId: string;
      /** The continuation this invocation was pushed as; a step lower than the run's is a stale duplicate. */
      readonly step: number;
      /** This starts the import `runId`: only then are the cursors reset. */
      readonly start?: boolean;
    }
);

/**
 * `done`: everything listed. `continue`: stopped at the deadline; the
 * continuation (`step`) is pushed when `syncQueue` was given. `handover`:
 * stopped before the invocation chain's push limit; the next scheduled
 * reconcile continues. `busy`: another invocation holds the lease.
 * `stopped`: nothing to do (`reason`: superseded, already listed, or an
 * import in progress that a reconcile leaves alone).
 */
export type SyncOutcome = {
  readonly status: 'done' | 'continue' | 'handover' | 'busy' | 'stopped';
  readonly listed: number;
  readonly runId: string | null;
  readonly mode?: 'import' | 'reconcile';
  readonly step?: number;
  readonly reason?: string;
};

/**
 * Forge allows 1000 push requests in one invocation chain, downstream handlers
 * included; a run hands over to the next scheduled reconcile (a fresh chain)
 * before it reaches this many, leaving room for retries that push again.
 */
export const CHAIN_PUSH_LIMIT = 800;
/** A run's own earlier invocation with the same step is taken to be dead once its progress is this old (a platform retry after a timeout). */
const TAKEOVER_IDLE_MS = 60_000;

interface Lease {
  /** The run holding the lease. */
  readonly owner: string;
  readonly step: number;
  /** One invocation's own id, so that it releases only its own lease. */
  readonly token: string;
  /** Epoch ms. KVS purges an expired key lazily (up to 48 h later), so expiry is read from here, not from the key's presence. */
  readonly expiresAt: number;
}

const keySafe = (s: string) => s.replace(/[^a-zA-Z0-9:._-]/g, '_').slice(0, 100);

/**
 * Takes the lease when it is free, expired (by its `expiresAt`: an expired
 * key may still be read), or held by this run's own earlier step or by its
 * own dead invocation of this step (no progress for TAKEOVER_IDLE_MS: the
 * platform retrying a timed-out event).
 */
async function acquireLease(kv: KvStore, me: Lease, now: number, lastProgressAt: number | undefined): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await kv.set(keys.syncLease, me, { ifAbsent: true, ttlSeconds: LEASE_SECONDS });
      return true;
    } catch (e) {
      if (!(e instanceof KvConflictError)) throw e;
    }
    const held = await kv.get<Lease>(keys.syncLease);
    if (held === undefined) continue; // released meanwhile: try again
    const expired = held.expiresAt <= now;
    const ownRun =
      held.owner === me.owner && (held.step < me.step || (held.step === me.step && lastProgressAt !== undefined && now - lastProgressAt >= TAKEOVER_IDLE_MS));
    if (!expired && !ownRun) return false;
    const lease = keySafe(`${held.owner}-${held.step}-${held.expiresAt}`);
    if (!(await takeOverOnce(kv, (generation) => keys.syncLeaseClaim(lease, generation), me.token, now, LEASE_SECONDS))) return false;
    await kv.set(keys.syncLease, me, { ttlSeconds: LEASE_SECONDS });
    return true;
  }
  return false;
}

async function releaseLease(kv: KvStore, token: string): Promise<void> {
  try {
    const held = await kv.get<Lease>(keys.syncLease);
    if (held?.token === token) await kv.delete(keys.syncLease);
  } catch {
    // The lease expires by itself (LEASE_SECONDS); the run's outcome stands.
  }
}

/** Run ids embed their start time (`i` or `r` and 13 digits); `a` is newer than `b` when both do and its time is later. */
function isNewer(a: string, b: string): boolean {
  const t = (id: string) => (/^[ir]\d{13}$/.test(id) ? Number(id.slice(1)) : undefined);
  const ta = t(a);
  const tb = t(b);
  return ta !== undefined && tb !== undefined && ta > tb;
}

type Plan =
  | { readonly kind: 'stop'; readonly reason: string }
  | {
      readonly kind: 'run';
      readonly mode: 'import' | 'reconcile';
      readonly runId: string;
      readonly step: number;
      /** Reset the cursors and the run's record: only when an import starts. */
      readonly start: boolean;
      /** This invocation begins an invocation chain of its own (its push count starts afresh). */
      readonly newChain: boolean;
      /** Push requests already made in the chain when it is new (the push that delivered a start event). */
      readonly chainPushesAtStart: number;
    };

const stop = (reason: string): Plan => ({ kind: 'stop', reason });

/**
 * What an invocation does, from its options and the two run records. Pure:
 * it is decided before the lease (to know which run asks for it) and again
 * under the lease (the records may have moved on meanwhile).
 */
function plan(options: SyncOptions, imp: SyncProgress | undefined, rec: SyncProgress | undefined, now: number): Plan {
  const newRunId = (prefix: string) => `${prefix}${String(now).padStart(13, '0')}`;
  if (options.mode === 'import') {
    if (!options.runId) return { kind: 'run', mode: 'import', runId: newRunId('i'), step: 0, start: true, newChain: true, chainPushesAtStart: 1 };
    const runId = options.runId;
    if (typeof options.step !== 'number') return stop(`an event of import ${runId} without its step`);
    const step = options.step;
    if (imp && imp.runId !== runId && isNewer(imp.runId, runId)) return stop(`superseded by import ${imp.runId}`);
    if (imp?.runId === runId && imp.status !== 'queued') {
      if (imp.status === 'listed') return stop('already listed');
      if (step < imp.step) return stop(`a stale event (step ${step}; the run is at step ${imp.step})`);
      return { kind: 'run', mode: 'import', runId, step, start: false, newChain: false, chainPushesAtStart: 0 };
    }
    // This run has not started: only its start event starts it.
    if (options.start) return { kind: 'run', mode: 'import', runId, step, start: true, newChain: true, chainPushesAtStart: 1 };
    return stop(`no record of import ${runId}`);
  }

  // Reconcile. An unfinished import comes first: the reconcile leaves a live one alone (it lists
  // everything up to now anyway), and continues, as that import and in a chain of its own, one that
  // was handed over, failed, or went quiet (its continuation lost).
  if (imp && (imp.status === 'listing' || imp.status === 'handover' || imp.status === 'failed' || imp.status === 'queued')) {
    const quiet = now - imp.updatedAt > LEASE_MS;
    if ((imp.status === 'listing' || imp.status === 'queued') && !quiet) return stop(`import ${imp.runId} is in progress`);
    if (imp.status !== 'queued') {
      if (options.runId) return stop(`import ${imp.runId} is unfinished; the scheduled reconcile continues it`);
      return { kind: 'run', mode: 'import', runId: imp.runId, step: imp.step + 1, start: false, newChain: true, chainPushesAtStart: 0 };
    }
    // A `queued` import that never started (its start event was never pushed): an ordinary reconcile.
  }
  if (!options.runId) return { kind: 'run', mode: 'reconcile', runId: newRunId('r'), step: 0, start: false, newChain: true, chainPushesAtStart: 0 };
  const runId = options.runId;
  // A queue body is JSON: the type cannot promise that an event of a run carries its step.
  if (typeof options.step !== 'number') return stop(`an event of reconcile ${runId} without its step`);
  if (rec?.runId !== runId) return stop(rec ? `superseded by reconcile ${rec.runId}` : `no record of reconcile ${runId}`);
  if (rec.status === 'listed') return stop('already listed');
  if (options.step < rec.step) return stop(`a stale event (step ${options.step}; the run is at step ${rec.step})`);
  return { kind: 'run', mode: 'reconcile', runId, step: options.step, start: false, newChain: false, chainPushesAtStart: 0 };
}

/** Thrown inside a run that finds its record taken over by a newer run or step. */
class Superseded extends Error {}

const isRateLimit = (e: unknown) => e instanceof SourceRateLimitedError || e instanceof QueueRateLimitedError;

/**
 * Lists worklogs changed and deleted since the stored cursors and queues
 * them for ingestion, a page (≤ 1000 ids) per event, up to 50 events (one
 * push's worth) per push request. Each cursor moves only after its pages'
 * events are pushed, so a crash repeats work (harmless: ingestion is
 * idempotent) and never skips it.
 *
 * Runs are imports (`sync#progress`) or reconciles (`sync#reconcile`), each
 * continued across invocations by `runId` and `step`. The cursors are reset
 * only when an import starts. Stops cleanly at `deadline` (`continue`), or
 * before the invocation chain reaches CHAIN_PUSH_LIMIT push requests counting
 * the ingest pushes each page causes (`handover`: the next scheduled
 * reconcile continues the run in a new chain). A lease with an `expiresAt`
 * keeps invocations apart; see acquireLease for when one is taken over.
 */
export async function syncWorklogs(deps: SyncDeps, options: SyncOptions): Promise<SyncOutcome> {
  const { kv, clock } = deps;
  const now = clock.now();
  const read = async () => [await kv.get<SyncProgress>(keys.syncProgress), await kv.get<SyncProgress>(keys.syncReconcile)] as const;
  const records = await read();
  const before = plan(options, ...records, now);
  if (before.kind === 'stop') return { status: 'stopped', listed: 0, runId: options.runId ?? null, reason: before.reason };
  const recordKey = before.mode === 'import' ? keys.syncProgress : keys.syncReconcile;
  // Only this run's own record says when its (possibly dead) invocation last made progress.
  const ownRecord = records[before.mode === 'import' ? 0 : 1];
  const lastProgressAt = ownRecord?.runId === before.runId ? ownRecord.updatedAt : undefined;
  const token = randomUUID();
  if (!(await acquireLease(kv, { owner: before.runId, step: before.step, token, expiresAt: now + LEASE_MS }, now, lastProgressAt))) {
    return { status: 'busy', listed: 0, runId: null };
  }
  const { runId, step, mode } = before;
  let progress: SyncProgress | undefined;
  try {
    // Under the lease, the records may have moved on (a duplicate ran first): decide again.
    const [importRecord, reconcileRecord] = await read();
    const decided = plan(options, importRecord, reconcileRecord, now);
    if (decided.kind === 'stop') return { status: 'stopped', listed: 0, runId, reason: decided.reason };
    if (decided.runId !== runId || decided.step !== step || decided.mode !== mode) return { status: 'stopped', listed: 0, runId, reason: 'another run started meanwhile' };
    const existing = mode === 'import' ? importRecord : reconcileRecord;
    const fresh = decided.start || existing?.runId !== runId;
    if (fresh) {
      progress = { runId, mode, status: 'listing', startedAt: now, updatedAt: now, listed: 0, pages: 0, step, chainPushes: decided.chainPushesAtStart, chains: 1 };
    } else {
      const { message: _previousMessage, ...kept } = existing!;
      progress = {
        ...kept,
        status: 'listing',
        updatedAt: now,
        step,
        chainPushes: decided.newChain ? decided.chainPushesAtStart : (kept.chainPushes ?? 0),
        chains: (kept.chains ?? 1) + (decided.newChain ? 1 : 0),
      };
    }
    await kv.transact([
      ...(decided.start ? [{ kind: 'delete' as const, key: keys.updatedCursor }, { kind: 'delete' as const, key: keys.deletedCursor }] : []),
      { kind: 'set' as const, key: recordKey, value: progress },
    ]);

    // Page events gathered for one push request, and where each cursor may move once they are pushed.
    let buffer: QueuedEvent[] = [];
    let bufferBytes = 0;
    let bufferIds = 0;
    let bufferPages = 0;
    const cursorAfterPush: { updated?: number; deleted?: number } = {};
    /** A newer run or this run's next step has taken the record over, or another invocation the lease: this one stops. */
    const assertCurrent = async () => {
      const current = await kv.get<SyncProgress>(recordKey);
      if (current?.runId !== runId || current.step > step || current.status === 'listed') throw new Superseded();
      if ((await kv.get<Lease>(keys.syncLease))?.token !== token) throw new Superseded();
    };
    const flush = async () => {
      if (buffer.length === 0) {
        // Empty pages: counted, written with the next push or the run's outcome.
        progress = { ...progress!, pages: progress!.pages + bufferPages };
        bufferPages = 0;
        return;
      }
      await assertCurrent();
      const pushes = await pushInChunks(deps.ingestQueue, buffer);
      progress = {
        ...progress!,
        listed: progress!.listed + bufferIds,
        pages: progress!.pages + bufferPages,
        // Each ingest event causes about one apply push further down the chain.
        chainPushes: (progress!.chainPushes ?? 0) + pushes + buffer.length,
        updatedAt: clock.now(),
      };
      await kv.transact([
        ...(cursorAfterPush.updated !== undefined ? [{ kind: 'set' as const, key: keys.updatedCursor, value: cursorAfterPush.updated }] : []),
        ...(cursorAfterPush.deleted !== undefined ? [{ kind: 'set' as const, key: keys.deletedCursor, value: cursorAfterPush.deleted }] : []),
        { kind: 'set' as const, key: recordKey, value: progress },
      ]);
      buffer = [];
      bufferBytes = bufferIds = bufferPages = 0;
      delete cursorAfterPush.updated;
      delete cursorAfterPush.deleted;
    };
    /** Listing one more page could take the chain past its limit: the buffer's pushes, the page's, their apply pushes, a continuation. */
    const chainFull = () => (progress!.chainPushes ?? 0) + (buffer.length + 1) + 2 + 1 > CHAIN_PUSH_LIMIT;

    let stoppedBy: 'deadline' | 'chain' | null = null;
    for (const phase of ['updated', 'deleted'] as const) {
      if (phase === 'deleted' && chainFull()) {
        stoppedBy = 'chain';
        break;
      }
      const cursorKey = phase === 'updated' ? keys.updatedCursor : keys.deletedCursor;
      const since = (await kv.get<number>(cursorKey)) ?? 0;
      let cursor = since;
      const pages = phase === 'updated' ? deps.source.updatedSince(since) : deps.source.deletedSince(since);
      for await (const page of pages) {
        if (page.ids.length > 0) {
          const batch = `${runId}-${phase[0]}${String(progress.pages + bufferPages).padStart(6, '0')}`;
          const body: IngestEvent =
            phase === 'updated'
              ? { kind: 'worklog-ids', ids: page.ids, times: page.times, batch }
              : { kind: 'deleted', items: page.ids.map((id, i) => ({ id, at: page.times[i]! })), batch };
          const event: QueuedEvent = { body: body as unknown as QueuedEvent['body'] };
          const size = Buffer.byteLength(JSON.stringify(event), 'utf8');
          if (buffer.length === MAX_EVENTS_PER_PUSH || (buffer.length > 0 && bufferBytes + size > MAX_BYTES_PER_PUSH)) await flush();
          buffer.push(event);
          bufferBytes += size;
          bufferIds += page.ids.length;
          // The next run starts at `until` (the boundary millisecond is listed again, harmlessly),
          // or just past it when a page made no progress, so a continuation can never stall.
          cursor = page.until > cursor ? page.until : cursor + 1;
          cursorAfterPush[phase] = cursor;
        }
        bufferPages++;
        if (!page.lastPage) {
          if (chainFull()) stoppedBy = 'chain';
          else if (clock.now() >= options.deadline) stoppedBy = 'deadline';
          if (stoppedBy) break;
        }
      }
      if (stoppedBy) break;
    }
    await flush();
    await assertCurrent();

    if (stoppedBy === null) {
      progress = { ...progress, status: 'listed', updatedAt: clock.now() };
      await kv.set(recordKey, progress);
      return { status: 'done', listed: progress.listed, runId, mode };
    }
    if (stoppedBy === 'chain') {
      // No continuation: this chain has spent its pushes. The step moves on, so that a stray event of this chain stops.
      progress = {
        ...progress,
        status: 'handover',
        step: step + 1,
        updatedAt: clock.now(),
        message: `paused after ${progress.chainPushes ?? 0} push requests in one invocation chain (Forge allows 1000); the next scheduled reconcile continues it`,
      };
      await kv.set(recordKey, progress);
      return { status: 'handover', listed: progress.listed, runId, mode };
    }
    // The deadline: the record names the continuation's step before it is pushed (undone if the push fails).
    const listedSoFar: SyncProgress = progress;
    progress = { ...listedSoFar, step: step + 1, chainPushes: (listedSoFar.chainPushes ?? 0) + (deps.syncQueue ? 1 : 0), updatedAt: clock.now() };
    await kv.set(recordKey, progress);
    if (deps.syncQueue) {
      const next: SyncEvent = { kind: 'sync', mode, runId, step: step + 1 };
      // Free the lease first: once the continuation is pushed it may take the lease at once, and a
      // release after that (a read, then a delete) could remove the continuation's lease.
      await releaseLease(kv, token);
      try {
        await deps.syncQueue.push([{ body: next as unknown as QueuedEvent['body'] }]);
      } catch (e) {
        progress = listedSoFar;
        await kv.set(recordKey, listedSoFar).catch(() => undefined);
        throw e;
      }
    }
    return { status: 'continue', listed: progress.listed, runId, mode, step: step + 1 };
  } catch (e) {
    if (e instanceof Superseded) return { status: 'stopped', listed: progress?.listed ?? 0, runId, reason: 'superseded by a newer run or step' };
    const failed = await kv.get<SyncProgress>(recordKey).catch(() => undefined);
    if (failed?.runId === runId && failed.step <= step) {
      const message = (e as Error).message.slice(0, 500);
      // A rate limit is a wait, not a failure: the event is retried after it. An import that failed
      // before its cursors were reset stays `queued`, so that its retry starts it from the beginning.
      const status = isRateLimit(e) || failed.status === 'queued' ? failed.status : 'failed';
      await kv.set(recordKey, { ...failed, status, message, updatedAt: clock.now() }).catch(() => undefined);
    }
    throw e;
  } finally {
    await releaseLease(kv, token);
  }
}
