/**
 * The answers of the audit and snapshot resolvers as the Audit view reads them (docs/resolvers.md,
 * docs/audit.md). Written here rather than imported from src/ so the UI bundle never pulls server code.
 */
import type { PeriodReport } from '../../client/answers';

export interface AuditEntry {
  readonly seq: number;
  readonly at: number;
  readonly actor: string;
  readonly action: string;
  readonly target: string;
  readonly details: unknown;
  readonly prevHash: string;
  readonly hash: string;
}

/**
 * `people` maps each pseudonym in the page (u- + 24 hex) to the account id, or to "erased user".
 * A runtime that stores account ids in entries gives no map; then actor and target are shown as they are.
 */
export interface AuditPage {
  readonly entries: readonly AuditEntry[];
  readonly nextCursor?: string;
  readonly people?: Readonly<Record<string, string>>;
}

export type VerifyResult =
  | { readonly ok: true; readonly count: number; readonly lastSeq: number; readonly lastHash: string }
  | { readonly ok: false; /** `seq` is null when the broken entry could not be read at all, or the log ends before where it should go on. */
      readonly brokenAt: { readonly index: number; readonly seq: number | null }; readonly reason: string; readonly message: string };

export interface Checkpoint {
  readonly seq: number;
  readonly hash: string;
}

export interface SnapshotListItem {
  readonly personId: string;
  readonly periodKey: string;
  readonly version: number;
  readonly hash: string;
  readonly engineVersion: string;
  readonly bytes: number;
  readonly partCount: number;
  readonly lockedAt: number;
  readonly lockedBy: string;
  readonly jobId: string | null;
  readonly current: boolean;
}

/** A page of snapshots/list: newest lock first; `nextCursor` is set while more may follow (the next page may be empty). */
export interface SnapshotListPage {
  readonly snapshots: readonly SnapshotListItem[];
  readonly nextCursor?: string;
}

export type SnapshotCheck = { readonly ok: true; readonly hash: string } | { readonly ok: false; readonly reason: string; readonly message: string; readonly expected: string; readonly found: string };

export interface SnapshotAnswer {
  readonly snapshot: { readonly report: PeriodReport; readonly engineVersion: string; readonly hash: string };
  readonly manifest: { readonly hash: string; readonly version: number; readonly partCount: number; readonly bytes: number; readonly lockedAt: number; readonly lockedBy: string; readonly engineVersion: string; readonly jobId: string | null };
  readonly verification: SnapshotCheck;
  readonly people?: Readonly<Record<string, string>>;
}

export const ERASED = 'erased user';

/** How an actor or a person id reads: the account id a pseudonym stands for (or "erased user"), named where names are known. */
export function whoIs(id: string, people: Readonly<Record<string, string>> | undefined, names: ReadonlyMap<string, string>): string {
  const account = people?.[id] ?? id;
  if (account === ERASED) return ERASED;
  const name = names.get(account);
  return name ? `${name} (${account})` : account;
}

/** Replaces every pseudonym the map knows inside a target or a details text with what it stands for. */
export function withPeopleNamed(text: string, people: Readonly<Record<string, string>> | undefined): string {
  if (!people) return text;
  return text.replace(/u-[0-9a-f]{24}/g, (p) => people[p] ?? p);
}
