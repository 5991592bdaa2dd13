import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assertNoOverlaps, contractOn, contractSecondsOn, validateContract, type Contract } from '../../domain/contract';
import { datesFromTo, toEpochDay, fromEpochDay, addDays } from '../../domain/localDate';
import { scheduledSecondsOn, validateSchedule, type Schedule } from '../../domain/schedule';

const H = 3600;
const fullTime: Schedule = { kind: 'weekdays', secondsByWeekday: [8 * H, 8 * H, 8 * H, 8 * H, 8 * H, 0, 0] };
const contract = (over: Partial<Contract> & { id: string }): Contract =>
  validateContract({ personId: 'a1', firstDate: '2026-01-01', lastDate: null, schedule: fullTime, partTimeFactor: '1', holidayCalendarId: null, timeZone: null, ...over });

// Week A: early shifts Monday–Friday; week B: night shifts Monday–Saturday.
const rotation = (nightShifts: 'start-day' | 'end-day' | 'split'): Schedule =>
  validateSchedule({
    kind: 'rotation',
    cycleStart: '2026-03-16',
    shifts: { early: { start: '06:00', end: '14:00', unpaidBreakMinutes: 30 }, night: { start: '22:00', end: '06:00', unpaidBreakMinutes: 30 } },
    weeks: [
      ['early', 'early', 'early', 'early', 'early', null, null],
      ['night', 'night', 'night', 'night', 'night', 'night', null],
    ],
    nightShifts,
  });

describe('schedules: known answers', () => {
  const brussels = 'Europe/Brussels';
  it.each<[string, Schedule, string, number]>([
    ['8 h weekdays on a Monday', fullTime, '2026-11-23', 8 * H],
    ['8 h weekdays on a Saturday', fullTime, '2026-11-28', 0],
    ['38 h a week over Mon–Fri', { kind: 'weekly', weeklySeconds: 38 * H, workingDays: [1, 2, 3, 4, 5] }, '2026-11-25', 27_360],
    ['37 h a week over 7 days: Monday gets a remainder second', { kind: 'weekly', weeklySeconds: 37 * H, workingDays: [1, 2, 3, 4, 5, 6, 7] }, '2026-11-23', 19_029],
    ['37 h a week over 7 days: Friday does not', { kind: 'weekly', weeklySeconds: 37 * H, workingDays: [1, 2, 3, 4, 5, 6, 7] }, '2026-11-27', 19_028],
    ['160 h a month over the 21 working days of Nov 2026 (first 12 get +1 s)', { kind: 'monthly', monthlySeconds: 160 * H, workingDays: [1, 2, 3, 4, 5] }, '2026-11-02', 27_429],
    ['…and the 13th working day does not', { kind: 'monthly', monthlySeconds: 160 * H, workingDays: [1, 2, 3, 4, 5] }, '2026-11-18', 27_428],
    ['rotation week A early shift', rotation('start-day'), '2026-03-16', 7.5 * H],
    ['rotation week B: Saturday night into spring-forward Sunday is 7 h real, 6.5 h paid', rotation('start-day'), '2026-03-28', 6.5 * H],
    ['…counted on the end day instead', rotation('end-day'), '2026-03-29', 6.5 * H],
    ['…when Saturday holds Friday night instead (8 h real, 7.5 h paid)', rotation('end-day'), '2026-03-28', 7.5 * H],
    ['rotation repeats: week 3 is week A again', rotation('start-day'), '2026-03-30', 7.5 * H],
  ])('%s', (_t, schedule, date, expected) => {
    expect(scheduledSecondsOn(schedule, date, brussels)).toBe(expected);
  });

  it('a night shift into the 25 h fall-back night is 9 h real, 8.5 h paid, split 2 h : 7 h pro rata', () => {
    // Cycle starting 2026-03-16: 2026-10-24 (Saturday) is in week B (nights), Sunday is off.
    const split = rotation('split');
    // Saturday: Friday night's tail (6 of 8 real hours: 27000 × 6/8 = 20250) + its own head (30600 × 2/9 = 6800).
    expect(scheduledSecondsOn(split, '2026-10-24', brussels)).toBe(20_250 + 6_800);
    expect(scheduledSecondsOn(split, '2026-10-25', brussels)).toBe(30_600 - 6_800);
    expect(scheduledSecondsOn(rotation('start-day'), '2026-10-24', brussels)).toBe(8.5 * H);
  });

  it('split rounds the part of a night shift before midnight down to a whole second; the end day gets the rest', () => {
    // 22:00–05:00 with a 1 min break: 7 h real, 25,140 s paid; 2 of the 7 h are before midnight:
    // 25,140 × 7,200 / 25,200 = 7,182.86 → 7,182 s on Wednesday, 17,958 s on Thursday.
    const late = validateSchedule({
      kind: 'rotation',
      cycleStart: '2026-11-02',
      shifts: { late: { start: '22:00', end: '05:00', unpaidBreakMinutes: 1 } },
      weeks: [[null, null, 'late', null, null, null, null]],
      nightShifts: 'split',
    });
    expect(scheduledSecondsOn(late, '2026-11-04', brussels)).toBe(7_182);
    expect(scheduledSecondsOn(late, '2026-11-05', brussels)).toBe(17_958);
  });

  it('refuses a rotation that names an unknown shift', () => {
    expect(() =>
      validateSchedule({ kind: 'rotation', cycleStart: '2026-03-16', shifts: {}, weeks: [['late', null, null, null, null, null, null]] }),
    ).toThrow(/schedule.weeks\[0\]\[0\] must be null \(day off\) or one of the shift names/);
  });

  it('refuses a cycle that does not start on a Monday', () => {
    expect(() => validateSchedule({ kind: 'rotation', cycleStart: '2026-03-17', shifts: {}, weeks: [[null, null, null, null, null, null, null]] })).toThrow(
      /cycleStart must be a Monday/,
    );
  });
});

