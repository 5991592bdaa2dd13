import type { Period } from '../../domain/period';
import { checkWorkingTimeDirective, type WorkingTimeFinding } from '../../domain/workingTimeDirective';
import { dailyWorkingTimeRecord, type WorkingTimeDay } from '../../domain/workingTimeRecord';
import { isKnownZone } from '../../domain/zoneOffsets';
import { countableWorklogs, type ReportDeps } from './loadReport';
import { personZones } from './personZones';
import { loadSettings } from './settings';

/** A person's daily working-time record for a period, with the Working Time Directive's findings. */
export interface WorkingTimeRecordAnswer {
  readonly personId: string;
  readonly period: Period;
  /** The zone the days and clock times are in: the person's from Jira, else the site's. */
  readonly timeZone: string;
  readonly zoneDefaulted: boolean;
  readonly days: readonly WorkingTimeDay[];
  readonly findings: readonly WorkingTimeFinding[];
}

/**
 * The record uses real instants (first in, last out, breaks, rest), so it is kept in one zone for the
 * whole period: the person's own, as the law measures rest where the person is, not a contract's
 * reporting zone. Time outside the period counts as rest, so the average-week rule (over 17 weeks by
 * default) only speaks for periods at least that long.
 */
export async function loadWorkingTimeRecord(deps: ReportDeps, personId: string, period: Period): Promise<WorkingTimeRecordAnswer> {
  const settings = await loadSettings(deps.kv);
  const jiraZone = (await personZones(deps, [personId])).get(personId) ?? null;
  const zone = jiraZone !== null && isKnownZone(jiraZone) ? jiraZone : settings.siteTimeZone;
  // Worklogs the engine cannot count (over its ten-year limit) are left out here as in reports.
  const worklogs = await countableWorklogs(deps.kv, personId, period);
  return {
    personId,
    period,
    timeZone: zone,
    zoneDefaulted: zone !== jiraZone,
    days: dailyWorkingTimeRecord(worklogs, zone, period.firstDate, period.lastDate),
    findings: checkWorkingTimeDirective(worklogs, zone, { firstDate: period.firstDate, lastDate: period.lastDate }).findings,
  };
}
