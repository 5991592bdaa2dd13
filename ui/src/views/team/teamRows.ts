/**
 * The Team table's rows: one per member, with the period's totals and the days that stand out —
 * missing (a past working day with time expected and nothing logged) and short (something logged,
 * but less than expected). Holidays and absences already lower a day's expected time, so a day off
 * is neither. Sorting and filtering are pure so the table only lays them out.
 */
import type { PeriodReport, PeriodStatus } from '../../client/answers';
import type { ResolverError } from '../../client/resolverClient';
import { totalsSoFar } from '../myPeriod/soFar';

/**
 * The worked, expected and difference a row shows: while the period runs, its days through the
 * member's own today ("so far": the whole month's expected time on the 2nd makes everyone look
 * short); once it has ended, the whole period. `through` is that today, or null for the whole period.
 */
export interface RowFigures {
  readonly workedSeconds: number;
  readonly expectedSeconds: number;
  readonly deltaSeconds: number;
  readonly through: string | null;
}

export function rowFigures(report: PeriodReport, today: string): RowFigures {
  const soFar = totalsSoFar(report.days, today);
  if (soFar) return { workedSeconds: soFar.workedSeconds, expectedSeconds: soFar.expectedSeconds, deltaSeconds: soFar.deltaSeconds, through: soFar.through };
  // A period that has not started yet has nothing so far: zero, not the whole period's expected time.
  if (report.days.length > 0 && report.days[0]!.date > today) return { workedSeconds: 0, expectedSeconds: 0, deltaSeconds: 0, through: today };
  const t = report.totals;
  return { workedSeconds: t.workedSeconds, expectedSeconds: t.expectedSeconds, deltaSeconds: t.deltaSeconds, through: null };
}

export interface TeamRow {
  readonly accountId: string;
  readonly label: string;
  readonly report: PeriodReport | null;
  /** From the report (rowFigures), null while it loads or when it failed. */
  readonly figures: RowFigures | null;
  readonly status: PeriodStatus['status'] | null;
  readonly error: ResolverError | null;
  readonly missingDays: readonly string[];
  readonly shortDays: readonly string[];
}

/** Days up to and including `today` (a day in progress is not yet missing: only days before it count). */
export function standOutDays(report: PeriodReport, today: string): { missing: string[]; short: string[] } {
  const missing: string[] = [];
  const short: string[] = [];
  for (const d of report.days) {
    if (d.date >= today || d.expectedSeconds <= 0) continue;
    if (d.workedSeconds === 0) missing.push(d.date);
    else if (d.workedSeconds < d.expectedSeconds) short.push(d.date);
  }
  return { missing, short };
}

export type SortKey = 'person' | 'worked' | 'expected' | 'delta' | 'missing' | 'short' | 'status';
export interface Sort {
  readonly key: SortKey;
  readonly direction: 'ascending' | 'descending';
}

const STATUS_ORDER: Record<PeriodStatus['status'], number> = { submitted: 0, rejected: 1, open: 2, approved: 3, locked: 4 };

function sortValue(row: TeamRow, key: SortKey): number | string {
  const t = row.figures;
  switch (key) {
    case 'person':
      return row.label.toLocaleLowerCase();
    case 'worked':
      return t?.workedSeconds ?? -Infinity;
    case 'expected':
      return t?.expectedSeconds ?? -Infinity;
    case 'delta':
      return t?.deltaSeconds ?? -Infinity;
    case 'missing':
      return row.missingDays.length;
    case 'short':
      return row.shortDays.length;
    case 'status':
      return row.status === null ? 99 : STATUS_ORDER[row.status];
  }
}

/** Sorted by `sort`, ties by person, so the order never depends on which answer came first. */
export function sortRows(rows: readonly TeamRow[], sort: Sort): TeamRow[] {
  const sign = sort.direction === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const va = sortValue(a, sort.key);
    const vb = sortValue(b, sort.key);
    if (va < vb) return -sign;
    if (va > vb) return sign;
    return a.label.localeCompare(b.label) || a.accountId.localeCompare(b.accountId);
  });
}

export interface RowFilter {
  readonly text: string;
  readonly attentionOnly: boolean;
  readonly status: PeriodStatus['status'] | 'any';
}

/** Days with nothing or too little logged. A report that could not be loaded says nothing about the days: it is a failure, shown apart (`failedToLoad`). */
export function needsAttention(row: TeamRow): boolean {
  return row.error === null && (row.missingDays.length > 0 || row.shortDays.length > 0);
}

export function failedToLoad(row: TeamRow): boolean {
  return row.error !== null;
}

export function filterRows(rows: readonly TeamRow[], filter: RowFilter): TeamRow[] {
  const text = filter.text.trim().toLocaleLowerCase();
  return rows.filter(
    (r) =>
      (text === '' || r.label.toLocaleLowerCase().includes(text) || r.accountId.toLocaleLowerCase().includes(text)) &&
      (!filter.attentionOnly || needsAttention(r)) &&
      (filter.status === 'any' || r.status === filter.status),
  );
}
