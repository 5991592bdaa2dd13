import { z } from 'zod';
import { canonicalJson, type JsonObject, type JsonValue } from '../../domain/canonicalJson';
import { validateContract, type Contract } from '../../domain/contract';
import { DomainError, ErrorCode } from '../../domain/errors';
import { addDays, compactDate, isLocalDate, type LocalDate } from '../../domain/localDate';
import type { Clock, KvOperation, KvStore } from '../ports';
import { appendAudit } from './auditLog';
import { withMutex } from './mutex';
import { queryAll } from './queryAll';
import { keys } from './storageKeys';

/**
 * A person's contracts as HR admins keep them: effective-dated, never
 * overlapping, stored under keys.contract(personId, firstDate).
 *
 *   listContracts(kv, personId)                     → Contract[]          in date order
 *   saveContract(deps, actor, ContractSaveInput)    → ContractSaveResult   create or change one contract
 *   endContract(deps, actor, ContractEndInput)      → ContractSaveResult   give an open contract its last day
 *
 * Payload schemas for the resolvers: contractsListSchema (`contracts/list`),
 * contractSaveSchema (`contracts/save`), contractEndSchema (`contracts/end`).
 *
 * - Save without `id` creates a contract (id `c-<yyyymmdd of firstDate>`, with `-2`, `-3`… when taken);
 *   sending the same new contract again returns the one already saved (a retry creates nothing).
 *   Save with `id` changes that contract (or creates it under that id when the person has none by it);
 *   a changed firstDate moves its key.
 * - A contract that would share a day with another of the person is refused (CONTRACT_OVERLAP) naming
 *   both, with their ids and dates, and what to do. A change in mid-period is a new contract from that
 *   date after the old one is ended the day before (endContract); reports split the period there.
 * - Refusals (INVALID_CONTRACT, INVALID_DATE, CONTRACT_OVERLAP, CONTRACT_NOT_FOUND) happen before anything
 *   is written. A save that changes nothing writes nothing and appends no audit entry.
 * - Every change appends an audit entry (`contract.save`, `contract.end`; target the contract's key;
 *   details: person, contract id, and the changed fields before and after) BEFORE the write: no change
 *   is ever stored unaudited. If the write then fails, the caller sees the error and the log holds an
 *   entry for a change that may not have landed; retrying the call completes it (and logs it again).
 */

export interface ContractDeps {
  readonly kv: KvStore;
  readonly clock: Clock;
}

/** Jira account ids, as src/app/resolverSchemas.ts checks them. */
const accountId = z.string().min(1).max(128).regex(/^[A-Za-z0-9:_-]+$/, { message: 'must be a Jira account id' });
const localDate = z.string().refine(isLocalDate, { error: (issue) => `must be a date written YYYY-MM-DD, such as 2026-11-15; got ${JSON.stringify(String(issue.input).slice(0, 40))}` });
const contractId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9._-]+$/, { message: 'must be a contract id: 1–64 letters, digits, ".", "_" or "-"' });

/** `contracts/list`: every contract of one person, in date order. */
export const contractsListSchema = z.strictObject({ personId: accountId });

/**
 * `contracts/save`: a contract's fields (domain/contract.ts). `id` absent creates one. The schedule is
 * checked in full by the domain (INVALID_CONTRACT names the field); here only its kind.
 */
export const contractSaveSchema = z.strictObject({
  id: contractId.optional(),
  personId: accountId,
  firstDate: localDate,
  /** null or absent: open-ended. */
  lastDate: localDate.nullable().optional(),
  schedule: z.looseObject({ kind: z.enum(['weekdays', 'weekly', 'monthly', 'rotation']) }),
  /** A decimal string in (0, 1], such as "0.8"; default "1". */
  partTimeFactor: z.string().max(8).optional(),
  holidayCalendarId: z.string().min(1).max(128).nullable().optional(),
  /** An IANA zone that overrides the person's Jira zone while the contract is in force. */
  timeZone: z.string().min(1).max(64).nullable().optional(),
  /** The contract as the caller read it, when changing one: a change someone made since is refused (CHANGED_SINCE_READ), not overwritten. */
  basedOn: z.looseObject({ id: contractId }).optional(),
});

/** `contracts/end`: the last day an open contract is in force (on or after its first day). */
export const contractEndSchema = z.strictObject({ personId: accountId, contractId, lastDate: localDate });

export type ContractSaveInput = z.infer<typeof contractSaveSchema>;
export type ContractEndInput = z.infer<typeof contractEndSchema>;

