/**
 * People & contracts: a person's contracts in date order (contracts/list), a form to create one or
 * change one (contracts/save: dates, schedule per weekday, per week or per month, part-time factor,
 * holiday calendar, zone override), and ending one on a day (contracts/end).
 */
import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import { Inline, Stack, Text } from '@atlaskit/primitives';
import { useState } from 'react';
import { useResolver } from '../../client/ClientContext';
import { EmptyState, ErrorState, LoadingState } from '../../states/States';
import { useAction } from '../../client/useAction';
import { ActionError, CheckboxField, Done, SelectField, TextField } from './action';
import type { PanelProps } from './context';
import { parseHours, toHoursText } from './hoursInput';
import type { Schedule, Contract } from '../../client/adminAnswers';

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export function ContractsPanel({ people, fmt, today }: PanelProps) {
  const [personId, setPersonId] = useState(people[0]?.accountId ?? '');
  const [version, setVersion] = useState(0);
  const [editing, setEditing] = useState<Contract | 'new' | null>(null);
  const [ended, setEnded] = useState<string | null>(null);
  const contracts = useResolver<Contract[]>(personId ? 'contracts/list' : null, { personId }, `${personId}-${version}`);
  const calendars = useResolver<{ calendars: { id: string }[] }>('holidays/calendar', {}, 'calendars');
  const end = useAction();
  const [endDate, setEndDate] = useState(today);

  const describe = (s: Schedule) => {
    if (s.kind === 'weekdays') return s.secondsByWeekday.map((sec, i) => (sec > 0 ? `${WEEKDAYS[i]!.slice(0, 3)} ${fmt.duration(sec)}` : null)).filter(Boolean).join(', ');
    if (s.kind === 'weekly') return `${fmt.duration(s.weeklySeconds)} a week over ${s.workingDays.map((d) => WEEKDAYS[d - 1]!.slice(0, 3)).join(', ')}`;
    if (s.kind === 'monthly') return `${fmt.duration(s.monthlySeconds)} a month over ${s.workingDays.map((d) => WEEKDAYS[d - 1]!.slice(0, 3)).join(', ')}`;
    return 'Shift rotation';
  };

  return (
    <Stack space="space.200">
      <Heading size="medium" as="h3">
        People &amp; contracts
      </Heading>
      <Text as="p">A contract says what a person is expected to work. A change of terms is a new contract from the day it applies: end the old one the day before.</Text>
      <div className="wt-form">
        <SelectField
          label="Person"
          value={personId}
          onChange={(v) => {
            setPersonId(v);
            setEditing(null);
            setEnded(null);
          }}
          testId="contracts-person"
          options={people.map((p) => ({ value: p.accountId, label: p.displayName }))}
        />
        <Button onClick={() => setEditing('new')} isDisabled={!personId}>
          New contract
        </Button>
      </div>
      {contracts.state === 'loading' ? <LoadingState what="the contracts" /> : null}
      {contracts.state === 'error' ? <ErrorState what="the contracts" error={contracts.error} onRetry={contracts.reload} /> : null}
      {contracts.state === 'done' && contracts.data.length === 0 ? <EmptyState title="No contract">Without a contract nothing is expected of this person, so every hour counts as overtime. Add one with New contract.</EmptyState> : null}
      {contracts.state === 'done' && contracts.data.length > 0 ? (
        <table className="wt-table" data-testid="contracts-table">
          <caption>Contracts in date order</caption>
          <thead>
            <tr>
              <th scope="col">From</th>
              <th scope="col">Until</th>
              <th scope="col">Schedule</th>
              <th scope="col">Part time</th>
              <th scope="col">Holidays</th>
              <th scope="col">Zone</th>
              <th scope="col">
                <span className="wt-visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {contracts.data.map((c) => (
              <tr key={c.id} data-contract={c.id}>
                <th scope="row">{fmt.date(c.firstDate)}</th>
                <td>{c.lastDate ? fmt.date(c.lastDate) : 'open-ended'}</td>
                <td>{describe(c.schedule)}</td>
                <td data-testid="contract-factor">{c.partTimeFactor}</td>
                <td>{c.holidayCalendarId ?? 'none'}</td>
                <td>{c.timeZone ?? "the person's Jira zone"}</td>
                <td>
                  <Inline space="space.050">
                    <Button appearance="subtle" onClick={() => setEditing(c)} testId="contract-edit">
                      Edit<span className="wt-visually-hidden"> the contract from {c.firstDate}</span>
                    </Button>
                    {c.lastDate === null ? (
                      <Button appearance="subtle" onClick={() => setEnded(c.id)}>
                        End<span className="wt-visually-hidden"> the contract from {c.firstDate}</span>
                      </Button>
                    ) : null}
                  </Inline>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {ended ? (
        <form
          className="wt-box"
          onSubmit={async (e) => {
            e.preventDefault();
            if (await end.run('contracts/end', { personId, contractId: ended, lastDate: endDate })) {
              setEnded(null);
              setVersion((v) => v + 1);
            }
          }}
        >
          <div className="wt-form">
            <TextField label={`Last day of ${ended}`} type="date" value={endDate} onChange={setEndDate} />
            <Button type="submit" appearance="warning" isDisabled={end.busy || !endDate}>
              End the contract
            </Button>
            <Button onClick={() => setEnded(null)}>Cancel</Button>
          </div>
          <ActionError error={end.error} what="end the contract" />
        </form>
      ) : null}
      {editing ? (
        <ContractForm
          key={editing === 'new' ? `new-${personId}` : editing.id}
          personId={personId}
          contract={editing === 'new' ? null : editing}
          today={today}
          calendars={calendars.state === 'done' ? calendars.data.calendars.map((c) => c.id) : []}
          onSaved={() => {
            setEditing(null);
            setVersion((v) => v + 1);
          }}
          onCancel={() => setEditing(null)}
        />
      ) : null}
    </Stack>
  );
}

function ContractForm({ personId, contract, today, calendars, onSaved, onCancel }: { personId: string; contract: Contract | null; today: string; calendars: readonly string[]; onSaved: () => void; onCancel: () => void }) {
  const s = contract?.schedule;
  const [firstDate, setFirstDate] = useState(contract?.firstDate ?? today);
  const [lastDate, setLastDate] = useState(contract?.lastDate ?? '');
  const [kind, setKind] = useState<'weekdays' | 'weekly' | 'monthly'>(s && s.kind !== 'rotation' ? s.kind : 'weekdays');
  const [daily, setDaily] = useState<string[]>(s?.kind === 'weekdays' ? s.secondsByWeekday.map(toHoursText) : ['8:00', '8:00', '8:00', '8:00', '8:00', '0:00', '0:00']);
  const [total, setTotal] = useState(s?.kind === 'weekly' ? toHoursText(s.weeklySeconds) : s?.kind === 'monthly' ? toHoursText(s.monthlySeconds) : '40:00');
  const [workingDays, setWorkingDays] = useState<number[]>(s && (s.kind === 'weekly' || s.kind === 'monthly') ? s.workingDays : [1, 2, 3, 4, 5]);
  const [factor, setFactor] = useState(contract?.partTimeFactor ?? '1');
  const [calendar, setCalendar] = useState(contract?.holidayCalendarId ?? calendars[0] ?? '');
  const [zone, setZone] = useState(contract?.timeZone ?? '');
  const save = useAction();
  const [saved, setSaved] = useState<boolean | null>(null);
  const rotation = s?.kind === 'rotation';

  const dailySeconds = daily.map(parseHours);
  const totalSeconds = parseHours(total);
  const problem =
    !/^\d{4}-\d{2}-\d{2}$/.test(firstDate) ? 'Choose the first day.'
    : lastDate !== '' && lastDate < firstDate ? 'The last day is before the first.'
    : kind === 'weekdays' && dailySeconds.some((x) => x === null || x < 0) ? 'Give each day as hours:minutes, such as 7:36 (0:00 for a day off).'
    : kind !== 'weekdays' && (totalSeconds === null || totalSeconds < 0) ? 'Give the total as hours:minutes, such as 38:00.'
    : kind !== 'weekdays' && workingDays.length === 0 ? 'Choose the working days.'
    : !/^(0(\.\d+)?|1(\.0+)?)$/.test(factor.trim()) || Number(factor) <= 0 ? 'The part-time factor is a decimal above 0 and at most 1, such as 0.8.'
    : null;
  const schedule = kind === 'weekdays' ? { kind, secondsByWeekday: dailySeconds } : kind === 'weekly' ? { kind, weeklySeconds: totalSeconds, workingDays } : { kind, monthlySeconds: totalSeconds, workingDays };

  return (
    <form
      className="wt-box"
      aria-label={contract ? `Change the contract from ${contract.firstDate}` : 'New contract'}
      onChange={() => {
        // What the server said was about the draft it was sent; any edit makes it stale.
        save.clear();
        setSaved(null);
      }}
      onSubmit={async (e) => {
        e.preventDefault();
        if (problem) return;
        const answer = await save.run<{ changed: boolean }>('contracts/save', {
          ...(contract ? { id: contract.id } : {}),
          personId,
          firstDate,
          lastDate: lastDate || null,
          schedule: rotation ? contract!.schedule : schedule,
          partTimeFactor: factor.trim(),
          holidayCalendarId: calendar || null,
          timeZone: zone.trim() || null,
          // The contract as this form read it: a change another admin made since is refused, not overwritten.
          ...(contract ? { basedOn: contract } : {}),
        });
        if (answer) {
          setSaved(answer.changed);
          if (answer.changed) onSaved();
        }
      }}
    >
      <Stack space="space.150">
        <Heading size="small" as="h4">
          {contract ? `Change the contract from ${contract.firstDate}` : 'New contract'}
        </Heading>
        <div className="wt-form">
          <TextField label="First day" type="date" value={firstDate} onChange={setFirstDate} testId="contract-first" />
          <TextField label="Last day (empty: open-ended)" type="date" value={lastDate} onChange={setLastDate} testId="contract-last" />
          <TextField label="Part-time factor" value={factor} onChange={setFactor} testId="contract-factor-input" hint="1 is full time" width="6rem" />
          <SelectField label="Holiday calendar" value={calendar} onChange={setCalendar} testId="contract-calendar" options={[{ value: '', label: 'None' }, ...calendars.map((c) => ({ value: c, label: c }))]} />
          <TextField label="Time zone override" value={zone} onChange={setZone} hint="empty: the person's Jira zone" testId="contract-zone" />
        </div>
        {rotation ? (
          <Text as="p">This contract follows a shift rotation; its schedule is kept as it is (change rotations through contracts/save).</Text>
        ) : (
          <>
            <SelectField
              label="Schedule"
              value={kind}
              onChange={(v) => setKind(v as typeof kind)}
              options={[
                { value: 'weekdays', label: 'Hours per weekday' },
                { value: 'weekly', label: 'Hours per week, spread over working days' },
                { value: 'monthly', label: 'Hours per month, spread over working days' },
              ]}
            />
            {kind === 'weekdays' ? (
              <div className="wt-days">
                {WEEKDAYS.map((d, i) => (
                  <TextField key={d} label={d} value={daily[i]!} onChange={(v) => setDaily((prev) => prev.map((x, j) => (j === i ? v : x)))} testId={`contract-day-${i + 1}`} />
                ))}
              </div>
            ) : (
              <div className="wt-form">
                <TextField label={kind === 'weekly' ? 'Hours a week' : 'Hours a month'} value={total} onChange={setTotal} width="7rem" />
                <fieldset className="wt-days">
                  <legend className="wt-hint">Working days</legend>
                  {WEEKDAYS.map((d, i) => (
                    <CheckboxField key={d} label={d.slice(0, 3)} checked={workingDays.includes(i + 1)} onChange={(on) => setWorkingDays((prev) => (on ? [...prev, i + 1].sort() : prev.filter((x) => x !== i + 1)))} />
                  ))}
                </fieldset>
              </div>
            )}
          </>
        )}
        {problem ? <Text color="color.text.warning">{problem}</Text> : null}
        <Inline space="space.100">
          <Button type="submit" appearance="primary" isDisabled={problem !== null || save.busy} testId="contract-save">
            Save contract
          </Button>
          <Button onClick={onCancel}>Cancel</Button>
        </Inline>
        {saved === false ? <Done>Nothing changed: the contract already says this.</Done> : null}
        <ActionError error={save.error} what="save the contract" />
        {save.error?.code === 'CHANGED_SINCE_READ' ? <Button onClick={onSaved}>Close and load the latest contracts</Button> : null}
      </Stack>
    </form>
  );
}
