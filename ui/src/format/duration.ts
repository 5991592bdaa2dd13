/**
 * Durations as people read them: hours and minutes in the reader's locale ("7 hrs 36 mins" in
 * English, "7 Std., 36 Min." in German), rounded by the site's rounding setting for display only
 * (the numbers behind are exact seconds). Ties round half away from zero, as domain/rounding.ts does.
 */
import { listFormat, numberFormat } from './intlCache';

export type RoundingPolicy = 'exact-seconds' | 'nearest-minute' | 'nearest-quarter-hour' | 'decimal-hours-2';

const STEP_SECONDS: Record<RoundingPolicy, number> = { 'exact-seconds': 1, 'nearest-minute': 60, 'nearest-quarter-hour': 900, 'decimal-hours-2': 36 };

/** `seconds` rounded to the policy's step, half away from zero (integers only, so exact). */
export function roundSeconds(seconds: number, policy: RoundingPolicy): number {
  const step = STEP_SECONDS[policy];
  const rounded = Math.sign(seconds) * Math.floor(Math.abs(seconds) / step + 0.5) * step;
  return rounded === 0 ? 0 : rounded;
}

export interface DurationOptions {
  readonly locale?: string | undefined;
  readonly rounding?: RoundingPolicy;
  /** Show a plus sign on positive values (deltas, balances). */
  readonly signed?: boolean;
}

const unit = (locale: string | undefined, u: 'hour' | 'minute' | 'second', digits = 0) =>
  numberFormat(locale, { style: 'unit', unit: u, unitDisplay: 'short', maximumFractionDigits: digits, minimumFractionDigits: digits });

/** A list of parts joined the locale's way ("7 hrs 36 mins"). */
const joined = (locale: string | undefined, parts: string[]) => listFormat(locale, { style: 'narrow', type: 'unit' }).format(parts);

export function formatDuration(seconds: number, options: DurationOptions = {}): string {
  const { locale, rounding = 'nearest-minute', signed = false } = options;
  const rounded = roundSeconds(seconds, rounding);
  const sign = rounded < 0 ? '−' : signed && rounded > 0 ? '+' : '';
  const abs = Math.abs(rounded);
  if (rounding === 'decimal-hours-2') return sign + unit(locale, 'hour', 2).format(abs / 3600);
  const h = Math.floor(abs / 3600);
  const m = Math.floor((abs % 3600) / 60);
  const s = abs % 60;
  const parts: string[] = [];
  if (h > 0) parts.push(unit(locale, 'hour').format(h));
  if (m > 0 || (h === 0 && (rounding !== 'exact-seconds' || s === 0))) parts.push(unit(locale, 'minute').format(m));
  if (rounding === 'exact-seconds' && s > 0) parts.push(unit(locale, 'second').format(s));
  return sign + joined(locale, parts);
}
