/**
 * One member's period, opened from the Team table: the same totals and day grid as My period (its
 * components take any person's report), the days' work from record/person and worklogs/person, and the
 * approval panel.
 */
import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import SectionMessage from '@atlaskit/section-message';
import { Inline, Stack, Text } from '@atlaskit/primitives';
import { useEffect, useRef, useState } from 'react';
import type { PeriodReport, PeriodStatus, WorkingTimeRecord } from '../../client/answers';
import { useResolver } from '../../client/ClientContext';
import type { Identity } from '../../shell/identity';
import { ErrorState, LoadingState } from '../../states/States';
import { DayGrid } from '../myPeriod/DayGrid';
import type { Fmt } from '../myPeriod/fmt';
import { totalsSoFar } from '../myPeriod/soFar';
import { Totals } from '../myPeriod/Totals';
import { todayIn } from '../../format/dates';
import { ApprovalPanel } from './ApprovalPanel';

export interface PersonPeriodProps {
  readonly accountId: string;
  readonly name: string;
  readonly periodKey: string;
  readonly identity: Identity;
  readonly workflowOn: boolean;
  readonly fmt: Fmt;
  readonly onBack: () => void;
  readonly onStatusChanged: (status: PeriodStatus) => void;
}

export function PersonPeriod({ accountId, name, periodKey, identity, workflowOn, fmt, onBack, onStatusChanged }: PersonPeriodProps) {
  const key = `${accountId}|${periodKey}`;
  const period = { periodKey };
  const report = useResolver<PeriodReport>('report/person', { accountId, period }, key);
  const record = useResolver<WorkingTimeRecord>('record/person', { accountId, period }, key);
  const status = useResolver<PeriodStatus>('periods/status', { personId: accountId, periodKey }, key);
  // A decision made here is the status from then on (periods/status is not asked again).
  const [decided, setDecided] = useState<PeriodStatus | null>(null);
  const current = decided && decided.personId === accountId && decided.periodKey === periodKey ? decided : status.state === 'done' ? status.data : null;
  const changed = (s: PeriodStatus) => {
    setDecided(s);
    onStatusChanged(s);
  };
  const heading = useRef<HTMLHeadingElement>(null);
  // Opening a person moves focus to their heading, so a keyboard or screen reader user lands on what opened.
  useEffect(() => heading.current?.focus(), [accountId]);

  return (
    <section aria-labelledby="person-period-heading" className="wt-section" data-testid="person-period">
      <Stack space="space.200">
        <Inline space="space.100" alignBlock="center" shouldWrap>
          <Button appearance="subtle" onClick={onBack} testId="back-to-team">
            ← Back to the team
          </Button>
        </Inline>
        <h2 id="person-period-heading" ref={heading} tabIndex={-1} className="wt-person-heading">
          <Heading size="medium" as="span">
            {name}: {report.state === 'done' ? report.data.period.label : periodKey}
          </Heading>
        </h2>
        {status.state === 'loading' ? <LoadingState what="the period's approval status" /> : null}
        {status.state === 'error' ? <ErrorState what="the period's approval status" error={status.error} onRetry={status.reload} /> : null}
        {current ? <ApprovalPanel status={current} workflowOn={workflowOn} identity={identity} name={name} onChanged={changed} /> : null}
        {report.state === 'loading' ? <LoadingState what={`${name}'s report`} /> : null}
        {report.state === 'error' ? <ErrorState what={`${name}'s report`} error={report.error} onRetry={report.reload} /> : null}
        {report.state === 'done' ? (
          <>
            {report.data.days[0] ? (
              <Text as="p" color="color.text.subtle">
                Days and times are in {report.data.days[0].timeZone}.
              </Text>
            ) : null}
            {report.data.notices.map((n, i) => (
              <SectionMessage key={`${n.kind}-${i}`} appearance="warning" title="About this report">
                <Text as="p">{n.message}</Text>
              </SectionMessage>
            ))}
            <Totals totals={report.data.totals} fmt={fmt} soFar={report.data.days[0] ? totalsSoFar(report.data.days, todayIn(report.data.days[0].timeZone)) : null} />
            {record.state === 'error' ? <ErrorState what={`${name}'s working-time record (when work started and stopped)`} error={record.error} onRetry={record.reload} /> : null}
            <DayGrid days={report.data.days} record={record} accountId={accountId} fmt={fmt} />
          </>
        ) : null}
      </Stack>
    </section>
  );
}
