import { absenceCreditSeconds, absencesOn, type Absence, type AbsenceType } from './absence';
import { contractOn, contractSecondsOn, type Contract } from './contract';
import { workedSecondsByDate, type DayPolicy } from './dayAssignment';
import { DomainError, ErrorCode } from './errors';
import { countedHolidayOn, holidaysOn, DEFAULT_COUNTED_HOLIDAY_TYPES, type HolidayCalendar, type HolidayType } from './holidays';
import { isoWeekday, type IsoWeekday, type LocalDate } from './localDate';
import { DEFAULT_RECUPERATION_RULES, type RecuperationRules } from './ledger';
import { creditForPeriod } from './overtimeCredit';
import { periodDates, type Period } from './period';
import type { Worklog } from './worklog';
import { parseZone } from './zoneOffsets';

/** Everything a period report is computed from; a snapshot stores exactly this. */
export interface PeriodReportInput {
  readonly person: { readonly id: string; readonly timeZone: string | null };
  readonly siteTimeZone: string;
  readonly period: Period;
  /** The person's worklogs that may touch the period (others are ignored), placed by workedSecondsByDate. */
  readonly worklogs: readonly Worklog[];
  readonly contracts: readonly Contract[];
  readonly holidayCalendars: readonly HolidayCalendar[];
  readonly countedHolidayTypes?: readonly HolidayType[];
  readonly absences: readonly Absence[];
  readonly openingBalanceSeconds: number;
  readonly dayPolicy: DayPolicy;
  readonly recuperationRules?: RecuperationRules;
  /** First day of a week for weekly overtime thresholds; 1 = Monday. */
  readonly weekStart?: IsoWeekday;
}

export interface ReportDay {
  readonly date: LocalDate;
  readonly weekday: IsoWeekday;
  readonly contractId: string | null;
  readonly timeZone: string;
  readonly workedSeconds: number;
  /** Expected by the contract (part-time factor applied), before holidays and absences. */
  readonly contractSeconds: number;
  readonly holiday: { readonly name: string; readonly type: HolidayType; readonly fraction: 1 | 0.5 } | null;
  /** Holidays shown but not counted (observances, types the site does not count). */
  readonly otherHolidays: readonly string[];
  readonly holidaySeconds: number;
  readonly absences: readonly { readonly id: string; readonly type: AbsenceType; readonly seconds: number }[];
  readonly absenceSeconds: number;
  /** contractSeconds − holidaySeconds − absenceSeconds. */
  readonly expectedSeconds: number;
  /** workedSeconds − expectedSeconds. */
  readonly deltaSeconds: number;
}

export interface ContractSegment {
  readonly contractId: string | null;
  readonly firstDate: LocalDate;
  readonly lastDate: LocalDate;
  readonly workedSeconds: number;
  readonly expectedSeconds: number;
}

export interface ReportTotals {
  readonly workedSeconds: number;
  readonly contractSeconds: number;
  readonly holidaySeconds: number;
  readonly absenceSeconds: number;
  readonly absenceSecondsByType: Readonly<Record<AbsenceType, number>>;
  readonly expectedSeconds: number;
  readonly deltaSeconds: number;
  readonly overtimeSeconds: number;
  readonly shortfallSeconds: number;
  /** Extra credit from overtime multipliers (0 without them). */
  readonly bonusSeconds: number;
  /** What the period adds to the balance: delta + bonus. */
  readonly creditedSeconds: number;
  readonly openingBalanceSeconds: number;
  readonly closingBalanceSeconds: number;
}

export type ReportNotice =
  | { readonly kind: 'zone-defaulted'; readonly timeZone: string; readonly message: string }
  | { readonly kind: 'no-contract'; readonly dates: readonly LocalDate[]; readonly message: string }
  | { readonly kind: 'unknown-calendar'; readonly calendarId: string; readonly message: string }
  | { readonly kind: 'worklog-not-counted'; readonly worklogId: string; readonly message: string };

export interface PeriodReport {
  readonly personId: string;
  readonly period: Period;
  readonly dayPolicy: DayPolicy;
  readonly days: readonly ReportDay[];
  readonly segments: readonly ContractSegment[];
  readonly totals: ReportTotals;
  readonly notices: readonly ReportNotice[];
}

/** The zone each date is counted in: the contract's override, else the person's, else the site's. */
function zoneFor(input: PeriodReportInput, contract: Contract | null): string {
  return contract?.timeZone ?? input.person.timeZone ?? input.siteTimeZone;
}

const ABSENCE_TOTALS_ZERO: Record<AbsenceType, number> = { sick: 0, vacation: 0, training: 0, other: 0 };

/**
 * The period report of one person: a row per local date and totals that are
 * exactly the sums of the rows. Expected time is the contract's, less counted
 * holidays (their fraction of the day), less absences (never below zero);
 * the closing balance is the opening balance plus the period's credit.
 */
