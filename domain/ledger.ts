import { DomainError, ErrorCode } from './errors.ts';
import { daysInMonth, formatLocalDate, isLocalDate, type LocalDate } from './localDate.ts';
import { validateOvertimeMultipliers, type OvertimeMultiplier } from './overtimeCredit.ts';

/**
 * The recuperation ledger (time off in lieu): an append-only list of signed
 * movements in seconds, folded into a balance. Positive movements are credits
 * ("lots", each with its date); negative ones consume the oldest lots first.
 */
export type LedgerEntryKind = 'period-close' | 'adjustment' | 'payout' | 'expiry' | 'carry-over';
export const LEDGER_ENTRY_KINDS: readonly LedgerEntryKind[] = ['period-close', 'adjustment', 'payout', 'expiry', 'carry-over'];

export interface LedgerEntry {
  /** 1, 2, 3 … with no gaps: the order of the ledger. */
  readonly seq: number;
  readonly date: LocalDate;
  readonly kind: LedgerEntryKind;
  /** Signed whole seconds. */
  readonly seconds: number;
  /** Why: required for adjustments, set by the engine for cap, floor, expiry and carry-over. */
  readonly reason?: string;
  readonly periodKey?: string;
}

export interface RecuperationRules {
  /** The balance never ends a period above this; the excess expires. Null: no cap. */
  readonly capSeconds: number | null;
  /** The balance never ends a period below this (e.g. −36000: may owe 10 h); the rest is written off. Null: no floor. */
  readonly floorSeconds: number | null;
  /** Credits unused this many months after their date expire, oldest first. Null: never. */
  readonly expiryMonths: number | null;
  /** At 31 December, the balance above this is forfeited. Null: no limit. */
  readonly yearEndCarryOverLimitSeconds: number | null;
  readonly overtime: readonly OvertimeMultiplier[];
}

export const DEFAULT_RECUPERATION_RULES: RecuperationRules = {
  capSeconds: null,
  floorSeconds: null,
  expiryMonths: null,
  yearEndCarryOverLimitSeconds: null,
  overtime: [],
};

const policyError = (field: string, why: string, value: unknown): never => {
  throw new DomainError(ErrorCode.invalidPolicy, `recuperation rules: ${field} ${why}; got ${JSON.stringify(value)}`, { field, value });
};

const wholeOrNull = (v: unknown, field: string, min: number, max: number): number | null => {
  if (v === undefined || v === null) return null;
  if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) policyError(field, `must be whole seconds from ${min} to ${max}, or null`, v);
  return v as number;
};

/** Returns well-formed rules (defaults for what is missing) or throws INVALID_POLICY naming the field. */
export function validateRecuperationRules(input: unknown): RecuperationRules {
  const r = (input ?? {}) as Record<string, unknown>;
  if (typeof input !== 'object' || input === null || Array.isArray(input)) policyError('rules', 'must be an object', input);
  const year = 366 * 86_400;
  const capSeconds = wholeOrNull(r.capSeconds, 'capSeconds', 0, 10 * year);
  const floorSeconds = wholeOrNull(r.floorSeconds, 'floorSeconds', -10 * year, 0);
  const expiryMonths = wholeOrNull(r.expiryMonths, 'expiryMonths', 1, 120);
  const yearEndCarryOverLimitSeconds = wholeOrNull(r.yearEndCarryOverLimitSeconds, 'yearEndCarryOverLimitSeconds', 0, 10 * year);
  if (capSeconds !== null && yearEndCarryOverLimitSeconds !== null && yearEndCarryOverLimitSeconds > capSeconds) {
    policyError('yearEndCarryOverLimitSeconds', `must not exceed capSeconds (${capSeconds})`, yearEndCarryOverLimitSeconds);
  }
  return { capSeconds, floorSeconds, expiryMonths, yearEndCarryOverLimitSeconds, overtime: validateOvertimeMultipliers(r.overtime ?? []) };
}

