/**
 * Team: for team leads (the teams they lead), HR admins and auditors (every team). People × the
 * period's totals, sortable and filterable, with the people whose working days are missing or short
 * standing out; a person opens their period (totals, day grid, approval). Reports load a few people
 * at a time with a progress bar, so a large team neither floods the back end nor waits in silence.
 */
import Heading from '@atlaskit/heading';
import { Stack, Text } from '@atlaskit/primitives';
import Button from '@atlaskit/button/new';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { PeriodReport, PeriodStatus, Settings } from '../../client/answers';
import { asResolverError, useClient, useResolver } from '../../client/ClientContext';
import { browserZone, isKnownZone, todayIn } from '../../format/dates';
import { userLocale } from '../../format/locale';
import { monthKeyOf, periodKeyOf, type PeriodChoice } from '../../format/periods';
import { personLabel, usePersonNames } from '../../format/personNames';
import type { ViewProps } from '../../shell/views';
import { EmptyState, ErrorState, LoadingState, ProgressState } from '../../states/States';
import { makeFmt } from '../myPeriod/fmt';
import { PeriodPicker } from '../myPeriod/PeriodPicker';
import { mapBounded } from '../../client/boundedMap';
import { OpenPerson } from './OpenPerson';
import { PersonPeriod } from './PersonPeriod';
import { TeamTable } from './TeamTable';
import { rowFigures, standOutDays, type TeamRow } from './teamRows';
import './team.css';
import type { Team } from '../../client/adminAnswers';

/** How many people's reports load at once. */
export const REPORT_CONCURRENCY = 4;

type MemberResult = { report: PeriodReport | null; status: PeriodStatus | null; error: ReturnType<typeof asResolverError> | null };

