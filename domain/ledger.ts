import { DomainError, ErrorCode } from './errors';
import { addMonths, formatLocalDate, isLocalDate, parseLocalDate, type LocalDate } from './localDate';
import { validateOvertimeMultipliers, type OvertimeMultiplier } from './overtimeCredit';

/**
 * The recuperation ledger (time off in lieu): an append-only list of signed
 * movements in whole seconds, folded into a balance. Positive movements are
 * credits ("lots", each keeping its date); negative ones use up the oldest
 * lots first. docs/domain.md states the rules for people.
 */
export type LedgerEntryKind = 'period-close' | 'adjustment' | 'payout' | 'expiry' | 'carry-over';
export const LEDGER_ENTRY_KINDS: readonly LedgerEntryKind[] = ['period-close', 'adjustment', 'payout', 'expiry', 'carry-over'];

export interface LedgerEntry {
  /** 1, 2, 3 … with no gaps: the order of the ledger. */
  readonly seq: number;
  /** Never before the previous entry's date. */
  readonly date: LocalDate;
  readonly kind: LedgerEntryKind;
  /** Signed whole seconds. */
  readonly seconds: number;
  /** Why: required for adjustments; written by the engine for cap, floor, expiry and carry-over. */
  readonly reason?: string;
  /** The period a period-close entry closes (required there), or that a cap or floor entry belongs to. */
  readonly periodKey?: string;
}

export interface RecuperationRules {
  /** After a period closes the balance is never above this; the excess expires. Null: no cap. */
  readonly capSeconds: number | null;
  /** After a period closes the balance is never below this (−36000: may owe 10 h); the rest is written off. Null: no floor. */
  readonly floorSeconds: number | null;
  /** A credit still unused this many months after its date expires, oldest first. Null: never. */
  readonly expiryMonths: number | null;
  /** At the end of 31 December the balance above this is forfeited. Null: no limit. */
  readonly yearEndCarryOverLimitSeconds: number | null;
  /** Multipliers for worked time above daily or weekly thresholds (see overtimeCredit.ts). */
  readonly overtime: readonly OvertimeMultiplier[];
}

export const DEFAULT_RECUPERATION_RULES: RecuperationRules = {
  capSeconds: null,
  floorSeconds: null,
  expiryMonths: null,
  yearEndCarryOverLimitSeconds: null,
  overtime: [],
};

/** `h:mm`, or `h:mm:ss` when there are stray seconds, so a reason never hides a second its entry moves. */
function clock(seconds: number): string {
  const abs = Math.abs(seconds);
  const hm = `${seconds < 0 ? '-' : ''}${Math.floor(abs / 3600)}:${String(Math.floor((abs % 3600) / 60)).padStart(2, '0')}`;
  return abs % 60 === 0 ? hm : `${hm}:${String(abs % 60).padStart(2, '0')}`;
}
const show = (value: unknown): string => JSON.stringify(value) ?? String(value);

// ---------------------------------------------------------------------------------------------
// Rules

const RULE_KEYS = ['capSeconds', 'floorSeconds', 'expiryMonths', 'yearEndCarryOverLimitSeconds', 'overtime'];

const policyError = (field: string, why: string, value: unknown): never => {
  throw new DomainError(ErrorCode.invalidPolicy, `recuperation rules: ${field} ${why}; got ${show(value)}`, { field, value });
};

function wholeOrNull(value: unknown, field: string, ok: (n: number) => boolean, expected: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || !ok(value)) policyError(field, expected, value);
  return value as number;
}

