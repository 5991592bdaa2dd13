/**
 * The parts of resolver answers the UI reads, as docs/resolvers.md describes them. Written here
 * rather than imported from src/ so the UI bundle never pulls server code in.
 */
import type { RoundingPolicy } from '../format/duration';

export interface Settings {
  readonly siteTimeZone: string;
  readonly approvalWorkflow: boolean;
  readonly rounding: RoundingPolicy;
  readonly weekStart: number;
}

export interface ReportDay {
  readonly date: string;
  readonly weekday: number;
  readonly timeZone: string;
  readonly workedSeconds: number;
  readonly expectedSeconds: number;
  readonly holiday: { readonly name: string; readonly type: string; readonly fraction: number } | null;
  readonly otherHolidays: readonly string[];
  readonly holidaySeconds: number;
  readonly absences: readonly { readonly id: string; readonly type: string; readonly seconds: number }[];
  readonly absenceSeconds: number;
  readonly deltaSeconds: number;
}

export interface ReportTotals {
  readonly workedSeconds: number;
  readonly expectedSeconds: number;
  readonly holidaySeconds: number;
  readonly absenceSeconds: number;
  readonly deltaSeconds: number;
  readonly overtimeSeconds: number;
  readonly shortfallSeconds: number;
  readonly creditedSeconds: number;
  readonly openingBalanceSeconds: number;
  readonly closingBalanceSeconds: number;
}

export type ReportNotice = { readonly kind: string; readonly message: string; readonly timeZone?: string };

export interface PeriodReport {
  readonly personId: string;
  readonly period: { readonly kind: string; readonly key: string; readonly firstDate: string; readonly lastDate: string; readonly label: string };
  readonly days: readonly ReportDay[];
  readonly totals: ReportTotals;
  readonly notices: readonly ReportNotice[];
}

export interface LedgerEntry {
  readonly seq: number;
  readonly date: string;
  readonly kind: 'period-close' | 'adjustment' | 'payout' | 'expiry' | 'carry-over';
  readonly seconds: number;
  readonly reason?: string;
  readonly periodKey?: string;
}

export interface Balance {
  readonly personId: string;
  readonly balanceSeconds: number;
  readonly lots: readonly { readonly seq: number; readonly date: string; readonly remainingSeconds: number; readonly expiresOn: string | null }[];
  readonly debtSeconds: number;
}

export interface LedgerHistory extends Balance {
  readonly entries: readonly LedgerEntry[];
}

export interface WorkingTimeBreak {
  readonly from: string;
  readonly to: string;
  readonly seconds: number;
}

export interface WorkingTimeDay {
  readonly date: string;
  readonly worked: boolean;
  readonly firstIn: string | null;
  readonly lastOut: string | null;
  readonly grossSeconds: number;
  readonly netSeconds: number;
  readonly breaks: readonly WorkingTimeBreak[];
  readonly overlapSeconds: number;
}

export interface WorkingTimeFinding {
  readonly rule: 'daily-rest' | 'weekly-rest' | 'average-week';
  readonly date: string;
  readonly measuredSeconds: number;
  readonly requiredSeconds: number;
  readonly message: string;
}

export interface WorkingTimeRecord {
  readonly personId: string;
  readonly timeZone: string;
  readonly zoneDefaulted: boolean;
  readonly days: readonly WorkingTimeDay[];
  readonly findings: readonly WorkingTimeFinding[];
}

/** One worklog behind a day (worklogs/mine, worklogs/person). */
export interface DayWorklog {
  readonly worklogId: string;
  readonly issueId: string | null;
  /** Null when Jira does not show the issue to the reader (or could not be asked). */
  readonly issueKey: string | null;
  readonly issueSummary: string | null;
  readonly source: string | null;
  readonly started: string;
  /** `YYYY-MM-DDTHH:mm:ss` in the day's zone; its date is the day before for a worklog that crosses midnight into the day. */
  readonly startedLocal: string;
  readonly seconds: number;
  readonly secondsOnDay: number;
}

export interface DayWorklogs {
  readonly personId: string;
  readonly date: string;
  readonly timeZone: string;
  readonly zoneDefaulted: boolean;
  readonly worklogs: readonly DayWorklog[];
  readonly total: number;
  readonly capped: boolean;
  readonly issueDetails: 'complete' | 'unavailable';
}

export interface PeriodStatus {
  readonly personId: string;
  readonly periodKey: string;
  readonly status: 'open' | 'submitted' | 'approved' | 'rejected' | 'locked';
  readonly rejectReason?: string;
  readonly version: number;
  readonly lockedAt?: number;
}
