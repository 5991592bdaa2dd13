import type { PeriodReport } from '../../domain/periodReport';
import { formatDuration, type RoundingPolicy } from '../../domain/rounding';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

function pad(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
}

/** A period report as a table a person reads in a terminal; durations shown under `rounding`. */
export function formatReportText(report: PeriodReport, rounding: RoundingPolicy): string {
  const d = (s: number) => formatDuration(s, rounding);
  const header = ['Date', 'Day', 'Worked', 'Contract', 'Holiday', 'Absence', 'Expected', 'Delta', 'Note'];
  const rows = report.days.map((day) => [
    day.date,
    WEEKDAYS[day.weekday - 1]!,
    d(day.workedSeconds),
    d(day.contractSeconds),
    day.holidaySeconds ? d(day.holidaySeconds) : '',
    day.absenceSeconds ? d(day.absenceSeconds) : '',
    d(day.expectedSeconds),
    d(day.deltaSeconds),
    [
      day.holiday ? `${day.holiday.name}${day.holiday.fraction === 0.5 ? ' (half day)' : ''}` : '',
      ...day.absences.map((a) => a.type),
      ...day.otherHolidays,
    ]
      .filter(Boolean)
      .join(', '),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  widths[widths.length - 1] = 0;
  const t = report.totals;
  const lines = [
    `${report.personId} — ${report.period.label}${report.period.kind === 'range' ? '' : ` (${report.period.firstDate} to ${report.period.lastDate})`}, day policy ${report.dayPolicy}`,
    ...(report.segments.length > 1
      ? [`Contracts: ${report.segments.map((s) => `${s.contractId ?? 'none'} ${s.firstDate} to ${s.lastDate}`).join('; ')}`]
      : []),
    ...report.notices.map((n) => `! ${n.message}`),
    '',
    pad(header, widths),
    ...rows.map((r) => pad(r, widths)),
    '',
    `Worked ${d(t.workedSeconds)}  Expected ${d(t.expectedSeconds)}  (contract ${d(t.contractSeconds)}, holidays ${d(t.holidaySeconds)}, absences ${d(t.absenceSeconds)})`,
    `Overtime ${d(t.overtimeSeconds)}  Shortfall ${d(t.shortfallSeconds)}${t.bonusSeconds ? `  Bonus ${d(t.bonusSeconds)}` : ''}`,
    `Balance: opening ${d(t.openingBalanceSeconds)} + credited ${d(t.creditedSeconds)} = closing ${d(t.closingBalanceSeconds)}`,
  ];
  return lines.join('\n');
}
