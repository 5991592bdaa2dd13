import { z } from 'zod';
import { DomainError } from '../../domain/errors';
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
 * the whole ledger it makes, and audited.
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
}

const RULES_KEY = keys.recuperationRules;

const reason = z.string().trim().min(3, { message: 'must say why, in at least 3 characters' }).max(500, { message: 'has at most 500 characters' });
const accountId = z.string().min(1).max(128).regex(/^[A-Za-z0-9:_-]+$/, { message: 'must be a Jira account id' });
/** 10,000 hours either way: far beyond any real correction, well inside safe integers. */
const MAX_MOVEMENT_SECONDS = 36_000_000;

export const adjustSchema = z.strictObject({
  accountId,
  seconds: z
    .number()
    .int({ message: 'must be whole seconds' })
    .refine((s) => s !== 0, { message: 'must not be 0: an adjustment moves the balance' })
    .refine((s) => Math.abs(s) <= MAX_MOVEMENT_SECONDS, { message: `must be at most ${MAX_MOVEMENT_SECONDS} seconds (10,000 h) either way` }),
  reason,
});

export const payoutSchema = z.strictObject({
  accountId,
  seconds: z.number().int({ message: 'must be whole seconds' }).min(1, { message: 'is how much is paid out: more than 0' }).max(MAX_MOVEMENT_SECONDS),
  reason: reason.optional(),
});

export async function recuperationRules(kv: KvStore): Promise<RecuperationRules> {
  return (await kv.get<RecuperationRules>(RULES_KEY)) ?? DEFAULT_RECUPERATION_RULES;
}

export async function saveRecuperationRules(deps: LedgerDeps, actor: string, input: unknown): Promise<RecuperationRules> {
  const rules = validateRecuperationRules(input);
  const before = await recuperationRules(deps.kv);
  if (JSON.stringify(before) === JSON.stringify(rules)) return before; // nothing to write, nothing to audit
  await deps.kv.set(RULES_KEY, rules);
  await appendAudit(deps.kv, { at: deps.clock.now(), actor, action: 'ledger.rules', target: RULES_KEY, details: { before: plain(before), after: plain(rules) } });
  return rules;
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
  return appendMovement(deps, actor, input.accountId, 'ledger.adjust', { kind: 'adjustment', seconds: input.seconds, reason: input.reason });
}

export async function payOut(deps: LedgerDeps, actor: string, input: z.infer<typeof payoutSchema>) {
  return appendMovement(deps, actor, input.accountId, 'ledger.payout', { kind: 'payout', seconds: -input.seconds, reason: input.reason ?? 'paid out' });
}

/** Today's date in the site's zone: movements are dated the day HR enters them. */
async function siteToday(deps: LedgerDeps): Promise<LocalDate> {
  const { siteTimeZone } = await loadSettings(deps.kv);
  return fromEpochDay(localEpochDayAt(siteTimeZone, deps.clock.now()));
}

/** Appends one movement dated today; the whole ledger it makes must be valid (a payout never exceeds the credit there is). */
function appendMovement(deps: LedgerDeps, actor: string, personId: string, action: string, movement: Pick<LedgerEntry, 'kind' | 'seconds' | 'reason'>) {
  // Under the person's mutex: a lock step writing its close in the meantime would plan the same seqs.
  return withMutex(deps, personLedgerMutex(personId), { what: `${action} for ${personId}`, waitMs: 8_000 }, () => appendUnderMutex(deps, actor, personId, action, movement));
}

async function appendUnderMutex(deps: LedgerDeps, actor: string, personId: string, action: string, movement: Pick<LedgerEntry, 'kind' | 'seconds' | 'reason'>) {
  const [today, rules] = await Promise.all([siteToday(deps), recuperationRules(deps.kv)]);
  for (let attempt = 0; attempt < 5; attempt++) {
    const entries = await entriesOf(deps.kv, personId);
    const last = entries[entries.length - 1];
    // An entry dated later than today (a period closed ahead) keeps the ledger's order: date the movement with it.
    const date = last && last.date > today ? last.date : today;
    const entry: LedgerEntry = { seq: entries.length + 1, date, ...movement };
    validateLedger([...entries, entry]);
    const before = foldLedger(entries, rules).balanceSeconds;
    try {
      await deps.kv.set(keys.ledgerEntry(personId, entry.seq), entry, { ifAbsent: true });
    } catch (e) {
      if (e instanceof KvConflictError) continue; // another write took this seq: read again
      throw e;
    }
    await appendAudit(deps.kv, { at: deps.clock.now(), actor, action, target: keys.ledgerEntry(personId, entry.seq), details: { personId, ...plain(entry), balanceBefore: before, balanceAfter: before + entry.seconds } });
    return { personId, entry, balanceSeconds: before + entry.seconds };
  }
  throw new DomainError('LEDGER_CONTENDED', `the ledger of ${personId} kept changing while this was written; nothing was written; try again`);
}

const plain = <T extends object>(value: T) => JSON.parse(JSON.stringify(value)) as Record<string, never>;
