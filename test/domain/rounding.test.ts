import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration, parseRoundingPolicy, roundSeconds, ROUNDING_POLICIES, type RoundingPolicy } from '../../domain/rounding';

describe('rounding: boundaries', () => {
  it.each<[number, RoundingPolicy, string]>([
    [29, 'nearest-minute', '0:00'],
    [30, 'nearest-minute', '0:01'],
    [-29, 'nearest-minute', '0:00'],
    [-30, 'nearest-minute', '-0:01'],
    [27_030, 'nearest-minute', '7:31'],
    [3599, 'exact-seconds', '0:59:59'],
    [-3661, 'exact-seconds', '-1:01:01'],
    [17, 'decimal-hours-2', '0.00'],
    [18, 'decimal-hours-2', '0.01'],
    [27_000, 'decimal-hours-2', '7.50'],
    [23_040, 'decimal-hours-2', '6.40'],
    [-18, 'decimal-hours-2', '-0.01'],
    [449, 'nearest-quarter-hour', '0:00'],
    [450, 'nearest-quarter-hour', '0:15'],
    [8 * 3600 + 1349, 'nearest-quarter-hour', '8:15'],
    [8 * 3600 + 1350, 'nearest-quarter-hour', '8:30'],
  ])('%i s under %s shows %s', (seconds, policy, shown) => {
    expect(formatDuration(seconds, policy)).toBe(shown);
  });

  it('names the policies it knows when given another', () => {
    expect(() => parseRoundingPolicy('banker')).toThrow(/"banker" is not one of exact-seconds, nearest-minute/);
  });
});

describe('rounding: laws', () => {
  const policyArb = fc.constantFrom(...ROUNDING_POLICIES);
  const secondsArb = fc.integer({ min: -400 * 3600, max: 400 * 3600 });

  it('rounding moves a value by at most half a step', () => {
    const step = { 'exact-seconds': 1, 'nearest-minute': 60, 'nearest-quarter-hour': 900, 'decimal-hours-2': 36 };
    fc.assert(
      fc.property(secondsArb, policyArb, (s, p) => {
        expect(Math.abs(roundSeconds(s, p) - s)).toBeLessThanOrEqual(step[p] / 2);
      }),
    );
  });

  it('is symmetric around zero', () => {
    fc.assert(fc.property(secondsArb, policyArb, (s, p) => {
      expect(roundSeconds(-s, p)).toBe(-roundSeconds(s, p) || 0);
    }));
  });

  it('is idempotent', () => {
    fc.assert(fc.property(secondsArb, policyArb, (s, p) => {
      expect(roundSeconds(roundSeconds(s, p), p)).toBe(roundSeconds(s, p));
    }));
  });

  it('is monotone', () => {
    fc.assert(
      fc.property(secondsArb, fc.nat(10_000), policyArb, (s, d, p) => {
        expect(roundSeconds(s + d, p)).toBeGreaterThanOrEqual(roundSeconds(s, p));
      }),
    );
  });
});
