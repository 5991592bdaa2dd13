import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addMonths,
  closePeriodEntries,
  DEFAULT_RECUPERATION_RULES,
  expiryEntriesDue,
  foldLedger,
  validateLedger,
  validateRecuperationRules,
  yearEndEntries,
  type LedgerEntry,
  type RecuperationRules,
} from '../../domain/ledger.ts';
import { addDays } from '../../domain/localDate.ts';

const H = 3600;
const rules = (over: Partial<RecuperationRules>): RecuperationRules => ({ ...DEFAULT_RECUPERATION_RULES, ...over });

describe('ledger: known answers', () => {
  it('cap and expiry of a balance across a year end', () => {
    const r = rules({ capSeconds: 40 * H, expiryMonths: 3 });
    let ledger: LedgerEntry[] = [
      { seq: 1, date: '2026-10-31', kind: 'period-close', seconds: 10 * H, periodKey: '2026-10' },
      { seq: 2, date: '2026-11-30', kind: 'period-close', seconds: 20 * H, periodKey: '2026-11' },
      { seq: 3, date: '2026-12-15', kind: 'payout', seconds: -6 * H, reason: 'paid with December salary' },
    ];
    // The payout consumed the oldest credit first: 4 h of October's 10 h are left.
    expect(foldLedger(ledger).lots).toEqual([
      { seq: 1, date: '2026-10-31', remainingSeconds: 4 * H },
      { seq: 2, date: '2026-11-30', remainingSeconds: 20 * H },
    ]);
    // December adds 20 h: 44 h would exceed the 40 h cap, so 4 h expire (the oldest, October's).
    const december = closePeriodEntries(ledger, r, { date: '2026-12-31', periodKey: '2026-12', creditedSeconds: 20 * H });
    expect(december).toEqual([
      { seq: 4, date: '2026-12-31', kind: 'period-close', seconds: 20 * H, periodKey: '2026-12' },
      { seq: 5, date: '2026-12-31', kind: 'expiry', seconds: -4 * H, periodKey: '2026-12', reason: 'cap of 40:00 reached: 4:00 above it expired' },
    ]);
    ledger = [...ledger, ...december];
    expect(foldLedger(ledger).balanceSeconds).toBe(40 * H);
    // Three months after 30 November (28 February 2027) November's credit expires; December's a month later.
    expect(expiryEntriesDue(ledger, r, '2027-02-27')).toEqual([]);
    const february = expiryEntriesDue(ledger, r, '2027-02-28');
    expect(february).toEqual([
      { seq: 6, date: '2027-02-28', kind: 'expiry', seconds: -20 * H, reason: 'credit of 2026-11-30 (entry 2) unused after 3 month(s): 20:00 expired on 2027-02-28' },
    ]);
    ledger = [...ledger, ...february];
    expect(foldLedger(ledger).balanceSeconds).toBe(20 * H);
    expect(expiryEntriesDue(ledger, r, '2027-03-31').map((e) => [e.date, e.seconds])).toEqual([['2027-03-31', -20 * H]]);
  });

  it('a year-end carry-over limit forfeits what is above it, once', () => {
    const r = rules({ yearEndCarryOverLimitSeconds: 16 * H });
    const ledger: LedgerEntry[] = [{ seq: 1, date: '2026-11-30', kind: 'period-close', seconds: 40 * H, periodKey: '2026-11' }];
    const yearEnd = yearEndEntries(ledger, r, 2026);
    expect(yearEnd).toEqual([{ seq: 2, date: '2026-12-31', kind: 'carry-over', seconds: -24 * H, reason: 'year-end carry-over limit 16:00: 24:00 forfeited' }]);
    expect(yearEndEntries([...ledger, ...yearEnd], r, 2026)).toEqual([]);
  });

  it('a floor writes off the shortfall beyond it, visibly', () => {
    const entries = closePeriodEntries([], rules({ floorSeconds: -10 * H }), { date: '2026-11-30', periodKey: '2026-11', creditedSeconds: -15 * H });
    expect(entries[1]).toMatchObject({ kind: 'adjustment', seconds: 5 * H, reason: 'floor of −10:00 reached: 5:00 of shortfall beyond it written off, for HR to settle' });
    expect(foldLedger(entries).balanceSeconds).toBe(-10 * H);
  });

  it('a debt is repaid by the next credit before any of it becomes a lot', () => {
    const state = foldLedger([
      { seq: 1, date: '2026-01-31', kind: 'period-close', seconds: -5 * H },
      { seq: 2, date: '2026-02-28', kind: 'period-close', seconds: 8 * H },
    ]);
    expect(state).toEqual({ balanceSeconds: 3 * H, lots: [{ seq: 2, date: '2026-02-28', remainingSeconds: 3 * H }], debtSeconds: 0 });
  });

  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-11-30', 3, '2027-02-28'],
    ['2026-08-31', 6, '2027-02-28'],
    ['2026-03-15', 12, '2027-03-15'],
  ])('%s plus %i month(s) is %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it.each<[LedgerEntry[], RegExp]>([
    [[{ seq: 2, date: '2026-01-01', kind: 'adjustment', seconds: 1, reason: 'x' }], /ledger entry #0 \(seq 2\): seq must be 1/],
    [[{ seq: 1, date: '2026-01-01', kind: 'adjustment', seconds: 60 }], /an adjustment needs a reason/],
    [[{ seq: 1, date: '2026-01-01', kind: 'payout', seconds: 3600 }], /a payout takes hours out of the balance, so its seconds must be negative; got 3600/],
    [
      [
        { seq: 1, date: '2026-02-01', kind: 'period-close', seconds: 1 },
        { seq: 2, date: '2026-01-01', kind: 'period-close', seconds: 1 },
      ],
      /date 2026-01-01 is before the previous entry's 2026-02-01/,
    ],
  ])('refuses a broken ledger, naming the entry', (entries, message) => {
    expect(() => validateLedger(entries)).toThrow(message);
  });

  it('refuses a period closed twice', () => {
    const closed = closePeriodEntries([], DEFAULT_RECUPERATION_RULES, { date: '2026-11-30', periodKey: '2026-11', creditedSeconds: 1 });
    expect(() => closePeriodEntries(closed, DEFAULT_RECUPERATION_RULES, { date: '2026-11-30', periodKey: '2026-11', creditedSeconds: 1 })).toThrow(/period 2026-11 is already closed/);
  });

  it.each([
    [{ capSeconds: -1 }, /capSeconds must be whole seconds from 0/],
    [{ floorSeconds: 3600 }, /floorSeconds must be whole seconds from -316224000 to 0/],
    [{ expiryMonths: 0 }, /expiryMonths must be whole seconds from 1 to 120/],
    [{ capSeconds: 10, yearEndCarryOverLimitSeconds: 20 }, /must not exceed capSeconds \(10\)/],
    [{ overtime: [{ per: 'day', aboveSeconds: 36000, factor: '0.5' }] }, /overtime\[0\]\.factor must be a decimal string from "1" to "10"/],
  ])('refuses rules %j', (input, message) => {
    expect(() => validateRecuperationRules(input)).toThrow(message);
  });
});

