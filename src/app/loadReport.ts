import type { Absence } from '../../domain/absence';
import type { Contract } from '../../domain/contract';
import type { Holiday, HolidayCalendar } from '../../domain/holidays';
import { foldLedger, type LedgerEntry } from '../../domain/ledger';
import { DomainError } from '../../domain/errors';
import { MS_PER_DAY, toEpochDay, type LocalDate } from '../../domain/localDate';
import type { Period } from '../../domain/period';
import { computePeriodReport, type PeriodReport, type PeriodReportInput, type ReportNotice } from '../../domain/periodReport';
import { assertValidWorklog, type Worklog } from '../../domain/worklog';
import { isKnownZone } from '../../domain/zoneOffsets';
import { utcDatesToRead } from '../../domain/worklogIndex';
import type { Clock, Directory, KvStore } from '../ports';
import { shelfEntries, type StoredShelf } from './applyWorklogChanges';
import { personZones } from './personZones';
import { queryAll } from './queryAll';
import { loadSettings } from './settings';
import { lockedReport, type LockedReport } from './snapshots';
import { keys } from './storageKeys';

export interface ReportDeps {
  readonly kv: KvStore;
  readonly directory: Directory;
  readonly clock: Clock;
}

/**
 * The person's counted worklogs that can touch the period's dates in any zone: the day shelves of the
 * UTC dates around the period (25 keys a read) and the shelf of long worklogs.
 */
export async function worklogsAround(kv: KvStore, personId: string, firstDate: LocalDate, lastDate: LocalDate): Promise<Worklog[]> {
  const shelfKeys = [keys.longWorklogs(personId), ...utcDatesToRead(firstDate, lastDate).map((d) => keys.day(personId, d))];
  const out: Worklog[] = [];
  for (let i = 0; i < shelfKeys.length; i += 25) {
    const found = await kv.getMany<StoredShelf>(shelfKeys.slice(i, i + 25));
    for (const shelf of found.values()) for (const w of shelfEntries(shelf)) out.push({ ...w, authorId: personId });
  }
  return out;
}

/** The holiday calendars of the contracts in force during the period. */
async function calendars(kv: KvStore, contracts: readonly Contract[], period: Period): Promise<HolidayCalendar[]> {
  const inForce = contracts.filter((c) => c.firstDate <= period.lastDate && (c.lastDate === null || c.lastDate >= period.firstDate));
  const ids = [...new Set(inForce.map((c) => c.holidayCalendarId).filter((id): id is string => id !== null))];
  const out: HolidayCalendar[] = [];
  for (const id of ids) {
    const meta = await kv.get<Omit<HolidayCalendar, 'holidays'>>(keys.calendar(id));
    if (!meta) continue;
    const holidays: Holiday[] = [];
    for (let y = Number(period.firstDate.slice(0, 4)); y <= Number(period.lastDate.slice(0, 4)); y++) holidays.push(...((await kv.get<Holiday[]>(keys.holidays(id, y))) ?? []));
    out.push({ ...meta, holidays });
  }
  return out;
}

/** What a report is computed from, as loaded from storage, and what loading found to say about it. */
export interface LoadedReportInput {
  readonly input: PeriodReportInput;
  /** A notice for each stored worklog the engine cannot count that may touch the period. */
  readonly notCounted: readonly ReportNotice[];
  /** The zone Jira gives when this runtime does not know it (the input then has no zone), else null. */
  readonly unknownZone: string | null;
}

/**
 * Everything a person's period report is computed from, read from what the app stores: the indexed
 * worklogs, contracts, holiday calendars, absences, settings and the balance before the period.
 */
