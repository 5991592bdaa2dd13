import { DomainError, ErrorCode } from './errors';
import { canonicalJson, type JsonValue } from './canonicalJson';
import { sha256Hex } from './hash';
import { compareIdsNumericAware } from './drift';
import { computePeriodReport, type PeriodReport, type PeriodReportInput } from './periodReport';
import { ENGINE_VERSION } from './version';
import type { Worklog } from './worklog';

/**
 * A locked period report with everything that produced it. The hash is the
 * SHA-256 of the canonical JSON of `{ format, engineVersion, inputs, report }`,
 * so it is stable under key order and changes with any input, any figure, or
 * the rules version; recomputing the report from `inputs` reproduces it.
 */
export interface Snapshot {
  readonly format: 1;
  readonly engineVersion: string;
  readonly personId: string;
  readonly periodKey: string;
  readonly inputs: PeriodReportInput;
  readonly report: PeriodReport;
  readonly hash: string;
}

export type SnapshotCheck =
  | { readonly ok: true; readonly hash: string }
  | {
      readonly ok: false;
      readonly reason: 'hash-mismatch' | 'report-mismatch' | 'engine-version';
      readonly message: string;
      readonly expected: string;
      readonly found: string;
    };

/** Only what the report depends on, in one order, so equal inputs always hash alike. */
function normaliseInputs(input: PeriodReportInput): PeriodReportInput {
  const personId = input.person.id;
  const contracts = input.contracts.filter((c) => c.personId === personId).sort((a, b) => (a.firstDate < b.firstDate ? -1 : 1));
  const calendarIds = new Set(contracts.map((c) => c.holidayCalendarId).filter((id): id is string => id !== null));
  const worklogs = input.worklogs
    .filter((w) => w.authorId === personId)
    .map((w): Worklog => ({ id: w.id, authorId: w.authorId, started: w.started, seconds: w.seconds, ...(w.updated === undefined ? {} : { updated: w.updated }) }))
    .sort((a, b) => compareIdsNumericAware(a.id, b.id));
  return {
    ...input,
    worklogs,
    contracts,
    holidayCalendars: input.holidayCalendars.filter((c) => calendarIds.has(c.id)).sort((a, b) => (a.id < b.id ? -1 : 1)),
    absences: input.absences.filter((a) => a.personId === personId).sort((a, b) => (a.firstDate < b.firstDate ? -1 : a.firstDate > b.firstDate ? 1 : a.id < b.id ? -1 : 1)),
  };
}

function contentHash(engineVersion: string, inputs: PeriodReportInput, report: PeriodReport): string {
  const content = { format: 1, engineVersion, inputs, report } as unknown as JsonValue;
  return sha256Hex(canonicalJson(content));
}

/** Computes the report from `input` and seals it with its inputs and the engine version. */
export function createSnapshot(input: PeriodReportInput): Snapshot {
  const inputs = normaliseInputs(input);
  const report = computePeriodReport(inputs);
  // A round trip through JSON is what storage will do; hashing the same shape keeps verify exact.
  const stored = JSON.parse(JSON.stringify({ inputs, report })) as { inputs: PeriodReportInput; report: PeriodReport };
  return {
    format: 1,
    engineVersion: ENGINE_VERSION,
    personId: input.person.id,
    periodKey: input.period.key,
    inputs: stored.inputs,
    report: stored.report,
    hash: contentHash(ENGINE_VERSION, stored.inputs, stored.report),
  };
}

/**
 * Checks a stored snapshot: its hash matches its content (nothing edited
 * since locking), and recomputing from its inputs gives the same report (the
 * rules still agree). A snapshot from another engine version is reported as
 * such rather than recomputed under rules it was not made with.
 */
export function verifySnapshot(snapshot: Snapshot): SnapshotCheck {
  if (snapshot?.format !== 1 || typeof snapshot.hash !== 'string' || snapshot.inputs === undefined || snapshot.report === undefined) {
    throw new DomainError(ErrorCode.invalidSnapshot, 'this is not a snapshot of format 1: it needs format, engineVersion, inputs, report and hash', {});
  }
  const stored = contentHash(snapshot.engineVersion, snapshot.inputs, snapshot.report);
  if (stored !== snapshot.hash) {
    return {
      ok: false,
      reason: 'hash-mismatch',
      message: `snapshot ${snapshot.periodKey} of ${snapshot.personId} was changed after it was sealed: its content hashes to ${stored}, not to the sealed ${snapshot.hash}`,
      expected: snapshot.hash,
      found: stored,
    };
  }
  if (snapshot.engineVersion !== ENGINE_VERSION) {
    return {
      ok: false,
      reason: 'engine-version',
      message: `snapshot ${snapshot.periodKey} of ${snapshot.personId} was made by engine ${snapshot.engineVersion}; this is ${ENGINE_VERSION}, so it is not recomputed (its hash is intact)`,
      expected: snapshot.engineVersion,
      found: ENGINE_VERSION,
    };
  }
  const recomputed = createSnapshot(snapshot.inputs);
  if (recomputed.hash !== snapshot.hash) {
    return {
      ok: false,
      reason: 'report-mismatch',
      message: `recomputing snapshot ${snapshot.periodKey} of ${snapshot.personId} from its own inputs gives hash ${recomputed.hash}, not ${snapshot.hash}`,
      expected: snapshot.hash,
      found: recomputed.hash,
    };
  }
  return { ok: true, hash: snapshot.hash };
}
