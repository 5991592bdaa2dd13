import Button from '@atlaskit/button/new';
import Lozenge from '@atlaskit/lozenge';
import SectionMessage from '@atlaskit/section-message';
import { Inline, Stack, Text } from '@atlaskit/primitives';
import { useState } from 'react';
import type { PeriodStatus } from '../../client/answers';
import { asResolverError, useClient, useResolver } from '../../client/ClientContext';
import type { ResolverError } from '../../client/resolverClient';
import { ErrorState, LoadingState } from '../../states/States';

const STATUS: Record<PeriodStatus['status'], { label: string; appearance: 'default' | 'inprogress' | 'success' | 'removed' | 'moved'; next: string }> = {
  open: { label: 'Open', appearance: 'default', next: 'When your time is complete, submit it for approval.' },
  submitted: { label: 'Submitted', appearance: 'inprogress', next: 'Waiting for your team lead or HR to approve it.' },
  approved: { label: 'Approved', appearance: 'success', next: 'HR locks approved periods; nothing more to do.' },
  rejected: { label: 'Sent back', appearance: 'removed', next: 'Correct your worklogs, then submit again.' },
  locked: { label: 'Locked', appearance: 'moved', next: 'The period is closed. Ask HR if something in it must change.' },
};

/** Where the period stands in the approval workflow, and the submit button while it is open or sent back. */
export function SubmitPanel({ accountId, periodKey }: { accountId: string; periodKey: string }) {
  const client = useClient();
  const status = useResolver<PeriodStatus>('periods/status', { personId: accountId, periodKey }, periodKey);
  const [submitted, setSubmitted] = useState<PeriodStatus | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ResolverError | null>(null);
  if (status.state === 'loading') return <LoadingState what="the period's approval status" />;
  if (status.state === 'error') return <ErrorState what="the period's approval status" error={status.error} onRetry={status.reload} />;
  const current = submitted?.periodKey === periodKey ? submitted : status.data;
  const info = STATUS[current.status];
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      setSubmitted(await client.call<PeriodStatus>('periods/submit', { periodKey }));
    } catch (e) {
      setError(asResolverError(e, 'periods/submit'));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack space="space.100">
      <Inline space="space.100" alignBlock="center" shouldWrap>
        <Text weight="bold">Approval:</Text>
        <span data-testid="period-status">
          <Lozenge appearance={info.appearance}>{info.label}</Lozenge>
        </span>
        <Text>{info.next}</Text>
        {current.status === 'open' || current.status === 'rejected' ? (
          <Button appearance="primary" onClick={() => void submit()} isDisabled={busy} testId="submit-period">
            {busy ? 'Submitting…' : 'Submit for approval'}
          </Button>
        ) : null}
      </Inline>
      {current.status === 'rejected' && current.rejectReason ? (
        <SectionMessage appearance="warning" title="Sent back">
          <Text as="p">{current.rejectReason}</Text>
        </SectionMessage>
      ) : null}
      {error ? <ErrorState what="your submission" error={error} /> : null}
    </Stack>
  );
}