/** Returns complete, consistent rules (null/[] for what is missing) or throws INVALID_POLICY naming the field. */
export function validateRecuperationRules(input: unknown): RecuperationRules {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) policyError('rules', 'must be an object', input);
  const r = input as Record<string, unknown>;
  // A misspelt key would otherwise silently mean "no cap" or "never expires".
  const unknown = Object.keys(r).find((k) => !RULE_KEYS.includes(k));
  if (unknown !== undefined) policyError(unknown, `is not a recuperation rule (the rules are ${RULE_KEYS.join(', ')})`, r[unknown]);
  const capSeconds = wholeOrNull(r.capSeconds, 'capSeconds', (n) => n >= 0, 'must be whole seconds, 0 or more (144000 caps at 40 h), or null for no cap');
  const floorSeconds = wholeOrNull(
    r.floorSeconds,
    'floorSeconds',
    (n) => n <= 0,
    'is how far the balance may go below zero, so it must be whole seconds, 0 or less (-36000: may owe 10 h), or null for no floor',
  );
  const expiryMonths = wholeOrNull(r.expiryMonths, 'expiryMonths', (n) => n >= 1 && n <= 1200, 'must be a whole number of months from 1 to 1200, or null for credits that never expire');
  const limit = wholeOrNull(r.yearEndCarryOverLimitSeconds, 'yearEndCarryOverLimitSeconds', (n) => n >= 0, 'must be whole seconds, 0 or more, or null for no limit');
  if (capSeconds !== null && limit !== null && limit > capSeconds) {
    policyError('yearEndCarryOverLimitSeconds', `is above capSeconds (${capSeconds}), so it could never apply: set it to the cap or less, or to null`, limit);
  }
  return { capSeconds, floorSeconds, expiryMonths, yearEndCarryOverLimitSeconds: limit, overtime: validateOvertimeMultipliers(r.overtime ?? []) };
}

// ---------------------------------------------------------------------------------------------
// Validation and folding

const entryError = (entry: unknown, index: number, field: string, why: string): never => {
  const seq = typeof entry === 'object' && entry !== null ? (entry as { seq?: unknown }).seq : undefined;
  const value = typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>)[field] : entry;
  throw new DomainError(ErrorCode.invalidLedgerEntry, `ledger entry at position ${index + 1} (seq ${show(seq)}): ${why}`, { index, seq, field, value });
};

/** Kinds that can only take away credit that exists: they never put a balance into debt. */
const REMOVES_CREDIT: readonly LedgerEntryKind[] = ['payout', 'expiry', 'carry-over'];

