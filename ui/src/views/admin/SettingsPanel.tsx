/** Settings: the site's settings (settings/get), changed field by field and saved together (settings/save); below them the recuperation rules (ledger/rules). */
import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import { Stack, Text } from '@atlaskit/primitives';
import { useEffect, useState } from 'react';
import { useResolver } from '../../client/ClientContext';
import { isKnownZone } from '../../format/dates';
import { ErrorState, LoadingState } from '../../states/States';
import { useAction } from '../../client/useAction';
import { ActionError, CheckboxField, Done, SelectField, TextField } from './action';
import type { PanelProps } from './context';
import { RecuperationRulesForm } from './RecuperationRulesForm';
import type { SiteSettings } from '../../client/adminAnswers';

const COUNTABLE = ['public', 'bank', 'school', 'optional'];
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

export function SettingsPanel({ identity }: PanelProps) {
  return (
    <Stack space="space.300">
      <SiteSettingsForm />
      <RecuperationRulesForm canEdit={identity.roles.has('hr-admin') || identity.roles.has('jira-admin')} />
    </Stack>
  );
}

function SiteSettingsForm() {
  const loaded = useResolver<SiteSettings>('settings/get', {}, 'settings');
  const [draft, setDraft] = useState<SiteSettings | null>(null);
  const save = useAction();
  const [saved, setSaved] = useState(false);
  // The draft starts again only from a new answer (the first, or the one after a save), never on a re-render.
  const answer = loaded.state === 'done' ? loaded.data : null;
  useEffect(() => {
    if (answer) setDraft(answer);
  }, [answer]);
  if (loaded.state === 'loading' || (loaded.state === 'done' && !draft)) return <LoadingState what="the settings" />;
  if (loaded.state === 'error') return <ErrorState what="the settings" error={loaded.error} onRetry={loaded.reload} />;
  const base = loaded.data;
  const d = draft!;
  const set = <K extends keyof SiteSettings>(k: K, v: SiteSettings[K]) => {
    setSaved(false);
    save.clear(); // an old refusal no longer describes the new draft
    setDraft({ ...d, [k]: v });
  };
  const changes = Object.fromEntries((Object.keys(d) as (keyof SiteSettings)[]).filter((k) => JSON.stringify(d[k]) !== JSON.stringify(base[k])).map((k) => [k, d[k]]));
  const problem = !isKnownZone(d.siteTimeZone) ? `${d.siteTimeZone} is not a time zone this browser knows; give an IANA name such as Europe/Brussels.` : null;
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        if (problem || Object.keys(changes).length === 0) return;
        if (await save.run('settings/save', { changes })) {
          setSaved(true);
          loaded.reload();
        }
      }}
    >
      <Stack space="space.200">
        <Heading size="medium" as="h3">
          Settings
        </Heading>
        <div className="wt-form">
          <TextField label="Site time zone" value={d.siteTimeZone} onChange={(v) => set('siteTimeZone', v)} hint="for people Jira gives no zone" testId="settings-zone" />
          <SelectField label="Day of a worklog" value={d.dayPolicy} onChange={(v) => set('dayPolicy', v as SiteSettings['dayPolicy'])} options={[{ value: 'start-day', label: 'The day it starts' }, { value: 'split', label: 'Split at midnight' }]} />
          <SelectField label="Week starts on" value={String(d.weekStart)} onChange={(v) => set('weekStart', Number(v))} options={WEEKDAYS.map((w, i) => ({ value: String(i + 1), label: w }))} />
          <SelectField label="Durations shown" value={d.rounding} onChange={(v) => set('rounding', v)} options={[{ value: 'exact-seconds', label: 'Exact seconds' }, { value: 'nearest-minute', label: 'Nearest minute' }, { value: 'nearest-quarter-hour', label: 'Nearest quarter hour' }, { value: 'decimal-hours-2', label: 'Decimal hours' }]} />
          <SelectField label="Holiday provider" value={d.holidayProvider} onChange={(v) => set('holidayProvider', v as SiteSettings['holidayProvider'])} options={[{ value: 'offline', label: 'Offline (bundled; nothing leaves the site)' }, { value: 'nager-date', label: 'Nager.Date (sends a country and year)' }]} testId="settings-provider" />
        </div>
        <fieldset className="wt-days">
          <legend className="wt-hint">Holiday types that reduce expected time (observances never do)</legend>
          {COUNTABLE.map((t) => (
            <CheckboxField key={t} label={t} checked={d.countedHolidayTypes.includes(t)} onChange={(on) => set('countedHolidayTypes', on ? [...d.countedHolidayTypes, t] : d.countedHolidayTypes.filter((x) => x !== t))} />
          ))}
        </fieldset>
        <CheckboxField label="Approval workflow: people submit, leads or HR approve, HR locks" checked={d.approvalWorkflow} onChange={(v) => set('approvalWorkflow', v)} testId="settings-approval" />
        {problem ? <Text color="color.text.warning">{problem}</Text> : null}
        <div className="wt-form">
          <Button type="submit" appearance="primary" isDisabled={problem !== null || Object.keys(changes).length === 0 || save.busy} testId="settings-save">
            {`Save ${Object.keys(changes).length} change${Object.keys(changes).length === 1 ? '' : 's'}`}
          </Button>
          <Button onClick={() => setDraft(base)} isDisabled={Object.keys(changes).length === 0}>
            Undo changes
          </Button>
        </div>
        {saved ? <Done testId="settings-saved">Settings saved.</Done> : null}
        <ActionError error={save.error} what="save the settings" />
      </Stack>
    </form>
  );
}