export function computePeriodReport(input: PeriodReportInput): PeriodReport {
  parseZone(input.siteTimeZone, 'siteTimeZone');
  if (input.person.timeZone !== null) parseZone(input.person.timeZone, `person ${input.person.id} timeZone`);
  if (!Number.isInteger(input.openingBalanceSeconds)) {
    throw new DomainError(ErrorCode.invalidLedgerEntry, `openingBalanceSeconds must be a whole number of seconds; got ${input.openingBalanceSeconds}`, {
      field: 'openingBalanceSeconds',
      value: input.openingBalanceSeconds,
    });
  }
  const personId = input.person.id;
  const contracts = input.contracts.filter((c) => c.personId === personId);
  const calendars = new Map(input.holidayCalendars.map((c) => [c.id, c]));
  const counted = input.countedHolidayTypes ?? DEFAULT_COUNTED_HOLIDAY_TYPES;
  const worked = workedSecondsByDate({ person: input.person, siteTimeZone: input.siteTimeZone, worklogs: input.worklogs, contracts, policy: input.dayPolicy });
  const notices: ReportNotice[] = [];
  const missingCalendars = new Set<string>();
  const noContract: LocalDate[] = [];

  const days: ReportDay[] = periodDates(input.period).map((date) => {
    const contract = contractOn(contracts, personId, date);
    const zone = zoneFor(input, contract);
    if (!contract) noContract.push(date);
    const contractSeconds = contract ? contractSecondsOn(contract, date, zone).expectedSeconds : 0;
    const calendarId = contract?.holidayCalendarId ?? null;
    const calendar = calendarId === null ? null : (calendars.get(calendarId) ?? null);
    if (calendarId !== null && !calendar) missingCalendars.add(calendarId);
    const holiday = countedHolidayOn(calendar, date, counted);
    // A half holiday removes half the day, rounded down to a whole second when the day has an odd number of seconds.
    const holidaySeconds = holiday ? Math.floor(contractSeconds * holiday.fraction) : 0;
    let remaining = contractSeconds - holidaySeconds;
    const absences = absencesOn(input.absences, personId, date).map((a) => {
      const seconds = absenceCreditSeconds(a.portion, contractSeconds, remaining);
      remaining -= seconds;
      return { id: a.id, type: a.type, seconds };
    });
    const absenceSeconds = absences.reduce((s, a) => s + a.seconds, 0);
    const workedSeconds = worked.get(date) ?? 0;
    const expectedSeconds = contractSeconds - holidaySeconds - absenceSeconds;
    return {
      date,
      weekday: isoWeekday(date),
      contractId: contract?.id ?? null,
      timeZone: zone,
      workedSeconds,
      contractSeconds,
      holiday: holiday ? { name: holiday.name, type: holiday.type, fraction: holiday.fraction } : null,
      otherHolidays: holidaysOn(calendar, date)
        .filter((h) => h !== holiday)
        .map((h) => `${h.name} (${h.type})`),
      holidaySeconds,
      absences,
      absenceSeconds,
      expectedSeconds,
      deltaSeconds: workedSeconds - expectedSeconds,
    };
  });

  if (input.person.timeZone === null && days.some((d) => d.timeZone === input.siteTimeZone)) {
    notices.push({
      kind: 'zone-defaulted',
      timeZone: input.siteTimeZone,
      message: `Jira gives no time zone for this person, so days are counted in the site's zone ${input.siteTimeZone}`,
    });
  }
  if (noContract.length > 0) {
    notices.push({
      kind: 'no-contract',
      dates: noContract,
      message: `No contract covers ${noContract.length} date(s) from ${noContract[0]} to ${noContract[noContract.length - 1]}; nothing is expected on them`,
    });
  }
  for (const calendarId of missingCalendars) {
    notices.push({ kind: 'unknown-calendar', calendarId, message: `Holiday calendar "${calendarId}" is not loaded; no holidays were applied from it` });
  }

  const sum = (f: (d: ReportDay) => number) => days.reduce((s, d) => s + f(d), 0);
  const absenceSecondsByType = { ...ABSENCE_TOTALS_ZERO };
  for (const d of days) for (const a of d.absences) absenceSecondsByType[a.type] += a.seconds;
  const rules = input.recuperationRules ?? DEFAULT_RECUPERATION_RULES;
  const credit = creditForPeriod(
    days.map((d) => ({ date: d.date, workedSeconds: d.workedSeconds, expectedSeconds: d.expectedSeconds })),
    rules,
    input.weekStart ?? 1,
  );
  const deltaSeconds = sum((d) => d.deltaSeconds);
  const totals: ReportTotals = {
    workedSeconds: sum((d) => d.workedSeconds),
    contractSeconds: sum((d) => d.contractSeconds),
    holidaySeconds: sum((d) => d.holidaySeconds),
    absenceSeconds: sum((d) => d.absenceSeconds),
    absenceSecondsByType,
    expectedSeconds: sum((d) => d.expectedSeconds),
    deltaSeconds,
    overtimeSeconds: Math.max(0, deltaSeconds),
    shortfallSeconds: Math.max(0, -deltaSeconds),
    bonusSeconds: credit.bonusSeconds,
    creditedSeconds: credit.creditedSeconds,
    openingBalanceSeconds: input.openingBalanceSeconds,
    closingBalanceSeconds: input.openingBalanceSeconds + credit.creditedSeconds,
  };
  return { personId, period: input.period, dayPolicy: input.dayPolicy, days, segments: contractSegments(days), totals, notices };
}

/** Consecutive runs of days under the same contract: a contract change mid-period splits the period there. */
function contractSegments(days: readonly ReportDay[]): ContractSegment[] {
  const segments: ContractSegment[] = [];
  for (const d of days) {
    const last = segments[segments.length - 1];
    if (last && last.contractId === d.contractId) {
      segments[segments.length - 1] = {
        ...last,
        lastDate: d.date,
        workedSeconds: last.workedSeconds + d.workedSeconds,
        expectedSeconds: last.expectedSeconds + d.expectedSeconds,
      };
    } else {
      segments.push({ contractId: d.contractId, firstDate: d.date, lastDate: d.date, workedSeconds: d.workedSeconds, expectedSeconds: d.expectedSeconds });
    }
  }
  return segments;
}