const entryError = (entry: unknown, index: number, why: string): never => {
  const seq = (entry as { seq?: unknown })?.seq;
  throw new DomainError(ErrorCode.invalidLedgerEntry, `ledger entry #${index} (seq ${JSON.stringify(seq ?? null)}): ${why}`, { index, seq });
};

/** Throws INVALID_LEDGER_ENTRY naming the first entry that breaks the ledger's rules. */
export function validateLedger(entries: readonly LedgerEntry[]): void {
  entries.forEach((e, i) => {
    if (e?.seq !== i + 1) entryError(e, i, `seq must be ${i + 1} (entries are numbered 1, 2, 3 … with no gaps)`);
    if (!isLocalDate(e.date)) entryError(e, i, `date must be YYYY-MM-DD; got ${JSON.stringify(e.date)}`);
    if (i > 0 && e.date < entries[i - 1]!.date) entryError(e, i, `date ${e.date} is before the previous entry's ${entries[i - 1]!.date}; the ledger only grows forward`);
    if (!LEDGER_ENTRY_KINDS.includes(e.kind)) entryError(e, i, `kind must be one of ${LEDGER_ENTRY_KINDS.join(', ')}; got ${JSON.stringify(e.kind)}`);
    if (!Number.isInteger(e.seconds)) entryError(e, i, `seconds must be whole; got ${JSON.stringify(e.seconds)}`);
    if (e.kind === 'adjustment' && (typeof e.reason !== 'string' || e.reason.trim() === '')) entryError(e, i, 'an adjustment needs a reason');
    if (e.kind === 'payout' && e.seconds >= 0) entryError(e, i, `a payout takes hours out of the balance, so its seconds must be negative; got ${e.seconds}`);
  });
}

export interface Lot {
  readonly seq: number;
  readonly date: LocalDate;
  readonly remainingSeconds: number;
}

export interface LedgerState {
  readonly balanceSeconds: number;
  /** Unused credits, oldest first. */
  readonly lots: readonly Lot[];
  /** What is owed beyond the lots (a negative balance), as a positive number. */
  readonly debtSeconds: number;
}

/** Folds entries into a balance; the balance always equals the sum of the entries' seconds. */
export function foldLedger(entries: readonly LedgerEntry[]): LedgerState {
  validateLedger(entries);
  const lots: { seq: number; date: LocalDate; remainingSeconds: number }[] = [];
  let debt = 0;
  for (const e of entries) {
    if (e.seconds > 0) {
      const repay = Math.min(debt, e.seconds);
      debt -= repay;
      if (e.seconds > repay) lots.push({ seq: e.seq, date: e.date, remainingSeconds: e.seconds - repay });
    } else {
      let owed = -e.seconds;
      while (owed > 0 && lots.length > 0) {
        const lot = lots[0]!;
        const take = Math.min(lot.remainingSeconds, owed);
        lot.remainingSeconds -= take;
        owed -= take;
        if (lot.remainingSeconds === 0) lots.shift();
      }
      debt += owed;
    }
  }
  const balanceSeconds = lots.reduce((s, l) => s + l.remainingSeconds, 0) - debt;
  return { balanceSeconds, lots, debtSeconds: debt };
}

/** `date` plus `months` calendar months, clamped to the month's end (31 Jan + 1 month = 28 or 29 Feb). */
export function addMonths(date: LocalDate, months: number): LocalDate {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - 1 + months;
  const year = y + Math.floor(m / 12);
  const month = (((m % 12) + 12) % 12) + 1;
  return formatLocalDate(year, month, Math.min(Number(date.slice(8, 10)), daysInMonth(year, month)));
}

const hours = (s: number) => `${s < 0 ? '−' : ''}${Math.floor(Math.abs(s) / 3600)}:${String(Math.floor((Math.abs(s) % 3600) / 60)).padStart(2, '0')}`;

/**
 * Expiry entries due on or before `asOf`: each unused credit older than
 * `expiryMonths` expires (its remainder only), oldest first, dated on its
 * expiry date. Appending the result and asking again yields nothing.
 */
