/**
 * The recuperation balance over time: a step line through the running total of the ledger's
 * entries. Drawn as inline SVG with token colours (no chart library, nothing remote); the same
 * figures are in the entries table next to it, for people who do not see the chart.
 */
import type { LedgerEntry } from '../../client/answers';
import type { Fmt } from './fmt';

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

const W = 560;
const H = 160;
const PAD = { left: 8, right: 8, top: 12, bottom: 12 };

export function BalanceChart({ entries, fmt }: { entries: readonly LedgerEntry[]; fmt: Fmt }) {
  const points = balanceHistory(entries);
  if (points.length === 0) return null;
  const values = [0, ...points.map((p) => p.seconds)];
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  const x = (i: number) => PAD.left + (points.length === 1 ? (W - PAD.left - PAD.right) / 2 : (i * (W - PAD.left - PAD.right)) / (points.length - 1));
  const y = (s: number) => PAD.top + ((max - s) * (H - PAD.top - PAD.bottom)) / span;
  let d = `M ${x(0)} ${y(0)} L ${x(0)} ${y(points[0]!.seconds)}`;
  points.forEach((p, i) => {
    if (i > 0) d += ` L ${x(i)} ${y(points[i - 1]!.seconds)} L ${x(i)} ${y(p.seconds)}`;
  });
  const last = points[points.length - 1]!;
  const summary = `Balance history from ${fmt.date(points[0]!.date)} to ${fmt.date(last.date)}: lowest ${fmt.signed(Math.min(...points.map((p) => p.seconds)))}, highest ${fmt.signed(Math.max(...points.map((p) => p.seconds)))}, now ${fmt.signed(last.seconds)}.`;
  return (
    <figure className="wt-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} preserveAspectRatio="none">
        <line x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} className="wt-chart-zero" />
        <path d={d} className="wt-chart-line" fill="none" />
        {points.map((p, i) => (
          <circle key={p.date} cx={x(i)} cy={y(p.seconds)} r={3} className="wt-chart-point">
            <title>{`${fmt.date(p.date)}: ${fmt.signed(p.seconds)}`}</title>
          </circle>
        ))}
      </svg>
      <figcaption>{summary}</figcaption>
    </figure>
  );
}
