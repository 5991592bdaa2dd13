import { z } from 'zod';
import { plainText } from './plainText';
import { DomainError, ErrorCode } from '../../domain/errors';
import { sha256Hex } from '../../domain/hash';
import { DEFAULT_RECUPERATION_RULES, foldLedger, validateLedger, validateRecuperationRules, type LedgerEntry, type RecuperationRules } from '../../domain/ledger';
import { fromEpochDay, type LocalDate } from '../../domain/localDate';
import { localEpochDayAt } from '../../domain/zoneOffsets';
import { KvConflictError, type Clock, type KvStore } from '../ports';
import { appendAudit } from './auditLog';
import { personLedgerMutex, withMutex } from './mutex';
import { queryAll } from './queryAll';
import { loadSettings } from './settings';
import { keys } from './storageKeys';

/**
 * A person's recuperation ledger in storage (`ledger#<person>#<seq>`, one entry a key, seq from 1 with
 * no gaps, each created only if absent, so two writers never take the same seq) and the HR writes on
 * it. The domain (domain/ledger.ts) decides what is a valid ledger; every write here is validated as
 * the whole ledger it makes, and audited BEFORE it is written: a failed append writes nothing (a retry
 * audits and writes), and a crash in between leaves an entry for a change that did not happen (the
 * ledger shows it did not), never a change without its entry. Movements hold the person's mutex, the
 * rules the `ledger-rules` mutex, from the first read to the last write.
 *
 * A movement sent with a `requestId` is booked once: a repeat for the same person (a client retrying
 * after a timeout) answers the movement booked the first time and writes nothing.
 *
 *   ledgerBalance(kv, personId)                                   balance/mine, balance/person
 *   ledgerHistory(kv, personId)                                   ledger/history
 *   adjustLedger(deps, actor, { accountId, seconds, reason })     ledger/adjust
 *   payOut(deps, actor, { accountId, seconds, reason })           ledger/payout
 *   recuperationRules(kv) / saveRecuperationRules(deps, actor, r) ledger/rules
 */

export interface LedgerDeps {
  readonly kv: KvStore;
  readonly clock: Clock;
  readonly sleep?: (ms: number) => Promise<void>;
}

const RULES_KEY = keys.recuperationRules;

const reason = plainText(3, 500);
const accountId = z.string().min(1).max(128).regex(/^[A-Za-z0-9:_-]+$/, { message: 'must be a Jira account id' });
/** 10,000 hours either way: far beyond any real correction, well inside safe integers. */
const MAX_MOVEMENT_SECONDS = 36_000_000;

/** The caller's id for one movement, so that a retry of it is not booked twice. */
const requestId = z.string().min(1, { message: 'must not be empty' }).max(100, { message: 'has at most 100 characters' }).optional();
/** A movement's requestId is remembered this long: client retries come within minutes. */
const REQUEST_TTL_SECONDS = 7 * 86_400;
/** How long a change waits for another change of the same ledger or rules. */
const WAIT_MS = 8_000;

export const adjustSchema = z.strictObject({
  accountId,
  seconds: z
    .number()
    .int({ message: 'must be whole seconds' })
    .refine((s) => s !== 0, { message: 'must not be 0: an adjustment moves the balance' })
    .refine((s) => Math.abs(s) <= MAX_MOVEMENT_SECONDS, { message: `must be at most ${MAX_MOVEMENT_SECONDS} seconds (10,000 h) either way` }),
  reason,
  requestId,
});

export const payoutSchema = z.strictObject({
  accountId,
  seconds: z.number().int({ message: 'must be whole seconds' }).min(1, { message: 'is how much is paid out: more than 0' }).max(MAX_MOVEMENT_SECONDS, { message: `must be at most ${MAX_MOVEMENT_SECONDS} seconds (10,000 h)` }),
  reason: reason.optional(),
  requestId,
});

export async function recuperationRules(kv: KvStore): Promise<RecuperationRules> {
  return (await kv.get<RecuperationRules>(RULES_KEY)) ?? DEFAULT_RECUPERATION_RULES;
}

export async function saveRecuperationRules(deps: LedgerDeps, actor: string, input: unknown): Promise<RecuperationRules> {
  const rules = validateRecuperationRules(input);
  return withMutex(deps, 'ledger-rules', { what: 'saving the recuperation rules', waitMs: WAIT_MS }, async () => {
    const before = await recuperationRules(deps.kv);
    if (JSON.stringify(before) === JSON.stringify(rules)) return before; // nothing to write, nothing to audit
    await appendAudit(deps.kv, { at: deps.clock.now(), actor, action: 'ledger.rules', target: RULES_KEY, details: { before: plain(before), after: plain(rules) } });
    await deps.kv.set(RULES_KEY, rules);
    return rules;
  });
}

async function entriesOf(kv: KvStore, personId: string): Promise<LedgerEntry[]> {
  return (await queryAll<LedgerEntry>(kv, keys.ledgerPrefix(personId))).map((r) => r.value);
}

/** A person's balance for `balance/*`: the folded ledger (the rules date the open credits' expiry; they never move the balance) and its last entries. */
export async function ledgerBalance(kv: KvStore, personId: string) {
  const [entries, rules] = await Promise.all([entriesOf(kv, personId), recuperationRules(kv)]);
  return { personId, ...foldLedger(entries, rules), entries: entries.length, recent: entries.slice(-10) };
}

/** The ledger, its balance and open credits (with their expiry dates) as of today. */
export async function ledgerHistory(deps: LedgerDeps, personId: string) {
  const [entries, rules, today] = await Promise.all([entriesOf(deps.kv, personId), recuperationRules(deps.kv), siteToday(deps)]);
  return { personId, rules, entries, ...foldLedger(entries, rules, today) };
}

