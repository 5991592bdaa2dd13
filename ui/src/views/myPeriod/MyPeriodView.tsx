/**
 * My period: everyone's own time for a month, a week or a range of days — the day-by-day grid,
 * totals, the recuperation balance and its history, the daily working-time record with the
 * Working Time Directive's findings, and submitting for approval where the workflow is on.
 * Every figure comes from a resolver (report/mine, record/mine, balance/mine, ledger/history,
 * periods/status, settings/get, and worklogs/mine for an opened day); this view only lays them out.
 */
import Heading from '@atlaskit/heading';
import SectionMessage from '@atlaskit/section-message';
import { Stack, Text } from '@atlaskit/primitives';
import { useState } from 'react';
import type { PeriodReport, Settings, WorkingTimeRecord } from '../../client/answers';
import { useResolver } from '../../client/ClientContext';
import { browserZone, isKnownZone, todayIn } from '../../format/dates';
import { userLocale } from '../../format/locale';
import { monthKeyOf, periodKeyOf, type PeriodChoice } from '../../format/periods';
import type { ViewProps } from '../../shell/views';
import { EmptyState, ErrorState, LoadingState } from '../../states/States';
import { useAfterPaint } from './afterPaint';
import { BalancePanel } from './BalancePanel';
import { DayGrid } from './DayGrid';
import { makeFmt } from './fmt';
import { PeriodPicker } from './PeriodPicker';
import { RecordPanel } from './RecordPanel';
import { SubmitPanel } from './SubmitPanel';
import { totalsSoFar } from './soFar';
import { Totals } from './Totals';

export function MyPeriodView({ identity }: ViewProps) {
  const locale = userLocale();
  const settings = useResolver<Settings>('settings/get', {}, 'settings');
  const zone = identity.timeZone && isKnownZone(identity.timeZone) ? identity.timeZone : settings.state === 'done' ? settings.data.siteTimeZone : browserZone();
  const today = todayIn(zone);
  const [choice, setChoice] = useState<PeriodChoice>({ kind: 'month', key: monthKeyOf(today) });
  const periodKey = periodKeyOf(choice);
  const period = { periodKey };
  const report = useResolver<PeriodReport>('report/mine', { period }, periodKey);
  const record = useResolver<WorkingTimeRecord>('record/mine', { period }, periodKey);
  const fmt = makeFmt(locale, settings.state === 'done' ? settings.data.rounding : 'nearest-minute');

  const reportZone = report.state === 'done' ? report.data.days[0]?.timeZone : record.state === 'done' ? record.data.timeZone : undefined;
  const zoneDefaulted = report.state === 'done' ? report.data.notices.find((n) => n.kind === 'zone-defaulted') : undefined;
  const otherNotices = report.state === 'done' ? report.data.notices.filter((n) => n.kind !== 'zone-defaulted') : [];
  // The balance and the record are below the fold: drawn once the report has been painted.
  const belowFold = useAfterPaint(report.state !== 'loading');
  const nothingLogged = report.state === 'done' && report.data.days.every((d) => d.workedSeconds === 0);

  return (
    <Stack space="space.300">
      <Stack space="space.150">
        <Heading size="large" as="h2">
          My period
        </Heading>
        <PeriodPicker choice={choice} today={today} locale={locale} onChange={setChoice} />
        {reportZone ? (
          <Text as="p" color="color.text.subtle" testId="zone-shown">
            Days and times are in {reportZone}.
          </Text>
        ) : null}
        {zoneDefaulted ? (
          <SectionMessage appearance="warning" title="Jira gives no time zone for you" testId="zone-banner">
            <Text as="p">
              Your days are counted in the site's time zone, {zoneDefaulted.timeZone ?? reportZone}, so work near midnight may land on another day than you expect. Set your time zone in your Atlassian account profile (Profile → Account settings → Time zone); reports follow within a day.
            </Text>
          </SectionMessage>
        ) : null}
        {settings.state === 'error' ? <ErrorState what="the site's settings" error={settings.error} onRetry={settings.reload} /> : null}
        {settings.state === 'done' && settings.data.approvalWorkflow ? (
          // Periods are approved and locked by month (as HR sees them): a week or a range has no approval of its own.
          choice.kind === 'month' ? (
            <SubmitPanel accountId={identity.accountId} periodKey={periodKey} started={`${choice.key}-01` <= today} />
          ) : (
            <Text as="p" testId="approval-by-month">
              Approval works by month: choose Month to see where a month stands or to submit it.
            </Text>
          )
        ) : null}
      </Stack>

      <section aria-labelledby="report-heading" className="wt-section">
        <Stack space="space.150">
          <Heading size="medium" as="h2" id="report-heading">
            {report.state === 'done' ? report.data.period.label : 'Report'}
          </Heading>
          {report.state === 'loading' ? <LoadingState what="your report" /> : null}
          {report.state === 'error' ? <ErrorState what="your report" error={report.error} onRetry={report.reload} /> : null}
          {report.state === 'done' ? (
            <>
              {otherNotices.map((n, i) => (
                <SectionMessage key={`${n.kind}-${i}`} appearance="warning" title="About this report">
                  <Text as="p">{n.message}</Text>
                  <Text as="p">Ask HR to check your contract and holiday calendar if this looks wrong.</Text>
                </SectionMessage>
              ))}
              <Totals totals={report.data.totals} fmt={fmt} soFar={totalsSoFar(report.data.days, todayIn(report.data.days[0]?.timeZone ?? zone))} />
              {nothingLogged ? (
                <EmptyState title="No work logged in this period">
                  Nothing is logged on Jira issues for these days yet. Log work on an issue (More → Log work) and it shows here within a minute; the expected time below is what your contract asks.
                </EmptyState>
              ) : null}
              <DayGrid days={report.data.days} record={record} fmt={fmt} />
            </>
          ) : null}
        </Stack>
      </section>

      {belowFold ? (
        <>
          <BalancePanel accountId={identity.accountId} fmt={fmt} />
          <RecordPanel record={record} reload={record.reload} fmt={fmt} />
        </>
      ) : null}
    </Stack>
  );
}