export async function loadReportInput(deps: ReportDeps, personId: string, period: Period): Promise<LoadedReportInput> {
  // The reads do not depend on one another: issued together, a report waits for one round trip, not six.
  const [settings, zones, contractRows, absenceRows, ledgerRows, stored] = await Promise.all([
    loadSettings(deps.kv),
    personZones(deps, [personId]),
    // All of them, not only those of the period's dates: the zone a contract overrides decides which date an
    // instant near the period's edges falls on (a contract starting the day after may pull work into the period).
    queryAll<Contract>(deps.kv, keys.contractPrefix(personId)),
    queryAll<Absence>(deps.kv, keys.absencePrefix(personId)),
    queryAll<LedgerEntry>(deps.kv, keys.ledgerPrefix(personId)),
    worklogsAround(deps.kv, personId, period.firstDate, period.lastDate),
  ]);
  const zone = zones.get(personId) ?? null;
  const contracts = contractRows.map((r) => r.value);
  const absences = absenceRows.map((r) => r.value).filter((a) => a.firstDate <= period.lastDate && a.lastDate >= period.firstDate);
  // The balance before the period: every ledger entry dated before its first day.
  const openingBalanceSeconds = foldLedger(ledgerRows.map((r) => r.value).filter((e) => e.date < period.firstDate)).balanceSeconds;
  const { countable, notCounted } = splitCountable(stored, period);
  // A zone Jira names that this runtime's time zone data lacks is treated as no zone, and said so.
  const knownZone = zone !== null && isKnownZone(zone) ? zone : null;
  const input: PeriodReportInput = {
    person: { id: personId, timeZone: knownZone },
    siteTimeZone: settings.siteTimeZone,
    period,
    worklogs: countable,
    contracts,
    holidayCalendars: await calendars(deps.kv, contracts, period),
    countedHolidayTypes: settings.countedHolidayTypes,
    absences,
    openingBalanceSeconds,
    dayPolicy: settings.dayPolicy,
    weekStart: settings.weekStart,
  };
  return { input, notCounted, unknownZone: zone !== null && knownZone === null ? zone : null };
}

/** The worklogs a report of the period would count now: what drift compares a snapshot with. */
export async function countableWorklogs(kv: KvStore, personId: string, period: Period): Promise<Worklog[]> {
  return splitCountable(await worklogsAround(kv, personId, period.firstDate, period.lastDate), period).countable;
}

/**
 * A person's period report. A locked period's comes from the snapshot it is locked at, with `lock` saying
 * which (later worklog changes are drift, not changed numbers); any other period's is computed from what
 * the app stores, through the same domain code as the CLI, so both give the same report.
 */
export async function loadReport(deps: ReportDeps, personId: string, period: Period): Promise<PeriodReport & { readonly lock?: LockedReport['lock'] }> {
  const locked = await lockedReport(deps.kv, personId, period.key);
  if (locked !== undefined) return { ...locked.report, lock: locked.lock };
  const { input, notCounted, unknownZone } = await loadReportInput(deps, personId, period);
  const report = computePeriodReport(input);
  const notices = report.notices.map((n) =>
    n.kind === 'zone-defaulted' && unknownZone !== null
      ? { ...n, message: `Jira gives the time zone ${JSON.stringify(unknownZone)}, which this app does not know, so days are counted in the site's zone ${n.timeZone}` }
      : n,
  );
  return { ...report, notices: [...notices, ...notCounted] };
}

/**
 * Stored worklogs the engine can count, and a notice for each one it cannot (Jira accepted a duration
 * beyond the engine's limit of ten years, surely a typo) that may touch the period. Such a worklog is
 * stored as Jira has it, so correcting it in Jira corrects the report; until then it counts nothing.
 */
function splitCountable(worklogs: readonly Worklog[], period: Period): { countable: Worklog[]; notCounted: ReportNotice[] } {
  const countable: Worklog[] = [];
  const notCounted: ReportNotice[] = [];
  const from = (toEpochDay(period.firstDate) - 1) * MS_PER_DAY;
  const to = (toEpochDay(period.lastDate) + 2) * MS_PER_DAY;
  for (const w of worklogs) {
    try {
      assertValidWorklog(w);
      countable.push(w);
    } catch (e) {
      if (!(e instanceof DomainError)) throw e;
      if (w.started < to && w.started + w.seconds * 1000 > from) {
        notCounted.push({ kind: 'worklog-not-counted', worklogId: w.id, message: `worklog ${w.id} is not counted: ${e.message.replace(/^worklog "[^"]*": /, '')}. Correct it in Jira.` });
      }
    }
  }
  return { countable, notCounted };
}