export function expiryEntriesDue(entries: readonly LedgerEntry[], rules: RecuperationRules, asOf: LocalDate): LedgerEntry[] {
  if (rules.expiryMonths === null) return [];
  const lastDate = entries[entries.length - 1]?.date ?? asOf;
  let seq = entries.length;
  return foldLedger(entries)
    .lots.map((lot) => ({ lot, expires: addMonths(lot.date, rules.expiryMonths!) }))
    .filter(({ expires }) => expires <= asOf)
    .map(({ lot, expires }) => ({
      seq: ++seq,
      date: expires < lastDate ? lastDate : expires,
      kind: 'expiry' as const,
      seconds: -lot.remainingSeconds,
      reason: `credit of ${lot.date} (entry ${lot.seq}) unused after ${rules.expiryMonths} month(s): ${hours(lot.remainingSeconds)} expired on ${expires}`,
    }));
}

/**
 * The entries that close a period: due expiries first, then the period's
 * credit, then — when the balance would end above the cap or below the floor —
 * an entry that says exactly what was cut and why. Never mutates `entries`.
 */
export function closePeriodEntries(
  entries: readonly LedgerEntry[],
  rules: RecuperationRules,
  close: { readonly date: LocalDate; readonly periodKey: string; readonly creditedSeconds: number },
): LedgerEntry[] {
  if (!Number.isInteger(close.creditedSeconds)) {
    throw new DomainError(ErrorCode.invalidLedgerEntry, `a period's credit must be whole seconds; got ${close.creditedSeconds}`, { field: 'creditedSeconds' });
  }
  if (entries.some((e) => e.kind === 'period-close' && e.periodKey === close.periodKey)) {
    throw new DomainError(ErrorCode.invalidLedgerEntry, `period ${close.periodKey} is already closed in this ledger; unlock it (which reverses its entry) before closing it again`, { periodKey: close.periodKey });
  }
  const out: LedgerEntry[] = [...expiryEntriesDue(entries, rules, close.date)];
  const next = (e: Omit<LedgerEntry, 'seq'>) => out.push({ seq: entries.length + out.length + 1, ...e } as LedgerEntry);
  next({ date: close.date, kind: 'period-close', seconds: close.creditedSeconds, periodKey: close.periodKey });
  const balance = foldLedger([...entries, ...out]).balanceSeconds;
  if (rules.capSeconds !== null && balance > rules.capSeconds) {
    next({ date: close.date, kind: 'expiry', seconds: rules.capSeconds - balance, periodKey: close.periodKey, reason: `cap of ${hours(rules.capSeconds)} reached: ${hours(balance - rules.capSeconds)} above it expired` });
  }
  if (rules.floorSeconds !== null && balance < rules.floorSeconds) {
    next({
      date: close.date,
      kind: 'adjustment',
      seconds: rules.floorSeconds - balance,
      periodKey: close.periodKey,
      reason: `floor of ${hours(rules.floorSeconds)} reached: ${hours(rules.floorSeconds - balance)} of shortfall beyond it written off, for HR to settle`,
    });
  }
  return out;
}

/**
 * The year-end entries for `year`: due expiries up to 31 December, then a
 * carry-over entry forfeiting the balance above the limit, dated 31 December.
 * Idempotent: once a year's carry-over entry exists, nothing more is due.
 */
export function yearEndEntries(entries: readonly LedgerEntry[], rules: RecuperationRules, year: number): LedgerEntry[] {
  const date = formatLocalDate(year, 12, 31);
  if (rules.yearEndCarryOverLimitSeconds === null || entries.some((e) => e.kind === 'carry-over' && e.date === date)) return [];
  const out = expiryEntriesDue(entries, rules, date);
  const balance = foldLedger([...entries, ...out]).balanceSeconds;
  const limit = rules.yearEndCarryOverLimitSeconds;
  out.push({
    seq: entries.length + out.length + 1,
    date,
    kind: 'carry-over',
    seconds: balance > limit ? limit - balance : 0,
    reason: balance > limit ? `year-end carry-over limit ${hours(limit)}: ${hours(balance - limit)} forfeited` : `year-end carry-over: ${hours(balance)} carried into ${year + 1}`,
  });
  return out;
}
