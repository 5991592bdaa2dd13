import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { DayPolicy } from '../../../domain/dayAssignment';
import { validateContract } from '../../../domain/contract';
import { rangePeriod } from '../../../domain/period';
import { computePeriodReport } from '../../../domain/periodReport';
import { shelfEntries, type StoredShelf } from '../../../src/app/applyWorklogChanges';
import { worklogsAround } from '../../../src/app/loadReport';
import type { ApplyEvent, IngestEvent } from '../../../src/app/events';
import { handleApplyEvent, handleIngestEvent, type PipelineDeps } from '../../../src/app/handleEvents';
import { onWorklogEvent } from '../../../src/app/onWorklogEvent';
import { keys } from '../../../src/app/storageKeys';
import { syncWorklogs } from '../../../src/app/syncWorklogs';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore';
import type { KvStore, QueuedEvent } from '../../../src/ports';
import { FakeWorklogSource } from '../../support/fakeWorklogSource';
import { FaultyKvStore } from '../../support/faultyKvStore';
import { SimulatedQueues, type Delivery } from '../../support/simulatedQueue';
import { pseudonymsFor } from '../../../src/app/pseudonyms';

const PEOPLE: Record<string, string | null> = { 'acc-a': 'Europe/Brussels', 'acc-b': 'Australia/Lord_Howe', 'acc-c': null };
const SITE_ZONE = 'Asia/Kathmandu';
const ISSUES = ['101', '102', '103'];
const T0 = Date.UTC(2026, 2, 27, 20);