/** Returns normally only if every entry is well formed, in order, and no payout, expiry or carry-over removes more credit than exists; else throws INVALID_LEDGER_ENTRY naming the first bad entry. */
export function validateLedger(entries: readonly LedgerEntry[]): void {
  if (!Array.isArray(entries)) {
    throw new DomainError(ErrorCode.invalidLedgerEntry, `a ledger must be a list of entries; got ${show(entries)}`, { value: entries });
  }
  let balance = 0;
  // An index loop, not forEach: forEach skips the holes of a sparse list, which would pass unchecked.
  for (let i = 0; i < entries.length; i++) {
    const e: LedgerEntry = entries[i]!;
    if (typeof e !== 'object' || e === null) entryError(e, i, 'entry', `must be an object; got ${show(e)}`);
    if (e.seq !== i + 1) entryError(e, i, 'seq', `seq must be ${i + 1}: entries are numbered 1, 2, 3 … with no gaps, and nothing is ever removed`);
    if (!isLocalDate(e.date)) entryError(e, i, 'date', `date must be a calendar date written YYYY-MM-DD; got ${show(e.date)}`);
    const prev = entries[i - 1];
    if (prev !== undefined && e.date < prev.date) {
      entryError(e, i, 'date', `date ${e.date} is before ${prev.date} of seq ${prev.seq}: the ledger only grows forward, so date a late correction today`);
    }
    if (!LEDGER_ENTRY_KINDS.includes(e.kind)) entryError(e, i, 'kind', `kind must be one of ${LEDGER_ENTRY_KINDS.join(', ')}; got ${show(e.kind)}`);
    if (!Number.isSafeInteger(e.seconds)) entryError(e, i, 'seconds', `seconds must be a whole number; got ${show(e.seconds)}`);
    if (e.reason !== undefined && typeof e.reason !== 'string') entryError(e, i, 'reason', `reason must be text; got ${show(e.reason)}`);
    if (e.kind === 'adjustment' && (e.reason === undefined || e.reason.trim() === '')) {
      entryError(e, i, 'reason', 'an adjustment needs a reason, so whoever reads the balance later knows why it moved');
    }
    if (e.periodKey !== undefined && (typeof e.periodKey !== 'string' || e.periodKey === '')) entryError(e, i, 'periodKey', `periodKey must be a non-empty string; got ${show(e.periodKey)}`);
    if (e.kind === 'period-close' && e.periodKey === undefined) entryError(e, i, 'periodKey', 'a period-close entry needs the periodKey of the period it closes (such as "2026-11")');
    if (e.kind === 'payout' && e.seconds >= 0) entryError(e, i, 'seconds', `a payout takes hours out of the balance, so its seconds must be negative; got ${e.seconds}`);
    if ((e.kind === 'expiry' || e.kind === 'carry-over') && e.seconds > 0) entryError(e, i, 'seconds', `${e.kind === 'expiry' ? 'an expiry' : 'a carry-over'} entry only takes credit away, so its seconds must be 0 or negative; got ${e.seconds}`);
    if (REMOVES_CREDIT.includes(e.kind) && -e.seconds > Math.max(0, balance)) {
      entryError(
        e,
        i,
        'seconds',
        `this ${e.kind} removes ${clock(-e.seconds)} but only ${clock(Math.max(0, balance))} of credit exists before it (balance ${clock(balance)}); ` +
          (e.kind === 'payout' ? 'pay out at most the balance' : 'recompute it with the ledger functions rather than writing it by hand'),
      );
    }
    balance += e.seconds;
  }
}

export interface Lot {
  /** The credit entry this lot is (what is left of) and its date. */
  readonly seq: number;
  readonly date: LocalDate;
  /** Always > 0: a used-up lot is no longer listed. */
  readonly remainingSeconds: number;
  /** The day the remainder expires under the rules' expiryMonths; null when credits never expire. */
  readonly expiresOn: LocalDate | null;
}

export interface LedgerState {
  /** The date folded up to (entries dated later are left out), or null for the whole ledger. */
  readonly asOf: LocalDate | null;
  /** How many entries were folded (a prefix of the ledger). */
  readonly entryCount: number;
  /** Σ seconds of the folded entries = Σ lots − debt. */
  readonly balanceSeconds: number;
  /** Unused credits, oldest first. */
  readonly lots: readonly Lot[];
  /** What is owed beyond the lots (the negative part of the balance), as a positive number; when > 0 there are no lots. */
  readonly debtSeconds: number;
  /** Lot remainders whose expiry date has come (by asOf, or by the last entry's date) but no expiry entry records yet. */
  readonly overdueExpirySeconds: number;
}

/**
 * Folds the entries dated on or before `asOf` (all of them when null) into a
 * balance; guarantees balance = Σ their seconds = Σ lots − debt, with lots
 * used oldest first. Rules only date the lots' expiry; they never move the balance.
 */