export interface ContractSaveResult {
  readonly contract: Contract;
  /** False when the call found the contract already as asked (a retry, or nothing to change): nothing was written. */
  readonly changed: boolean;
  readonly created: boolean;
}

/** Every contract of the person, in first-date order. */
export async function listContracts(kv: KvStore, personId: string): Promise<Contract[]> {
  return (await queryAll<Contract>(kv, keys.contractPrefix(personId))).map((r) => r.value);
}

const range = (c: Contract) => `${c.firstDate} – ${c.lastDate ?? 'open-ended'}`;
const describe = (c: Contract) => `"${c.id}" (${range(c)})`;
// Canonical JSON, so a store that hands back keys in another order still reads as the same contract.
const sameContract = (a: Contract, b: Contract) => canonicalJson(a as unknown as JsonValue) === canonicalJson(b as unknown as JsonValue);
const overlaps = (a: Contract, b: Contract) => (a.lastDate === null || a.lastDate >= b.firstDate) && (b.lastDate === null || b.lastDate >= a.firstDate);

/** CONTRACT_OVERLAP naming both contracts, the days they share, and a concrete way out. */
function overlapError(saved: Contract, other: Contract): DomainError {
  const from = saved.firstDate > other.firstDate ? saved.firstDate : other.firstDate;
  const lasts = [saved.lastDate, other.lastDate].filter((d): d is string => d !== null).sort();
  const days = lasts[0] === undefined ? `from ${from} on` : `from ${from} to ${lasts[0]}`;
  let advice: string;
  if (other.firstDate < saved.firstDate) {
    const endOther = addDays(saved.firstDate, -1);
    advice =
      other.lastDate === null
        ? `end "${other.id}" first (contracts/end with lastDate ${endOther}), then save again`
        : `end "${other.id}" on ${endOther} first (contracts/save with its id and lastDate ${endOther}), or start "${saved.id}" on ${addDays(other.lastDate, 1)} or later`;
  } else if (other.firstDate > saved.firstDate) {
    advice = `give "${saved.id}" a lastDate of ${addDays(other.firstDate, -1)} or earlier, or move "${other.id}" first`;
  } else {
    advice = `both start on ${saved.firstDate}: to change "${other.id}", save it with its id "${other.id}" instead of adding another contract`;
  }
  return new DomainError(
    ErrorCode.contractOverlap,
    `contract ${describe(saved)} of person ${saved.personId} overlaps contract ${describe(other)} ${days}; ${advice}. Nothing was saved.`,
    { personId: saved.personId, contractIds: [saved.id, other.id], firstSharedDate: from },
  );
}

/** The fields that differ, as plain JSON: small audit details. */
function changedFields(before: Contract | null, after: Contract): { before: JsonObject | null; after: JsonObject } {
  const a = JSON.parse(JSON.stringify(after)) as Record<string, JsonObject[string]>;
  if (before === null) return { before: null, after: a };
  const b = JSON.parse(JSON.stringify(before)) as Record<string, JsonObject[string]>;
  const changed = Object.keys(a).filter((k) => canonicalJson(a[k]!) !== canonicalJson(b[k] ?? null));
  return { before: Object.fromEntries(changed.map((k) => [k, b[k] ?? null])), after: Object.fromEntries(changed.map((k) => [k, a[k]!])) };
}

/** Stands for the id of a contract not yet created, in the domain's messages. */
const NEW = '(new)';

/** A new contract's id: from its first date, numbered on when another contract (since moved) has it. */
function newContractId(existing: readonly Contract[], firstDate: LocalDate): string {
  const base = `c-${compactDate(firstDate)}`;
  const taken = new Set(existing.map((c) => c.id));
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) if (!taken.has(`${base}-${n}`)) return `${base}-${n}`;
}

/**
 * Creates or changes one contract of a person; see the module comment for the rules. `actor` is the
 * account id of the HR admin making the change.
 */
