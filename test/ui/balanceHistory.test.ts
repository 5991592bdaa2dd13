import { expect, it } from 'vitest';
import { balanceHistory } from '../../ui/src/views/myPeriod/balanceHistory';

it('the balance chart follows the running total of the ledger, one point per date, in date and sequence order', () => {
  const entries = [
    { seq: 3, date: '2026-12-01', kind: 'payout' as const, seconds: -3600 },
    { seq: 1, date: '2026-10-31', kind: 'period-close' as const, seconds: 7200 },
    { seq: 2, date: '2026-11-30', kind: 'period-close' as const, seconds: 1800 },
    { seq: 4, date: '2026-12-01', kind: 'adjustment' as const, seconds: -600 },
  ];
  expect(balanceHistory(entries)).toEqual([
    { date: '2026-10-31', seconds: 7200 },
    { date: '2026-11-30', seconds: 9000 },
    { date: '2026-12-01', seconds: 4800 },
  ]);
  expect(balanceHistory([])).toEqual([]);
});