export async function adjustLedger(deps: LedgerDeps, actor: string, input: z.infer<typeof adjustSchema>) {
  return appendMovement(deps, actor, input.accountId, 'ledger.adjust', { kind: 'adjustment', seconds: input.seconds, reason: input.reason }, input.requestId);
}

export async function payOut(deps: LedgerDeps, actor: string, input: z.infer<typeof payoutSchema>) {
  return appendMovement(deps, actor, input.accountId, 'ledger.payout', { kind: 'payout', seconds: -input.seconds, reason: input.reason ?? 'paid out' }, input.requestId);
}

/** Today's date in the site's zone: movements are dated the day HR enters them. */
async function siteToday(deps: LedgerDeps): Promise<LocalDate> {
  const { siteTimeZone } = await loadSettings(deps.kv);
  return fromEpochDay(localEpochDayAt(siteTimeZone, deps.clock.now()));
}

type Movement = Pick<LedgerEntry, 'kind' | 'seconds' | 'reason'>;

/** What `keys.ledgerRequest` holds: the entry planned under that requestId, written after its audit entry and before the entry itself. */
interface RequestMarker {
  readonly entry: LedgerEntry;
}

/** Appends one movement dated today; the whole ledger it makes must be valid (a payout never exceeds the credit there is). */
function appendMovement(deps: LedgerDeps, actor: string, personId: string, action: string, movement: Movement, requestId: string | undefined) {
  // Under the person's mutex: a lock step writing its close in the meantime would plan the same seqs.
  return withMutex(deps, personLedgerMutex(personId), { what: `${action} for ${personId}`, waitMs: WAIT_MS }, () => appendUnderMutex(deps, actor, personId, action, movement, requestId));
}

async function appendUnderMutex(deps: LedgerDeps, actor: string, personId: string, action: string, movement: Movement, requestId: string | undefined) {
  const marker = requestId === undefined ? undefined : keys.ledgerRequest(personId, sha256Hex(requestId));
  const [today, rules, marked] = await Promise.all([siteToday(deps), recuperationRules(deps.kv), marker === undefined ? undefined : deps.kv.get<RequestMarker>(marker)]);
  for (let attempt = 0; attempt < 5; attempt++) {
    const entries = await entriesOf(deps.kv, personId);
    const answer = (upTo: number) => ({ personId, entry: entries[upTo - 1]!, balanceSeconds: foldLedger(entries.slice(0, upTo), rules).balanceSeconds });
    if (marked !== undefined) {
      const booked = entries[marked.entry.seq - 1];
      if (booked !== undefined && sameEntry(booked, marked.entry)) {
        if (!sameMovement(booked, movement)) throw requestReused(requestId!, personId, booked);
        return answer(booked.seq); // booked the first time: nothing to write
      }
      if (booked === undefined && marked.entry.seq === entries.length + 1 && sameMovement(marked.entry, movement)) {
        // The first call was audited and stopped before its entry was written: write that entry, once.
        validateLedger([...entries, marked.entry]);
        if (await createOnly(deps.kv, keys.ledgerEntry(personId, marked.entry.seq), marked.entry)) return { personId, entry: marked.entry, balanceSeconds: foldLedger([...entries, marked.entry], rules).balanceSeconds };
        continue;
      }
      // Otherwise its entry was never written and another took its seq since: book this one afresh.
    }
    const last = entries[entries.length - 1];
    // An entry dated later than today (a period closed ahead) keeps the ledger's order: date the movement with it.
    const date = last && last.date > today ? last.date : today;
    const entry: LedgerEntry = { seq: entries.length + 1, date, ...movement };
    validateLedger([...entries, entry]);
    const before = foldLedger(entries, rules).balanceSeconds;
    // Audit first, then the requestId's marker, then the entry (create-only): a retry finds the marker and never books twice.
    await appendAudit(deps.kv, { at: deps.clock.now(), actor, action, people: [personId], target: keys.ledgerEntry(personId, entry.seq), details: { personId, ...plain(entry), balanceBefore: before, balanceAfter: before + entry.seconds } });
    if (marker !== undefined) await deps.kv.set(marker, { entry } satisfies RequestMarker, { ttlSeconds: REQUEST_TTL_SECONDS });
    if (await createOnly(deps.kv, keys.ledgerEntry(personId, entry.seq), entry)) return { personId, entry, balanceSeconds: before + entry.seconds };
    // Another write took this seq (only a holder that outlived its mutex can): read again; the entry just audited was not made.
  }
  throw new DomainError('LEDGER_CONTENDED', `the ledger of ${personId} kept changing while this was written; nothing was written; try again`);
}

/** Writes `value` unless the key exists; false when it did. */
async function createOnly(kv: KvStore, key: string, value: LedgerEntry): Promise<boolean> {
  try {
    await kv.set(key, value, { ifAbsent: true });
    return true;
  } catch (e) {
    if (e instanceof KvConflictError) return false;
    throw e;
  }
}

const sameEntry = (a: LedgerEntry, b: LedgerEntry) => JSON.stringify(a) === JSON.stringify(b);
const sameMovement = (a: Movement, b: Movement) => a.kind === b.kind && a.seconds === b.seconds && a.reason === b.reason;

const requestReused = (requestId: string, personId: string, booked: LedgerEntry) =>
  new DomainError(
    ErrorCode.invalidInput,
    `requestId ${JSON.stringify(requestId)} was already used for ${personId}'s ${booked.kind} of ${booked.seconds} seconds (ledger entry ${booked.seq}, "${booked.reason ?? ''}"); a new movement needs a new requestId. Nothing was written.`,
    { field: 'requestId', seq: booked.seq },
  );

const plain = <T extends object>(value: T) => JSON.parse(JSON.stringify(value)) as Record<string, never>;
