import { workedOn } from '../../support/workedOn';
import { describe, expect, it } from 'vitest';
import { applyWorklogChanges, readWorklogRecords } from '../../../src/app/applyWorklogChanges';
import type { ApplyEvent, IngestEvent } from '../../../src/app/events';
import { handleApplyEvent, handleIngestEvent, type PipelineDeps } from '../../../src/app/handleEvents';
import { onWorklogEvent } from '../../../src/app/onWorklogEvent';
import { keys } from '../../../src/app/storageKeys';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore';
import type { EventQueue, QueuedEvent } from '../../../src/ports';
import { FakeWorklogSource } from '../../support/fakeWorklogSource';

const iso = (ms: number) => new Date(ms).toISOString();

function setup() {
  let now = Date.UTC(2026, 10, 2, 12);
  const clock = { now: () => now, advance: (ms: number) => void (now += ms) };
  const source = new FakeWorklogSource(clock.now, () => 1);
  source.zones.set('acc-a', 'UTC');
  const kv = new MemoryKvStore(clock);
  const queued = { ingest: [] as unknown[], apply: [] as unknown[] };
  const queue = (name: 'ingest' | 'apply'): EventQueue => ({ push: async (es: readonly QueuedEvent[]) => void queued[name].push(...es.map((e) => e.body)) });
  const deps: PipelineDeps = { kv, source, applyQueue: queue('apply'), clock };
  const trigger = { kv, ingestQueue: queue('ingest'), applyQueue: queue('apply') };
  const run = async (name: 'ingest' | 'apply') => {
    for (const b of queued[name].splice(0)) await (name === 'ingest' ? handleIngestEvent(deps, b as IngestEvent) : handleApplyEvent(deps, b as ApplyEvent));
  };
  return { clock, source, kv, trigger, run };
}

describe('a worklog hidden from the app', () => {
  const w = { id: '900', authorId: 'acc-a', issueId: '1', started: Date.UTC(2026, 10, 2, 8), seconds: 3600 };
  const payload = (updated: number, visibility?: object) => ({
    id: w.id,
    issueId: w.issueId,
    author: { accountId: w.authorId },
    started: iso(w.started),
    timeSpentSeconds: w.seconds,
    updated: iso(updated),
    ...(visibility ? { visibility } : {}),
  });

  it('restricted seconds after it was created is not counted, even when the create is applied after the restricted fetch', async () => {
    const { clock, source, kv, trigger, run } = setup();
    const created = clock.now();
    await onWorklogEvent(trigger, { eventType: 'avi:jira:created:worklog', worklog: payload(created) }, created);
    clock.advance(5_000);
    const restricted = clock.now();
    // Restricted to a group the app is not in: /worklog/list no longer returns it.
    await onWorklogEvent(trigger, { eventType: 'avi:jira:updated:worklog', worklog: payload(restricted, { type: 'group', value: 'hr' }) }, restricted);
    // Two queues, no order between them: the fetch finds nothing before the create is applied.
    await run('ingest');
    await run('apply');
    expect(await workedOn(kv, 'acc-a', '2026-11-02')).toBe(0);
    expect(await kv.get(keys.hidden(w.id))).toEqual({ at: restricted });
    void source;
  });

  it('made visible again later (a newer version), it counts again', async () => {
    const { clock, source, kv, trigger, run } = setup();
    const created = clock.now();
    await onWorklogEvent(trigger, { eventType: 'avi:jira:created:worklog', worklog: payload(created) }, created);
    clock.advance(5_000);
    await onWorklogEvent(trigger, { eventType: 'avi:jira:updated:worklog', worklog: payload(clock.now(), { type: 'group', value: 'hr' }) }, clock.now());
    await run('ingest');
    clock.advance(60_000);
    const visible = clock.now();
    source.worklogs.set(w.id, { ...w, source: 'jira', updated: visible });
    await onWorklogEvent(trigger, { eventType: 'avi:jira:updated:worklog', worklog: payload(visible) }, visible);
    await run('apply');
    expect(await workedOn(kv, 'acc-a', '2026-11-02')).toBe(3600);
  });

  it('a fetch that misses the very version it was asked about does not hide that version (a listing that ran ahead of the read)', async () => {
    const { clock, kv, run, trigger } = setup();
    const v = clock.now();
    await trigger.ingestQueue.push([{ body: { kind: 'worklog-ids', ids: [900], times: [v] } }]);
    await run('ingest'); // the source does not return it (yet)
    await applyWorklogChanges(kv, 'acc-a', [{ kind: 'upsert', worklog: { ...w, source: 'jira', updated: v } }]);
    expect(await workedOn(kv, 'acc-a', '2026-11-02')).toBe(3600);
  });
});

