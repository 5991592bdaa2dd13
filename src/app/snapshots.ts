import { canonicalJson, type JsonValue } from '../../domain/canonicalJson';
import { computeDrift, type DriftWorklog, type WorklogDrift } from '../../domain/drift';
import { DomainError, ErrorCode } from '../../domain/errors';
import { sha256Hex } from '../../domain/hash';
import type { PeriodReport, PeriodReportInput } from '../../domain/periodReport';
import { verifySnapshot, type Snapshot, type SnapshotCheck } from '../../domain/snapshot';
import type { Worklog } from '../../domain/worklog';
import { KvConflictError, type KvStore } from '../ports';
import { peopleNamed, type Pseudonyms } from './pseudonyms';
import { readPeriodState } from './periodState';
import { listSnapshotVersion } from './snapshotList';
import { keys } from './storageKeys';

export { listSnapshots, type SnapshotListing, type SnapshotPage } from './snapshotList';

/**
 * Locked period snapshots in KVS, chunked under the 240 KiB value limit.
 *
 *   writeSnapshot(kv, personId, periodKey, version, snapshot, meta, options?) → { manifest, written }
 *   readSnapshot(kv, personId, periodKey, version?)  → { snapshot, manifest, verification }   latest sealed version by default
 *   latestSnapshotVersion(kv, personId, periodKey)    → number                                0 when none
 *   listSnapshots(kv, filter?, page?)                 → SnapshotPage                           a page of versions, newest first (src/app/snapshotList.ts)
 *   lockedReport(kv, personId, periodKey)             → LockedReport | undefined               the report of a locked period, from its snapshot
 *   driftOf(snapshot, currentWorklogs, personId)      → WorklogDrift                           what changed since the snapshot
 *
 * Layout: `snap#<person>#<periodKey>#<version 4 digits>#<part 3 digits>`. Parts
 * 001… hold the snapshot's canonical JSON text in slices of at most 200 KB
 * (as stored, escapes included); part 000 is the manifest, written last, with
 * the snapshot hash, the SHA-256 of every part, the part count and the engine
 * version. A version exists once its manifest does ("sealed"), and a sealed
 * version never changes: every write is create-only, so a retry writes nothing
 * twice and different content under a taken version is refused
 * (SNAPSHOT_VERSION_TAKEN). Reading checks every part against the manifest and
 * the whole against its hash, naming a missing (SNAPSHOT_PART_MISSING) or
 * altered (SNAPSHOT_ALTERED) part. Once sealed, a version is listed for snapshots/list
 * (src/app/snapshotList.ts): a retry that finds it sealed lists it again, in case the first writer
 * stopped in between.
 */

/** Bytes one part may take as stored (its JSON string, quotes and escapes included): well under KVS's 240 KiB. */
export const SNAPSHOT_PART_BYTES = 200_000;
const MAX_VERSION = 9999;
const MAX_PARTS = 999;
/** Parts read per getMany (or query page): 4 × 200 KB stays under a megabyte a call. */
export const SNAPSHOT_PARTS_PER_READ = 4;
const READ_BATCH = SNAPSHOT_PARTS_PER_READ;

export interface SnapshotManifest {
  readonly format: 1;
  readonly personId: string;
  readonly periodKey: string;
  readonly version: number;
  /** The snapshot's own content hash (domain/snapshot.ts). */
  readonly hash: string;
  readonly engineVersion: string;
  readonly partCount: number;
  /** SHA-256 of each part's text, part 001 first, so an altered part is named. */
  readonly partHashes: readonly string[];
  /** UTF-8 bytes of the whole canonical text. */
  readonly bytes: number;
  readonly lockedAt: number;
  readonly lockedBy: string;
  /** The lock job that wrote it, or null when written outside a job. */
  readonly jobId: string | null;
}

export interface SnapshotMeta {
  readonly lockedAt: number;
  /** Who locked it, as the manifest keeps it: the locker's pseudonym. */
  readonly lockedBy: string;
  readonly jobId?: string;
  /** Whom the snapshot is of, as it names them (the person's pseudonym); default the account id. */
  readonly subject?: string;
}

export interface WriteSnapshotOptions {
  /**
   * Overwrite parts an earlier attempt left without a manifest when their content differs (the inputs
   * changed between a crash and the retry). Only for a writer that owns the version (periodLock claims
   * it first); without it such a part is refused as SNAPSHOT_PART_CONFLICT.
   */
  readonly replaceUnsealed?: boolean;
}

export interface StoredSnapshot {
  readonly snapshot: Snapshot;
  readonly manifest: SnapshotManifest;
  /**
   * The domain's check: its hash is always intact here (an altered snapshot throws); `engine-version`
   * says it was made by another engine version, `report-mismatch` that this engine computes it differently.
   */
  readonly verification: SnapshotCheck;
}

