/**
 * A period that has not ended yet counts its future days' expected time in its totals, so a month
 * looks short on the 3rd. "So far" sums the days up to and including today beside the whole period.
 */
import type { ReportDay } from '../../client/answers';

export interface SoFar {
  readonly through: string;
  readonly workedSeconds: number;
  readonly expectedSeconds: number;
  readonly deltaSeconds: number;
}

/** The totals of the days up to `today` (in the person's zone), or null when the period has no day after today or none before. */
export function totalsSoFar(days: readonly ReportDay[], today: string): SoFar | null {
  const past = days.filter((d) => d.date <= today);
  if (past.length === 0 || past.length === days.length) return null;
  return {
    through: today,
    workedSeconds: past.reduce((s, d) => s + d.workedSeconds, 0),
    expectedSeconds: past.reduce((s, d) => s + d.expectedSeconds, 0),
    deltaSeconds: past.reduce((s, d) => s + d.deltaSeconds, 0),
  };
}
