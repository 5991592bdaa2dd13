import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateContract } from '../../domain/contract';
import { sha256Hex } from '../../domain/hash';
import { canonicalJson } from '../../domain/canonicalJson';
import { monthPeriod } from '../../domain/period';
import type { PeriodReportInput } from '../../domain/periodReport';
import { createSnapshot, verifySnapshot, type Snapshot } from '../../domain/snapshot';
import { ENGINE_VERSION } from '../../domain/version';

const H = 3600;

const baseInput: PeriodReportInput = {
  person: { id: 'a1', timeZone: 'Europe/Brussels' },
  siteTimeZone: 'UTC',
  period: monthPeriod(2026, 3),
  worklogs: [
    { id: '10', authorId: 'a1', started: Date.parse('2026-03-02T08:00:00Z'), seconds: 8 * H, updated: 1 },
    { id: '9', authorId: 'a1', started: Date.parse('2026-03-28T23:30:00Z'), seconds: 2 * H, updated: 2 },
    { id: '11', authorId: 'someone-else', started: Date.parse('2026-03-03T08:00:00Z'), seconds: H, updated: 3 },
  ],
  contracts: [
    validateContract({ id: 'c1', personId: 'a1', firstDate: '2026-01-01', lastDate: null, schedule: { kind: 'weekly', weeklySeconds: 38 * H, workingDays: [1, 2, 3, 4, 5] }, partTimeFactor: '0.8', holidayCalendarId: 'BE', timeZone: null }),
  ],
  holidayCalendars: [
    { id: 'BE', country: 'BE', region: null, holidays: [{ date: '2026-03-16', name: 'Test day', type: 'public', fraction: 1, regions: null }] },
    { id: 'FR', country: 'FR', region: null, holidays: [] },
  ],
  absences: [{ id: 'v1', personId: 'a1', type: 'vacation', firstDate: '2026-03-10', lastDate: '2026-03-11', portion: { kind: 'whole' } }],
  openingBalanceSeconds: 3600,
  dayPolicy: 'start-day',
};

/** Rebuilds every object with its keys in a shuffled order, at every depth. */
function shuffleKeys(value: unknown, pick: () => number): unknown {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, pick));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value);
  for (let i = entries.length - 1; i > 0; i--) {
    const j = pick() % (i + 1);
    [entries[i], entries[j]] = [entries[j]!, entries[i]!];
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, shuffleKeys(v, pick)]));
}

describe('snapshots', () => {
  it('seal the report with its inputs, only the person’s own, and verify', () => {
    const snap = createSnapshot(baseInput);
    expect(snap.engineVersion).toBe(ENGINE_VERSION);
    expect(snap.periodKey).toBe('2026-03');
    expect(snap.inputs.worklogs.map((w) => w.id)).toEqual(['9', '10']); // numeric order, other authors dropped
    expect(snap.inputs.holidayCalendars.map((c) => c.id)).toEqual(['BE']);
    expect(snap.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(snap.hash).toBe(sha256Hex(canonicalJson({ format: 1, engineVersion: snap.engineVersion, inputs: snap.inputs, report: snap.report } as never)));
    expect(verifySnapshot(snap)).toEqual({ ok: true, hash: snap.hash });
  });

  it('survive a round trip through storage (JSON) unchanged', () => {
    const snap = createSnapshot(baseInput);
    const stored = JSON.parse(JSON.stringify(snap)) as Snapshot;
    expect(verifySnapshot(stored)).toEqual({ ok: true, hash: snap.hash });
  });

  it('an edited figure breaks the hash, and the check says so', () => {
    const snap = createSnapshot(baseInput);
    const edited = JSON.parse(JSON.stringify(snap)) as { report: { totals: { workedSeconds: number } } };
    edited.report.totals.workedSeconds += 1;
    const check = verifySnapshot(edited as unknown as Snapshot);
    expect(check).toMatchObject({ ok: false, reason: 'hash-mismatch' });
    if (!check.ok) expect(check.message).toMatch(/snapshot 2026-03 of a1 was changed after it was sealed/);
  });

  it('an edited report with a recomputed hash is caught by recomputing from the inputs', () => {
    const snap = createSnapshot(baseInput);
    const forged = JSON.parse(JSON.stringify(snap)) as Snapshot & { report: { totals: { closingBalanceSeconds: number } }; hash: string };
    forged.report.totals.closingBalanceSeconds += 36_000;
    forged.hash = sha256Hex(canonicalJson({ format: 1, engineVersion: forged.engineVersion, inputs: forged.inputs, report: forged.report } as never));
    expect(verifySnapshot(forged)).toMatchObject({ ok: false, reason: 'report-mismatch' });
  });

  it('the hash is stable under key order and the order of the input lists', () => {
    const hash = createSnapshot(baseInput).hash;
    fc.assert(
      fc.property(fc.infiniteStream(fc.nat()), (stream) => {
        const it = stream[Symbol.iterator]();
        const pick = () => it.next().value as number;
        const shuffled = shuffleKeys(baseInput, pick) as PeriodReportInput;
        const reordered = { ...shuffled, worklogs: [...shuffled.worklogs].reverse(), holidayCalendars: [...shuffled.holidayCalendars].reverse() };
        expect(createSnapshot(reordered).hash).toBe(hash);
      }),
      { numRuns: 50 },
    );
  });

  it('the hash changes with any input change', () => {
    const hash = createSnapshot(baseInput).hash;
    const changes: ((i: PeriodReportInput) => PeriodReportInput)[] = [
      (i) => ({ ...i, worklogs: i.worklogs.map((w, k) => (k === 0 ? { ...w, seconds: w.seconds + 1 } : w)) }),
      (i) => ({ ...i, worklogs: i.worklogs.map((w, k) => (k === 1 ? { ...w, started: w.started + 1000 } : w)) }),
      (i) => ({ ...i, worklogs: i.worklogs.map((w, k) => (k === 0 ? { ...w, updated: 99 } : w)) }),
      (i) => ({ ...i, worklogs: i.worklogs.slice(1) }),
      (i) => ({ ...i, contracts: [{ ...i.contracts[0]!, partTimeFactor: '0.81' }] }),
      (i) => ({ ...i, holidayCalendars: [{ ...i.holidayCalendars[0]!, holidays: [{ ...i.holidayCalendars[0]!.holidays[0]!, name: 'Renamed' }] }, i.holidayCalendars[1]!] }),
      (i) => ({ ...i, absences: [{ ...i.absences[0]!, type: 'sick' }] }),
      (i) => ({ ...i, openingBalanceSeconds: i.openingBalanceSeconds - 1 }),
      (i) => ({ ...i, dayPolicy: 'split' }),
      (i) => ({ ...i, person: { ...i.person, timeZone: 'Europe/Paris' } }),
      (i) => ({ ...i, siteTimeZone: 'Europe/Paris' }),
      (i) => ({ ...i, period: monthPeriod(2026, 4) }),
    ];
    fc.assert(
      fc.property(fc.constantFrom(...changes.keys()), (k) => {
        expect(createSnapshot(changes[k]!(baseInput)).hash).not.toBe(hash);
      }),
    );
  });
});