export interface LockedReport {
  readonly report: PeriodReport;
  readonly lock: {
    readonly version: number;
    readonly hash: string;
    readonly engineVersion: string;
    readonly lockedAt: number;
    readonly lockedBy: string;
    readonly verification: SnapshotCheck;
  };
}

const snapshotError = (code: string, message: string, details: Record<string, unknown>) => new DomainError(code, message, details);

function checkIds(personId: string, periodKey: string, version?: number): void {
  if (typeof personId !== 'string' || personId === '') throw snapshotError(ErrorCode.invalidInput, `a snapshot needs the person's account id; got ${JSON.stringify(personId)}`, { field: 'personId' });
  if (typeof periodKey !== 'string' || periodKey === '') throw snapshotError(ErrorCode.invalidInput, `a snapshot needs a period key such as "2026-11"; got ${JSON.stringify(periodKey)}`, { field: 'periodKey' });
  if (version !== undefined && (!Number.isSafeInteger(version) || version < 1 || version > MAX_VERSION)) {
    throw snapshotError(ErrorCode.invalidInput, `a snapshot version is a whole number from 1 to ${MAX_VERSION}; got ${JSON.stringify(version)}`, { field: 'version' });
  }
}

/** Bytes a code point takes inside a JSON string: escapes counted at their longest, so a part never outgrows its budget. */
function storedBytes(cp: number): number {
  if (cp === 0x22 || cp === 0x5c) return 2;
  if (cp < 0x20) return 6;
  if (cp < 0x80) return 1;
  if (cp < 0x800) return 2;
  if (cp >= 0xd800 && cp <= 0xdfff) return 6; // a lone surrogate is escaped
  return cp < 0x10000 ? 3 : 4;
}

/** The text in slices of at most `budget` stored bytes each, never splitting a character. */
export function splitIntoParts(text: string, budget: number = SNAPSHOT_PART_BYTES): string[] {
  const parts: string[] = [];
  let start = 0;
  let bytes = 2; // the string's quotes
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const b = storedBytes(cp);
    if (bytes + b > budget && i > start) {
      parts.push(text.slice(start, i));
      start = i;
      bytes = 2;
    }
    bytes += b;
    i += cp > 0xffff ? 2 : 1;
  }
  parts.push(text.slice(start));
  return parts;
}

/**
 * Writes `snapshot` as version `version` of the person's period: parts first, then the manifest, all
 * create-only. Writing the same snapshot again writes nothing (`written: false`); a different one under a
 * sealed version throws SNAPSHOT_VERSION_TAKEN and changes nothing.
 */
export async function writeSnapshot(
  kv: KvStore,
  personId: string,
  periodKey: string,
  version: number,
  snapshot: Snapshot,
  meta: SnapshotMeta,
  options: WriteSnapshotOptions = {},
): Promise<{ manifest: SnapshotManifest; written: boolean }> {
  checkIds(personId, periodKey, version);
  const subject = meta.subject ?? personId;
  if (snapshot?.format !== 1 || snapshot.personId !== subject || snapshot.periodKey !== periodKey) {
    throw snapshotError(
      ErrorCode.invalidSnapshot,
      `the snapshot is of ${JSON.stringify(snapshot?.personId)} for ${JSON.stringify(snapshot?.periodKey)}, not of ${JSON.stringify(subject)} for ${JSON.stringify(periodKey)}`,
      { personId, periodKey },
    );
  }
  const manifestKey = keys.snapshotPart(personId, periodKey, version, 0);
  const sealed = await kv.get<SnapshotManifest>(manifestKey);
  if (sealed !== undefined) return { manifest: await listedWhenSame(kv, personId, sealed, snapshot), written: false };

  const text = canonicalJson(snapshot as unknown as JsonValue);
  const parts = splitIntoParts(text);
  if (parts.length > MAX_PARTS) {
    throw snapshotError(ErrorCode.invalidSnapshot, `the snapshot of ${personId} for ${periodKey} needs ${parts.length} parts; at most ${MAX_PARTS} fit: lock a shorter period`, { parts: parts.length });
  }
  for (let i = 0; i < parts.length; i++) await writePart(kv, keys.snapshotPart(personId, periodKey, version, i + 1), parts[i]!, options);

  const manifest: SnapshotManifest = {
    format: 1,
    personId: subject,
    periodKey,
    version,
    hash: snapshot.hash,
    engineVersion: snapshot.engineVersion,
    partCount: parts.length,
    partHashes: parts.map((p) => sha256Hex(p)),
    bytes: Buffer.byteLength(text, 'utf8'),
    lockedAt: meta.lockedAt,
    lockedBy: meta.lockedBy,
    jobId: meta.jobId ?? null,
  };
  try {
    await kv.set(manifestKey, manifest, { ifAbsent: true });
  } catch (e) {
    if (!(e instanceof KvConflictError)) throw e;
    // Sealed meanwhile by a writer that got here first: fine if it is the same snapshot.
    return { manifest: await listedWhenSame(kv, personId, (await kv.get<SnapshotManifest>(manifestKey))!, snapshot), written: false };
  }
  await listSnapshotVersion(kv, personId, manifest);
  return { manifest, written: true };
}

