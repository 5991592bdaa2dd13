import { roleKeys, type RoleAssignments, type Team } from '../app/authorization';
import { keys } from '../app/storageKeys';
import { onWorklogEvent } from '../app/onWorklogEvent';
import type { EventQueue, KvStore } from '../ports';
import { DEMO_ADMIN, type DemoSite } from './demoData';
import type { DemoSource } from './demoSource';
import { seededRandom } from './seededRandom';

/** Writes the demo's HR data (what an HR admin would enter) and puts its worklogs in the demo source. */
export async function loadDemoSite(kv: KvStore, source: DemoSource, site: DemoSite): Promise<void> {
  await kv.set(keys.settings, { siteTimeZone: 'Europe/Brussels', dayPolicy: 'start-day', countedHolidayTypes: ['public'], weekStart: 1 });
  for (const p of site.people) source.people.set(p.accountId, { displayName: p.displayName, timeZone: p.timeZone });
  source.people.set(DEMO_ADMIN, { displayName: 'Demo Jira admin', timeZone: 'Europe/Brussels' });
  source.admins.add(DEMO_ADMIN);
  // The roles the README names: the first person is an HR admin, the second an auditor, the third leads the Brussels office.
  const [hr, auditor, lead] = site.people;
  const roles: RoleAssignments = { hrAdmins: { accounts: [hr!.accountId], groups: [] }, auditors: { accounts: [auditor!.accountId], groups: [] } };
  await kv.set(roleKeys.assignments, roles);
  const brussels: Team = { id: 'brussels', name: 'Brussels office', leads: [lead!.accountId], members: site.people.filter((p) => p.calendarId === 'BE' && p.accountId !== lead!.accountId).map((p) => p.accountId) };
  await kv.set(roleKeys.team(brussels.id), brussels);
  for (const c of site.contracts) await kv.set(keys.contract(c.personId, c.firstDate), c);
  for (const cal of site.calendars) {
    await kv.set(keys.calendar(cal.id), { id: cal.id, country: cal.country, region: cal.region });
    const years = new Set(cal.holidays.map((h) => Number(h.date.slice(0, 4))));
    for (const year of years) await kv.set(keys.holidays(cal.id, year), cal.holidays.filter((h) => h.date.startsWith(String(year))));
  }
  for (const a of site.absences) await kv.set(keys.absence(a.personId, a.firstDate, a.id), a);
  for (const w of site.worklogs) source.worklogs.set(w.id, { ...w });
}

/**
 * Keeps the demo alive: every tick a worklog is created, edited or deleted in
 * the demo source and announced the way Jira's product events are, through the
 * same trigger code the Forge app runs.
 */
export function startDemoTrickle(deps: { kv: KvStore; source: DemoSource; ingestQueue: EventQueue; applyQueue: EventQueue; now: () => number }, intervalMs: number): () => void {
  const random = seededRandom(deps.now() % 2 ** 31);
  let nextId = 900_000 + Math.floor(random() * 10_000) * 10;
  const people = [...deps.source.people.keys()].filter((id) => id !== DEMO_ADMIN);
  const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');
  const announce = (type: 'created' | 'updated' | 'deleted', w: { id: string; issueId?: string; authorId: string; started: number; seconds: number; updated: number }) =>
    onWorklogEvent(
      deps,
      { eventType: `avi:jira:${type}:worklog`, worklog: { id: w.id, issueId: w.issueId, author: { accountId: w.authorId }, started: iso(w.started), timeSpentSeconds: w.seconds, updated: iso(w.updated) } },
      deps.now(),
    );
  const tick = async () => {
    const now = deps.now();
    const roll = random();
    const recent = [...deps.source.worklogs.values()].filter((w) => w.updated > now - 7 * 86_400_000);
    if (roll < 0.6 || recent.length === 0) {
      const w = { id: String(nextId++), authorId: people[Math.floor(random() * people.length)]!, issueId: String(10_000 + Math.floor(random() * 40)), started: now - Math.floor(random() * 4 * 3_600_000), seconds: 900 + Math.floor(random() * 12) * 900, updated: now };
      deps.source.worklogs.set(w.id, w);
      await announce('created', w);
    } else if (roll < 0.9) {
      const w = { ...recent[Math.floor(random() * recent.length)]!, seconds: 900 + Math.floor(random() * 16) * 900, updated: now };
      deps.source.worklogs.set(w.id, w);
      await announce('updated', w);
    } else {
      const w = recent[Math.floor(random() * recent.length)]!;
      deps.source.worklogs.delete(w.id);
      deps.source.deleted.set(w.id, now);
      await announce('deleted', { ...w, updated: now });
    }
  };
  const timer = setInterval(() => void tick().catch((e) => console.error('demo trickle:', (e as Error).message)), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
