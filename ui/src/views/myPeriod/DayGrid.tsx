/**
 * Day by day: worked, expected, holiday, absence and the difference; a day's detail (when work
 * started and stopped, its stretches and breaks, from the daily working-time record) opens on demand.
 */
import { Fragment, useState } from 'react';
import type { ReportDay, WorkingTimeDay } from '../../client/answers';
import type { Fmt } from './fmt';

const ABSENCE_LABELS: Record<string, string> = { sick: 'Sick leave', vacation: 'Vacation', training: 'Training', other: 'Other absence' };

/** The stretches of work in a day: from first in to the first break, between breaks, and to last out. */
export function workStretches(day: WorkingTimeDay): { from: string; to: string }[] {
  if (!day.worked || day.firstIn === null || day.lastOut === null) return [];
  const out: { from: string; to: string }[] = [];
  let start = day.firstIn;
  for (const b of day.breaks) {
    out.push({ from: start, to: b.from });
    start = b.to;
  }
  out.push({ from: start, to: day.lastOut });
  return out;
}

const hhmm = (t: string) => t.slice(0, 5);

function DayDetail({ day, record, fmt }: { day: ReportDay; record: WorkingTimeDay | undefined; fmt: Fmt }) {
  if (!record || !record.worked) return <p>No work logged on this day.</p>;
  return (
    <div className="wt-day-detail">
      <p>
        First in {hhmm(record.firstIn!)}, last out {hhmm(record.lastOut!)} ({day.timeZone}); {fmt.duration(record.netSeconds)} worked.
      </p>
      <ul aria-label={`Stretches of work on ${fmt.date(day.date)}`}>
        {workStretches(record).map((s) => (
          <li key={s.from}>
            {hhmm(s.from)}–{hhmm(s.to)}
          </li>
        ))}
      </ul>
      {record.breaks.length > 0 ? <p>Breaks: {record.breaks.map((b) => `${hhmm(b.from)}–${hhmm(b.to)} (${fmt.duration(b.seconds)})`).join(', ')}</p> : null}
      {record.overlapSeconds > 0 ? <p>{fmt.duration(record.overlapSeconds)} logged twice (overlapping worklogs), counted once here.</p> : null}
    </div>
  );
}

export function DayGrid({ days, records, fmt }: { days: readonly ReportDay[]; records: ReadonlyMap<string, WorkingTimeDay>; fmt: Fmt }) {
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const toggle = (date: string) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (!next.delete(date)) next.add(date);
      return next;
    });
  return (
    <div className="wt-table-wrap">
      <table className="wt-table" data-testid="day-grid">
        <caption>Day by day</caption>
        <thead>
          <tr>
            <th scope="col">Day</th>
            <th scope="col" className="wt-num">Worked</th>
            <th scope="col" className="wt-num">Expected</th>
            <th scope="col">Holiday</th>
            <th scope="col">Absence</th>
            <th scope="col" className="wt-num">Difference</th>
            <th scope="col"><span className="wt-visually-hidden">Details</span></th>
          </tr>
        </thead>
        <tbody>
          {days.map((d) => {
            const isOpen = open.has(d.date);
            const detailId = `day-detail-${d.date}`;
            const weekend = d.expectedSeconds === 0 && d.holiday === null && d.absences.length === 0;
            return (
              <Fragment key={d.date}>
                <tr data-date={d.date} className={weekend ? 'wt-muted' : undefined}>
                  <th scope="row">{fmt.date(d.date)}</th>
                  <td className="wt-num">{fmt.duration(d.workedSeconds)}</td>
                  <td className="wt-num">{fmt.duration(d.expectedSeconds)}</td>
                  <td>{[d.holiday ? `${d.holiday.name}${d.holiday.fraction < 1 ? ' (half day)' : ''}` : null, ...d.otherHolidays].filter(Boolean).join('; ')}</td>
                  <td>{d.absences.map((a) => `${ABSENCE_LABELS[a.type] ?? a.type} (${fmt.duration(a.seconds)})`).join('; ')}</td>
                  <td className={`wt-num ${d.deltaSeconds < 0 ? 'wt-negative' : d.deltaSeconds > 0 ? 'wt-positive' : ''}`}>{fmt.signed(d.deltaSeconds)}</td>
                  <td>
                    <button type="button" className="wt-link-button" aria-expanded={isOpen} aria-controls={isOpen ? detailId : undefined} onClick={() => toggle(d.date)}>
                      {isOpen ? 'Hide' : 'Show'} work<span className="wt-visually-hidden"> of {fmt.date(d.date)}</span>
                    </button>
                  </td>
                </tr>
                {isOpen ? (
                  <tr id={detailId} className="wt-detail-row">
                    <td colSpan={7}>
                      <DayDetail day={d} record={records.get(d.date)} fmt={fmt} />
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