/** A retry of the same snapshot: lists the sealed version (the first writer may have stopped before it did). */
async function listedWhenSame(kv: KvStore, personId: string, sealed: SnapshotManifest, snapshot: Snapshot): Promise<SnapshotManifest> {
  const manifest = sameOrRefuse(sealed, snapshot);
  await listSnapshotVersion(kv, personId, manifest);
  return manifest;
}

function sameOrRefuse(sealed: SnapshotManifest, snapshot: Snapshot): SnapshotManifest {
  if (sealed.hash === snapshot.hash) return sealed;
  throw snapshotError(
    'SNAPSHOT_VERSION_TAKEN',
    `version ${sealed.version} of ${sealed.personId}'s ${sealed.periodKey} snapshot is already sealed with hash ${sealed.hash} (locked by ${sealed.lockedBy}); this snapshot hashes to ${snapshot.hash}. A sealed version never changes: lock again to make a new version`,
    { version: sealed.version, sealedHash: sealed.hash, hash: snapshot.hash },
  );
}

async function writePart(kv: KvStore, key: string, text: string, options: WriteSnapshotOptions): Promise<void> {
  try {
    await kv.set(key, text, { ifAbsent: true });
    return;
  } catch (e) {
    if (!(e instanceof KvConflictError)) throw e;
  }
  const existing = await kv.get<unknown>(key);
  if (existing === text) return; // a retry: written already
  if (options.replaceUnsealed) {
    await kv.set(key, text);
    return;
  }
  throw snapshotError(
    'SNAPSHOT_PART_CONFLICT',
    `snapshot part ${key} already holds other content and its version is not sealed: another writer is writing this version, or an earlier attempt stopped half-way; nothing was overwritten`,
    { key },
  );
}

/** The highest sealed version of the person's period, 0 when none. Versions are 1, 2, 3 … with no gaps. */
export async function latestSnapshotVersion(kv: KvStore, personId: string, periodKey: string): Promise<number> {
  checkIds(personId, periodKey);
  let version = 0;
  for (;;) {
    const probe = Array.from({ length: 25 }, (_, i) => keys.snapshotPart(personId, periodKey, version + 1 + i, 0)).filter((_, i) => version + 1 + i <= MAX_VERSION);
    if (probe.length === 0) return version;
    const found = await kv.getMany<unknown>(probe);
    let n = 0;
    while (n < probe.length && found.has(probe[n]!)) n++;
    version += n;
    if (n < probe.length) return version;
  }
}

/**
 * Reads and reassembles a sealed snapshot (the latest when `version` is left out), checking every part
 * against the manifest and the whole against its hash. Throws SNAPSHOT_NOT_FOUND, SNAPSHOT_PART_MISSING or
 * SNAPSHOT_ALTERED naming the key.
 */
