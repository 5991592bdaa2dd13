/**
 * Balance: a person's recuperation ledger (ledger/history: balance, open credits, every entry),
 * adjusting it with a reason (ledger/adjust) and paying credit out (ledger/payout); and the
 * site's recuperation rules (ledger/rules), read only here.
 */
import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import { Stack, Text } from '@atlaskit/primitives';
import { useRef, useState } from 'react';
import type { LedgerHistory } from '../../client/answers';
import { useResolver } from '../../client/ClientContext';
import { EmptyState, ErrorState, LoadingState } from '../../states/States';
import { useAction } from '../../client/useAction';
import type { RecuperationRules } from './recuperationRules';
import { ActionError, Done, SelectField, TextField } from './action';
import type { PanelProps } from './context';
import { parseHours } from './hoursInput';

const KIND_LABELS: Record<string, string> = { 'period-close': 'Period closed', adjustment: 'Adjustment', payout: 'Payout', expiry: 'Expired', 'carry-over': 'Year-end carry-over' };

export function BalancePanel({ people, identity, fmt }: PanelProps) {
  const others = people.filter((p) => p.accountId !== identity.accountId);
  const [accountId, setAccountId] = useState(others[0]?.accountId ?? people[0]?.accountId ?? '');
  const [version, setVersion] = useState(0);
  const history = useResolver<LedgerHistory>(accountId ? 'ledger/history' : null, { accountId }, `${accountId}-${version}`);
  const rules = useResolver<RecuperationRules>('ledger/rules', {}, 'rules');
  const [kind, setKind] = useState<'adjust' | 'payout'>('adjust');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const action = useAction();
  const requestId = useRef<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const seconds = parseHours(amount);
  const own = accountId === identity.accountId;
  const problem = own
    ? 'No one adjusts or pays out their own balance: ask another HR admin.'
    : seconds === null || seconds === 0 ? 'Give the time as hours:minutes, such as 1:30 or -0:30.'
    : kind === 'payout' && seconds < 0 ? 'A payout is a positive amount: the time that leaves the balance.'
    : kind === 'adjust' && (reason.trim().length < 3 || reason.trim().length > 500) ? 'An adjustment needs a reason of 3 to 500 characters.'
    : null;
  const fmtOrNone = (s: number | null) => (s === null ? 'none' : fmt.duration(s));

  return (
    <Stack space="space.200">
      <Heading size="medium" as="h3">
        Balance
      </Heading>
      <div className="wt-form">
        <SelectField label="Person" value={accountId} onChange={(v) => (action.clear(), setDone(null), (requestId.current = null), setAccountId(v))} testId="balance-person" options={people.map((p) => ({ value: p.accountId, label: p.displayName }))} />
      </div>
      {history.state === 'loading' ? <LoadingState what="the balance" /> : null}
      {history.state === 'error' ? <ErrorState what="the balance" error={history.error} onRetry={history.reload} /> : null}
      {history.state === 'done' ? (
        <>
          <dl className="wt-totals" aria-label="Balance">
            <div className="wt-total">
              <dt>Balance now</dt>
              <dd data-testid="admin-balance">{fmt.signed(history.data.balanceSeconds)}</dd>
            </div>
            <div className="wt-total">
              <dt>Open credits</dt>
              <dd>{history.data.lots.length}</dd>
            </div>
          </dl>
          {history.data.entries.length === 0 ? (
            <EmptyState title="No ledger entries yet">The balance grows when a period is locked; you can also adjust it below.</EmptyState>
          ) : (
            <table className="wt-table" data-testid="ledger-entries">
              <caption>Ledger, oldest first</caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Kind</th>
                  <th scope="col" className="wt-num">
                    Time
                  </th>
                  <th scope="col">Reason or period</th>
                </tr>
              </thead>
              <tbody>
                {history.data.entries.map((e) => (
                  <tr key={e.seq}>
                    <th scope="row">{fmt.date(e.date)}</th>
                    <td>{KIND_LABELS[e.kind] ?? e.kind}</td>
                    <td className={`wt-num ${e.seconds < 0 ? 'wt-negative' : 'wt-positive'}`}>{fmt.signed(e.seconds)}</td>
                    <td>{e.reason ?? e.periodKey ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      ) : null}
      <form
        className="wt-box"
        aria-label="Adjust or pay out"
        onChange={() => {
          action.clear();
          setDone(null);
          requestId.current = null; // an edited movement is a new one
        }}
        onSubmit={async (e) => {
          e.preventDefault();
          if (problem) return;
          // One id per movement, kept until it is booked or edited: a retry after an unanswered call (which
          // may have been booked) sends the same id, and the ledger books it once.
          requestId.current ??= newRequestId();
          const answer = await action.run<{ balanceSeconds: number }>(kind === 'adjust' ? 'ledger/adjust' : 'ledger/payout', { accountId, seconds, ...(reason.trim() ? { reason: reason.trim() } : {}), requestId: requestId.current });
          if (answer) {
            requestId.current = null;
            setDone(`${kind === 'adjust' ? 'Adjusted' : 'Paid out'}; the balance is now ${fmt.signed(answer.balanceSeconds)}.`);
            setAmount('');
            setReason('');
            setVersion((v) => v + 1);
          }
        }}
      >
        <Stack space="space.100">
          <div className="wt-form">
            <SelectField label="Change" value={kind} onChange={(v) => setKind(v as 'adjust' | 'payout')} options={[{ value: 'adjust', label: 'Adjust (add or remove time)' }, { value: 'payout', label: 'Pay out credit' }]} testId="balance-kind" />
            <TextField label="Time (h:mm; negative removes)" value={amount} onChange={setAmount} testId="balance-amount" width="9rem" />
            <TextField label={kind === 'adjust' ? 'Reason (3–500 characters)' : 'Reason (optional)'} value={reason} onChange={setReason} testId="balance-reason" width="20rem" />
            <Button type="submit" appearance="primary" isDisabled={problem !== null || action.busy} testId="balance-submit">
              {kind === 'adjust' ? 'Adjust' : 'Pay out'}
            </Button>
          </div>
          {amount !== '' || own ? problem ? <Text color="color.text.warning">{problem}</Text> : null : null}
          {done ? <Done>{done}</Done> : null}
          <ActionError error={action.error} what={kind === 'adjust' ? 'adjust the balance' : 'pay out'} />
        </Stack>
      </form>
      <section aria-labelledby="rules-heading">
        <Stack space="space.100">
          <Heading size="small" as="h4" id="rules-heading">
            Recuperation rules
          </Heading>
          {rules.state === 'loading' ? <LoadingState what="the rules" /> : null}
          {rules.state === 'error' ? <ErrorState what="the rules" error={rules.error} onRetry={rules.reload} /> : null}
          {rules.state === 'done' ? (
            <Text as="p">
              Cap {fmtOrNone(rules.data.capSeconds)}; floor {fmtOrNone(rules.data.floorSeconds)}; credits expire {rules.data.expiryMonths === null ? 'never' : `after ${rules.data.expiryMonths} months`}; year-end carry-over limit {fmtOrNone(rules.data.yearEndCarryOverLimitSeconds)}; {rules.data.overtime.length} overtime multiplier{rules.data.overtime.length === 1 ? '' : 's'}. Change them under Settings.
            </Text>
          ) : null}
        </Stack>
      </section>
    </Stack>
  );
}

/** A random id for one ledger movement (ledger/adjust, ledger/payout accept 1–100 characters). */
function newRequestId(): string {
  return typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
}
