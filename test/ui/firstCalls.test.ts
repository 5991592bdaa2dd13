import { describe, expect, it } from 'vitest';
import { browserZone } from '../../ui/src/format/dates';
import { browserMonthReportCalls, myPeriodReportCalls } from '../../ui/src/views/myPeriod/firstCalls';

describe('the first view\'s calls sent before Intl is used', () => {
  it('ask for the month of the local date, at its first and last minute', () => {
    expect(browserMonthReportCalls(new Date(2026, 0, 31, 23, 59))[0]).toEqual(['report/mine', { period: { periodKey: '2026-01' } }]);
    expect(browserMonthReportCalls(new Date(2026, 1, 1, 0, 0))[1]).toEqual(['record/mine', { period: { periodKey: '2026-02' } }]);
  });

  it('send the very payloads My period sends in the browser\'s zone, so the view takes them', () => {
    expect(browserMonthReportCalls()).toEqual(myPeriodReportCalls(browserZone()));
  });
});
