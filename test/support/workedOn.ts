import { assignWorklogsToDays, type DayPolicy } from '../../domain/dayAssignment';
import type { LocalDate } from '../../domain/localDate';
import { worklogsAround } from '../../src/app/loadReport';
import type { KvStore } from '../../src/ports';

/** Seconds a person worked on a local date, as a report read from the store shows them. */
export async function workedOn(kv: KvStore, personId: string, date: LocalDate, zone = 'UTC', policy: DayPolicy = 'start-day'): Promise<number> {
  const worklogs = await worklogsAround(kv, personId, date, date);
  const days = assignWorklogsToDays({ worklogs, people: [{ id: personId, timeZone: zone }], siteTimeZone: 'UTC', policy }).days;
  return days.find((d) => d.date === date)?.seconds ?? 0;
}
