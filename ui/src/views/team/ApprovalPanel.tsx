/**
 * Where a member's period stands, and approving or sending it back with a reason. The buttons show
 * only when they can work: the site's approval workflow is on, the period is submitted, the reader
 * may approve (HR, Jira admin, the person's team lead) and it is not their own period; otherwise
 * the panel says why not. The server checks all of it again.
 */
import Button from '@atlaskit/button/new';
import Lozenge from '@atlaskit/lozenge';
import SectionMessage from '@atlaskit/section-message';
import Textfield from '@atlaskit/textfield';
import { Inline, Stack, Text } from '@atlaskit/primitives';
import { useId, useState } from 'react';
import type { PeriodStatus } from '../../client/answers';
import { useAction } from '../../client/useAction';
import { STATUS_LABELS } from '../../format/periodStatus';
import type { Identity } from '../../shell/identity';
import { ErrorState } from '../../states/States';

export const REASON_MIN = 3;
export const REASON_MAX = 500;

/** Why the reader cannot approve or reject now, or null when they can. */
export function whyNoDecision(status: PeriodStatus, workflowOn: boolean, identity: Identity, name: string): string | null {
  if (!workflowOn) return 'The approval workflow is off on this site, so periods are locked by HR without approval. An HR admin can turn it on in the settings.';
  const mayDecide = identity.roles.has('hr-admin') || identity.roles.has('jira-admin') || identity.roles.has('team-lead');
  if (!mayDecide) return 'You see this period read only: approving is for team leads and HR admins.';
  if (status.personId === identity.accountId) return 'This is your own period: someone else (HR or another lead) approves it.';
  switch (status.status) {
    case 'open':
      return `${name} has not submitted this period yet. Approve it once they submit it.`;
    case 'rejected':
      return `This period was sent back to ${name}; it can be approved once they submit it again.`;
    case 'approved':
      return 'This period is approved; HR can lock it now.';
    case 'locked':
      return 'This period is locked: nothing more to decide. HR can unlock it if it must change.';
    case 'submitted':
      return null;
  }
}

export function ApprovalPanel({ status, workflowOn, identity, name, onChanged }: { status: PeriodStatus; workflowOn: boolean; identity: Identity; name: string; onChanged: (s: PeriodStatus) => void }) {
  const reasonId = useId();
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const decision = useAction();
  const [deciding, setDeciding] = useState<'approve' | 'reject'>('approve');
  const busy = decision.busy ? deciding : null;
  const info = STATUS_LABELS[status.status];
  const why = whyNoDecision(status, workflowOn, identity, name);
  const trimmed = reason.trim();
  const reasonProblem = trimmed.length < REASON_MIN ? `Say why in at least ${REASON_MIN} characters; ${name} sees it.` : trimmed.length > REASON_MAX ? `Keep the reason to ${REASON_MAX} characters (it has ${trimmed.length}).` : null;

  const decide = async (kind: 'approve' | 'reject') => {
    setDeciding(kind);
    const payload = { personId: status.personId, periodKey: status.periodKey, ...(kind === 'reject' ? { reason: trimmed } : {}) };
    const answer = await decision.run<PeriodStatus>(kind === 'approve' ? 'periods/approve' : 'periods/reject', payload);
    if (answer) {
      onChanged(answer);
      setRejecting(false);
      setReason('');
    }
  };

  return (
    <Stack space="space.100">
      <Inline space="space.100" alignBlock="center" shouldWrap>
        <Text weight="bold">Approval:</Text>
        <span data-testid="person-period-status">
          <Lozenge appearance={info.appearance}>{info.label}</Lozenge>
        </span>
        {why === null ? (
          <>
            <Button appearance="primary" onClick={() => void decide('approve')} isDisabled={busy !== null} testId="approve-period">
              {busy === 'approve' ? 'Approving…' : 'Approve'}
            </Button>
            <Button onClick={() => setRejecting((r) => !r)} isDisabled={busy !== null} aria-expanded={rejecting} testId="reject-period">
              Send back…
            </Button>
          </>
        ) : (
          <Text testId="no-decision-reason">{why}</Text>
        )}
      </Inline>
      {status.status === 'rejected' && status.rejectReason ? (
        <SectionMessage appearance="warning" title="Sent back with this reason">
          <Text as="p">{status.rejectReason}</Text>
        </SectionMessage>
      ) : null}
      {rejecting && why === null ? (
        <form
          onChange={decision.clear}
          onSubmit={(e) => {
            e.preventDefault();
            if (!reasonProblem) void decide('reject');
          }}
        >
          <Stack space="space.100">
            <div className="wt-field">
              <label htmlFor={reasonId}>Reason {name} will see (required)</label>
              <Textfield id={reasonId} value={reason} onChange={(e) => setReason(e.currentTarget.value)} testId="reject-reason" />
            </div>
            <Text as="p" color={reasonProblem ? 'color.text.warning' : 'color.text.subtle'} size="small">
              {reasonProblem ?? `${trimmed.length} of at most ${REASON_MAX} characters.`}
            </Text>
            <Inline space="space.100">
              <Button type="submit" appearance="warning" isDisabled={reasonProblem !== null || busy !== null} testId="confirm-reject">
                {busy === 'reject' ? 'Sending back…' : 'Send back'}
              </Button>
              <Button appearance="subtle" onClick={() => setRejecting(false)}>
                Cancel
              </Button>
            </Inline>
          </Stack>
        </form>
      ) : null}
      {decision.error ? <ErrorState what="your decision" title={deciding === 'approve' ? 'Could not approve the period' : 'Could not send the period back'} error={decision.error} /> : null}
    </Stack>
  );
}