export async function readSnapshot(kv: KvStore, personId: string, periodKey: string, version?: number): Promise<StoredSnapshot> {
  checkIds(personId, periodKey, version);
  const v = version ?? (await latestSnapshotVersion(kv, personId, periodKey));
  const manifestKey = keys.snapshotPart(personId, periodKey, Math.max(v, 1), 0);
  const manifest = v === 0 ? undefined : await kv.get<SnapshotManifest>(manifestKey);
  if (manifest === undefined) {
    throw snapshotError(
      'SNAPSHOT_NOT_FOUND',
      version === undefined ? `${personId} has no snapshot of ${periodKey}: the period was never locked` : `${personId} has no snapshot version ${version} of ${periodKey}`,
      { personId, periodKey, version: version ?? null },
    );
  }
  const altered = (key: string, why: string) =>
    snapshotError('SNAPSHOT_ALTERED', `snapshot version ${v} of ${personId}'s ${periodKey} was altered after it was sealed: ${key} ${why}; its stored figures cannot be trusted`, { key, version: v });
  if (manifest.format !== 1 || !Number.isSafeInteger(manifest.partCount) || !Array.isArray(manifest.partHashes) || manifest.partHashes.length !== manifest.partCount) {
    throw altered(manifestKey, 'is not a manifest of format 1 with one hash per part');
  }
  const partKeys = Array.from({ length: manifest.partCount }, (_, i) => keys.snapshotPart(personId, periodKey, v, i + 1));
  const texts: string[] = [];
  for (let i = 0; i < partKeys.length; i += READ_BATCH) {
    const batch = partKeys.slice(i, i + READ_BATCH);
    const found = await kv.getMany<unknown>(batch);
    for (const key of batch) {
      const text = found.get(key);
      if (text === undefined) {
        throw snapshotError('SNAPSHOT_PART_MISSING', `snapshot version ${v} of ${personId}'s ${periodKey} is incomplete: part ${key} of ${manifest.partCount} is missing`, { key, version: v });
      }
      const index = texts.length;
      if (typeof text !== 'string' || sha256Hex(text) !== manifest.partHashes[index]) throw altered(key, `does not match the hash the manifest recorded for part ${index + 1}`);
      texts.push(text);
    }
  }
  let snapshot: Snapshot;
  try {
    snapshot = JSON.parse(texts.join('')) as Snapshot;
  } catch {
    throw altered(manifestKey, 'describes parts that do not join into JSON');
  }
  if (snapshot?.hash !== manifest.hash) throw altered(manifestKey, `records hash ${manifest.hash}, but the parts hold a snapshot sealed as ${String(snapshot?.hash)}`);
  let verification: SnapshotCheck;
  try {
    verification = verifySnapshot(snapshot);
  } catch (e) {
    if (e instanceof DomainError) throw altered(manifestKey, `holds no valid snapshot (${e.message})`);
    throw e;
  }
  if (!verification.ok && verification.reason === 'hash-mismatch') throw altered(manifestKey, `holds content that ${verification.message}`);
  return { snapshot, manifest, verification };
}

/**
 * The report input as a snapshot keeps it: the person as their pseudonym (their worklogs, contracts and
 * absences with it), absence ids keyed too (an absence id is a hash of the person and its dates), and
 * absence notes left out (they change no figure). Erasing the person later leaves nothing in the
 * snapshot that leads back to them, and its hash stays valid.
 */
export function pseudonymousInput(input: PeriodReportInput, pseudonyms: Pseudonyms): PeriodReportInput {
  const me = input.person.id;
  const subject = pseudonyms.of(me);
  return {
    ...input,
    person: { ...input.person, id: subject },
    worklogs: input.worklogs.filter((w) => w.authorId === me).map((w) => ({ ...w, authorId: subject })),
    contracts: input.contracts.filter((c) => c.personId === me).map((c) => ({ ...c, personId: subject })),
    absences: input.absences
      .filter((a) => a.personId === me)
      .map(({ note: _note, ...a }) => ({ ...a, personId: subject, id: pseudonyms.keyed('a', a.id) })),
  };
}

/** The report of a locked period, read from the snapshot it is locked at; undefined when the period is not locked. */
export async function lockedReport(kv: KvStore, personId: string, periodKey: string): Promise<LockedReport | undefined> {
  checkIds(personId, periodKey);
  const state = await readPeriodState(kv, personId, periodKey);
  if (state.status !== 'locked') return undefined;
  const { snapshot, manifest, verification } = await readSnapshot(kv, personId, periodKey, state.version);
  const lockedBy = (await peopleNamed(kv, manifest.lockedBy))[manifest.lockedBy] ?? manifest.lockedBy;
  return {
    // The snapshot names the person by their pseudonym; the caller asked by account id.
    report: { ...snapshot.report, personId },
    lock: { version: manifest.version, hash: manifest.hash, engineVersion: manifest.engineVersion, lockedAt: manifest.lockedAt, lockedBy, verification },
  };
}

const driftWorklog = (w: DriftWorklog): DriftWorklog => ({ id: w.id, seconds: w.seconds, started: w.started, ...(w.updated === undefined ? {} : { updated: w.updated }) });

/**
 * What changed in the person's worklogs since the snapshot: `currentWorklogs` are the person's ones a report of the
 * same period would read now (src/app/periodLock.ts `periodDrift` loads them). Drift never changes the
 * snapshot's figures; relocking takes the changes in.
 */
export function driftOf(snapshot: Snapshot, currentWorklogs: readonly Worklog[], personId: string): WorklogDrift {
  // The snapshot names the person by pseudonym; the current worklogs by account id.
  const mine = currentWorklogs.filter((w) => w.authorId === personId);
  return computeDrift(snapshot.inputs.worklogs.map(driftWorklog), mine.map(driftWorklog));
}
