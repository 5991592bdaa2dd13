import type { KvStore } from '../ports';
import { keys } from './storageKeys';

/**
 * Where a person's period stands, one record per person and period under
 * `pstate#<person>#<periodKey>`. Written by src/app/periodLock.ts only:
 *
 *   open ──submit──► submitted ──approve──► approved ──lock──► locked ──unlock──► open
 *                        └──reject (reason)──► rejected ──submit──► submitted
 *
 * Without the approval workflow an HR admin locks from any state but locked.
 * A period never written is `open` with no versions.
 */
export type PeriodStatus = 'open' | 'submitted' | 'approved' | 'rejected' | 'locked';

export interface PeriodUnlock {
  /** The snapshot version that was unlocked. */
  readonly version: number;
  readonly at: number;
  readonly by: string;
  readonly reason: string;
}

export interface PeriodState {
  readonly personId: string;
  readonly periodKey: string;
  readonly status: PeriodStatus;
  /** The snapshot version the report reads from while locked; the last one locked otherwise (0: never locked). */
  readonly version: number;
  /** Set while locked: when, by whom, by which job. */
  readonly lockedAt?: number;
  readonly lockedBy?: string;
  readonly jobId?: string;
  /** What this period has credited to the recuperation ledger so far (period-close plus relock adjustments); 0 before the first lock. */
  readonly creditedSeconds: number;
  /** The ledger seqs the last lock wrote (year ends, expiries, the credit, a cap or floor entry). */
  readonly ledgerSeqs?: readonly number[];
  readonly submittedAt?: number;
  readonly submittedBy?: string;
  readonly decidedAt?: number;
  readonly decidedBy?: string;
  /** Why it was last rejected (set while rejected). */
  readonly rejectReason?: string;
  /** Every unlock, oldest first, with its reason. */
  readonly unlocks: readonly PeriodUnlock[];
}

export function openState(personId: string, periodKey: string): PeriodState {
  return { personId, periodKey, status: 'open', version: 0, creditedSeconds: 0, unlocks: [] };
}

/** The stored state, or `open` with no versions when none was ever written. */
export async function readPeriodState(kv: KvStore, personId: string, periodKey: string): Promise<PeriodState> {
  return (await kv.get<PeriodState>(keys.periodState(personId, periodKey))) ?? openState(personId, periodKey);
}
