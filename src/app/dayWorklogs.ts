import type { Contract } from '../../domain/contract';
import { contractOn } from '../../domain/contract';
import { worklogsOnDay } from '../../domain/dayWorklogs';
import type { LocalDate } from '../../domain/localDate';
import { rangePeriod } from '../../domain/period';
import { isKnownZone } from '../../domain/zoneOffsets';
import { reachesPlatform, type IssueLookup, type IssueSummary } from '../ports';
import { readWorklogRecords } from './applyWorklogChanges';
import { countableWorklogs, type ReportDeps } from './loadReport';
import { personZones } from './personZones';
import { queryAll } from './queryAll';
import { loadSettings } from './settings';
import { keys } from './storageKeys';

/** A day holds a few dozen worklogs; an answer lists at most this many (the earliest) and says when there were more. */
export const MAX_DAY_WORKLOGS = 200;

/** One worklog that overlaps the day. */
export interface DayWorklog {
  readonly worklogId: string;
  /** Null when the stored record names none (it always does for worklogs from Jira). */
  readonly issueId: string | null;
  /** Null when Jira does not show the issue to the person asking (unknown, deleted or hidden from them) or could not be asked. */
  readonly issueKey: string | null;
  readonly issueSummary: string | null;
  /** Where the worklog came from (`jira`), null when unknown. */
  readonly source: string | null;
  /** The start as an ISO instant (UTC). */
  readonly started: string;
  /** The start in the day's zone, `YYYY-MM-DDTHH:mm:ss`: its date is the day before when the worklog crosses midnight into this day. */
  readonly startedLocal: string;
  /** The whole worklog, in seconds. */
  readonly seconds: number;
  /** The part of it that falls on this day, in real seconds. */
  readonly secondsOnDay: number;
}

export interface DayWorklogsAnswer {
  readonly personId: string;
  readonly date: LocalDate;
  /** The zone the day is in: the one the person's report counts that date in (a contract's override, else Jira's, else the site's). */
  readonly timeZone: string;
  /** True when the site's zone stood in because neither a contract nor Jira gives one. */
  readonly zoneDefaulted: boolean;
  /** Sorted by start; at most MAX_DAY_WORKLOGS. */
  readonly worklogs: readonly DayWorklog[];
  /** How many counted worklogs overlap the day, listed or not. */
  readonly total: number;
  /** True when `total` is more than were listed. */
  readonly capped: boolean;
  /** `unavailable` when Jira could not be asked for issue keys and summaries this time (they are all null then). */
  readonly issueDetails: 'complete' | 'unavailable';
}

export interface DayWorklogDeps extends ReportDeps {
  /** Keys and summaries as the caller may see them; without it every key and summary is null. */
  readonly issueLookup?: IssueLookup;
  readonly log?: (message: string, error: unknown) => void;
}

/** Jira issue ids are positive whole numbers; a stored id that is not one is never sent to Jira. */
const JIRA_ISSUE_ID = /^[1-9]\d{0,17}$/;

/**
 * The person's counted worklogs that overlap the local day `date`, each with the part of it that falls on
 * that day, read from the index as reports read it (the day shelves around the date, then the worklog
 * records for their issues), with issue keys and summaries asked of Jira as the caller.
 */
export async function loadDayWorklogs(deps: DayWorklogDeps, personId: string, date: LocalDate): Promise<DayWorklogsAnswer> {
  const [settings, zones, contractRows, stored] = await Promise.all([
    loadSettings(deps.kv),
    personZones(deps, [personId]),
    queryAll<Contract>(deps.kv, keys.contractPrefix(personId)),
    // The worklogs a report of that day would count (those over the engine's ten-year limit are left out, as there).
    countableWorklogs(deps.kv, personId, rangePeriod(date, date)),
  ]);
  const jiraZone = zones.get(personId) ?? null;
  const knownZone = jiraZone !== null && isKnownZone(jiraZone) ? jiraZone : null;
  const override = contractOn(contractRows.map((r) => r.value), personId, date)?.timeZone ?? null;
  const timeZone = override ?? knownZone ?? settings.siteTimeZone;

  const onDay = worklogsOnDay(stored, timeZone, date);
  const listed = onDay.slice(0, MAX_DAY_WORKLOGS);
  const records = await readWorklogRecords(deps.kv, listed.map((d) => d.worklog.id));
  const issueIds = [...new Set([...records.values()].map((r) => r.issueId).filter((id): id is string => id !== null && JIRA_ISSUE_ID.test(id)))];
  const { issues, complete } = await lookUpIssues(deps, issueIds);

  const worklogs: DayWorklog[] = [];
  for (const { worklog, startedLocal, secondsOnDay } of listed) {
    const record = records.get(worklog.id);
    // Deleted since the shelf was read: it no longer counts.
    if (record?.deleted) continue;
    const issueId = record?.issueId ?? null;
    const issue = issueId === null ? undefined : issues.get(issueId);
    worklogs.push({
      worklogId: worklog.id,
      issueId,
      issueKey: issue?.key ?? null,
      issueSummary: issue?.summary ?? null,
      source: record?.source ?? null,
      started: new Date(worklog.started).toISOString(),
      startedLocal,
      seconds: worklog.seconds,
      secondsOnDay,
    });
  }
  return {
    personId,
    date,
    timeZone,
    zoneDefaulted: override === null && knownZone === null,
    worklogs,
    total: onDay.length,
    capped: onDay.length > listed.length,
    issueDetails: complete ? 'complete' : 'unavailable',
  };
}

/**
 * Keys and summaries from Jira. A failure (Jira down, rate limiting) costs the names only, not the
 * worklogs: the answer says they are unavailable. A consent request goes up to the platform.
 */
async function lookUpIssues(deps: DayWorklogDeps, issueIds: readonly string[]): Promise<{ issues: ReadonlyMap<string, IssueSummary>; complete: boolean }> {
  if (issueIds.length === 0) return { issues: new Map(), complete: true };
  if (!deps.issueLookup) return { issues: new Map(), complete: false };
  try {
    return { issues: await deps.issueLookup.issueSummaries(issueIds), complete: true };
  } catch (e) {
    if (reachesPlatform(e)) throw e;
    deps.log?.('worklogs: the issue lookup failed; answering without issue keys and summaries', e);
    return { issues: new Map(), complete: false };
  }
}
