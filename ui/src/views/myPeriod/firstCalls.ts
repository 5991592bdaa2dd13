/**
 * The reads My period (the first view) makes when it opens, with the very payloads it sends, so an
 * entry can start them before React has rendered (ResolverClient.prefetch): the page then waits
 * for one round of calls, not for the script, then the people list, then the render, then the calls.
 * A payload that differs from the view's only costs a second call, never a wrong answer.
 */
import { isKnownZone, todayIn } from '../../format/dates';
import { monthKeyOf, periodKeyOf } from '../../format/periods';

export type Call = readonly [name: string, payload: Record<string, unknown>];

/** The calls that need only who the person is (MyPeriodView's settings; BalancePanel's balance and history). */
export function myPeriodCalls(accountId: string): Call[] {
  return [
    ['settings/get', {}],
    ['balance/mine', {}],
    ['ledger/history', { accountId }],
  ];
}

/** The report and record of the month the view opens on: the current month in the person's zone (none when Jira gives no zone: the site's zone decides, known only later). */
export function myPeriodReportCalls(timeZone: string | null): Call[] {
  if (!timeZone || !isKnownZone(timeZone)) return [];
  const period = { periodKey: periodKeyOf({ kind: 'month', key: monthKeyOf(todayIn(timeZone)) }) };
  return [
    ['report/mine', { period }],
    ['record/mine', { period }],
  ];
}

/**
 * The report and record of the current month in this browser's own zone, read from Date's local
 * fields: no Intl, whose first use in a page costs up to a couple of hundred milliseconds, so the
 * entry can send them at once (same payloads as myPeriodReportCalls(browserZone())).
 */
export function browserMonthReportCalls(now: Date = new Date()): Call[] {
  const key = `${String(now.getFullYear()).padStart(4, '0')}-${String(now.getMonth() + 1).padStart(2, '0')}`;
  const period = { periodKey: periodKeyOf({ kind: 'month', key }) };
  return [
    ['report/mine', { period }],
    ['record/mine', { period }],
  ];
}
