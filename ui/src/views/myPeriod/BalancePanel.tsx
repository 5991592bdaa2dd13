import Heading from '@atlaskit/heading';
import { Stack, Text } from '@atlaskit/primitives';
import type { Balance, LedgerHistory } from '../../client/answers';
import { useResolver } from '../../client/ClientContext';
import { EmptyState, ErrorState, LoadingState } from '../../states/States';
import { BalanceChart } from './BalanceChart';
import type { Fmt } from './fmt';

const KIND_LABELS: Record<string, string> = { 'period-close': 'Period closed', adjustment: 'Adjustment', payout: 'Paid out', expiry: 'Expired', 'carry-over': 'Year-end carry-over' };

/** The recuperation balance now (balance/mine), its history as a chart and its entries (ledger/history). */
export function BalancePanel({ accountId, fmt }: { accountId: string; fmt: Fmt }) {
  const balance = useResolver<Balance>('balance/mine', {}, 'balance');
  const history = useResolver<LedgerHistory>('ledger/history', { accountId }, accountId);
  return (
    <section aria-labelledby="balance-heading" className="wt-section">
      <Stack space="space.150">
        <Heading size="medium" as="h2" id="balance-heading">
          Recuperation balance
        </Heading>
        {balance.state === 'loading' ? <LoadingState what="your balance" /> : null}
        {balance.state === 'error' ? <ErrorState what="your balance" error={balance.error} onRetry={balance.reload} /> : null}
        {balance.state === 'done' ? (
          <Text as="p" size="large">
            Time off in lieu: <strong data-testid="balance-now">{fmt.signed(balance.data.balanceSeconds)}</strong>
            {balance.data.lots.some((l) => l.expiresOn) ? ` (the oldest credit expires on ${fmt.date(balance.data.lots.find((l) => l.expiresOn)!.expiresOn!)})` : ''}
          </Text>
        ) : null}
        {history.state === 'loading' ? <LoadingState what="your balance history" /> : null}
        {history.state === 'error' ? <ErrorState what="your balance history" error={history.error} onRetry={history.reload} /> : null}
        {history.state === 'done' && history.data.entries.length === 0 ? (
          <EmptyState title="No balance history yet">Your balance changes when HR locks a period of yours, or adjusts or pays out your balance. Nothing has happened yet.</EmptyState>
        ) : null}
        {history.state === 'done' && history.data.entries.length > 0 ? (
          <>
            <BalanceChart entries={history.data.entries} fmt={fmt} />
            <div className="wt-table-wrap">
              <table className="wt-table" data-testid="ledger-entries">
                <caption>Balance history</caption>
                <thead>
                  <tr>
                    <th scope="col">Date</th>
                    <th scope="col">What</th>
                    <th scope="col" className="wt-num">Change</th>
                  </tr>
                </thead>
                <tbody>
                  {[...history.data.entries].reverse().map((e) => (
                    <tr key={e.seq}>
                      <th scope="row">{fmt.date(e.date)}</th>
                      <td>
                        {KIND_LABELS[e.kind] ?? e.kind}
                        {e.periodKey ? ` ${e.periodKey}` : ''}
                        {e.reason ? `: ${e.reason}` : ''}
                      </td>
                      <td className="wt-num">{fmt.signed(e.seconds)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ) : null}
      </Stack>
    </section>
  );
}
