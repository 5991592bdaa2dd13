import { expect, it } from 'vitest';
import type { ReportDay } from '../../ui/src/client/answers';
import { totalsSoFar } from '../../ui/src/views/myPeriod/soFar';

const day = (date: string, worked: number, expected: number): ReportDay => ({ date, weekday: 1, timeZone: 'Europe/Brussels', workedSeconds: worked, expectedSeconds: expected, holiday: null, otherHolidays: [], holidaySeconds: 0, absences: [], absenceSeconds: 0, deltaSeconds: worked - expected });
const days = [day('2026-05-04', 28800, 28800), day('2026-05-05', 25200, 28800), day('2026-05-06', 0, 28800), day('2026-05-07', 0, 28800)];

it('a period not yet ended gives "so far" totals through today, future days left out', () => {
  expect(totalsSoFar(days, '2026-05-05')).toEqual({ through: '2026-05-05', workedSeconds: 54000, expectedSeconds: 57600, deltaSeconds: -3600 });
  expect(totalsSoFar(days, '2026-05-04')).toEqual({ through: '2026-05-04', workedSeconds: 28800, expectedSeconds: 28800, deltaSeconds: 0 });
});

it('none for a period that has ended (or ends today) or has not begun: the totals are the figures', () => {
  expect(totalsSoFar(days, '2026-05-07')).toBeNull();
  expect(totalsSoFar(days, '2026-06-01')).toBeNull();
  expect(totalsSoFar(days, '2026-05-01')).toBeNull();
  expect(totalsSoFar([], '2026-05-01')).toBeNull();
});
