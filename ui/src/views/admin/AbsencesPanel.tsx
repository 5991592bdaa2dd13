/**
 * Absences: the grid of a month, people as rows and days as columns. Select a range of cells by
 * dragging, by clicking one corner and shift-clicking the other, or from the keyboard (arrow keys
 * move, Shift+arrow extends); then set a type and a portion for all of them at once (absences/save,
 * people × one range of days) or remove the absences in the selection (absences/delete).
 */
import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import { Stack, Text } from '@atlaskit/primitives';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { asResolverError, useClient, type Loaded } from '../../client/ClientContext';
import { formatLocalDate, formatMonth } from '../../format/dates';
import { addDays, addMonths, monthKeyOf } from '../../format/periods';
import { EmptyState, ErrorState, LoadingState } from '../../states/States';
import { useAction } from '../../client/useAction';
import { mapBounded } from '../../client/boundedMap';
import { Pager, pageOf } from './Pager';
import { ActionError, Done, SelectField, TextField } from './action';
import type { PanelProps } from './context';
import { parseHours } from './hoursInput';
import type { Person } from './people';
import type { Absence } from '../../client/adminAnswers';

const TYPES = [
  { value: 'vacation', label: 'Vacation', mark: 'V' },
  { value: 'sick', label: 'Sick leave', mark: 'S' },
  { value: 'training', label: 'Training', mark: 'T' },
  { value: 'other', label: 'Other', mark: 'O' },
] as const;
const typeOf = (t: string) => TYPES.find((x) => x.value === t) ?? TYPES[3];

interface Cell {
  readonly row: number;
  readonly col: number;
}

/** The days of a month key, as local dates. */
export function daysOf(monthKey: string): string[] {
  const out: string[] = [];
  for (let d = `${monthKey}-01`; d.startsWith(monthKey); d = addDays(d, 1)) out.push(d);
  return out;
}

/** absences/list calls in flight at once while a page of the grid loads. */
const LIST_CONCURRENCY = 4;

const weekdayOf = (date: string) => new Date(`${date}T12:00:00Z`).getUTCDay(); // 0 Sunday … 6 Saturday

function useAbsences(people: readonly Person[], from: string, to: string, version: number): Loaded<Map<string, Absence[]>> {
  const client = useClient();
  const [loaded, setLoaded] = useState<Loaded<Map<string, Absence[]>>>({ state: 'loading' });
  const ids = people.map((p) => p.accountId).join(',');
  useEffect(() => {
    let current = true;
    setLoaded({ state: 'loading' });
    // A few at a time (a page is up to 25 people); the first failure is the grid's error.
    void mapBounded(people, LIST_CONCURRENCY, (p) => client.call<Absence[]>('absences/list', { personId: p.accountId, from, to })).then((settled) => {
      if (!current) return;
      const failed = settled.find((r) => !r.ok);
      if (failed && !failed.ok) setLoaded({ state: 'error', error: asResolverError(failed.error, 'absences/list') });
      else setLoaded({ state: 'done', data: new Map(settled.map((r, i) => [people[i]!.accountId, r.ok ? r.value : []])) });
    });
    return () => {
      current = false;
    };
  }, [client, ids, from, to, version]); // `ids` names the people
  return loaded;
}

