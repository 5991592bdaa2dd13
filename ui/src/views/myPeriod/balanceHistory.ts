import type { LedgerEntry } from '../../client/answers';

export interface BalancePoint {
  readonly date: string;
  readonly seconds: number;
}

/** The balance after each day that has entries: the running sum of entry seconds, one point per date. */
export function balanceHistory(entries: readonly LedgerEntry[]): BalancePoint[] {
  const points: BalancePoint[] = [];
  let total = 0;
  for (const e of [...entries].sort((a, b) => (a.date === b.date ? a.seq - b.seq : a.date < b.date ? -1 : 1))) {
    total += e.seconds;
    if (points.length > 0 && points[points.length - 1]!.date === e.date) points[points.length - 1] = { date: e.date, seconds: total };
    else points.push({ date: e.date, seconds: total });
  }
  return points;
}