type Command =
  | { kind: 'create'; person: string; issue: string; startOffsetMinutes: number; seconds: number }
  | { kind: 'update'; pick: number; startOffsetMinutes: number; seconds: number }
  | { kind: 'delete'; pick: number }
  | { kind: 'delete-issue'; issue: string }
  | { kind: 'deliver'; pick: number; concurrently: boolean; duplicate: boolean }
  | { kind: 'reconcile' };

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('create' as const), person: fc.constantFrom(...Object.keys(PEOPLE)), issue: fc.constantFrom(...ISSUES), startOffsetMinutes: fc.integer({ min: 0, max: 3 * 24 * 60 }), seconds: fc.integer({ min: 60, max: 12 * 3600 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('update' as const), pick: fc.nat(), startOffsetMinutes: fc.integer({ min: 0, max: 3 * 24 * 60 }), seconds: fc.integer({ min: 60, max: 30 * 3600 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete-issue' as const), issue: fc.constantFrom(...ISSUES) }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('deliver' as const), pick: fc.nat(), concurrently: fc.boolean(), duplicate: fc.boolean() }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'reconcile' as const }) },
);

const totals = { sequences: 0, events: 0, deliveries: 0, crashes: 0, rateLimits: 0, triggersLost: 0 };

/** Every counted worklog in the store's index, by id: [person, started, seconds]. */
async function allIndexed(kv: KvStore): Promise<Record<string, [string, number, number]>> {
  const out: Record<string, [string, number, number]> = {};
  for (const prefix of ['day#', 'long#']) {
    let cursor: string | undefined;
    do {
      const page = await kv.query<StoredShelf>(prefix, { limit: 100, ...(cursor ? { cursor } : {}) });
      for (const r of page.results) {
        const personId = r.key.split('#')[1]!;
        for (const w of shelfEntries(r.value)) {
          expect(out[w.id], `worklog ${w.id} is on two shelves`).toBeUndefined();
          out[w.id] = [personId, w.started, w.seconds];
        }
      }
      cursor = page.nextCursor;
    } while (cursor);
  }
  return out;
}

function expectedIndex(source: FakeWorklogSource): Record<string, [string, number, number]> {
  const out: Record<string, [string, number, number]> = {};
  for (const w of source.worklogs.values()) if (w.seconds > 0) out[w.id] = [w.authorId, w.started, w.seconds];
  return out;
}

async function runSequence(commands: Command[], policy: DayPolicy, seed: number): Promise<void> {
  let rng = seed >>> 0;
  const random = () => ((rng = (rng * 1_103_515_245 + 12_345) >>> 0) / 2 ** 32);
  let now = T0;
  const clock = { now: () => now };
  const source = new FakeWorklogSource(clock.now, random);
  for (const [id, zone] of Object.entries(PEOPLE)) source.zones.set(id, zone);
  const store = new MemoryKvStore(clock);
  await store.set(keys.settings, { siteTimeZone: SITE_ZONE, dayPolicy: policy });
  // The site's pseudonym key exists before the pipeline runs (made once per site; test/src/app/pseudonyms.test.ts races its making).
  await pseudonymsFor(store);
  const kv = new FaultyKvStore(store, random);
  const queues = new SimulatedQueues();
  const ingest = queues.queue('ingest');
  const deps: PipelineDeps = { kv, source, applyQueue: queues.queue('apply'), clock };
  let nextId = 10_000;
  const trigger = (body: IngestEvent) => ingest.push([{ body: body as unknown as QueuedEvent['body'] }]);
  const iso = (ms: number) => new Date(ms).toISOString();
  /** Forge's worklog trigger: a failure asks for a retry, which the platform grants at most 4 times; then the event is lost. */
  const productEvent = async (type: 'created' | 'updated' | 'deleted', w: { id: string; issueId?: string; authorId: string; started: number; seconds: number; updated: number }) => {
    const payload = { eventType: `avi:jira:${type}:worklog`, worklog: { id: w.id, issueId: w.issueId, author: { accountId: w.authorId }, started: iso(w.started), timeSpentSeconds: w.seconds, updated: iso(w.updated) } };
    for (let attempt = 0; attempt <= 4; attempt++) {
      if (random() < 0.4) continue; // the push was refused (too many events this minute): a failed attempt
      try {
        await onWorklogEvent({ kv, ingestQueue: ingest, applyQueue: deps.applyQueue }, payload, now);
        return;
      } catch {
        // retried by the platform
      }
    }
    totals.triggersLost++;
  };

  const deliver = async (d: Delivery): Promise<void> => {
    d.attempts++;
    totals.deliveries++;
    try {
      const body = d.event.body as unknown;
      const retry = d.queue === 'ingest' ? await handleIngestEvent(deps, body as IngestEvent) : await handleApplyEvent(deps, body as ApplyEvent);
      if (retry) {
        totals.rateLimits++;
        queues.pending.push(d);
      }
    } catch {
      totals.crashes++;
      queues.pending.push(d); // at least once: a failed delivery comes back
    }
  };
  const sameKey = (a: Delivery, b: Delivery) => a.event.concurrencyKey !== undefined && a.event.concurrencyKey === b.event.concurrencyKey;

  const live = () => [...source.worklogs.keys()];
  const deletedIssues = new Set<string>();
  kv.failureChance = 0.15;
  source.rateLimitChance = 0.1;
  for (const c of commands) {
    now += 1000;
    if (c.kind === 'create') {
      if (deletedIssues.has(c.issue)) continue; // nobody logs work on a deleted issue
      const id = String(nextId++);
      const w = { id, authorId: c.person, issueId: c.issue, started: T0 + c.startOffsetMinutes * 60_000, seconds: c.seconds, updated: now };
      source.worklogs.set(id, w);
      if (random() < 0.5) await productEvent('created', w);
      else await trigger({ kind: 'worklog-ids', ids: [Number(id)] });
    } else if (c.kind === 'update' || c.kind === 'delete') {
      const ids = live();
      if (ids.length === 0) continue;
      const id = ids[c.pick % ids.length]!;
      if (c.kind === 'update') {
        const w = { ...source.worklogs.get(id)!, started: T0 + c.startOffsetMinutes * 60_000, seconds: c.seconds, updated: now };
        source.worklogs.set(id, w);
        if (random() < 0.5) await productEvent('updated', w);
        else await trigger({ kind: 'worklog-ids', ids: [Number(id)] });
      } else {
        const w = source.worklogs.get(id)!;
        source.worklogs.delete(id);
        source.deleted.set(id, now);
        if (random() < 0.5) await productEvent('deleted', { ...w, updated: now });
        else await trigger({ kind: 'deleted', items: [{ id: Number(id), at: now }] });
      }
    } else if (c.kind === 'delete-issue') {
      // Jira sends no worklog events for a deleted issue's worklogs, and lists none as deleted.
      deletedIssues.add(c.issue);
      for (const [id, w] of source.worklogs) if (w.issueId === c.issue) source.worklogs.delete(id);
      await trigger({ kind: 'issue-deleted', issueId: c.issue, at: now });
    } else if (c.kind === 'reconcile') {
      now += 120_000;
      await syncWorklogs({ kv, source, ingestQueue: ingest, clock }, { mode: 'reconcile', deadline: now + 60_000 }).catch(() => undefined);
    } else {
      const first = queues.take(c.pick);
      if (!first) continue;
      if (c.duplicate) queues.pending.push({ ...first, attempts: 0 });
      const second = c.concurrently ? queues.take(c.pick * 7 + 3) : undefined;
      if (second && sameKey(first, second)) {
        queues.pending.push(second);
        await deliver(first);
      } else {
        await Promise.all([deliver(first), ...(second ? [deliver(second)] : [])]);
      }
    }
  }
  totals.events += queues.pushed;

  // The scheduled reconcile runs at last (it always comes round again), finding what lost trigger events missed.
  now += 120_000;
  for (let attempt = 0; ; attempt++, now += 3_600_000) {
    try {
      const outcome = await syncWorklogs({ kv, source, ingestQueue: ingest, clock }, { mode: 'reconcile', deadline: now + 60_000 });
      if (outcome.status === 'done') break;
    } catch (e) {
      if (attempt > 50) throw e; // a crashed run's lease expires before the next hourly run
    }
  }

  // Drain: faults stay on, every failed delivery comes back until it succeeds.
  for (let steps = 0; queues.pending.length > 0; steps++) {
    if (steps > 20_000) throw new Error(`the queue did not drain: ${queues.pending.length} events left`);
    await deliver(queues.take(Math.floor(random() * 1e6))!);
  }
  expect(await allIndexed(store)).toEqual(expectedIndex(source));

  // Reports read from the store equal reports recomputed from the source's worklogs.
  for (const [personId, zone] of Object.entries(PEOPLE)) {
    const input = {
      person: { id: personId, timeZone: zone },
      siteTimeZone: SITE_ZONE,
      period: rangePeriod('2026-03-26', '2026-04-02'),
      contracts: [validateContract({ id: `c-${personId}`, personId, firstDate: '2026-01-01', lastDate: null, schedule: { kind: 'weekly', weeklySeconds: 144_000, workingDays: [1, 2, 3, 4, 5] } })],
      holidayCalendars: [],
      absences: [],
      openingBalanceSeconds: 0,
      dayPolicy: policy,
    };
    const fromSource = computePeriodReport({ ...input, worklogs: [...source.worklogs.values()].filter((w) => w.authorId === personId) });
    const stored = await worklogsAround(store, personId, input.period.firstDate, input.period.lastDate);
    expect(computePeriodReport({ ...input, worklogs: stored })).toEqual(fromSource);
  }
}

describe('fault tolerance of the event pipeline', () => {
  afterAll(() => {
    console.log(
      `fault tolerance: ${totals.sequences} sequences, ${totals.events} events pushed, ${totals.deliveries} deliveries, ${totals.crashes} crashed, ${totals.rateLimits} rate-limited retries, ${totals.triggersLost} trigger events lost after 4 retries (found by the reconcile)`,
    );
  });

  for (const policy of ['start-day', 'split'] as const) {
    it(`any sequence of creates, updates, deletes and issue deletions, delivered with duplication, reordering, crashes, KVS failures and 429s, ends equal to a full recompute (${policy})`, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(commandArb, { minLength: 1, maxLength: 120 }), fc.integer(), async (commands, seed) => {
          totals.sequences++;
          await runSequence(commands, policy, seed);
        }),
        { numRuns: 200 },
      );
    });
  }
});