export function foldLedger(entries: readonly LedgerEntry[], rules: RecuperationRules = DEFAULT_RECUPERATION_RULES, asOf: LocalDate | null = null): LedgerState {
  validateLedger(entries);
  const { expiryMonths } = validateRecuperationRules(rules);
  if (asOf !== null) parseLocalDate(asOf, 'asOf');
  // Dates never go backwards, so "dated on or before asOf" is a prefix.
  const folded = asOf === null ? entries : entries.filter((e) => e.date <= asOf);
  const lots: { seq: number; date: LocalDate; remainingSeconds: number }[] = [];
  let head = 0; // lots before head are used up; a moving index keeps a long ledger linear
  let debt = 0;
  for (const e of folded) {
    if (e.seconds > 0) {
      // A debt is repaid before any of a new credit becomes a lot.
      const repay = Math.min(debt, e.seconds);
      debt -= repay;
      if (e.seconds > repay) lots.push({ seq: e.seq, date: e.date, remainingSeconds: e.seconds - repay });
    } else {
      let owed = -e.seconds;
      while (owed > 0 && head < lots.length) {
        const lot = lots[head]!;
        const take = Math.min(lot.remainingSeconds, owed);
        lot.remainingSeconds -= take;
        owed -= take;
        if (lot.remainingSeconds === 0) head++;
      }
      debt += owed;
    }
  }
  const open: Lot[] = lots.slice(head).map((l) => ({ ...l, expiresOn: expiryMonths === null ? null : addMonths(l.date, expiryMonths) }));
  const reference = asOf ?? folded[folded.length - 1]?.date ?? null;
  const overdueExpirySeconds = open.filter((l) => l.expiresOn !== null && reference !== null && l.expiresOn <= reference).reduce((s, l) => s + l.remainingSeconds, 0);
  return {
    asOf,
    entryCount: folded.length,
    balanceSeconds: open.reduce((s, l) => s + l.remainingSeconds, 0) - debt,
    lots: open,
    debtSeconds: debt,
    overdueExpirySeconds,
  };
}

// ---------------------------------------------------------------------------------------------
// Entries the rules write

const yearEndDate = (year: number): LocalDate => formatLocalDate(year, 12, 31);
const yearOf = (date: LocalDate): number => Number(date.slice(0, 4));

/** Appends `draft` to `out` with the next seq after `entries` and `out`. */
function append(entries: readonly LedgerEntry[], out: LedgerEntry[], draft: Omit<LedgerEntry, 'seq'>): void {
  out.push({ seq: entries.length + out.length + 1, ...draft });
}

/** The expiry entries due by `upTo` on the ledger `all`, each dated its expiry day or, if the ledger already moved past it, its last date. */
function expiriesUpTo(all: readonly LedgerEntry[], rules: RecuperationRules, upTo: LocalDate): Omit<LedgerEntry, 'seq'>[] {
  if (rules.expiryMonths === null) return [];
  const lastDate = all[all.length - 1]?.date;
  return foldLedger(all, rules)
    .lots.filter((lot) => lot.expiresOn !== null && lot.expiresOn <= upTo)
    .map((lot) => {
      const expiresOn = lot.expiresOn!;
      const date = lastDate !== undefined && lastDate > expiresOn ? lastDate : expiresOn;
      const late = date === expiresOn ? '' : `; recorded on ${date} because the ledger already had later entries`;
      return {
        date,
        kind: 'expiry' as const,
        seconds: -lot.remainingSeconds,
        reason: `expiry after ${rules.expiryMonths} month(s): ${clock(lot.remainingSeconds)} left of the credit of ${lot.date} (seq ${lot.seq}) expired on ${expiresOn}${late}`,
      };
    });
}

/** The carry-over entry for `year` given the balance at the end of its 31 December. */
function carryOver(balance: number, limit: number, year: number): Omit<LedgerEntry, 'seq'> {
  const next = year + 1;
  const reason =
    balance > limit
      ? `year end ${year}: balance ${clock(balance)} is above the carry-over limit ${clock(limit)}, so ${clock(balance - limit)} is forfeited and ${clock(limit)} carried into ${next}`
      : balance >= 0
        ? `year end ${year}: balance ${clock(balance)} is within the carry-over limit ${clock(limit)} and carried into ${next} whole`
        : `year end ${year}: balance ${clock(balance)} is owed time and carried into ${next} whole`;
  return { date: yearEndDate(year), kind: 'carry-over', seconds: balance > limit ? limit - balance : 0, reason };
}

const hasCarryOver = (entries: readonly LedgerEntry[], year: number): boolean => entries.some((e) => e.kind === 'carry-over' && e.date === yearEndDate(year));

