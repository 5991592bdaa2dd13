import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { parseInstant } from '../../domain/instant';

describe('parseInstant: known answers', () => {
  it.each<[string, string | number, number]>([
    ['Jira format', '2026-03-29T01:30:00.000+0000', Date.UTC(2026, 2, 29, 1, 30)],
    ['ISO with a colon offset', '2026-03-29T03:30:00+02:00', Date.UTC(2026, 2, 29, 1, 30)],
    ['Z', '2026-03-29T01:30:00Z', Date.UTC(2026, 2, 29, 1, 30)],
    ['no seconds', '2026-03-29T01:30Z', Date.UTC(2026, 2, 29, 1, 30)],
    ['a negative offset with minutes', '2026-03-28T22:00:00-03:30', Date.UTC(2026, 2, 29, 1, 30)],
    ['+14:00, the widest offset there is', '2026-03-30T15:30:00+14:00', Date.UTC(2026, 2, 30, 1, 30)],
    ['-14:00', '2026-03-29T11:30:00-14:00', Date.UTC(2026, 2, 30, 1, 30)],
    ['milliseconds', '2026-03-29T01:30:00.4+0000', Date.UTC(2026, 2, 29, 1, 30, 0, 400)],
    ['digits beyond the millisecond are dropped', '2026-03-29T01:30:00.123987654Z', Date.UTC(2026, 2, 29, 1, 30, 0, 123)],
    ['a leap day', '2028-02-29T23:59:59Z', Date.UTC(2028, 1, 29, 23, 59, 59)],
    ['epoch milliseconds', 1_774_747_800_000, 1_774_747_800_000],
  ])('%s', (_what, value, expected) => {
    expect(parseInstant(value)).toBe(expected);
  });

  it.each<[string, unknown, RegExp]>([
    ['24:00', '2026-03-01T24:00:00Z', /24:00 is not a time of day; write 00:00 of the next day/],
    ['24:00 in Jira format', '2026-03-01T24:00:00.000+0000', /24:00 is not a time of day/],
    ['hour 25', '2026-03-01T25:00:00Z', /hour 25 is beyond 23/],
    ['minute 60', '2026-03-01T10:60:00Z', /minute 60 is beyond 59/],
    ['a leap second', '2026-03-01T23:59:60Z', /second 60 is beyond 59/],
    ['offset +14:01', '2026-03-01T10:00:00+14:01', /offset \+14:01 is beyond ±14:00/],
    ['offset -15:00', '2026-03-01T10:00:00-15:00', /offset -15:00 is beyond ±14:00/],
    ['offset minute 60', '2026-03-01T10:00:00+0560', /offset minute 60 is beyond 59/],
    ['30 February', '2026-02-30T10:00:00Z', /2026-02-30 is not a calendar date/],
    ['no offset', '2026-03-01T10:00:00', /must be a timestamp with an offset/],
    ['a date only', '2026-03-01', /must be a timestamp with an offset/],
    ['a fractional epoch', 1.5, /must be a timestamp with an offset/],
  ])('refuses %s, saying why', (_what, value, message) => {
    expect(() => parseInstant(value, 'worklog "7": started')).toThrow(message);
    expect(() => parseInstant(value, 'worklog "7": started')).toThrow(/^worklog "7": started must be/);
  });
});

describe('parseInstant: laws', () => {
  const timestampArb = fc.record({
    ms: fc.integer({ min: Date.UTC(1972, 0, 1), max: Date.UTC(2099, 11, 31) }),
    offsetMinutes: fc.integer({ min: -14 * 60, max: 14 * 60 }),
    colon: fc.boolean(),
    digits: fc.constantFrom(0, 3),
  });

  it('reads every valid timestamp as luxon does', () => {
    fc.assert(
      fc.property(timestampArb, ({ ms, offsetMinutes, colon, digits }) => {
        const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, digits === 0 ? 19 : 23);
        const abs = Math.abs(offsetMinutes);
        const offset = `${offsetMinutes < 0 ? '-' : '+'}${String(Math.floor(abs / 60)).padStart(2, '0')}${colon ? ':' : ''}${String(abs % 60).padStart(2, '0')}`;
        const text = `${local}${offset}`;
        const expected = digits === 0 ? Math.floor(ms / 1000) * 1000 : ms;
        expect(parseInstant(text)).toBe(expected);
        expect(parseInstant(text)).toBe(DateTime.fromISO(text, { setZone: true }).toMillis());
      }),
    );
  });
});
