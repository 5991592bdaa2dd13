/**
 * Holidays: the site's calendars, a year's holidays with HR's own additions and removals
 * (holidays/calendar, holidays/save), and "Import holidays" from the site's provider: country,
 * region and years, a preview of what would change (holidays/preview), then the import with its
 * progress and result (holidays/import).
 */
import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import Lozenge from '@atlaskit/lozenge';
import { Inline, Stack, Text } from '@atlaskit/primitives';
import { useState } from 'react';
import { useResolver } from '../../client/ClientContext';
import { EmptyState, ErrorState, LoadingState, ProgressState } from '../../states/States';
import { useAction } from '../../client/useAction';
import { ActionError, CheckboxField, Done, SelectField, TextField } from './action';
import { CALENDAR_ID, defaultCalendarId, yearProblem, type CalendarInfo } from './calendarIds';
import type { PanelProps } from './context';
import type { Holiday, Preview, Egress } from '../../client/adminAnswers';

const TYPES = ['public', 'bank', 'school', 'optional', 'observance'];

export function HolidaysPanel({ today, fmt }: PanelProps) {
  const [version, setVersion] = useState(0);
  const calendars = useResolver<{ calendars: CalendarInfo[] }>('holidays/calendar', {}, `list-${version}`);
  const [shown, setShown] = useState<string | null>(null);
  const [year, setYear] = useState(Number(today.slice(0, 4)));
  // The Year field holds what is typed; the calendar follows once it is a year (on leaving the field or Enter).
  const [yearText, setYearText] = useState(today.slice(0, 4));
  const [yearError, setYearError] = useState<string | null>(null);
  const commitYear = () => {
    const problem = yearProblem(yearText);
    setYearError(problem);
    if (!problem) setYear(Number(yearText.trim()));
  };
  const list = calendars.state === 'done' ? calendars.data.calendars : [];
  const calendarId = shown ?? list[0]?.id ?? null;

  return (
    <Stack space="space.300">
      <ImportHolidays
        year={Number(today.slice(0, 4))}
        calendars={list}
        onImported={(id, firstYear) => {
          setShown(id);
          setYear(firstYear);
          setYearText(String(firstYear));
          setYearError(null);
          setVersion((v) => v + 1);
        }}
      />
      <section className="wt-section" aria-labelledby="calendars-heading">
        <Stack space="space.150">
          <Heading size="medium" as="h3" id="calendars-heading">
            Holiday calendars
          </Heading>
          {calendars.state === 'loading' ? <LoadingState what="the calendars" /> : null}
          {calendars.state === 'error' ? <ErrorState what="the calendars" error={calendars.error} onRetry={calendars.reload} /> : null}
          {calendars.state === 'done' && list.length === 0 ? <EmptyState title="No holiday calendars yet">Import holidays above to create the first calendar, then choose it in people's contracts.</EmptyState> : null}
          {calendarId ? (
            <>
              <div className="wt-form">
                <SelectField label="Calendar" value={calendarId} onChange={setShown} testId="calendar-shown" options={list.map((c) => ({ value: c.id, label: `${c.id} (${c.country}${c.region ? `, ${c.region}` : ''})` }))} />
                <form
                  onSubmit={(e) => {
                    e.preventDefault();
                    commitYear();
                  }}
                >
                  <TextField
                    label="Year"
                    inputMode="numeric"
                    value={yearText}
                    onChange={(v) => {
                      setYearText(v);
                      setYearError(null);
                    }}
                    onBlur={commitYear}
                    testId="calendar-year"
                    width="6rem"
                  />
                </form>
              </div>
              {yearError ? (
                <Text color="color.text.warning" testId="calendar-year-problem">
                  {yearError} Showing {year}.
                </Text>
              ) : null}
              <CalendarYear key={`${calendarId}-${year}-${version}`} calendarId={calendarId} year={year} fmt={fmt} />
            </>
          ) : null}
        </Stack>
      </section>
    </Stack>
  );
}


function ImportHolidays({ year, calendars, onImported }: { year: number; calendars: readonly CalendarInfo[]; onImported: (calendarId: string, firstYear: number) => void }) {
  const countries = useResolver<{ provider: string; providerName: string; egress: Egress | null; countries: { code: string; name: string }[] }>('holidays/countries', {}, 'countries');
  const [country, setCountry] = useState('');
  const regions = useResolver<{ regions: { code: string; name: string }[] }>(country ? 'holidays/countries' : null, { country }, country);
  const [region, setRegion] = useState('');
  const [calendarId, setCalendarId] = useState('');
  const [from, setFrom] = useState(String(year));
  const [to, setTo] = useState(String(year));
  const [overwriteManual, setOverwriteManual] = useState(false);
  const [preview, setPreview] = useState<Preview | null>(null);
  const [result, setResult] = useState<Preview | null>(null);
  const previewAction = useAction();
  const importAction = useAction();

  const suggestedId = defaultCalendarId(calendars, country, region);
  const id = calendarId || suggestedId;
  const target = calendars.find((c) => c.id === id) ?? null;
  const years: number[] = [];
  for (let y = Number(from); y <= Number(to) && years.length <= 10; y++) years.push(y);
  const problem =
    (!country ? 'Choose a country.' : null) ??
    yearProblem(from, 'The first year') ??
    yearProblem(to, 'The last year') ??
    (Number(to) < Number(from) ? 'The last year is on or after the first.' : null) ??
    (years.length > 10 ? 'Import at most 10 years at a time.' : null) ??
    (!CALENDAR_ID.test(id) ? 'The calendar id is 1 to 64 letters, digits, ".", "_" or "-" (upper and lower case are different calendars).' : null);
  const payload = { calendarId: id, country, ...(region ? { region } : {}), years, overwriteManual };
  const changeInputs = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    setPreview(null);
    setResult(null);
    // An error is about what was sent: once the inputs change it no longer describes them.
    previewAction.clear();
    importAction.clear();
  };

  return (
    <section aria-labelledby="import-holidays-heading">
      <Stack space="space.150">
        <Heading size="medium" as="h3" id="import-holidays-heading">
          Import holidays
        </Heading>
        {countries.state === 'loading' ? <LoadingState what="the countries the holiday provider knows" /> : null}
        {countries.state === 'error' ? <ErrorState what="the countries the holiday provider knows" error={countries.error} onRetry={countries.reload} /> : null}
        {countries.state === 'done' ? (
          <>
            <Text as="p">
              From {countries.data.providerName}. {countries.data.egress?.host ? `This provider is reached over the internet at ${countries.data.egress.host}; it sends ${countries.data.egress.sends}.` : 'Nothing leaves the site: the data is bundled with the app.'} A preview shows what would change; holidays HR edited stay as they are unless you choose to overwrite them.
            </Text>
            <div className="wt-form">
              <SelectField label="Country" value={country} onChange={changeInputs((v: string) => { setCountry(v); setRegion(''); })} testId="import-country" options={[{ value: '', label: 'Choose a country' }, ...countries.data.countries.map((c) => ({ value: c.code, label: `${c.name} (${c.code})` }))]} />
              <SelectField
                label="Region"
                value={region}
                onChange={changeInputs(setRegion)}
                testId="import-region"
                options={[{ value: '', label: 'Whole country' }, ...(regions.state === 'done' ? regions.data.regions.map((r) => ({ value: r.code, label: `${r.name} (${r.code})` })) : [])]}
              />
              <TextField label="Calendar id" value={calendarId} onChange={changeInputs(setCalendarId)} testId="import-calendar" hint={suggestedId ? `default: ${suggestedId}${calendars.some((c) => c.id === suggestedId) ? ' (existing)' : ''}` : undefined} width="10rem" />
              <TextField label="First year" type="number" value={from} onChange={changeInputs(setFrom)} testId="import-from" width="6rem" />
              <TextField label="Last year" type="number" value={to} onChange={changeInputs(setTo)} testId="import-to" width="6rem" />
              <CheckboxField label="Overwrite HR's edits" checked={overwriteManual} onChange={changeInputs(setOverwriteManual)} />
              <Button onClick={async () => setPreview((await previewAction.run<Preview>('holidays/preview', payload)) ?? null)} isDisabled={problem !== null || previewAction.busy || importAction.busy} testId="import-preview">
                Preview
              </Button>
              <Button
                appearance="primary"
                onClick={async () => {
                  const done = await importAction.run<Preview>('holidays/import', payload);
                  if (done) {
                    setResult(done);
                    setPreview(null);
                    onImported(done.calendar.id, years[0]!);
                  }
                }}
                isDisabled={problem !== null || preview === null || !preview.changes || importAction.busy}
                testId="import-run"
              >
                Import
              </Button>
            </div>
            {country && problem ? <Text color="color.text.warning">{problem}</Text> : null}
            {country && !problem ? (
              target ? (
                target.country !== country || (target.region ?? '') !== region ? (
                  <Text as="p" color="color.text.warning" testId="import-target">
                    {id} is the calendar of {target.country}
                    {target.region ? `, ${target.region}` : ''}: importing {region || country} into it mixes two places' holidays.
                  </Text>
                ) : (
                  <Text as="p" testId="import-target">
                    Imports into the existing calendar {id}; the contracts that use it get these holidays.
                  </Text>
                )
              ) : (
                <Text as="p" color="color.text.warning" testId="import-target">
                  {id} is a new calendar: no contract uses it yet, so these holidays count for nobody until you choose it in people's contracts (Contracts).
                  {calendars.some((c) => c.id.toLowerCase() === id.toLowerCase()) ? ` Calendar ids are case-sensitive: did you mean ${calendars.find((c) => c.id.toLowerCase() === id.toLowerCase())!.id}?` : ''}
                </Text>
              )
            ) : null}
            {!preview && !result && !problem ? <Text as="p" color="color.text.subtle">Preview first: Import is enabled once you have seen what it changes.</Text> : null}
            <ActionError error={previewAction.error} what="preview the import" />
            <ActionError error={importAction.error} what="import the holidays" />
            {importAction.busy ? <ProgressState label={`Importing ${years.length} year${years.length === 1 ? '' : 's'} into ${id}`} done={0} total={null} /> : null}
            {preview ? <Changes title={`Preview: what importing into ${preview.calendar.id}${preview.newCalendar ? ' (a new calendar)' : ''} would change`} answer={preview} testId="import-preview-result" /> : null}
            {preview && !preview.changes ? <Done>Nothing would change: the calendar already has these holidays.</Done> : null}
            {result ? (
              <>
                <Done testId="import-result">
                  Imported into {result.calendar.id}: {sum(result, 'added')} added, {sum(result, 'changed')} changed, {sum(result, 'removed')} removed, {result.years.reduce((n, y) => n + y.keptManual.length, 0)} of HR's edits kept.
                </Done>
                <Changes title="What the import changed" answer={result} testId="import-changes" />
              </>
            ) : null}
          </>
        ) : null}
      </Stack>
    </section>
  );
}