/** Year ends that have not run yet and still can: from the last entry's year through `through`, each with the expiries due by its 31 December first. */
function pendingYearEnds(entries: readonly LedgerEntry[], rules: RecuperationRules, fromYear: number, through: number): LedgerEntry[] {
  const out: LedgerEntry[] = [];
  const limit = rules.yearEndCarryOverLimitSeconds;
  if (limit === null) return out;
  for (let year = fromYear; year <= through; year++) {
    if (hasCarryOver(entries, year)) continue;
    for (const e of expiriesUpTo([...entries, ...out], rules, yearEndDate(year))) append(entries, out, e);
    append(entries, out, carryOver(foldLedger([...entries, ...out]).balanceSeconds, limit, year));
  }
  return out;
}

/**
 * The expiry entries due by `asOf`: each credit unused `expiryMonths` after
 * its date loses its remainder, oldest first. Appending them and asking again
 * with the same `asOf` yields nothing (idempotent).
 */
export function expiryEntriesDue(entries: readonly LedgerEntry[], rules: RecuperationRules, asOf: LocalDate): LedgerEntry[] {
  const r = validateRecuperationRules(rules);
  parseLocalDate(asOf, 'asOf');
  const out: LedgerEntry[] = [];
  for (const e of expiriesUpTo(entries, r, asOf)) append(entries, out, e);
  const last = entries[entries.length - 1];
  if (r.yearEndCarryOverLimitSeconds !== null && last !== undefined) {
    // The first year end not yet run; an expiry dated after it would make it impossible to write.
    const year = hasCarryOver(entries, yearOf(last.date)) ? yearOf(last.date) + 1 : yearOf(last.date);
    const blocking = out.find((e) => e.date > yearEndDate(year));
    if (blocking !== undefined) {
      throw new DomainError(
        ErrorCode.invalidLedgerEntry,
        `the year end of ${year} has not run, and an expiry falls due after it on ${blocking.date}: append yearEndEntries(entries, rules, ${year}) first (closePeriodEntries does both, in order)`,
        { field: 'asOf', value: asOf, year },
      );
    }
  }
  return out;
}

/**
 * The entries that close a period, never mutating `entries`: year ends and
 * expiries that fell due since the last entry, then the period's credit, then
 * at most one entry cutting the balance back to the cap (kind 'expiry') or up
 * to the floor (kind 'adjustment'). Guarantees the balance after them is
 * within [floor, cap].
 */