export function AbsencesPanel({ people, teams, fmt, today }: PanelProps) {
  const [month, setMonth] = useState(monthKeyOf(today));
  const [scope, setScope] = useState(teams[0]?.id ?? 'everyone');
  const [version, setVersion] = useState(0);
  const team = teams.find((t) => t.id === scope);
  const inScope = useMemo(() => (team ? people.filter((p) => team.members.includes(p.accountId)) : people), [people, team]);
  const [pageAsked, setPage] = useState(0);
  const shown = pageOf(inScope, pageAsked);
  const rows = shown.items;
  const days = useMemo(() => daysOf(month), [month]);
  const absences = useAbsences(rows, days[0]!, days[days.length - 1]!, version);

  const [anchor, setAnchor] = useState<Cell | null>(null);
  const [focus, setFocus] = useState<Cell | null>(null);
  const [cursor, setCursor] = useState<Cell>({ row: 0, col: 0 });
  const dragging = useRef(false);
  const grid = useRef<HTMLTableElement>(null);
  useEffect(() => {
    const up = () => (dragging.current = false);
    window.addEventListener('mouseup', up);
    return () => window.removeEventListener('mouseup', up);
  }, []);
  // The selection is by row: when the rows are other people (another page, someone added to the list),
  // it would point at someone else, so it goes.
  const rowsKey = rows.map((p) => p.accountId).join(',');
  useEffect(() => {
    setAnchor(null);
    setFocus(null);
    setCursor({ row: 0, col: 0 });
  }, [month, scope, rowsKey]);

  const rect = anchor && focus ? { r1: Math.min(anchor.row, focus.row), r2: Math.max(anchor.row, focus.row), c1: Math.min(anchor.col, focus.col), c2: Math.max(anchor.col, focus.col) } : null;
  const inRect = (r: number, c: number) => rect !== null && r >= rect.r1 && r <= rect.r2 && c >= rect.c1 && c <= rect.c2;
  const selectedPeople = rect ? rows.slice(rect.r1, rect.r2 + 1) : [];
  const range = rect ? { from: days[rect.c1]!, to: days[rect.c2]! } : null;

  const moveTo = (cell: Cell, extend: boolean) => {
    setCursor(cell);
    if (extend && anchor) setFocus(cell);
    else {
      setAnchor(cell);
      setFocus(cell);
    }
    grid.current?.querySelector<HTMLElement>(`[data-cell="${cell.row}-${cell.col}"]`)?.focus();
  };
  const onKey = (e: KeyboardEvent) => {
    const delta: Record<string, [number, number]> = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1], Home: [0, -days.length], End: [0, days.length] };
    const d = delta[e.key];
    if (d) {
      e.preventDefault();
      moveTo({ row: Math.max(0, Math.min(rows.length - 1, cursor.row + d[0])), col: Math.max(0, Math.min(days.length - 1, cursor.col + d[1])) }, e.shiftKey);
    } else if (e.key === ' ' || e.key === 'Enter') {
      e.preventDefault();
      moveTo(cursor, e.shiftKey);
    } else if (e.key === 'Escape') {
      setAnchor(null);
      setFocus(null);
    }
  };

  const absenceOn = (personId: string, date: string) => (absences.state === 'done' ? (absences.data.get(personId) ?? []).find((a) => a.firstDate <= date && a.lastDate >= date) : undefined);
  const inSelection = absences.state === 'done' && rect && range ? selectedPeople.flatMap((p) => (absences.data.get(p.accountId) ?? []).filter((a) => a.firstDate <= range.to && a.lastDate >= range.from)) : [];

  return (
    <Stack space="space.200">
      <Heading size="medium" as="h3">
        Absences
      </Heading>
      <Text as="p">Select cells — drag across them, click one corner and shift-click the other, or use the arrow keys (Shift+arrow extends) — then set the type and portion below. Absences remove their days' expected time.</Text>
      <div className="wt-form">
        <Button onClick={() => setMonth(addMonths(month, -1))}>Previous month</Button>
        <Text weight="bold">
          <span aria-live="polite" data-testid="absences-month">
            {formatMonth(month, fmt.locale)}
          </span>
        </Text>
        <Button onClick={() => setMonth(addMonths(month, 1))}>Next month</Button>
        <SelectField label="People" value={scope} onChange={(v) => (setScope(v), setPage(0))} testId="absences-scope" options={[...teams.map((t) => ({ value: t.id, label: t.name })), { value: 'everyone', label: 'Everyone' }]} />
      </div>
      <div className="wt-legend" aria-label="Legend">
        {TYPES.map((t) => (
          <span key={t.value} className={`wt-abs-${t.value}`}>
            <strong>{t.mark}</strong> {t.label}
          </span>
        ))}
        <span>½ half day, ◔ hours</span>
      </div>
      <Pager total={inScope.length} page={shown.page} onPage={setPage} what="People" testId="absences-pager" />
      {absences.state === 'loading' ? <LoadingState what="the absences" /> : null}
      {absences.state === 'error' ? <ErrorState what="the absences" error={absences.error} onRetry={() => setVersion((v) => v + 1)} /> : null}
      {rows.length === 0 ? <EmptyState title="Nobody to show">This team has no members. Choose Everyone, or add members under Roles &amp; teams.</EmptyState> : null}
      {absences.state === 'done' && rows.length > 0 ? (
        <div className="wt-table-wrap">
          <table className="wt-agrid" role="grid" aria-label={`Absences in ${formatMonth(month, fmt.locale)}`} aria-multiselectable="true" ref={grid} onKeyDown={onKey} data-testid="absence-grid">
            <thead>
              <tr>
                <th scope="col">Person</th>
                {days.map((d) => (
                  <th key={d} scope="col" abbr={formatLocalDate(d, fmt.locale)} className={weekdayOf(d) % 6 === 0 ? 'wt-weekend' : undefined}>
                    {Number(d.slice(8))}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((p, r) => (
                <tr key={p.accountId} data-person={p.accountId}>
                  <th scope="row" title={p.displayName}>{p.displayName}</th>
                  {days.map((d, c) => {
                    const a = absenceOn(p.accountId, d);
                    const t = a ? typeOf(a.type) : null;
                    const portion = a?.portion.kind === 'half' ? '½' : a?.portion.kind === 'seconds' ? '◔' : '';
                    const selected = inRect(r, c);
                    return (
                      <td
                        key={d}
                        role="gridcell"
                        data-cell={`${r}-${c}`}
                        data-date={d}
                        tabIndex={cursor.row === r && cursor.col === c ? 0 : -1}
                        aria-selected={selected}
                        // The name starts with what the cell shows (V, T½…), then says it in words.
                        aria-label={`${t ? `${t.mark}${portion} ` : ''}${p.displayName}, ${formatLocalDate(d, fmt.locale)}${a ? `: ${t!.label}${portion === '½' ? ', half day' : portion ? ', part of the day' : ''}` : ''}`}
                        className={[weekdayOf(d) % 6 === 0 ? 'wt-weekend' : '', selected ? 'wt-sel' : '', a ? `wt-abs wt-abs-${a.type}` : ''].join(' ').trim() || undefined}
                        onMouseDown={(e) => {
                          e.preventDefault();
                          dragging.current = true;
                          moveTo({ row: r, col: c }, e.shiftKey);
                        }}
                        onMouseEnter={() => {
                          if (dragging.current) {
                            setFocus({ row: r, col: c });
                            setCursor({ row: r, col: c });
                          }
                        }}
                      >
                        {t ? `${t.mark}${portion}` : ''}
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      <SetAbsence
        people={selectedPeople}
        range={range}
        existing={inSelection}
        fmt={fmt}
        onChanged={() => setVersion((v) => v + 1)}
      />
    </Stack>
  );
}

function SetAbsence({ people, range, existing, fmt, onChanged }: { people: readonly Person[]; range: { from: string; to: string } | null; existing: readonly Absence[]; fmt: PanelProps['fmt']; onChanged: () => void }) {
  const [type, setType] = useState('vacation');
  const [portion, setPortion] = useState('whole');
  const [hours, setHours] = useState('4:00');
  const [note, setNote] = useState('');
  const save = useAction();
  const remove = useAction();
  const [result, setResult] = useState<string | null>(null);
  // What the last save or removal said was about the cells and choices it was given: forget it once they change.
  const forget = () => {
    save.clear();
    remove.clear();
    setResult(null);
  };
  const selection = range ? `${people.map((p) => p.accountId).join()}|${range.from}|${range.to}` : '';
  const [shownFor, setShownFor] = useState(selection);
  if (shownFor !== selection) {
    setShownFor(selection);
    forget();
  }
  const seconds = parseHours(hours);
  const problem = !range ? 'Select cells in the grid first.' : portion === 'seconds' && (seconds === null || seconds <= 0) ? 'Give the hours as hours:minutes, such as 4:00.' : note.length > 500 ? 'Keep the note to 500 characters.' : null;
  const who = people.length <= 3 ? people.map((p) => p.displayName).join(', ') : `${people.length} people`;
  const what = range ? `${who}, ${fmt.date(range.from)}${range.to !== range.from ? ` – ${fmt.date(range.to)}` : ''}` : 'nothing selected';
  return (
    <section className="wt-box" aria-label="Set an absence for the selected cells" onChange={forget}>
      <Stack space="space.150">
        <Text as="p" testId="absence-selection">
          Selected: {what}
        </Text>
        <div className="wt-form">
          <SelectField label="Type" value={type} onChange={setType} testId="absence-type" options={TYPES.map((t) => ({ value: t.value, label: t.label }))} />
          <SelectField label="Portion" value={portion} onChange={setPortion} testId="absence-portion" options={[{ value: 'whole', label: 'Whole day' }, { value: 'half', label: 'Half day' }, { value: 'seconds', label: 'Some hours' }]} />
          {portion === 'seconds' ? <TextField label="Hours a day" value={hours} onChange={setHours} width="6rem" /> : null}
          <TextField label="Note (optional)" value={note} onChange={setNote} width="16rem" />
          <Button
            appearance="primary"
            isDisabled={problem !== null || save.busy}
            testId="absence-set"
            onClick={async () => {
              const answer = await save.run<{ created: string[]; updated: string[]; unchanged: string[] }>('absences/save', {
                people: people.map((p) => p.accountId),
                ranges: [range!],
                type,
                portion: portion === 'seconds' ? { kind: 'seconds', seconds } : { kind: portion },
                ...(note.trim() ? { note: note.trim() } : {}),
              });
              if (answer) {
                setResult(`Saved: ${answer.created.length} new, ${answer.updated.length} changed, ${answer.unchanged.length} already so.`);
                onChanged();
              }
            }}
          >
            Set absence
          </Button>
          <Button
            isDisabled={existing.length === 0 || remove.busy}
            testId="absence-remove"
            onClick={async () => {
              let removed = 0;
              for (const a of existing) if (await remove.run('absences/delete', { personId: a.personId, absenceId: a.id })) removed++;
              setResult(`Removed ${removed} absence${removed === 1 ? '' : 's'} (whole absences that touch the selection).`);
              onChanged();
            }}
          >
            {`Remove ${existing.length} absence${existing.length === 1 ? '' : 's'} in the selection`}
          </Button>
        </div>
        {range && problem ? <Text color="color.text.warning">{problem}</Text> : null}
        {result ? <Done testId="absence-result">{result}</Done> : null}
        <ActionError error={save.error} what="save the absences" />
        <ActionError error={remove.error} what="remove an absence" />
      </Stack>
    </section>
  );
}