export function TeamView({ identity }: ViewProps) {
  const client = useClient();
  const locale = userLocale();
  const names = usePersonNames();
  const teamSelectId = useId();
  const settings = useResolver<Settings>('settings/get', {}, 'settings');
  const teams = useResolver<Team[]>('teams/list', {}, 'teams');
  const zone = identity.timeZone && isKnownZone(identity.timeZone) ? identity.timeZone : settings.state === 'done' ? settings.data.siteTimeZone : browserZone();
  const today = todayIn(zone);
  const [choice, setChoice] = useState<PeriodChoice>({ kind: 'month', key: monthKeyOf(today) });
  const periodKey = periodKeyOf(choice);
  const fmt = makeFmt(locale, settings.state === 'done' ? settings.data.rounding : 'nearest-minute');
  const workflowOn = settings.state === 'done' && settings.data.approvalWorkflow;

  // A team lead who is not also HR, auditor or Jira admin sees the teams they lead; the others, every team.
  const seesAll = identity.roles.has('hr-admin') || identity.roles.has('auditor') || identity.roles.has('jira-admin');
  const visibleTeams = useMemo(
    () => (teams.state === 'done' ? teams.data.filter((t) => seesAll || t.leads.includes(identity.accountId)) : []),
    [teams, seesAll, identity.accountId],
  );
  const [teamId, setTeamId] = useState<string | null>(null);
  const team = visibleTeams.find((t) => t.id === teamId) ?? visibleTeams[0] ?? null;
  const members = useMemo(() => [...new Set(team?.members ?? [])], [team]);

  const [results, setResults] = useState<ReadonlyMap<string, MemberResult>>(new Map());
  const [attempt, setAttempt] = useState(0);
  const [open, setOpen] = useState<string | null>(null);
  const membersKey = members.join(',');
  // Stop loading: a big team can take minutes; the rows loaded so far stay, the rest are not asked for.
  const stopRef = useRef(false);
  const [stopped, setStopped] = useState(false);
  useEffect(() => {
    let cancelled = false;
    stopRef.current = false;
    setStopped(false);
    setResults(new Map());
    const period = { periodKey };
    void mapBounded(
      members,
      REPORT_CONCURRENCY,
      async (accountId): Promise<MemberResult> => {
        const [report, status] = await Promise.allSettled([
          client.call<PeriodReport>('report/person', { accountId, period }),
          client.call<PeriodStatus>('periods/status', { personId: accountId, periodKey }),
        ]);
        return {
          report: report.status === 'fulfilled' ? report.value : null,
          status: status.status === 'fulfilled' ? status.value : null,
          error: report.status === 'rejected' ? asResolverError(report.reason, 'report/person') : null,
        };
      },
      (index, settled) =>
        setResults((prev) => new Map(prev).set(members[index]!, settled.ok ? settled.value : { report: null, status: null, error: asResolverError(settled.error, 'report/person') })),
      () => cancelled || stopRef.current,
    );
    return () => {
      cancelled = true;
    };
    // membersKey stands for members: the same people in a new array must not reload.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, membersKey, periodKey, attempt]);

  const rows: TeamRow[] = useMemo(
    () =>
      members.map((accountId) => {
        const r = results.get(accountId);
        // Each member's own today: a Sydney member's day has begun while a New York lead's has not.
        const theirToday = r?.report?.days[0] ? todayIn(r.report.days[0].timeZone) : today;
        const stand = r?.report ? standOutDays(r.report, theirToday) : { missing: [], short: [] };
        return { accountId, label: personLabel(accountId, names), report: r?.report ?? null, figures: r?.report ? rowFigures(r.report, theirToday) : null, status: r?.status?.status ?? null, error: r?.error ?? null, missingDays: stand.missing, shortDays: stand.short };
      }),
    [members, results, names, today],
  );
  const loaded = members.filter((m) => results.has(m)).length;

  // Back from a person, focus returns to the link that opened them (or to the team's heading), not to the top of the page.
  const lastOpened = useRef<string | null>(null);
  const openPerson = (accountId: string) => {
    lastOpened.current = accountId;
    setOpen(accountId);
  };
  useEffect(() => {
    if (open !== null || lastOpened.current === null) return;
    const id = lastOpened.current;
    lastOpened.current = null;
    const link = [...document.querySelectorAll<HTMLElement>('[data-testid="open-person"]')].find((el) => el.dataset.account === id);
    (link ?? document.getElementById('team-heading'))?.focus();
  }, [open]);
  const statusChanged = (s: PeriodStatus) => setResults((prev) => {
    const r = prev.get(s.personId);
    return r ? new Map(prev).set(s.personId, { ...r, status: s }) : prev;
  });

  if (open !== null) {
    return (
      <Stack space="space.300">
        <Heading size="large" as="h2">
          Team
        </Heading>
        <PeriodPicker choice={choice} today={today} locale={locale} onChange={setChoice} />
        <PersonPeriod
          accountId={open}
          name={personLabel(open, names)}
          periodKey={periodKey}
          identity={identity}
          workflowOn={workflowOn}
          fmt={fmt}
          onBack={() => setOpen(null)}
          onStatusChanged={statusChanged}
        />
      </Stack>
    );
  }

  return (
    <Stack space="space.300">
      <Stack space="space.150">
        <Heading size="large" as="h2">
          Team
        </Heading>
        <PeriodPicker choice={choice} today={today} locale={locale} onChange={setChoice} />
        {settings.state === 'error' ? <ErrorState what="the site's settings" error={settings.error} onRetry={settings.reload} /> : null}
        {settings.state === 'done' && !workflowOn ? (
          <Text as="p" color="color.text.subtle" testId="workflow-off">
            The approval workflow is off on this site: periods are not submitted or approved, HR locks them directly.
          </Text>
        ) : null}
      </Stack>

      <section aria-labelledby="team-heading" className="wt-section">
        <Stack space="space.150">
          <Heading size="medium" as="h2" id="team-heading">
            {team ? team.name : 'Your teams'}
          </Heading>
          {teams.state === 'loading' ? <LoadingState what="your teams" /> : null}
          {teams.state === 'error' ? <ErrorState what="your teams" error={teams.error} onRetry={teams.reload} /> : null}
          {teams.state === 'done' && visibleTeams.length === 0 ? (
            <EmptyState title={seesAll ? 'No teams yet' : 'You lead no team'}>
              {seesAll
                ? 'No team is set up on this site. An HR admin creates teams, with their leads and members, in the Admin view; until then, open a person by account id below.'
                : 'No team names you as its lead. Ask an HR admin to add you as a lead of your team in the Admin view.'}
            </EmptyState>
          ) : null}
          {visibleTeams.length > 1 ? (
            <div className="wt-field">
              <label htmlFor={teamSelectId}>Team</label>
              <select id={teamSelectId} className="wt-select" value={team?.id ?? ''} onChange={(e) => setTeamId(e.currentTarget.value)} data-testid="team-select">
                {visibleTeams.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name} ({t.members.length})
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          {team && members.length === 0 ? <EmptyState title="This team has no members">An HR admin adds members to {team.name} in the Admin view.</EmptyState> : null}
          {team && members.length > 0 && loaded < members.length && !stopped ? (
            <Stack space="space.100">
              <ProgressState label={`Loading the team's reports, ${REPORT_CONCURRENCY} at a time`} done={loaded} total={members.length} />
              <div>
                <Button
                  onClick={() => {
                    stopRef.current = true;
                    setStopped(true);
                  }}
                  testId="team-stop-loading"
                >
                  Stop loading
                </Button>
              </div>
            </Stack>
          ) : null}
          {team && stopped && loaded < members.length ? (
            <Text as="p" color="color.text.warning" testId="team-stopped">
              Loading stopped: {loaded} of {members.length} reports loaded; the others are left out of the table.{' '}
              <button type="button" className="wt-link-button" onClick={() => setAttempt((n) => n + 1)}>
                Load the whole team again
              </button>
            </Text>
          ) : null}
          {team && members.length > 0 && rows.some((r) => r.error) && loaded === members.length ? (
            <Text as="p" color="color.text.warning">
              Some reports could not be loaded; their rows say why.{' '}
              <button type="button" className="wt-link-button" onClick={() => setAttempt((n) => n + 1)}>
                Load them again
              </button>
            </Text>
          ) : null}
          {team && members.length > 0 ? <TeamTable rows={stopped ? rows.filter((r) => results.has(r.accountId)) : rows} fmt={fmt} showStatus={workflowOn || rows.some((r) => r.status === 'locked')} onOpen={(r) => openPerson(r.accountId)} /> : null}
        </Stack>
      </section>

      <OpenPerson onOpen={openPerson} />
    </Stack>
  );
}