const sum = (p: Preview, k: 'added' | 'changed' | 'removed') => p.years.reduce((n, y) => n + y[k].length, 0);

function Changes({ title, answer, testId }: { title: string; answer: Preview; testId: string }) {
  const rows = answer.years.flatMap((y) => [
    ...y.added.map((h) => ({ year: y.year, what: 'Added', text: `${h.date} ${h.name} (${h.type}${h.fraction < 1 ? ', half day' : ''})` })),
    ...y.changed.map((c) => ({ year: y.year, what: 'Changed', text: `${c.before.date} ${c.before.name} → ${c.after.date} ${c.after.name} (${c.after.type})` })),
    ...y.removed.map((h) => ({ year: y.year, what: 'Removed', text: `${h.date} ${h.name}` })),
    ...y.keptManual.map((h) => ({ year: y.year, what: "Kept (HR's edit)", text: `${h.date} ${h.name}` })),
  ]);
  return (
    <table className="wt-table" data-testid={testId}>
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col">Year</th>
          <th scope="col">Change</th>
          <th scope="col">Holiday</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            <th scope="row">{r.year}</th>
            <td>{r.what}</td>
            <td>{r.text}</td>
          </tr>
        ))}
        {answer.years.filter((y) => y.unchanged > 0).map((y) => (
          <tr key={`u-${y.year}`}>
            <th scope="row">{y.year}</th>
            <td>Unchanged</td>
            <td>{y.unchanged === 1 ? '1 holiday' : `${y.unchanged} holidays`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CalendarYear({ calendarId, year, fmt }: { calendarId: string; year: number; fmt: PanelProps['fmt'] }) {
  const loaded = useResolver<{ calendar: CalendarInfo; years: { year: number; holidays: Holiday[] }[] }>('holidays/calendar', { calendarId, years: [year] }, `${calendarId}-${year}`);
  const save = useAction();
  const [date, setDate] = useState('');
  const [name, setName] = useState('');
  const [type, setType] = useState('public');
  const [half, setHalf] = useState(false);
  const edit = async (edits: unknown[]) => {
    if (await save.run('holidays/save', { calendarId, year, edits })) loaded.reload();
  };
  if (loaded.state === 'loading') return <LoadingState what={`${calendarId} ${year}`} />;
  if (loaded.state === 'error') return <ErrorState what={`${calendarId} ${year}`} error={loaded.error} onRetry={loaded.reload} />;
  const holidays = loaded.data.years.find((y) => y.year === year)?.holidays ?? [];
  const addProblem = !date.startsWith(`${year}-`) ? `Choose a day in ${year}.` : name.trim() === '' ? 'Name the holiday.' : null;
  return (
    <Stack space="space.150">
      {holidays.length === 0 ? (
        <EmptyState title={`No holidays in ${calendarId} for ${year}`}>Import the year above, or add holidays one by one below.</EmptyState>
      ) : (
        <table className="wt-table" data-testid="calendar-holidays">
          <caption>
            {calendarId}, {year}: {holidays.length} holidays
          </caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Name</th>
              <th scope="col">Type</th>
              <th scope="col">Portion</th>
              <th scope="col">
                <span className="wt-visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {holidays.map((h) => (
              <tr key={`${h.date}|${h.name}`} data-date={h.date}>
                <th scope="row">{fmt.date(h.date)}</th>
                <td>
                  {h.name} {h.manual ? <Lozenge>HR {h.manual}</Lozenge> : null}
                </td>
                <td>{h.type}</td>
                <td>{h.fraction < 1 ? 'Half day' : 'Whole day'}</td>
                <td>
                  <Button appearance="subtle" onClick={() => void edit([{ kind: 'remove', slot: `${h.date}|${h.name}` }])} isDisabled={save.busy}>
                    Remove<span className="wt-visually-hidden"> {h.name} on {h.date}</span>
                  </Button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!addProblem) void edit([{ kind: 'add', holiday: { date, name: name.trim(), type, fraction: half ? 0.5 : 1 } }]).then(() => setName(''));
        }}
      >
        <div className="wt-form">
          <TextField label="Day" type="date" value={date} onChange={(v) => (save.clear(), setDate(v))} />
          <TextField label="Name" value={name} onChange={(v) => (save.clear(), setName(v))} />
          <SelectField label="Type" value={type} onChange={setType} options={TYPES.map((t) => ({ value: t, label: t }))} />
          <CheckboxField label="Half day" checked={half} onChange={setHalf} />
          <Button type="submit" isDisabled={addProblem !== null || save.busy}>
            Add holiday
          </Button>
        </div>
      </form>
      <Inline space="space.100">{date !== '' && addProblem ? <Text color="color.text.warning">{addProblem}</Text> : null}</Inline>
      <ActionError error={save.error} what="change the calendar" />
    </Stack>
  );
}
