/**
 * Admin, for HR admins and Jira admins: one tab per task — periods and locking, holiday calendars,
 * contracts, absences, balances, settings, roles and teams, and the worklog import. Each panel is
 * its own file here and calls only resolvers (docs/resolvers.md); this view loads what they share:
 * the site's settings (rounding, zone) and the people and teams to pick from, to which "Find a
 * person in Jira" (above the tabs) adds whoever the admin finds.
 */
import Heading from '@atlaskit/heading';
import Tabs, { Tab, TabList, TabPanel } from '@atlaskit/tabs';
import { Box, Stack } from '@atlaskit/primitives';
import { useState, type ComponentType } from 'react';
import type { Settings } from '../../client/answers';
import { useResolver } from '../../client/ClientContext';
import { browserZone, isKnownZone, todayIn } from '../../format/dates';
import { userLocale } from '../../format/locale';
import type { ViewProps } from '../../shell/views';
import { ErrorState, LoadingState } from '../../states/States';
import { makeFmt } from '../myPeriod/fmt';
import { AbsencesPanel } from './AbsencesPanel';
import { BalancePanel } from './BalancePanel';
import type { PanelProps } from './context';
import { ContractsPanel } from './ContractsPanel';
import { HolidaysPanel } from './HolidaysPanel';
import { ImportPanel } from './ImportPanel';
import { FindPerson } from './FindPerson';
import { usePeople, type Person } from './people';
import { PeriodsPanel } from './PeriodsPanel';
import { RolesPanel } from './RolesPanel';
import { SettingsPanel } from './SettingsPanel';
import './admin.css';

const PANELS: readonly { id: string; label: string; component: ComponentType<PanelProps> }[] = [
  { id: 'periods', label: 'Periods & locking', component: PeriodsPanel },
  { id: 'holidays', label: 'Holidays', component: HolidaysPanel },
  { id: 'contracts', label: 'People & contracts', component: ContractsPanel },
  { id: 'absences', label: 'Absences', component: AbsencesPanel },
  { id: 'balance', label: 'Balance', component: BalancePanel },
  { id: 'settings', label: 'Settings', component: SettingsPanel },
  { id: 'roles', label: 'Roles & teams', component: RolesPanel },
  { id: 'import', label: 'Import', component: ImportPanel },
];

export function AdminView({ identity }: ViewProps) {
  const locale = userLocale();
  const settings = useResolver<Settings>('settings/get', {}, 'settings');
  const [teamsVersion, setTeamsVersion] = useState(0);
  // People found in Jira this visit: every tab's lists include them (ui/src/views/admin/FindPerson.tsx).
  const [found, setFound] = useState<readonly Person[]>([]);
  const people = usePeople({ accountId: identity.accountId, displayName: identity.displayName }, teamsVersion, found);
  const [selected, setSelected] = useState(0);
  if (settings.state === 'loading' || people.state === 'loading') return <LoadingState what="the admin view" />;
  if (settings.state === 'error') return <ErrorState what="the site's settings" error={settings.error} onRetry={settings.reload} />;
  if (people.state === 'error') return <ErrorState what="the teams and the people in them" error={people.error} onRetry={() => setTeamsVersion((v) => v + 1)} />;
  const zone = identity.timeZone && isKnownZone(identity.timeZone) ? identity.timeZone : isKnownZone(settings.data.siteTimeZone) ? settings.data.siteTimeZone : browserZone();
  const props: PanelProps = {
    identity,
    people: people.data.people,
    teams: people.data.teams,
    fmt: makeFmt(locale, settings.data.rounding),
    zone,
    today: todayIn(zone),
    onTeamsChanged: () => setTeamsVersion((v) => v + 1),
  };
  return (
    <Stack space="space.200">
      <Heading size="large" as="h2">
        Admin
      </Heading>
      <FindPerson people={people.data.people} onAdd={(p) => setFound((list) => (list.some((q) => q.accountId === p.accountId) ? list : [...list, p]))} />
      <Tabs id="worktime-admin-panels" selected={selected} onChange={setSelected}>
        <TabList>
          {PANELS.map((p) => (
            <Tab key={p.id} testId={`admin-tab-${p.id}`}>
              {p.label}
            </Tab>
          ))}
        </TabList>
        {PANELS.map((p, i) => (
          <TabPanel key={p.id} testId={`admin-panel-${p.id}`}>
            <Box paddingBlockStart="space.200">
              {/* Only the open panel mounts, so each loads its data when opened. */}
              {i === selected ? <p.component {...props} /> : null}
            </Box>
          </TabPanel>
        ))}
      </Tabs>
    </Stack>
  );
}