export async function saveContract(deps: ContractDeps, actor: string, input: ContractSaveInput): Promise<ContractSaveResult> {
  // Domain check first (with a placeholder id when none is given), so a malformed contract is refused before any read.
  const { basedOn: basedOnInput, ...fields } = input;
  const shaped = validateContract({ ...fields, id: input.id ?? NEW });
  const basedOn = basedOnInput === undefined ? null : validateContract(basedOnInput);
  // From the overlap check to the write, no other change to this person's contracts: two saves at once would both pass the check.
  return withMutex(deps, contractsMutex(shaped.personId), { what: `saving a contract of ${shaped.personId}`, waitMs: 8_000 }, async () => {
    const existing = await listContracts(deps.kv, shaped.personId);
    if (input.id === undefined) {
      // The same new contract sent again (a retry after a lost answer): it is already there.
      const same = existing.find((c) => sameContract({ ...c, id: NEW }, shaped));
      if (same) return { contract: same, changed: false, created: false };
    }
    const contract: Contract = { ...shaped, id: input.id ?? newContractId(existing, shaped.firstDate) };
    const before = existing.find((c) => c.id === contract.id) ?? null;
    if (basedOn !== null && (before === null || !sameContract(before, basedOn))) {
      const which = `The contract from ${basedOn.firstDate}`;
      throw new DomainError('CHANGED_SINCE_READ', `${which} ${before === null ? 'has been removed since you opened it' : 'was changed since you opened it'}. Reload, then make your change again; nothing was saved.`, { contractId: basedOn.id });
    }
    if (before !== null && sameContract(before, contract)) return { contract: before, changed: false, created: false };
    for (const other of existing) if (other.id !== contract.id && overlaps(contract, other)) throw overlapError(contract, other);

    const target = keys.contract(contract.personId, contract.firstDate);
    const ops: KvOperation[] = [{ kind: 'set', key: target, value: contract }];
    const movedFrom = before !== null && before.firstDate !== contract.firstDate ? keys.contract(before.personId, before.firstDate) : null;
    if (movedFrom !== null) ops.unshift({ kind: 'delete', key: movedFrom });
    await appendAudit(deps.kv, {
      at: deps.clock.now(),
      actor,
      people: [contract.personId],
      action: 'contract.save',
      target,
      details: { personId: contract.personId, contractId: contract.id, ...changedFields(before, contract), ...(movedFrom === null ? {} : { movedFrom }) },
  });
  await deps.kv.transact(ops);
  return { contract, changed: true, created: before === null };
  });
}

/**
 * Gives an open contract its last day (on or after its first). Ending it again on the same day changes
 * nothing; a contract that already ends on another day is refused: change it with saveContract.
 */
export async function endContract(deps: ContractDeps, actor: string, input: ContractEndInput): Promise<ContractSaveResult> {
  const { personId, contractId: id, lastDate } = input;
  if (!isLocalDate(lastDate)) {
    throw new DomainError(ErrorCode.invalidDate, `lastDate must be a date written YYYY-MM-DD, such as 2026-11-30; got ${JSON.stringify(lastDate)}`, { field: 'lastDate', value: lastDate });
  }
  return withMutex(deps, contractsMutex(personId), { what: `ending contract ${id} of ${personId}`, waitMs: 8_000 }, async () => {
    const existing = await listContracts(deps.kv, personId);
    const before = existing.find((c) => c.id === id);
    if (!before) {
      const known = existing.length === 0 ? 'the person has no contracts' : `the person's contracts are ${existing.map(describe).join(', ')}`;
      throw new DomainError('CONTRACT_NOT_FOUND', `person ${personId} has no contract "${id}"; ${known}. Nothing was changed.`, { personId, contractId: id });
    }
    if (before.lastDate === lastDate) return { contract: before, changed: false, created: false };
    if (before.lastDate !== null) {
      throw new DomainError(
        ErrorCode.invalidContract,
        `contract ${describe(before)} of person ${personId} already ends on ${before.lastDate}; to end it on ${lastDate} instead, save it (contracts/save with id "${id}" and lastDate ${lastDate}). Nothing was changed.`,
        { personId, contractId: id, field: 'lastDate', value: lastDate },
      );
    }
    if (lastDate < before.firstDate) {
      throw new DomainError(
        ErrorCode.invalidContract,
        `contract ${describe(before)} of person ${personId} cannot end on ${lastDate}, before it starts; give a lastDate on or after ${before.firstDate}. Nothing was changed.`,
        { personId, contractId: id, field: 'lastDate', value: lastDate },
      );
    }
    const contract: Contract = { ...before, lastDate };
    const target = keys.contract(personId, before.firstDate);
    await appendAudit(deps.kv, {
      at: deps.clock.now(),
      actor,
      people: [personId],
      action: 'contract.end',
      target,
      details: { personId, contractId: id, before: { lastDate: null }, after: { lastDate } },
  });
  await deps.kv.set(target, contract);
  return { contract, changed: true, created: false };
  });
}

/** The mutex a person's contract saves hold (an erasure, src/app/privacy.ts, deletes it with the person). */
export const contractsMutex = (personId: string) => `contracts#${personId}`;
