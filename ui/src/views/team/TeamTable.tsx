/**
 * People × totals for the period: sortable by any column (a button in each header, aria-sort on the
 * sorted one), filtered by name, status and "needs attention"; rows with missing or short days are
 * highlighted and say how many. A person's name opens their period.
 */
import Lozenge from '@atlaskit/lozenge';
import Textfield from '@atlaskit/textfield';
import { Inline, Stack, Text } from '@atlaskit/primitives';
import { useId, useState } from 'react';
import type { PeriodStatus } from '../../client/answers';
import { EmptyState } from '../../states/States';
import type { Fmt } from '../myPeriod/fmt';
import { STATUS_LABELS } from '../../format/periodStatus';
import { failedToLoad, filterRows, needsAttention, sortRows, type RowFilter, type Sort, type SortKey, type TeamRow } from './teamRows';

const COLUMNS: { key: SortKey; label: string; numeric: boolean }[] = [
  { key: 'person', label: 'Person', numeric: false },
  { key: 'worked', label: 'Worked', numeric: true },
  { key: 'expected', label: 'Expected', numeric: true },
  { key: 'delta', label: 'Difference', numeric: true },
  { key: 'missing', label: 'Missing days', numeric: true },
  { key: 'short', label: 'Short days', numeric: true },
  { key: 'status', label: 'Approval', numeric: false },
];

const dayList = (days: readonly string[], fmt: Fmt) => days.map((d) => fmt.date(d)).join(', ');

