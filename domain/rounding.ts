import Decimal from 'decimal.js';
import { DomainError, ErrorCode } from './errors';

/**
 * Named rounding policies for showing durations. They only ever apply to a
 * displayed figure: every total is computed from exact seconds first, so the
 * rounded total can differ from the sum of rounded days, never the other way.
 * Ties round half away from zero, so +30 s and −30 s show as +0:01 and −0:01.
 */
export type RoundingPolicy = 'exact-seconds' | 'nearest-minute' | 'nearest-quarter-hour' | 'decimal-hours-2';
export const ROUNDING_POLICIES: readonly RoundingPolicy[] = ['exact-seconds', 'nearest-minute', 'nearest-quarter-hour', 'decimal-hours-2'];

const STEP_SECONDS: Record<RoundingPolicy, number> = {
  'exact-seconds': 1,
  'nearest-minute': 60,
  'nearest-quarter-hour': 900,
  'decimal-hours-2': 36, // 0.01 h
};

/** Throws INVALID_POLICY unless `policy` names a rounding policy. */
export function parseRoundingPolicy(policy: unknown): RoundingPolicy {
  if (!ROUNDING_POLICIES.includes(policy as RoundingPolicy)) {
    throw new DomainError(ErrorCode.invalidPolicy, `rounding ${JSON.stringify(policy)} is not one of ${ROUNDING_POLICIES.join(', ')}`, {
      field: 'rounding',
      value: policy,
    });
  }
  return policy as RoundingPolicy;
}

/** `seconds` rounded to the policy's step, half away from zero; a whole number of seconds. */
export function roundSeconds(seconds: number, policy: RoundingPolicy): number {
  const step = STEP_SECONDS[policy];
  const rounded = new Decimal(seconds).dividedBy(step).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).times(step).toNumber();
  return rounded === 0 ? 0 : rounded; // never show −0
}

/**
 * A duration as people read it: `7:30` (hours:minutes), `7:30:05` with
 * exact seconds, `7.50` in decimal hours. Negative durations get a minus sign.
 */
export function formatDuration(seconds: number, policy: RoundingPolicy): string {
  const rounded = roundSeconds(seconds, policy);
  const sign = rounded < 0 ? '-' : '';
  const abs = Math.abs(rounded);
  if (policy === 'decimal-hours-2') return sign + new Decimal(abs).dividedBy(3600).toFixed(2);
  const h = Math.floor(abs / 3600);
  const m = Math.floor((abs % 3600) / 60);
  const s = abs % 60;
  const hm = `${sign}${h}:${String(m).padStart(2, '0')}`;
  return policy === 'exact-seconds' ? `${hm}:${String(s).padStart(2, '0')}` : hm;
}