export function closePeriodEntries(
  entries: readonly LedgerEntry[],
  rules: RecuperationRules,
  close: { readonly date: LocalDate; readonly periodKey: string; readonly creditedSeconds: number },
): LedgerEntry[] {
  const r = validateRecuperationRules(rules);
  parseLocalDate(close.date, 'date');
  const { periodKey, creditedSeconds } = close;
  if (typeof periodKey !== 'string' || periodKey === '') {
    throw new DomainError(ErrorCode.invalidLedgerEntry, `a period close needs the period's key (such as "2026-11"); got ${show(periodKey)}`, { field: 'periodKey', value: periodKey });
  }
  if (!Number.isSafeInteger(creditedSeconds)) {
    throw new DomainError(ErrorCode.invalidLedgerEntry, `period ${periodKey}: the credit must be whole seconds; got ${show(creditedSeconds)}`, { field: 'creditedSeconds', value: creditedSeconds, periodKey });
  }
  validateLedger(entries);
  const last = entries[entries.length - 1];
  if (last !== undefined && close.date < last.date) {
    throw new DomainError(
      ErrorCode.invalidLedgerEntry,
      `period ${periodKey} closes on ${close.date}, before seq ${last.seq} dated ${last.date}: the ledger only grows forward, so date the close on or after ${last.date}`,
      { field: 'date', value: close.date, seq: last.seq, periodKey },
    );
  }
  // Dates never go backwards, so a carry-over of the close's own year is dated the close's own day: the
  // credit would slip past the carry-over limit of a year end that already ran.
  const yearEnd = entries.find((e) => e.kind === 'carry-over' && e.date === yearEndDate(yearOf(close.date)));
  if (yearEnd !== undefined) {
    throw new DomainError(
      ErrorCode.invalidLedgerEntry,
      `period ${periodKey} closes on ${close.date}, but the year end of ${yearOf(close.date)} already ran (seq ${yearEnd.seq}): date the close ${yearOf(close.date) + 1}-01-01 or later`,
      { field: 'date', value: close.date, seq: yearEnd.seq, periodKey },
    );
  }
  const earlier = entries.find((e) => e.kind === 'period-close' && e.periodKey === periodKey);
  if (earlier !== undefined) {
    throw new DomainError(
      ErrorCode.invalidLedgerEntry,
      `period ${periodKey} is already closed by seq ${earlier.seq} (${clock(earlier.seconds)} on ${earlier.date}); to correct its credit, append an adjustment with a reason`,
      { field: 'periodKey', value: periodKey, seq: earlier.seq },
    );
  }

  // A 31 December strictly before the close belongs before it; one on the close's own day runs after it.
  const out = last === undefined ? [] : pendingYearEnds(entries, r, yearOf(last.date), yearOf(close.date) - 1);
  for (const e of expiriesUpTo([...entries, ...out], r, close.date)) append(entries, out, e);
  append(entries, out, { date: close.date, kind: 'period-close', seconds: creditedSeconds, periodKey });

  const balance = foldLedger([...entries, ...out]).balanceSeconds;
  if (r.capSeconds !== null && balance > r.capSeconds) {
    const cut = balance - r.capSeconds;
    append(entries, out, {
      date: close.date,
      kind: 'expiry',
      seconds: -cut,
      periodKey,
      reason: `cap ${clock(r.capSeconds)} exceeded: the balance would be ${clock(balance)}, so ${clock(cut)} above the cap expired (oldest credit first)`,
    });
  }
  if (r.floorSeconds !== null && balance < r.floorSeconds) {
    const writeOff = r.floorSeconds - balance;
    append(entries, out, {
      date: close.date,
      kind: 'adjustment',
      seconds: writeOff,
      periodKey,
      reason: `floor ${clock(r.floorSeconds)} reached: the balance would be ${clock(balance)}, so the ${clock(writeOff)} owed beyond the floor was written off; HR may settle it outside the balance (for example as unpaid time)`,
    });
  }
  return out;
}

/**
 * The year-end entries for `year`, dated 31 December: expiries due by then,
 * then one carry-over entry forfeiting the balance above the limit (0 s when
 * nothing is above it, so the ledger shows the year end ran). Year ends
 * skipped since the last entry run first. Idempotent; [] without a limit.
 */
export function yearEndEntries(entries: readonly LedgerEntry[], rules: RecuperationRules, year: number): LedgerEntry[] {
  const r = validateRecuperationRules(rules);
  if (!Number.isInteger(year) || year < 1 || year > 9998) {
    throw new DomainError(ErrorCode.invalidInput, `year must be a whole year such as 2026; got ${show(year)}`, { field: 'year', value: year });
  }
  validateLedger(entries);
  if (r.yearEndCarryOverLimitSeconds === null || hasCarryOver(entries, year)) return [];
  const last = entries[entries.length - 1];
  if (last !== undefined && last.date > yearEndDate(year)) {
    throw new DomainError(
      ErrorCode.invalidLedgerEntry,
      `the year end of ${year} can no longer be written: seq ${last.seq} is dated ${last.date}, and the ledger only grows forward; apply the ${year} carry-over limit by hand as an adjustment with a reason`,
      { field: 'year', value: year, seq: last.seq },
    );
  }
  return pendingYearEnds(entries, r, last === undefined ? year : yearOf(last.date), year);
}
