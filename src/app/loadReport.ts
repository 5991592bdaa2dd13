import type { Absence } from '../../domain/absence.ts';
import type { Contract } from '../../domain/contract.ts';
import type { Holiday, HolidayCalendar } from '../../domain/holidays.ts';
import { foldLedger, type LedgerEntry } from '../../domain/ledger.ts';
import { compactDate, type LocalDate } from '../../domain/localDate.ts';
import type { Period } from '../../domain/period.ts';
import { computePeriodReport, type PeriodReport } from '../../domain/periodReport.ts';
import type { Clock, Directory, KvStore } from '../ports.ts';
import { personZones } from './personZones.ts';
import { queryAll } from './queryAll.ts';
import { loadSettings } from './settings.ts';
import { keys } from './storageKeys.ts';

export interface ReportDeps {
  readonly kv: KvStore;
  readonly directory: Directory;
  readonly clock: Clock;
}

/** Seconds worked per date of the period, from the person's buckets (one prefix query per month). */
async function workedByDate(kv: KvStore, personId: string, period: Period): Promise<Record<LocalDate, number>> {
  const out: Record<LocalDate, number> = {};
  const months = new Set<string>();
  for (let m = period.firstDate.slice(0, 7); m <= period.lastDate.slice(0, 7); ) {
    months.add(m);
    const [y, mo] = m.split('-').map(Number) as [number, number];
    m = mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
  }
  const first = compactDate(period.firstDate);
  const last = compactDate(period.lastDate);
  for (const month of months) {
    for (const { key, value } of await queryAll<{ seconds: number }>(kv, `${keys.dayPrefix(personId)}${month.replace('-', '')}`)) {
      const day = key.slice(-8);
      if (day >= first && day <= last) out[`${day.slice(0, 4)}-${day.slice(4, 6)}-${day.slice(6)}`] = value.seconds;
    }
  }
  return out;
}

async function calendars(kv: KvStore, contracts: readonly Contract[], period: Period): Promise<HolidayCalendar[]> {
  const ids = [...new Set(contracts.map((c) => c.holidayCalendarId).filter((id): id is string => id !== null))];
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

/**
 * A person's period report from what the app stores: buckets for worked time,
 * contracts, holiday calendars, absences and the balance before the period.
 */
export async function loadReport(deps: ReportDeps, personId: string, period: Period): Promise<PeriodReport> {
  const settings = await loadSettings(deps.kv);
  const zone = (await personZones(deps, [personId])).get(personId) ?? null;
  const contracts = (await queryAll<Contract>(deps.kv, keys.contractPrefix(personId))).map((r) => r.value).filter((c) => c.firstDate <= period.lastDate && (c.lastDate === null || c.lastDate >= period.firstDate));
  const absences = (await queryAll<Absence>(deps.kv, keys.absencePrefix(personId))).map((r) => r.value).filter((a) => a.firstDate <= period.lastDate && a.lastDate >= period.firstDate);
  // The balance before the period: every ledger entry dated before its first day.
  const ledger = (await queryAll<LedgerEntry>(deps.kv, keys.ledgerPrefix(personId))).map((r) => r.value);
  const openingBalanceSeconds = foldLedger(ledger.filter((e) => e.date < period.firstDate)).balanceSeconds;
  return computePeriodReport({
    person: { id: personId, timeZone: zone },
    siteTimeZone: settings.siteTimeZone,
    period,
    worklogs: [],
    workedByDate: await workedByDate(deps.kv, personId, period),
    contracts,
    holidayCalendars: await calendars(deps.kv, contracts, period),
    countedHolidayTypes: settings.countedHolidayTypes,
    absences,
    openingBalanceSeconds,
    dayPolicy: settings.dayPolicy,
    weekStart: settings.weekStart,
  });
}