describe('contracts', () => {
  it('an 80 % part-timer is expected 6.4 h on a full-time 8 h day', () => {
    expect(contractSecondsOn(contract({ id: 'c', partTimeFactor: '0.8' }), '2026-12-24', 'UTC')).toEqual({ scheduledSeconds: 8 * H, expectedSeconds: 23_040 });
  });

  it('a contract change on the 15th splits the month at the change', () => {
    const contracts = [contract({ id: 'full', lastDate: '2026-11-14' }), contract({ id: 'part', firstDate: '2026-11-15', partTimeFactor: '0.8' })];
    assertNoOverlaps(contracts);
    const total = (id: string) =>
      datesFromTo('2026-11-01', '2026-11-30')
        .map((d) => ({ d, c: contractOn(contracts, 'a1', d) }))
        .filter((x) => x.c?.id === id)
        .reduce((s, x) => s + contractSecondsOn(x.c!, x.d, 'UTC').expectedSeconds, 0);
    expect(total('full')).toBe(10 * 8 * H);
    expect(total('part')).toBe(11 * 23_040);
  });

  it('overlapping contracts are refused, naming both and the first shared date', () => {
    expect(() => assertNoOverlaps([contract({ id: 'old', lastDate: '2026-11-15' }), contract({ id: 'new', firstDate: '2026-11-15' })])).toThrow(
      'contracts "old" (2026-01-01 – 2026-11-15) and "new" (2026-11-15 – open-ended) of person a1 overlap from 2026-11-15',
    );
    expect(() => assertNoOverlaps([contract({ id: 'open' }), contract({ id: 'later', firstDate: '2027-01-01' })])).toThrow(/overlap from 2027-01-01/);
  });

  it.each<[string, string]>([
    ['1', '1'],
    ['1.0', '1'],
    ['1.000000', '1'],
    ['0.8', '0.8'],
    ['0.80', '0.8'],
    ['0.333333', '0.333333'],
    ['0.000001', '0.000001'],
  ])('accepts partTimeFactor %j, stored as %j', (factor, stored) => {
    expect(contract({ id: 'x', partTimeFactor: factor }).partTimeFactor).toBe(stored);
  });

  it('a missing partTimeFactor means full time', () => {
    const { partTimeFactor: _omitted, ...rest } = contract({ id: 'x' });
    expect(validateContract(rest).partTimeFactor).toBe('1');
  });

  it.each<[string, unknown]>([
    ['zero', '0'],
    ['zero with decimals', '0.000000'],
    ['just above 1', '1.000001'],
    ['above 1', '1.2'],
    ['7 decimals', '0.1234567'],
    ['7 decimals, even when equal to 1', '1.0000000'],
    ['a number rather than a string', 0.8],
    ['an exponent', '8e-1'],
    ['hexadecimal', '0x1'],
    ['spaces', ' 0.8'],
    ['no leading digit', '.8'],
    ['a sign', '+0.8'],
    ['a negative', '-0.5'],
    ['a leading zero', '00.8'],
    ['a percentage', '80%'],
    ['words', 'eighty'],
    ['empty', ''],
  ])('refuses partTimeFactor %s', (_what, factor) => {
    expect(() => validateContract({ ...contract({ id: 'x' }), partTimeFactor: factor }, 3)).toThrow(
      /contract "x" \(#3\): partTimeFactor must be a decimal string greater than 0 and at most 1 with at most 6 decimals, such as "0.8"/,
    );
  });

  it.each([
    [{ firstDate: '2026-02-30' }, /firstDate must be a date YYYY-MM-DD/],
    [{ lastDate: '2025-12-31' }, /lastDate must not be before firstDate 2026-01-01/],
    [{ timeZone: 'Europe/Bruxelles' }, /timeZone must be an IANA zone/],
    [{ schedule: { kind: 'weekdays', secondsByWeekday: [1, 2, 3] } }, /contract "x" \(#3\): schedule.secondsByWeekday must be seven whole numbers/],
  ])('refuses %j with a message naming the field', (over, message) => {
    expect(() => validateContract({ ...contract({ id: 'x' }), ...over }, 3)).toThrow(message);
  });
});

describe('schedules: laws', () => {
  // 2000-01-03 was a Monday; step whole weeks from it.
  const mondayArb = fc.integer({ min: 0, max: 2000 }).map((w) => fromEpochDay(toEpochDay('2000-01-03') + w * 7));
  const workingDaysArb = fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }) as fc.Arbitrary<(1 | 2 | 3 | 4 | 5 | 6 | 7)[]>;

  it('a weekly total is conserved over its ISO week, to the second', () => {
    fc.assert(
      fc.property(mondayArb, fc.integer({ min: 0, max: 80 * H }), workingDaysArb, (monday, weekly, workingDays) => {
        const s: Schedule = { kind: 'weekly', weeklySeconds: weekly, workingDays };
        const sum = datesFromTo(monday, addDays(monday, 6)).reduce((t, d) => t + scheduledSecondsOn(s, d, 'UTC'), 0);
        expect(sum).toBe(weekly);
      }),
    );
  });

  it('a monthly total is conserved over its month, to the second', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2000, max: 2040 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 200 * H }), workingDaysArb, (y, m, monthly, workingDays) => {
        const s: Schedule = { kind: 'monthly', monthlySeconds: monthly, workingDays };
        const first = `${y}-${String(m).padStart(2, '0')}-01`;
        const last = fromEpochDay(toEpochDay(m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`) - 1);
        const sum = datesFromTo(first, last).reduce((t, d) => t + scheduledSecondsOn(s, d, 'UTC'), 0);
        expect(sum).toBe(monthly);
      }),
    );
  });

  it('over a whole cycle the three night-shift rules expect the same total, across any DST change', () => {
    fc.assert(
      fc.property(fc.integer({ min: -30, max: 60 }), fc.constantFrom('Europe/Brussels', 'Australia/Lord_Howe', 'America/Santiago', 'UTC'), (cycle, zone) => {
        // Each cycle starts on a Monday of week A, whose Sunday before is a day off, so no night spills in or out.
        const dates = datesFromTo(addDays('2026-03-16', cycle * 14), addDays('2026-03-16', cycle * 14 + 13));
        const total = (rule: 'start-day' | 'end-day' | 'split') => dates.reduce((t, d) => t + scheduledSecondsOn(rotation(rule), d, zone), 0);
        expect(total('split')).toBe(total('start-day'));
        expect(total('end-day')).toBe(total('start-day'));
      }),
    );
  });
});
