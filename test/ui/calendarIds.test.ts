import { expect, it } from 'vitest';
import { CALENDAR_ID, defaultCalendarId } from '../../ui/src/views/admin/calendarIds';

const calendars = [
  { id: 'BE', country: 'BE', region: null },
  { id: 'bavaria', country: 'DE', region: 'DE-BY' },
];

it('an import defaults to the existing calendar of the chosen country or region, else to its code as written', () => {
  expect(defaultCalendarId(calendars, 'BE', '')).toBe('BE');
  expect(defaultCalendarId(calendars, 'DE', 'DE-BY')).toBe('bavaria');
  expect(defaultCalendarId(calendars, 'DE', '')).toBe('DE'); // Bavaria's calendar is not Germany's
  expect(defaultCalendarId(calendars, 'DE', 'DE-BE')).toBe('DE-BE');
  expect(defaultCalendarId(calendars, '', '')).toBe('');
});

it('accepts the calendar ids the server accepts, upper case included', () => {
  for (const ok of ['BE', 'be', 'DE-BY', 'us.ny_2', 'x'.repeat(64)]) expect(CALENDAR_ID.test(ok), ok).toBe(true);
  for (const bad of ['', 'a b', 'x'.repeat(65), 'é', 'a/b']) expect(CALENDAR_ID.test(bad), bad).toBe(false);
});

it('a typed year is four digits from 1900 to 2100 (what holidays/* accept); the message says which', async () => {
  const { yearProblem } = await import('../../ui/src/views/admin/calendarIds');
  expect(yearProblem('2026')).toBeNull();
  expect(yearProblem(' 1900 ')).toBeNull();
  expect(yearProblem('2100')).toBeNull();
  expect(yearProblem('202')).toMatch(/four digits/);
  expect(yearProblem('')).toMatch(/four digits/);
  expect(yearProblem('1899', 'The first year')).toBe('The first year is between 1900 and 2100.');
  expect(yearProblem('2101')).toBe('The year is between 1900 and 2100.');
});