describe('index changes belong to the person whose worklog they move', () => {
  const base = { id: '55', source: 'jira', issueId: '1', seconds: 3600 };

  it('a version under another person moves the time from the old person to the new one, never double counting', async () => {
    const kv = new MemoryKvStore();
    await applyWorklogChanges(kv, 'acc-a', [{ kind: 'upsert', worklog: { ...base, authorId: 'acc-a', started: Date.UTC(2026, 10, 2, 9), updated: 1 } }]);
    await applyWorklogChanges(kv, 'acc-b', [{ kind: 'upsert', worklog: { ...base, authorId: 'acc-b', started: Date.UTC(2026, 10, 3, 9), updated: 2 } }]);
    expect(await workedOn(kv, 'acc-a', '2026-11-02')).toBe(0);
    expect(await workedOn(kv, 'acc-b', '2026-11-02')).toBe(0);
    expect(await workedOn(kv, 'acc-b', '2026-11-03')).toBe(3600);
  });

  it('an edit on the same UTC date rewrites its shelf once (a key twice in one transaction would fail the event for ever)', async () => {
    const kv = new MemoryKvStore();
    await applyWorklogChanges(kv, 'acc-a', [{ kind: 'upsert', worklog: { ...base, authorId: 'acc-a', started: Date.UTC(2026, 10, 2, 9), updated: 1 } }]);
    await applyWorklogChanges(kv, 'acc-a', [{ kind: 'upsert', worklog: { ...base, authorId: 'acc-a', started: Date.UTC(2026, 10, 2, 10), seconds: 1800, updated: 2 } }]);
    expect(await workedOn(kv, 'acc-a', '2026-11-02')).toBe(1800);
  });
});

describe('a counted worklog that a sync finds hidden', () => {
  it('loses its time, and counts again when a newer version is visible (no permanent deletion)', async () => {
    const { clock, source, kv, run, trigger } = setup();
    const w = { id: '901', source: 'jira', authorId: 'acc-a', issueId: '1', started: Date.UTC(2026, 10, 2, 8), seconds: 3600, updated: clock.now() };
    await applyWorklogChanges(kv, 'acc-a', [{ kind: 'upsert', worklog: w }]);
    expect(await workedOn(kv, 'acc-a', '2026-11-02')).toBe(3600);

    // Listed as changed at v2, but /worklog/list no longer returns it: restricted.
    clock.advance(60_000);
    const v2 = clock.now();
    await trigger.ingestQueue.push([{ body: { kind: 'worklog-ids', ids: [901], times: [v2] } }]);
    await run('ingest');
    await run('apply');
    expect(await workedOn(kv, 'acc-a', '2026-11-02')).toBe(0);
    expect((await readWorklogRecords(kv, ['901'])).get('901')).toMatchObject({ deleted: false, updated: v2 });

    // Made visible again at v3.
    clock.advance(60_000);
    const v3 = clock.now();
    source.worklogs.set('901', { ...w, updated: v3 });
    await trigger.ingestQueue.push([{ body: { kind: 'worklog-ids', ids: [901], times: [v3] } }]);
    await run('ingest');
    await run('apply');
    expect(await workedOn(kv, 'acc-a', '2026-11-02')).toBe(3600);
  });
});

describe('a worklog out of the app’s sight while it was edited', () => {
  it('counts its edited time once it is readable again, though its version did not change (no permanent zero)', async () => {
    const { clock, source, kv, run, trigger } = setup();
    const w = { id: '902', source: 'jira', authorId: 'acc-a', issueId: '1', started: Date.UTC(2026, 10, 2, 8), seconds: 3600, updated: clock.now() };
    source.worklogs.set(w.id, w);
    await trigger.ingestQueue.push([{ body: { kind: 'worklog-ids', ids: [902], times: [w.updated] } }]);
    await run('ingest');
    await run('apply');
    // Edited to 2 h at T1 while its issue was out of the app's sight (a permission change, which bumps no version).
    const t1 = w.updated + 3_600_000;
    source.worklogs.delete(w.id);
    await trigger.ingestQueue.push([{ body: { kind: 'worklog-ids', ids: [902], times: [t1] } }]);
    await run('ingest');
    await run('apply');
    expect(await workedOn(kv, 'acc-a', '2026-11-02')).toBe(0);
    // Readable again, still at T1: a re-listing at T1 fetches it rather than skipping it as stored.
    source.worklogs.set(w.id, { ...w, seconds: 7200, updated: t1 });
    await trigger.ingestQueue.push([{ body: { kind: 'worklog-ids', ids: [902], times: [t1] } }]);
    await run('ingest');
    await run('apply');
    expect(await workedOn(kv, 'acc-a', '2026-11-02')).toBe(7200);
    void clock;
  });
});
