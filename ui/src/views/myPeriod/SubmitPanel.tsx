import Button from '@atlaskit/button/new';
import Lozenge from '@atlaskit/lozenge';
import SectionMessage from '@atlaskit/section-message';
import { Inline, Stack, Text } from '@atlaskit/primitives';
import { useState } from 'react';
import type { PeriodStatus } from '../../client/answers';
import { useResolver } from '../../client/ClientContext';
import { useAction } from '../../client/useAction';
import { STATUS_LABELS } from '../../format/periodStatus';
import { ErrorState, LoadingState } from '../../states/States';

/** What the employee does next, by status. */
const NEXT: Record<PeriodStatus['status'], string> = {
  open: 'When your time is complete, submit it for approval.',
  submitted: 'Waiting for your team lead or HR to approve it.',
  approved: 'HR locks approved periods; nothing more to do.',
  rejected: 'Correct your worklogs, then submit again.',
  locked: 'The period is closed. Ask HR if something in it must change.',
};

/**
 * Where the month stands in the approval workflow, and the submit button while it is open or sent
 * back and has begun (the server refuses a month not yet started: PERIOD_NOT_STARTED).
 */
export function SubmitPanel({ accountId, periodKey, started }: { accountId: string; periodKey: string; started: boolean }) {
  const status = useResolver<PeriodStatus>('periods/status', { personId: accountId, periodKey }, periodKey);
  const [submitted, setSubmitted] = useState<PeriodStatus | null>(null);
  const submission = useAction();
  if (status.state === 'loading') return <LoadingState what="the period's approval status" />;
  if (status.state === 'error') return <ErrorState what="the period's approval status" error={status.error} onRetry={status.reload} />;
  const current = submitted?.periodKey === periodKey ? submitted : status.data;
  const info = STATUS_LABELS[current.status];
  const submit = async () => {
    const answer = await submission.run<PeriodStatus>('periods/submit', { periodKey });
    if (answer) setSubmitted(answer);
  };
  return (
    <Stack space="space.100">
      <Inline space="space.100" alignBlock="center" shouldWrap>
        <Text weight="bold">Approval:</Text>
        <span data-testid="period-status">
          <Lozenge appearance={info.appearance}>{info.label}</Lozenge>
        </span>
        <Text>{current.status === 'open' && !started ? 'This month has not started yet: submit it once you have worked it.' : NEXT[current.status]}</Text>
        {(current.status === 'open' && started) || current.status === 'rejected' ? (
          <Button appearance="primary" onClick={() => void submit()} isDisabled={submission.busy} testId="submit-period">
            {submission.busy ? 'Submitting…' : 'Submit for approval'}
          </Button>
        ) : null}
      </Inline>
      {current.status === 'rejected' && current.rejectReason ? (
        <SectionMessage appearance="warning" title="Sent back">
          <Text as="p">{current.rejectReason}</Text>
        </SectionMessage>
      ) : null}
      {submission.error ? <ErrorState what="your submission" title="Could not submit the period" error={submission.error} /> : null}
    </Stack>
  );
}
