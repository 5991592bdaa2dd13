import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { thrown } from '../support/thrown';
import {
  closePeriodEntries,
  DEFAULT_RECUPERATION_RULES,
  expiryEntriesDue,
  foldLedger,
  validateLedger,
  validateRecuperationRules,
  yearEndEntries,
  type LedgerEntry,
  type RecuperationRules,
} from '../../domain/ledger';
import { addDays, addMonths, daysInMonth, formatLocalDate } from '../../domain/localDate';

const H = 3600;
const rules = (over: Partial<RecuperationRules>): RecuperationRules => ({ ...DEFAULT_RECUPERATION_RULES, ...over });
const close = (date: string, periodKey: string, creditedSeconds: number) => ({ date, periodKey, creditedSeconds });
const sum = (entries: readonly LedgerEntry[]) => entries.reduce((s, e) => s + e.seconds, 0);

describe('ledger: known answers', () => {
  it('cap and expiry of a balance across a year end', () => {
    const r = rules({ capSeconds: 40 * H, expiryMonths: 3 });
    let ledger: LedgerEntry[] = [
      { seq: 1, date: '2026-10-31', kind: 'period-close', seconds: 10 * H, periodKey: '2026-10' },
      { seq: 2, date: '2026-11-30', kind: 'period-close', seconds: 20 * H, periodKey: '2026-11' },
      { seq: 3, date: '2026-12-15', kind: 'payout', seconds: -6 * H, reason: 'paid with December salary' },
    ];
    // The payout consumed the oldest credit first: 4 h of October's 10 h are left.
    expect(foldLedger(ledger, r).lots).toEqual([
      { seq: 1, date: '2026-10-31', remainingSeconds: 4 * H, expiresOn: '2027-01-31' },
      { seq: 2, date: '2026-11-30', remainingSeconds: 20 * H, expiresOn: '2027-02-28' },
    ]);
    // December adds 20 h: 44 h would exceed the 40 h cap, so 4 h expire (the oldest, October's).
    const december = closePeriodEntries(ledger, r, close('2026-12-31', '2026-12', 20 * H));
    expect(december).toEqual([
      { seq: 4, date: '2026-12-31', kind: 'period-close', seconds: 20 * H, periodKey: '2026-12' },
      {
        seq: 5,
        date: '2026-12-31',
        kind: 'expiry',
        seconds: -4 * H,
        periodKey: '2026-12',
        reason: 'cap 40:00 exceeded: the balance would be 44:00, so 4:00 above the cap expired (oldest credit first)',
      },
    ]);
    ledger = [...ledger, ...december];
    expect(foldLedger(ledger, r)).toEqual({
      asOf: null,
      entryCount: 5,
      balanceSeconds: 40 * H,
      lots: [
        { seq: 2, date: '2026-11-30', remainingSeconds: 20 * H, expiresOn: '2027-02-28' },
        { seq: 4, date: '2026-12-31', remainingSeconds: 20 * H, expiresOn: '2027-03-31' },
      ],
      debtSeconds: 0,
      overdueExpirySeconds: 0,
    });
    // Three months after 30 November (clamped: 28 February 2027) November's credit expires; December's a month later.
    expect(expiryEntriesDue(ledger, r, '2027-02-27')).toEqual([]);
    const february = expiryEntriesDue(ledger, r, '2027-02-28');
    expect(february).toEqual([
      {
        seq: 6,
        date: '2027-02-28',
        kind: 'expiry',
        seconds: -20 * H,
        reason: 'expiry after 3 month(s): 20:00 left of the credit of 2026-11-30 (seq 2) expired on 2027-02-28',
      },
    ]);
    ledger = [...ledger, ...february];
    expect(foldLedger(ledger, r).balanceSeconds).toBe(20 * H);
    expect(expiryEntriesDue(ledger, r, '2027-03-31').map((e) => [e.seq, e.date, e.seconds])).toEqual([[7, '2027-03-31', -20 * H]]);
  });

  it('a year-end carry-over limit forfeits what is above it, once', () => {
    const r = rules({ yearEndCarryOverLimitSeconds: 16 * H });
    const ledger: LedgerEntry[] = [{ seq: 1, date: '2026-11-30', kind: 'period-close', seconds: 40 * H, periodKey: '2026-11' }];
    const yearEnd = yearEndEntries(ledger, r, 2026);
    expect(yearEnd).toEqual([
      {
        seq: 2,
        date: '2026-12-31',
        kind: 'carry-over',
        seconds: -24 * H,
        reason: 'year end 2026: balance 40:00 is above the carry-over limit 16:00, so 24:00 is forfeited and 16:00 carried into 2027',
      },
    ]);
    expect(foldLedger([...ledger, ...yearEnd]).balanceSeconds).toBe(16 * H);
    expect(yearEndEntries([...ledger, ...yearEnd], r, 2026)).toEqual([]);
  });

  it('a year end carries a debt whole, and says so in a 0 s entry', () => {
    const r = rules({ yearEndCarryOverLimitSeconds: 16 * H });
    const ledger: LedgerEntry[] = [{ seq: 1, date: '2026-11-30', kind: 'period-close', seconds: -3 * H, periodKey: '2026-11' }];
    expect(yearEndEntries(ledger, r, 2026)).toEqual([
      { seq: 2, date: '2026-12-31', kind: 'carry-over', seconds: 0, reason: 'year end 2026: balance -3:00 is owed time and carried into 2027 whole' },
    ]);
  });

  it('a floor writes off the shortfall beyond it, visibly', () => {
    const entries = closePeriodEntries([], rules({ floorSeconds: -10 * H }), close('2026-11-30', '2026-11', -15 * H));
    expect(entries).toEqual([
      { seq: 1, date: '2026-11-30', kind: 'period-close', seconds: -15 * H, periodKey: '2026-11' },
      {
        seq: 2,
        date: '2026-11-30',
        kind: 'adjustment',
        seconds: 5 * H,
        periodKey: '2026-11',
        reason:
          'floor -10:00 reached: the balance would be -15:00, so the 5:00 owed beyond the floor was written off; HR may settle it outside the balance (for example as unpaid time)',
      },
    ]);
    expect(foldLedger(entries)).toMatchObject({ balanceSeconds: -10 * H, debtSeconds: 10 * H, lots: [] });
  });

  it('a debt is repaid by the next credit before any of it becomes a lot', () => {
    const state = foldLedger([
      { seq: 1, date: '2026-01-31', kind: 'period-close', seconds: -5 * H, periodKey: '2026-01' },
      { seq: 2, date: '2026-02-28', kind: 'period-close', seconds: 8 * H, periodKey: '2026-02' },
    ]);
    expect(state).toEqual({
      asOf: null,
      entryCount: 2,
      balanceSeconds: 3 * H,
      lots: [{ seq: 2, date: '2026-02-28', remainingSeconds: 3 * H, expiresOn: null }],
      debtSeconds: 0,
      overdueExpirySeconds: 0,
    });
  });

  it('cap and floor bite from the first second beyond them, and not at them', () => {
    const r = rules({ capSeconds: 40 * H, floorSeconds: -10 * H });
    expect(closePeriodEntries([], r, close('2026-11-30', '2026-11', 40 * H)).map((e) => e.kind)).toEqual(['period-close']);
    expect(closePeriodEntries([], r, close('2026-11-30', '2026-11', 40 * H + 1)).map((e) => [e.kind, e.seconds])).toEqual([
      ['period-close', 40 * H + 1],
      ['expiry', -1],
    ]);
    expect(closePeriodEntries([], r, close('2026-11-30', '2026-11', -10 * H)).map((e) => e.kind)).toEqual(['period-close']);
    expect(closePeriodEntries([], r, close('2026-11-30', '2026-11', -10 * H - 1)).map((e) => [e.kind, e.seconds])).toEqual([
      ['period-close', -10 * H - 1],
      ['adjustment', 1],
    ]);
  });

  it('a year end first expires the credits due by 31 December, then applies the limit to what is left', () => {
    const r = rules({ expiryMonths: 3, yearEndCarryOverLimitSeconds: 5 * H });
    const ledger: LedgerEntry[] = [
      { seq: 1, date: '2026-09-30', kind: 'period-close', seconds: 10 * H, periodKey: '2026-09' },
      { seq: 2, date: '2026-11-30', kind: 'period-close', seconds: 8 * H, periodKey: '2026-11' },
    ];
    const expected = [
      {
        seq: 3,
        date: '2026-12-30',
        kind: 'expiry',
        seconds: -10 * H,
        reason: 'expiry after 3 month(s): 10:00 left of the credit of 2026-09-30 (seq 1) expired on 2026-12-30',
      },
      {
        seq: 4,
        date: '2026-12-31',
        kind: 'carry-over',
        seconds: -3 * H,
        reason: 'year end 2026: balance 8:00 is above the carry-over limit 5:00, so 3:00 is forfeited and 5:00 carried into 2027',
      },
    ];
    expect(yearEndEntries(ledger, r, 2026)).toEqual(expected);
    // A close in the new year runs the same year end first.
    expect(closePeriodEntries(ledger, r, close('2027-01-31', '2027-01', 0)).slice(0, 2)).toEqual(expected);
  });

  it('a reason shows stray seconds, so it never hides a second its entry moves', () => {
    const entries = closePeriodEntries([], rules({ capSeconds: H }), close('2026-01-31', '2026-01', H + 1));
    expect(entries[1]).toMatchObject({ seconds: -1, reason: 'cap 1:00 exceeded: the balance would be 1:00:01, so 0:00:01 above the cap expired (oldest credit first)' });
  });

  it.each([
    ['2026-01-31', 1, '2026-02-28'],
    ['2028-01-31', 1, '2028-02-29'],
    ['2026-11-30', 3, '2027-02-28'],
    ['2026-08-31', 6, '2027-02-28'],
    ['2026-03-15', 12, '2027-03-15'],
    ['2026-03-31', -1, '2026-02-28'],
    ['2026-01-15', -13, '2024-12-15'],
  ])('%s plus %i month(s) is %s', (date, months, expected) => {
    expect(addMonths(date, months)).toBe(expected);
  });

  it('addMonths refuses fractions and dates past 9999', () => {
    expect(() => addMonths('2026-01-31', 1.5)).toThrow(/months must be a whole number; got 1.5/);
    expect(thrown(() => addMonths('9999-12-15', 1))).toMatchObject({ code: 'INVALID_DATE', message: '9999-12-15 plus 1 month(s) falls outside the years 0000 to 9999' });
  });

  it('a lot expires on its date plus expiryMonths, clamped to the month end, and the expiry entry is dated that day', () => {
    const r = rules({ expiryMonths: 1 });
    const ledger: LedgerEntry[] = [
      { seq: 1, date: '2028-01-31', kind: 'period-close', seconds: 2 * H, periodKey: '2028-01' },
      { seq: 2, date: '2028-03-31', kind: 'period-close', seconds: 3 * H, periodKey: '2028-03' },
    ];
    // Leap year: 31 January + 1 month = 29 February; 31 March + 1 month = 30 April.
    expect(foldLedger(ledger, r).lots.map((l) => l.expiresOn)).toEqual(['2028-02-29', '2028-04-30']);
    expect(expiryEntriesDue(ledger, r, '2028-04-30').map((e) => [e.date, e.seconds])).toEqual([
      // January's credit expired before March's close was written, so it is recorded on the ledger's last date.
      ['2028-03-31', -2 * H],
      ['2028-04-30', -3 * H],
    ]);
    expect(expiryEntriesDue(ledger, r, '2028-04-30')[0]!.reason).toBe(
      'expiry after 1 month(s): 2:00 left of the credit of 2028-01-31 (seq 1) expired on 2028-02-29; recorded on 2028-03-31 because the ledger already had later entries',
    );
  });

  it('folds as of a date: later entries left out, overdue expiries counted', () => {
    const r = rules({ expiryMonths: 1 });
    const ledger: LedgerEntry[] = [
      { seq: 1, date: '2026-01-31', kind: 'period-close', seconds: 2 * H, periodKey: '2026-01' },
      { seq: 2, date: '2026-02-28', kind: 'period-close', seconds: 1 * H, periodKey: '2026-02' },
      { seq: 3, date: '2026-03-10', kind: 'payout', seconds: -30 * 60, reason: 'paid' },
    ];
    expect(foldLedger(ledger, r, '2026-02-27')).toEqual({
      asOf: '2026-02-27',
      entryCount: 1,
      balanceSeconds: 2 * H,
      lots: [{ seq: 1, date: '2026-01-31', remainingSeconds: 2 * H, expiresOn: '2026-02-28' }],
      debtSeconds: 0,
      overdueExpirySeconds: 0,
    });
    // On 28 February January's credit is due to expire, and no expiry entry records it yet.
    expect(foldLedger(ledger, r, '2026-02-28')).toMatchObject({ entryCount: 2, balanceSeconds: 3 * H, overdueExpirySeconds: 2 * H });
    // Without asOf the reference is the last entry's date (10 March); the payout took 30 min of January's lot.
    expect(foldLedger(ledger, r)).toMatchObject({ asOf: null, entryCount: 3, balanceSeconds: 2.5 * H, overdueExpirySeconds: 1.5 * H });
    // As of 28 March February's lot is overdue too.
    expect(foldLedger(ledger, r, '2026-03-28').overdueExpirySeconds).toBe(2.5 * H);
    // Without an expiry rule nothing is ever overdue.
    expect(foldLedger(ledger, DEFAULT_RECUPERATION_RULES, '2030-01-01')).toMatchObject({ overdueExpirySeconds: 0, entryCount: 3 });
    expect(() => foldLedger(ledger, r, '2026-02-30')).toThrow(/asOf must be a calendar date/);
  });

  it('a close runs the pending year end and the expiries due before it, in date order', () => {
    const r = rules({ expiryMonths: 3, yearEndCarryOverLimitSeconds: 5 * H });
    const october = closePeriodEntries([], r, close('2026-10-31', '2026-10', 10 * H));
    const january = closePeriodEntries(october, r, close('2027-01-31', '2027-01', 1 * H));
    expect(january).toEqual([
      {
        seq: 2,
        date: '2026-12-31',
        kind: 'carry-over',
        seconds: -5 * H,
        reason: 'year end 2026: balance 10:00 is above the carry-over limit 5:00, so 5:00 is forfeited and 5:00 carried into 2027',
      },
      {
        seq: 3,
        date: '2027-01-31',
        kind: 'expiry',
        seconds: -5 * H,
        reason: 'expiry after 3 month(s): 5:00 left of the credit of 2026-10-31 (seq 1) expired on 2027-01-31',
      },
      { seq: 4, date: '2027-01-31', kind: 'period-close', seconds: 1 * H, periodKey: '2027-01' },
    ]);
    expect(foldLedger([...october, ...january], r)).toMatchObject({ balanceSeconds: 1 * H, overdueExpirySeconds: 0 });
  });

  it('refuses a period closed twice', () => {
    const closed = closePeriodEntries([], DEFAULT_RECUPERATION_RULES, close('2026-11-30', '2026-11', H));
    const error = thrown(() => closePeriodEntries(closed, DEFAULT_RECUPERATION_RULES, close('2026-12-01', '2026-11', 1)));
    expect(error).toMatchObject({
      code: 'INVALID_LEDGER_ENTRY',
      message: 'period 2026-11 is already closed by seq 1 (1:00 on 2026-11-30); to correct its credit, append an adjustment with a reason',
      details: { field: 'periodKey', value: '2026-11', seq: 1 },
    });
  });

  it("refuses a close after that year's year end, and a close dated before the ledger's last entry", () => {
    const r = rules({ yearEndCarryOverLimitSeconds: 5 * H });
    const ledger = closePeriodEntries([], r, close('2026-11-30', '2026-11', 10 * H));
    const withYearEnd = [...ledger, ...yearEndEntries(ledger, r, 2026)];
    expect(thrown(() => closePeriodEntries(withYearEnd, r, close('2026-12-31', '2026-12', H)))).toMatchObject({
      code: 'INVALID_LEDGER_ENTRY',
      message: 'period 2026-12 closes on 2026-12-31, but the year end of 2026 already ran (seq 2): date the close 2027-01-01 or later',
    });
    expect(closePeriodEntries(withYearEnd, r, close('2027-01-01', '2026-12', H)).map((e) => e.kind)).toEqual(['period-close']);
    expect(() => closePeriodEntries(ledger, r, close('2026-11-29', '2026-12', H))).toThrow(
      'period 2026-12 closes on 2026-11-29, before seq 1 dated 2026-11-30: the ledger only grows forward, so date the close on or after 2026-11-30',
    );
  });

  it('asks for the year end before an expiry that falls due after it', () => {
    const r = rules({ expiryMonths: 1, yearEndCarryOverLimitSeconds: 5 * H });
    const ledger: LedgerEntry[] = [{ seq: 1, date: '2026-12-10', kind: 'period-close', seconds: 10 * H, periodKey: '2026-12' }];
    expect(() => expiryEntriesDue(ledger, r, '2027-01-10')).toThrow(
      'the year end of 2026 has not run, and an expiry falls due after it on 2027-01-10: append yearEndEntries(entries, rules, 2026) first (closePeriodEntries does both, in order)',
    );
    const withYearEnd = [...ledger, ...yearEndEntries(ledger, r, 2026)];
    expect(expiryEntriesDue(withYearEnd, r, '2027-01-10').map((e) => [e.date, e.seconds])).toEqual([['2027-01-10', -5 * H]]);
    expect(() => yearEndEntries(ledger, r, 2025)).toThrow(/the year end of 2025 can no longer be written: seq 1 is dated 2026-12-10/);
  });

  it.each<[string, unknown[], string, string]>([
    ['a gap in seq', [{ seq: 2, date: '2026-01-01', kind: 'adjustment', seconds: 1, reason: 'x' }], 'seq', 'ledger entry at position 1 (seq 2): seq must be 1'],
    ['an adjustment without a reason', [{ seq: 1, date: '2026-01-01', kind: 'adjustment', seconds: 60 }], 'reason', 'ledger entry at position 1 (seq 1): an adjustment needs a reason'],
    [
      'a positive payout',
      [{ seq: 1, date: '2026-01-01', kind: 'payout', seconds: 3600 }],
      'seconds',
      'ledger entry at position 1 (seq 1): a payout takes hours out of the balance, so its seconds must be negative; got 3600',
    ],
    [
      'a date going back',
      [
        { seq: 1, date: '2026-02-01', kind: 'period-close', seconds: 1, periodKey: '2026-01' },
        { seq: 2, date: '2026-01-01', kind: 'period-close', seconds: 1, periodKey: '2026-02' },
      ],
      'date',
      'ledger entry at position 2 (seq 2): date 2026-01-01 is before 2026-02-01 of seq 1',
    ],
    [
      'a period close without its period',
      [{ seq: 1, date: '2026-01-31', kind: 'period-close', seconds: 1 }],
      'periodKey',
      'ledger entry at position 1 (seq 1): a period-close entry needs the periodKey',
    ],
    [
      'a payout larger than the balance',
      [
        { seq: 1, date: '2026-01-31', kind: 'period-close', seconds: 3 * H, periodKey: '2026-01' },
        { seq: 2, date: '2026-02-10', kind: 'payout', seconds: -5 * H, reason: 'paid' },
      ],
      'seconds',
      'ledger entry at position 2 (seq 2): this payout removes 5:00 but only 3:00 of credit exists before it (balance 3:00); pay out at most the balance',
    ],
    [
      'a payout while in debt',
      [
        { seq: 1, date: '2026-01-31', kind: 'period-close', seconds: -3 * H, periodKey: '2026-01' },
        { seq: 2, date: '2026-02-10', kind: 'payout', seconds: -H, reason: 'paid' },
      ],
      'seconds',
      'this payout removes 1:00 but only 0:00 of credit exists before it (balance -3:00)',
    ],
    [
      'an expiry with no credit',
      [{ seq: 1, date: '2026-01-01', kind: 'expiry', seconds: -1 }],
      'seconds',
      'ledger entry at position 1 (seq 1): this expiry removes 0:00:01 but only 0:00 of credit exists before it (balance 0:00); recompute it with the ledger functions',
    ],
    ['a positive carry-over', [{ seq: 1, date: '2026-12-31', kind: 'carry-over', seconds: 1 }], 'seconds', 'ledger entry at position 1 (seq 1): a carry-over entry only takes credit away, so its seconds must be 0 or negative; got 1'],
    ['a sparse list', [, { seq: 2, date: '2026-01-01', kind: 'adjustment', seconds: 1, reason: 'x' }], 'entry', 'ledger entry at position 1 (seq undefined): must be an object'],
  ])('refuses a broken ledger, naming the entry and field: %s', (_name, entries, field, message) => {
    const error = thrown(() => validateLedger(entries as LedgerEntry[]));
    expect(error.code).toBe('INVALID_LEDGER_ENTRY');
    expect(error.message).toContain(message);
    expect(error.details.field).toBe(field);
  });

  it('a payout of exactly the balance is fine', () => {
    expect(() =>
      validateLedger([
        { seq: 1, date: '2026-01-31', kind: 'period-close', seconds: 3 * H, periodKey: '2026-01' },
        { seq: 2, date: '2026-02-10', kind: 'payout', seconds: -3 * H, reason: 'paid' },
      ]),
    ).not.toThrow();
  });

  it.each<[unknown, string, string]>([
    [{ capSeconds: -1 }, 'capSeconds', 'recuperation rules: capSeconds must be whole seconds, 0 or more (144000 caps at 40 h), or null for no cap; got -1'],
    [{ floorSeconds: 3600 }, 'floorSeconds', 'recuperation rules: floorSeconds is how far the balance may go below zero, so it must be whole seconds, 0 or less'],
    [{ expiryMonths: 0 }, 'expiryMonths', 'recuperation rules: expiryMonths must be a whole number of months from 1 to 1200'],
    [{ capSeconds: 10, yearEndCarryOverLimitSeconds: 20 }, 'yearEndCarryOverLimitSeconds', 'yearEndCarryOverLimitSeconds is above capSeconds (10), so it could never apply'],
    [{ overtime: [{ per: 'day', aboveSeconds: 36000, factor: '0.5' }] }, 'overtime[0].factor', 'overtime[0].factor must be a decimal string between "1" and "10"'],
    // A misspelt key would otherwise silently mean "no cap".
    [{ capSecond: 144000 }, 'capSecond', 'recuperation rules: capSecond is not a recuperation rule (the rules are capSeconds, floorSeconds, expiryMonths, yearEndCarryOverLimitSeconds, overtime); got 144000'],
    [
      {
        overtime: [
          { per: 'day', aboveSeconds: 36000, factor: '1.5' },
          { per: 'day', aboveSeconds: 36000, factor: '2' },
        ],
      },
      'overtime[1].aboveSeconds',
      'overtime[1].aboveSeconds repeats the day threshold of overtime[0]',
    ],
    [[], 'rules', 'recuperation rules: rules must be an object'],
  ])('refuses rules %j', (input, field, message) => {
    const error = thrown(() => validateRecuperationRules(input));
    expect(error.code).toBe('INVALID_POLICY');
    expect(error.message).toContain(message);
    expect(error.details.field).toBe(field);
  });

  it('completes rules: missing ones are null, factors written canonically', () => {
    expect(validateRecuperationRules({ capSeconds: 144000, overtime: [{ per: 'week', aboveSeconds: 144000, factor: '1.50' }] })).toEqual({
      capSeconds: 144000,
      floorSeconds: null,
      expiryMonths: null,
      yearEndCarryOverLimitSeconds: null,
      overtime: [{ per: 'week', aboveSeconds: 144000, factor: '1.5' }],
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe('ledger: laws', () => {
  const rulesArb = fc
    .record({
      capSeconds: fc.option(fc.integer({ min: 0, max: 120 * H }), { nil: null }),
      floorSeconds: fc.option(fc.integer({ min: -60 * H, max: 0 }), { nil: null }),
      expiryMonths: fc.option(fc.integer({ min: 1, max: 8 }), { nil: null }),
      yearEndCarryOverLimitSeconds: fc.option(fc.integer({ min: 0, max: 80 * H }), { nil: null }),
      overtime: fc.constant([]),
    })
    // The carry-over limit may not be above the cap.
    .map((r) => (r.capSeconds !== null && r.yearEndCarryOverLimitSeconds !== null ? { ...r, yearEndCarryOverLimitSeconds: Math.min(r.capSeconds, r.yearEndCarryOverLimitSeconds) } : r));

  /** One month of what the app does: mid-month a run of expiries, an adjustment and a payout, each optional; usually the close at the month end; in December perhaps the year end. */
  const monthArb = fc.record({
    expireMid: fc.boolean(),
    adjustment: fc.option(fc.integer({ min: -20 * H, max: 20 * H }).filter((s) => s !== 0), { nil: null }),
    payoutShare: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
    credit: fc.integer({ min: -50 * H, max: 70 * H }),
    // About one month in four is not closed at its end (closed late, or never), so expiries and year ends fall due between closes.
    closed: fc.integer({ min: 0, max: 3 }).map((n) => n > 0),
    yearEnd: fc.boolean(),
  });
  type Month = typeof monthArb extends fc.Arbitrary<infer T> ? T : never;
  const historyArb = fc.tuple(rulesArb, fc.array(monthArb, { maxLength: 30, size: 'max' }));

  const monthEnd = (i: number) => {
    const year = 2025 + Math.floor(i / 12);
    const month = (i % 12) + 1;
    return formatLocalDate(year, month, daysInMonth(year, month));
  };
  const yearOf = (date: string) => Number(date.slice(0, 4));

  interface History {
    ledger: LedgerEntry[];
    /** The ledger just after each close, with the close's rules. */
    afterClose: LedgerEntry[][];
  }

  /** Runs year ends still pending before `date` (as the app must before writing anything in a new year). */
  function yearEndsBefore(ledger: LedgerEntry[], r: RecuperationRules, date: string): LedgerEntry[] {
    const last = ledger[ledger.length - 1];
    if (r.yearEndCarryOverLimitSeconds === null || last === undefined || yearOf(last.date) >= yearOf(date)) return ledger;
    return [...ledger, ...yearEndEntries(ledger, r, yearOf(date) - 1)];
  }

  /** A valid ledger built only through the ledger functions, payouts never above the balance. */
  function build(r: RecuperationRules, months: readonly Month[]): History {
    let ledger: LedgerEntry[] = [];
    const afterClose: LedgerEntry[][] = [];
    months.forEach((m, i) => {
      const end = monthEnd(i);
      const mid = end.slice(0, 8) + '15';
      if (m.expireMid || m.adjustment !== null || m.payoutShare !== null) ledger = yearEndsBefore(ledger, r, mid);
      if (m.expireMid) ledger = [...ledger, ...expiryEntriesDue(ledger, r, mid)];
      if (m.adjustment !== null) ledger = [...ledger, { seq: ledger.length + 1, date: mid, kind: 'adjustment', seconds: m.adjustment, reason: 'correction' }];
      const balance = foldLedger(ledger).balanceSeconds;
      const payout = m.payoutShare === null ? 0 : Math.floor(m.payoutShare * balance);
      if (payout > 0) ledger = [...ledger, { seq: ledger.length + 1, date: mid, kind: 'payout', seconds: -payout, reason: 'paid' }];
      if (m.closed) {
        ledger = [...ledger, ...closePeriodEntries(ledger, r, close(end, end.slice(0, 7), m.credit))];
        afterClose.push(ledger);
      }
      if (m.yearEnd && end.endsWith('-12-31')) ledger = [...ledger, ...yearEndEntries(ledger, r, yearOf(end))];
    });
    return { ledger, afterClose };
  }

  it('the balance is Σ seconds = Σ lots − debt, debt only when no lot is left, lots oldest first', () => {
    const seen = { lots: 0, debt: 0, payout: 0 };
    fc.assert(
      fc.property(historyArb, ([r, months]) => {
        const { ledger } = build(r, months);
        expect(() => validateLedger(ledger)).not.toThrow();
        expect(ledger.map((e) => e.seq)).toEqual(ledger.map((_, i) => i + 1));
        const state = foldLedger(ledger, r);
        expect(state.entryCount).toBe(ledger.length);
        expect(state.balanceSeconds).toBe(sum(ledger));
        expect(state.balanceSeconds).toBe(state.lots.reduce((s, l) => s + l.remainingSeconds, 0) - state.debtSeconds);
        expect(state.debtSeconds).toBeGreaterThanOrEqual(0);
        if (state.debtSeconds > 0) expect(state.lots).toEqual([]);
        for (const [i, lot] of state.lots.entries()) {
          const entry = ledger[lot.seq - 1]!;
          expect(entry.seconds).toBeGreaterThanOrEqual(lot.remainingSeconds);
          expect(lot.remainingSeconds).toBeGreaterThan(0);
          expect(lot.date).toBe(entry.date);
          expect(lot.expiresOn).toBe(r.expiryMonths === null ? null : addMonths(lot.date, r.expiryMonths));
          if (i > 0) expect(lot.seq).toBeGreaterThan(state.lots[i - 1]!.seq);
        }
        seen.lots += state.lots.length > 0 ? 1 : 0;
        seen.debt += state.debtSeconds > 0 ? 1 : 0;
        seen.payout += ledger.some((e) => e.kind === 'payout') ? 1 : 0;
      }),
    );
    // The generator reaches the cases the law is about.
    expect(seen.lots).toBeGreaterThan(0);
    expect(seen.debt).toBeGreaterThan(0);
    expect(seen.payout).toBeGreaterThan(0);
  });

  it('after a close the balance is within [floor, cap] and no expiry is overdue', () => {
    const seen = { cap: 0, floor: 0, expiry: 0, yearEnd: 0 };
    fc.assert(
      fc.property(historyArb, ([r, months]) => {
        const { ledger, afterClose } = build(r, months);
        for (const after of afterClose) {
          const state = foldLedger(after, r);
          if (r.capSeconds !== null) expect(state.balanceSeconds).toBeLessThanOrEqual(r.capSeconds);
          if (r.floorSeconds !== null) expect(state.balanceSeconds).toBeGreaterThanOrEqual(r.floorSeconds);
          expect(state.overdueExpirySeconds).toBe(0);
        }
        seen.cap += ledger.some((e) => e.kind === 'expiry' && e.reason?.startsWith('cap ')) ? 1 : 0;
        seen.floor += ledger.some((e) => e.kind === 'adjustment' && e.reason?.startsWith('floor ')) ? 1 : 0;
        seen.expiry += ledger.some((e) => e.kind === 'expiry' && e.reason?.startsWith('expiry ')) ? 1 : 0;
        seen.yearEnd += ledger.some((e) => e.kind === 'carry-over' && e.seconds < 0) ? 1 : 0;
      }),
    );
    expect(seen.cap).toBeGreaterThan(0);
    expect(seen.floor).toBeGreaterThan(0);
    expect(seen.expiry).toBeGreaterThan(0);
    expect(seen.yearEnd).toBeGreaterThan(0);
  });

  it('every year end leaves at most the limit (a debt is carried whole)', () => {
    fc.assert(
      fc.property(historyArb, ([r, months]) => {
        const { ledger } = build(r, months);
        ledger.forEach((e, i) => {
          if (e.kind !== 'carry-over') return;
          const before = sum(ledger.slice(0, i));
          const after = before + e.seconds;
          expect(e.date.endsWith('-12-31')).toBe(true);
          // The credits due by 31 December expired before the limit applied.
          expect(foldLedger(ledger.slice(0, i + 1), r, e.date).overdueExpirySeconds).toBe(0);
          if (before <= r.yearEndCarryOverLimitSeconds!) expect(e.seconds).toBe(0);
          else expect(after).toBe(r.yearEndCarryOverLimitSeconds);
        });
      }),
    );
  });

  it('expiry is idempotent, removes exactly the overdue credit and never touches a debt', () => {
    fc.assert(
      fc.property(historyArb, fc.integer({ min: 0, max: 400 }), ([r, months], days) => {
        let { ledger } = build(r, months);
        const asOf = addDays(ledger[ledger.length - 1]?.date ?? '2025-01-01', days);
        ledger = yearEndsBefore(ledger, r, asOf);
        const overdue = foldLedger(ledger, r, asOf).overdueExpirySeconds;
        const due = expiryEntriesDue(ledger, r, asOf);
        expect(sum(due) + overdue).toBe(0);
        expect(due.every((e) => e.kind === 'expiry' && e.seconds < 0 && e.date <= (asOf > ledger[ledger.length - 1]!.date ? asOf : ledger[ledger.length - 1]!.date))).toBe(true);
        const after = [...ledger, ...due];
        expect(() => validateLedger(after)).not.toThrow();
        expect(foldLedger(after, r, asOf).overdueExpirySeconds).toBe(0);
        expect(expiryEntriesDue(after, r, asOf)).toEqual([]);
        expect(foldLedger(after).debtSeconds).toBe(foldLedger(ledger).debtSeconds);
      }),
    );
  });

  it('year end is idempotent and never forfeits a debt', () => {
    fc.assert(
      fc.property(historyArb, fc.integer({ min: 0, max: 80 * H }), ([r, months], limit) => {
        const withLimit = { ...r, capSeconds: null, yearEndCarryOverLimitSeconds: limit };
        const { ledger } = build(withLimit, months);
        const year = yearOf(ledger[ledger.length - 1]?.date ?? '2025-01-01');
        const yearEnd = yearEndEntries(ledger, withLimit, year);
        const after = [...ledger, ...yearEnd];
        expect(() => validateLedger(after)).not.toThrow();
        // Exactly one carry-over for the year, whether it just ran or had already run.
        expect(after.filter((e) => e.kind === 'carry-over' && e.date === `${year}-12-31`)).toHaveLength(1);
        if (yearEnd.length > 0) expect(yearEnd[yearEnd.length - 1]).toMatchObject({ kind: 'carry-over', date: `${year}-12-31` });
        const before = foldLedger(ledger).balanceSeconds;
        const balance = foldLedger(after).balanceSeconds;
        if (before < 0) expect(balance).toBe(before);
        else expect(balance).toBeLessThanOrEqual(limit);
        expect(yearEndEntries(after, withLimit, year)).toEqual([]);
      }),
    );
  });

  it('removing more credit than exists is refused, exactly the credit is accepted', () => {
    fc.assert(
      fc.property(historyArb, fc.constantFrom('payout' as const, 'expiry' as const, 'carry-over' as const), ([r, months], kind) => {
        const { ledger } = build(r, months);
        const credit = Math.max(0, foldLedger(ledger).balanceSeconds);
        const date = ledger[ledger.length - 1]?.date ?? '2025-01-01';
        const entry = (seconds: number): LedgerEntry => ({ seq: ledger.length + 1, date, kind, seconds, reason: 'by hand' });
        expect(() => validateLedger([...ledger, entry(-credit - 1)])).toThrow(`this ${kind} removes`);
        if (credit > 0) expect(() => validateLedger([...ledger, entry(-credit)])).not.toThrow();
      }),
    );
  });
});