describe('ledger: laws', () => {
  const rulesArb = fc.record({
    capSeconds: fc.option(fc.integer({ min: 0, max: 200 * H }), { nil: null }),
    floorSeconds: fc.option(fc.integer({ min: -100 * H, max: 0 }), { nil: null }),
    expiryMonths: fc.option(fc.integer({ min: 1, max: 12 }), { nil: null }),
    yearEndCarryOverLimitSeconds: fc.constant(null),
    overtime: fc.constant([]),
  });
  /** A ledger built the way the app builds it: monthly closes, with payouts and adjustments between. */
  const historyArb = fc.tuple(rulesArb, fc.array(fc.tuple(fc.integer({ min: -60 * H, max: 80 * H }), fc.integer({ min: 0, max: 20 * H }), fc.boolean()), { maxLength: 24 }));

  function build(r: RecuperationRules, months: [number, number, boolean][]): { ledger: LedgerEntry[]; afterClose: number[] } {
    let ledger: LedgerEntry[] = [];
    const afterClose: number[] = [];
    months.forEach(([credit, payout, doPayout], i) => {
      const monthEnd = addDays(addMonths('2025-01-01', i + 1), -1);
      ledger = [...ledger, ...closePeriodEntries(ledger, r, { date: monthEnd, periodKey: monthEnd.slice(0, 7), creditedSeconds: credit })];
      afterClose.push(foldLedger(ledger).balanceSeconds);
      if (doPayout && payout > 0) ledger = [...ledger, { seq: ledger.length + 1, date: monthEnd, kind: 'payout', seconds: -payout, reason: 'paid' }];
    });
    return { ledger, afterClose };
  }

  it('the balance is the sum of the entries, and debt only exists when no credit is left', () => {
    fc.assert(
      fc.property(historyArb, ([r, months]) => {
        const { ledger } = build(r, months);
        validateLedger(ledger);
        const state = foldLedger(ledger);
        expect(state.balanceSeconds).toBe(ledger.reduce((s, e) => s + e.seconds, 0));
        expect(state.lots.every((l) => l.remainingSeconds > 0)).toBe(true);
        if (state.debtSeconds > 0) expect(state.lots).toEqual([]);
      }),
    );
  });

  it('after a period closes the balance is within [floor, cap]', () => {
    fc.assert(
      fc.property(historyArb, ([r, months]) => {
        for (const balance of build(r, months).afterClose) {
          if (r.capSeconds !== null) expect(balance).toBeLessThanOrEqual(r.capSeconds);
          if (r.floorSeconds !== null) expect(balance).toBeGreaterThanOrEqual(r.floorSeconds);
        }
      }),
    );
  });

  it('expiry is idempotent and never expires more than is left', () => {
    fc.assert(
      fc.property(historyArb, fc.integer({ min: 0, max: 900 }), ([r, months], days) => {
        const { ledger } = build(r, months);
        const asOf = addDays(ledger[ledger.length - 1]?.date ?? '2025-01-01', days);
        const due = expiryEntriesDue(ledger, r, asOf);
        const after = [...ledger, ...due];
        validateLedger(after);
        expect(expiryEntriesDue(after, r, asOf)).toEqual([]);
        expect(foldLedger(after).debtSeconds).toBe(foldLedger(ledger).debtSeconds);
      }),
    );
  });

  it('year-end is idempotent and leaves at most the limit (a debt is carried whole)', () => {
    fc.assert(
      fc.property(historyArb, fc.integer({ min: 0, max: 100 * H }), ([r, months], limit) => {
        const withLimit = { ...r, capSeconds: null, yearEndCarryOverLimitSeconds: limit };
        const { ledger } = build(withLimit, months.slice(0, 12));
        const yearEnd = yearEndEntries(ledger, withLimit, 2025);
        const after = [...ledger, ...yearEnd];
        validateLedger(after);
        expect(foldLedger(after).balanceSeconds).toBeLessThanOrEqual(limit);
        expect(yearEndEntries(after, withLimit, 2025)).toEqual([]);
      }),
    );
  });
});
