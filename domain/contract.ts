import Decimal from 'decimal.js';
import { DomainError, ErrorCode } from './errors';
import { isLocalDate, type LocalDate } from './localDate';
import { scheduledSecondsOn, validateSchedule, type Schedule } from './schedule';
import { isKnownZone } from './zoneOffsets';

/**
 * What a person is expected to work, valid from `firstDate` to `lastDate`
 * (both included; null = open-ended). A person may have many contracts, one
 * after another, never overlapping.
 */
export interface Contract {
  readonly id: string;
  readonly personId: string;
  readonly firstDate: LocalDate;
  readonly lastDate: LocalDate | null;
  readonly schedule: Schedule;
  /** Share of the schedule expected, a decimal string in (0, 1] with at most 6 decimals: "0.8" for an 80 % part-timer. */
  readonly partTimeFactor: string;
  /** The holiday calendar whose counted holidays reduce expected time; null for none. */
  readonly holidayCalendarId: string | null;
  /** Overrides the person's Jira zone while this contract is in force; null to keep it. */
  readonly timeZone: string | null;
}

// At most 6 decimals: a day's or month's seconds (7 digits) times the factor then has at most 13
// significant digits, within decimal.js's 20, so the product is exact before its one rounding.
const PART_TIME_PATTERN = /^[01](\.\d{1,6})?$/;

const contractError = (where: string, field: string, why: string, value: unknown, extra: Record<string, unknown> = {}): never => {
  throw new DomainError(ErrorCode.invalidContract, `${where}: ${field} ${why}; got ${JSON.stringify(value)}`, { field, value, ...extra });
};

/** Returns a well-formed contract, or throws INVALID_CONTRACT naming the contract and field. */
export function validateContract(input: unknown, index?: number): Contract {
  const c = (input ?? {}) as Record<string, unknown>;
  const where = `contract ${JSON.stringify(c.id ?? null)}${index === undefined ? '' : ` (#${index})`}`;
  const ctx = { contractId: c.id, index };
  if (typeof c.id !== 'string' || c.id.length === 0) contractError(where, 'id', 'must be a non-empty string', c.id, ctx);
  if (typeof c.personId !== 'string' || c.personId.length === 0) contractError(where, 'personId', 'must be a non-empty string', c.personId, ctx);
  if (!isLocalDate(c.firstDate)) contractError(where, 'firstDate', 'must be a date YYYY-MM-DD', c.firstDate, ctx);
  const lastDate = c.lastDate ?? null;
  if (lastDate !== null && !isLocalDate(lastDate)) contractError(where, 'lastDate', 'must be a date YYYY-MM-DD or null (open-ended)', lastDate, ctx);
  if (lastDate !== null && (lastDate as string) < (c.firstDate as string)) {
    contractError(where, 'lastDate', `must not be before firstDate ${c.firstDate as string}`, lastDate, ctx);
  }
  const factor = c.partTimeFactor ?? '1';
  // A string, so "0.8" stays exactly 0.8; the pattern keeps out what Decimal would also take ("0x1", "8e-1", " 0.8").
  const f = typeof factor === 'string' && PART_TIME_PATTERN.test(factor) ? new Decimal(factor) : null;
  if (f === null || f.lte(0) || f.gt(1)) {
    contractError(where, 'partTimeFactor', 'must be a decimal string greater than 0 and at most 1 with at most 6 decimals, such as "0.8" (in quotes, so it stays exact)', factor, ctx);
  }
  const calendar = c.holidayCalendarId ?? null;
  if (calendar !== null && (typeof calendar !== 'string' || calendar.length === 0)) {
    contractError(where, 'holidayCalendarId', 'must be a calendar id or null', calendar, ctx);
  }
  const zone = c.timeZone ?? null;
  if (zone !== null && !isKnownZone(zone)) contractError(where, 'timeZone', 'must be an IANA zone such as "Europe/Brussels", or null', zone, ctx);
  let schedule: Schedule;
  try {
    schedule = validateSchedule(c.schedule);
  } catch (e) {
    if (e instanceof DomainError) throw new DomainError(e.code, `${where}: ${e.message}`, { ...e.details, ...ctx });
    throw e;
  }
  return {
    id: c.id as string,
    personId: c.personId as string,
    firstDate: c.firstDate as string,
    lastDate: lastDate as LocalDate | null,
    schedule,
    partTimeFactor: f!.toString(),
    holidayCalendarId: calendar as string | null,
    timeZone: zone as string | null,
  };
}

const describe = (c: Contract) => `"${c.id}" (${c.firstDate} – ${c.lastDate ?? 'open-ended'})`;

/**
 * Throws CONTRACT_OVERLAP naming both contracts and the first shared date when
 * any two contracts of the same person cover a common day.
 */
export function assertNoOverlaps(contracts: readonly Contract[]): void {
  const byPerson = new Map<string, Contract[]>();
  for (const c of contracts) byPerson.set(c.personId, [...(byPerson.get(c.personId) ?? []), c]);
  for (const [personId, list] of byPerson) {
    const sorted = [...list].sort((a, b) => (a.firstDate < b.firstDate ? -1 : a.firstDate > b.firstDate ? 1 : 0));
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1]!;
      const next = sorted[i]!;
      if (prev.lastDate === null || prev.lastDate >= next.firstDate) {
        throw new DomainError(
          ErrorCode.contractOverlap,
          `contracts ${describe(prev)} and ${describe(next)} of person ${personId} overlap from ${next.firstDate}; end the first before ${next.firstDate} or start the second later`,
          { personId, contractIds: [prev.id, next.id], firstSharedDate: next.firstDate },
        );
      }
    }
  }
}

/** The contract in force for `personId` on `date`, or null (no contract: nothing expected). */
export function contractOn(contracts: readonly Contract[], personId: string, date: LocalDate): Contract | null {
  for (const c of contracts) {
    if (c.personId === personId && c.firstDate <= date && (c.lastDate === null || date <= c.lastDate)) return c;
  }
  return null;
}

/** Expected seconds of `contract` on `date`: the schedule times the part-time factor, rounded half up to a second. */
export function contractSecondsOn(contract: Contract, date: LocalDate, zone: string): { scheduledSeconds: number; expectedSeconds: number } {
  const scheduledSeconds = scheduledSecondsOn(contract.schedule, date, zone);
  const expectedSeconds =
    contract.partTimeFactor === '1'
      ? scheduledSeconds
      : new Decimal(scheduledSeconds).times(contract.partTimeFactor).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
  return { scheduledSeconds, expectedSeconds };
}
