/**
 * Day by day: worked, expected, holiday, absence and the difference; a day's detail opens on demand:
 * when work started and stopped, its stretches and breaks (from the daily working-time record), and
 * the worklogs behind the day (worklogs/mine, or worklogs/person for someone else's period), asked
 * for when the day is opened.
 */
import { Fragment, useState } from 'react';
import type { DayWorklog, DayWorklogs, ReportDay, WorkingTimeDay, WorkingTimeRecord } from '../../client/answers';
import { useResolver, type Loaded } from '../../client/ClientContext';
import { ErrorState, LoadingState, RetryButton } from '../../states/States';
import type { Fmt } from './fmt';

const ABSENCE_LABELS: Record<string, string> = { sick: 'Sick leave', vacation: 'Vacation', training: 'Training', other: 'Other absence' };

/** The working-time record as the grid gets it: the view's call, with its retry. */
export type RecordLoad = Loaded<WorkingTimeRecord> & { readonly reload: () => void };

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

/** When work started and stopped: says so while the record loads or when it could not be loaded, never "no work". */
function DayTimes({ day, record, fmt }: { day: ReportDay; record: RecordLoad; fmt: Fmt }) {
  if (record.state === 'loading') return <p role="status">Loading when work started and stopped…</p>;
  if (record.state === 'error') {
    return (
      <div role="alert">
        <p>Could not load when work started and stopped on this day: {record.error.message}</p>
        <RetryButton onClick={record.reload} />
      </div>
    );
  }
  const times = record.data.days.find((d) => d.date === day.date);
  if (!times || !times.worked) return <p>No work logged on this day.</p>;
  return (
    <>
      <p>
        First in {hhmm(times.firstIn!)}, last out {hhmm(times.lastOut!)} ({day.timeZone}); {fmt.duration(times.netSeconds)} worked.
      </p>
      <ul aria-label={`Stretches of work on ${fmt.date(day.date)}`}>
        {workStretches(times).map((s) => (
          <li key={s.from}>
            {hhmm(s.from)}–{hhmm(s.to)}
          </li>
        ))}
      </ul>
      {times.breaks.length > 0 ? <p>Breaks: {times.breaks.map((b) => `${hhmm(b.from)}–${hhmm(b.to)} (${fmt.duration(b.seconds)})`).join(', ')}</p> : null}
      {times.overlapSeconds > 0 ? <p>{fmt.duration(times.overlapSeconds)} logged twice (overlapping worklogs), counted once here.</p> : null}
    </>
  );
}

/** A worklog's start as the reader sees it: the time, and the date too when it began on another day. */
function startOf(w: DayWorklog, date: string, fmt: Fmt): string {
  const time = w.startedLocal.slice(11, 16);
  const day = w.startedLocal.slice(0, 10);
  return day === date ? time : `${fmt.date(day)} ${time}`;
}

/** The issue as text: its key and summary, or why there is none (React escapes whatever Jira gives). */
function issueOf(w: DayWorklog, unavailable: boolean): string {
  if (w.issueKey !== null) return w.issueSummary ? `${w.issueKey} ${w.issueSummary}` : w.issueKey;
  if (w.issueId === null) return 'No issue';
  return unavailable ? `Issue ${w.issueId}` : `Issue ${w.issueId} (not visible to you in Jira)`;
}

/** The worklogs behind the day, asked for when the day is opened (this mounts then). */
function DayWorklogList({ date, accountId, fmt }: { date: string; accountId: string | undefined; fmt: Fmt }) {
  const payload = accountId === undefined ? { date } : { accountId, date };
  const answer = useResolver<DayWorklogs>(accountId === undefined ? 'worklogs/mine' : 'worklogs/person', payload, `${accountId ?? ''}|${date}`);
  if (answer.state === 'loading') return <LoadingState what="the day's worklogs" />;
  if (answer.state === 'error') return <ErrorState what="the day's worklogs" error={answer.error} onRetry={answer.reload} />;
  const { worklogs, total, capped, issueDetails } = answer.data;
  if (worklogs.length === 0) return <p data-testid="day-worklogs-empty">No worklogs on this day.</p>;
  const unavailable = issueDetails === 'unavailable';
  return (
    <>
      <table className="wt-table wt-worklogs" data-testid="day-worklogs">
        <caption>Worklogs on {fmt.date(date)} ({answer.data.timeZone})</caption>
        <thead>
          <tr>
            <th scope="col">Start</th>
            <th scope="col" className="wt-num">On this day</th>
            <th scope="col">Issue</th>
          </tr>
        </thead>
        <tbody>
          {worklogs.map((w) => (
            <tr key={w.worklogId} data-worklog-id={w.worklogId}>
              <td>{startOf(w, date, fmt)}</td>
              <td className="wt-num">
                {fmt.duration(w.secondsOnDay)}
                {w.secondsOnDay !== w.seconds ? ` of ${fmt.duration(w.seconds)}` : ''}
              </td>
              <td>{issueOf(w, unavailable)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {capped ? <p>Showing the first {worklogs.length} of {total} worklogs on this day.</p> : null}
      {worklogs.some((w) => w.secondsOnDay !== w.seconds) ? <p>A worklog that crosses midnight shows the part of it on this day.</p> : null}
      {unavailable ? (
        <div role="alert">
          <p>Jira could not name the issues just now.</p>
          <RetryButton onClick={answer.reload} />
        </div>
      ) : null}
    </>
  );
}

function DayDetail({ day, record, accountId, fmt }: { day: ReportDay; record: RecordLoad; accountId: string | undefined; fmt: Fmt }) {
  return (
    <div className="wt-day-detail">
      <DayTimes day={day} record={record} fmt={fmt} />
      <DayWorklogList date={day.date} accountId={accountId} fmt={fmt} />
    </div>
  );
}

/**
 * `accountId` is whose period this is when it is not the reader's own (the Team drill-down): the
 * day's worklogs then come from worklogs/person.
 */
export function DayGrid({ days, record, accountId, fmt }: { days: readonly ReportDay[]; record: RecordLoad; accountId?: string; fmt: Fmt }) {
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
                      <DayDetail day={d} record={record} accountId={accountId} fmt={fmt} />
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
