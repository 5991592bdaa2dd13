/**
 * The parts of the admin and team resolvers' answers the UI reads (docs/resolvers.md), in one
 * React-free module so every panel shares one declaration and test/ui/answerTypes.test.ts checks
 * each against the server's type. The employee's answers are in answers.ts, the audit's in
 * views/audit/auditAnswers.ts.
 */
import type { CalendarInfo } from '../views/admin/calendarIds';

/** A person as people/search and people/names answer: without a zone in Jira, their reports use the site's. */
export interface FoundPerson {
  readonly accountId: string;
  readonly displayName: string;
  readonly hasTimeZone: boolean;
}

export interface Team {
  readonly id: string;
  readonly name: string;
  readonly leads: readonly string[];
  readonly members: readonly string[];
}

export interface SiteSettings {
  siteTimeZone: string;
  dayPolicy: 'start-day' | 'split';
  countedHolidayTypes: string[];
  weekStart: number;
  holidayProvider: 'offline' | 'nager-date';
  approvalWorkflow: boolean;
  rounding: string;
}

export type Schedule =
  | { kind: 'weekdays'; secondsByWeekday: number[] }
  | { kind: 'weekly'; weeklySeconds: number; workingDays: number[] }
  | { kind: 'monthly'; monthlySeconds: number; workingDays: number[] }
  | { kind: 'rotation'; [k: string]: unknown };

export interface Contract {
  readonly id: string;
  readonly personId: string;
  readonly firstDate: string;
  readonly lastDate: string | null;
  readonly schedule: Schedule;
  readonly partTimeFactor: string;
  readonly holidayCalendarId: string | null;
  readonly timeZone: string | null;
}

export interface Absence {
  readonly id: string;
  readonly personId: string;
  readonly type: 'sick' | 'vacation' | 'training' | 'other';
  readonly firstDate: string;
  readonly lastDate: string;
  readonly portion: { kind: 'whole' } | { kind: 'half' } | { kind: 'seconds'; seconds: number };
}

export interface Holiday {
  readonly date: string;
  readonly name: string;
  readonly type: string;
  readonly fraction: number;
  readonly manual?: string;
}

export interface PreviewYear {
  readonly year: number;
  readonly added: readonly Holiday[];
  readonly changed: readonly { before: Holiday; after: Holiday }[];
  readonly removed: readonly Holiday[];
  readonly keptManual: readonly Holiday[];
  readonly unchanged: number;
}

export interface Preview {
  readonly calendar: CalendarInfo;
  readonly newCalendar: boolean;
  readonly provider: string;
  readonly years: readonly PreviewYear[];
  readonly changes: boolean;
}

/** What a provider sends off the site (holidays/countries' `egress`): the host it reaches, or null, and what a request carries. */
export interface Egress {
  readonly host: string | null;
  readonly sends: string;
}

export type Status = 'open' | 'submitted' | 'approved' | 'rejected' | 'locked';

export interface PeriodState {
  readonly personId: string;
  readonly status: Status;
  readonly version: number;
  readonly lockedAt?: number;
  readonly lockedBy?: string;
  readonly unlocks?: readonly { at: number; by: string; reason: string }[];
}

export interface DriftWorklog {
  readonly id: string;
  readonly started: number;
  readonly seconds: number;
}

export interface Drift {
  readonly version: number;
  readonly lockedWorkedSeconds: number;
  readonly netSecondsDelta: number;
  readonly added: readonly DriftWorklog[];
  readonly changed: readonly { id: string; secondsDelta: number; before: DriftWorklog; after: DriftWorklog }[];
  readonly deleted: readonly DriftWorklog[];
}

export interface Job {
  readonly total: number;
  readonly done: number;
  readonly locked: number;
  readonly failed: number;
  readonly state: string;
  readonly failures: readonly { personId: string; code?: string; message?: string }[];
}

export interface Snapshot {
  readonly version: number;
  readonly hash: string;
  readonly lockedAt: number;
  readonly lockedBy: string;
  readonly current: boolean;
  readonly engineVersion: string;
}

/** snapshots/list for one person's period: the newest versions first, 100 a page. */
export interface SnapshotVersions {
  readonly snapshots: readonly Snapshot[];
  readonly nextCursor?: string;
}

export interface Assignment {
  accounts: string[];
  groups: string[];
}

export interface Roles {
  hrAdmins: Assignment;
  auditors: Assignment;
}

export interface SyncProgress {
  readonly state: string;
  readonly progress?: { runId: string; mode: string; startedAt: number; updatedAt: number };
  readonly done?: number;
  readonly total?: number;
  readonly pending?: number;
  readonly errors?: number;
  readonly lastErrors?: readonly string[];
  readonly applyErrors: readonly { personId: string; at: number; message: string }[];
  readonly running?: boolean;
  readonly lastReconcile?: { runId: string; status: string; listed: number; updatedAt: number };
}