export function TeamTable({ rows, fmt, showStatus, onOpen }: { rows: readonly TeamRow[]; fmt: Fmt; showStatus: boolean; onOpen: (row: TeamRow) => void }) {
  const filterId = useId();
  const statusId = useId();
  const [sort, setSort] = useState<Sort>({ key: 'person', direction: 'ascending' });
  const [filter, setFilter] = useState<RowFilter>({ text: '', attentionOnly: false, status: 'any' });
  const columns = showStatus ? COLUMNS : COLUMNS.filter((c) => c.key !== 'status');
  const failed = rows.filter(failedToLoad);
  const loadedRows = rows.filter((r) => !failedToLoad(r));
  const shown = sortRows(filterRows(loadedRows, filter), sort);
  const attention = rows.filter(needsAttention).length;
  const inProgress = rows.some((r) => r.figures?.through != null);
  const sortBy = (key: SortKey) =>
    setSort((s) => (s.key === key ? { key, direction: s.direction === 'ascending' ? 'descending' : 'ascending' } : { key, direction: key === 'person' || key === 'status' ? 'ascending' : 'descending' }));

  return (
    <Stack space="space.150">
      <Inline space="space.200" alignBlock="end" shouldWrap>
        <div className="wt-field">
          <label htmlFor={filterId}>Find a person</label>
          <Textfield id={filterId} value={filter.text} onChange={(e) => {
              const text = e.currentTarget.value;
              setFilter((f) => ({ ...f, text }));
            }} placeholder="Name or account id" testId="team-filter" />
        </div>
        {showStatus ? (
          <div className="wt-field">
            <label htmlFor={statusId}>Approval</label>
            <select id={statusId} className="wt-select" value={filter.status} onChange={(e) => {
                const status = e.currentTarget.value as RowFilter['status'];
                setFilter((f) => ({ ...f, status }));
              }} data-testid="team-status-filter">
              <option value="any">Any</option>
              {(Object.keys(STATUS_LABELS) as PeriodStatus['status'][]).map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABELS[s].label}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <label className="wt-check">
          <input type="checkbox" checked={filter.attentionOnly} onChange={(e) => {
              const attentionOnly = e.currentTarget.checked;
              setFilter((f) => ({ ...f, attentionOnly }));
            }} data-testid="team-attention-only" />
          Only people with missing or short days ({attention})
        </label>
      </Inline>
      {shown.length === 0 ? (
        <EmptyState title="Nobody matches">Nobody in this team matches the filters. Clear the search or untick "Only people with missing or short days".</EmptyState>
      ) : (
        <div className="wt-table-wrap">
          <table className="wt-table" data-testid="team-table">
            <caption>
              {shown.length} of {loadedRows.length} people{failed.length > 0 ? ` (and ${failed.length} whose report could not be loaded, listed below)` : ''}. Highlighted rows have working days with nothing or too little logged.
              {inProgress ? <span data-testid="team-so-far"> The period is still running: worked, expected and difference count each person's days up to their today; open a person for the whole period.</span> : null}
            </caption>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c.key} scope="col" className={c.numeric ? 'wt-num' : undefined} aria-sort={sort.key === c.key ? sort.direction : undefined}>
                    <button type="button" className="wt-sort-button" onClick={() => sortBy(c.key)} data-testid={`sort-${c.key}`}>
                      {c.label}
                      <span aria-hidden="true">{sort.key === c.key ? (sort.direction === 'ascending' ? '▲' : '▼') : ''}</span>
                      <span className="wt-visually-hidden">, sort</span>
                    </button>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => {
                const t = r.figures;
                return (
                  <tr key={r.accountId} data-person={r.accountId} className={needsAttention(r) ? 'wt-attention' : undefined}>
                    <th scope="row">
                      <button type="button" className="wt-link-button" onClick={() => onOpen(r)} data-testid="open-person" data-account={r.accountId}>
                        {r.label}
                      </button>
                    </th>
                    {r.error ? (
                      <td colSpan={columns.length - 1}>
                        <Text color="color.text.danger">Could not load: {r.error.message}</Text>
                      </td>
                    ) : (
                      <>
                        <td className="wt-num" data-col="worked">{t ? fmt.duration(t.workedSeconds) : '…'}</td>
                        <td className="wt-num" data-col="expected">{t ? fmt.duration(t.expectedSeconds) : '…'}</td>
                        <td className={`wt-num ${t && t.deltaSeconds < 0 ? 'wt-negative' : t && t.deltaSeconds > 0 ? 'wt-positive' : ''}`} data-col="delta">
                          {t ? fmt.signed(t.deltaSeconds) : '…'}
                        </td>
                        <td className="wt-num" data-col="missing" title={dayList(r.missingDays, fmt)}>
                          {r.missingDays.length > 0 ? <span className="wt-flag">{r.missingDays.length}</span> : '0'}
                          {r.missingDays.length > 0 ? <span className="wt-visually-hidden">: {dayList(r.missingDays, fmt)}</span> : null}
                        </td>
                        <td className="wt-num" data-col="short" title={dayList(r.shortDays, fmt)}>
                          {r.shortDays.length > 0 ? <span className="wt-flag">{r.shortDays.length}</span> : '0'}
                          {r.shortDays.length > 0 ? <span className="wt-visually-hidden">: {dayList(r.shortDays, fmt)}</span> : null}
                        </td>
                        {showStatus ? (
                          <td data-col="status">{r.status ? <Lozenge appearance={STATUS_LABELS[r.status].appearance}>{STATUS_LABELS[r.status].label}</Lozenge> : '…'}</td>
                        ) : null}
                      </>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {failed.length > 0 ? (
        <div className="wt-table-wrap">
          <table className="wt-table" data-testid="team-failed">
            <caption>
              {failed.length === 1 ? '1 report' : `${failed.length} reports`} could not be loaded: these people are not counted above
            </caption>
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {failed.map((r) => (
                <tr key={r.accountId} data-person={r.accountId}>
                  <th scope="row">
                    <button type="button" className="wt-link-button" onClick={() => onOpen(r)} data-testid="open-person" data-account={r.accountId}>
                      {r.label}
                    </button>
                  </th>
                  <td>
                    <Text color="color.text.danger">{r.error!.message}</Text>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </Stack>
  );
}
