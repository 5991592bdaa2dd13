/**
 * The recuperation balance over time: a step line through the running total of the ledger's
 * entries. Drawn as inline SVG with token colours (no chart library, nothing remote); the same
 * figures are in the entries table next to it, for people who do not see the chart.
 */
import type { LedgerEntry } from '../../client/answers';
import { balanceHistory } from './balanceHistory';
import type { Fmt } from './fmt';

const W = 560;
const H = 160;
const PAD = { left: 8, right: 8, top: 12, bottom: 12 };

export function BalanceChart({ entries, fmt }: { entries: readonly LedgerEntry[]; fmt: Fmt }) {
  const points = balanceHistory(entries);
  if (points.length === 0) return null;
  // One point is no history: a chart of it would be one vertical step. Say it instead.
  if (points.length === 1)
    return (
      <p className="wt-chart" data-testid="balance-chart-single">
        {`One change so far: on ${fmt.date(points[0]!.date)} the balance became ${fmt.signed(points[0]!.seconds)}. A chart shows once there are two.`}
      </p>
    );
  const values = [0, ...points.map((p) => p.seconds)];
  const min = Math.min(...values);
  const max = Math.max(...values);
  const span = max - min || 1;
  // Time runs left to right, from a month before the first entry (balance 0) to the last entry.
  const dayMs = (date: string) => Date.parse(`${date}T00:00:00Z`);
  const start = dayMs(points[0]!.date) - 30 * 86_400_000;
  const end = dayMs(points[points.length - 1]!.date);
  const x = (date: string) => PAD.left + ((dayMs(date) - start) * (W - PAD.left - PAD.right)) / (end - start || 1);
  const y = (s: number) => PAD.top + ((max - s) * (H - PAD.top - PAD.bottom)) / span;
  let d = `M ${PAD.left} ${y(0)}`;
  let previous = 0;
  for (const p of points) {
    d += ` L ${x(p.date)} ${y(previous)} L ${x(p.date)} ${y(p.seconds)}`;
    previous = p.seconds;
  }
  const last = points[points.length - 1]!;
  const summary = `Balance history from ${fmt.date(points[0]!.date)} to ${fmt.date(last.date)}: lowest ${fmt.signed(Math.min(...points.map((p) => p.seconds)))}, highest ${fmt.signed(Math.max(...points.map((p) => p.seconds)))}, now ${fmt.signed(last.seconds)}.`;
  return (
    <figure className="wt-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={summary} preserveAspectRatio="none">
        <line x1={PAD.left} x2={W - PAD.right} y1={y(0)} y2={y(0)} className="wt-chart-zero" />
        <path d={d} className="wt-chart-line" fill="none" />
        {points.map((p) => (
          <circle key={p.date} cx={x(p.date)} cy={y(p.seconds)} r={3} className="wt-chart-point">
            <title>{`${fmt.date(p.date)}: ${fmt.signed(p.seconds)}`}</title>
          </circle>
        ))}
      </svg>
      <figcaption>{summary}</figcaption>
    </figure>
  );
}
