import type { Absence } from '../../domain/absence';
import type { Contract } from '../../domain/contract';
import type { Holiday } from '../../domain/holidays';
import { addDays, datesFromTo, isoWeekday, MS_PER_DAY, toEpochDay, type LocalDate } from '../../domain/localDate';
import type { Schedule } from '../../domain/schedule';
import { DEMO_FIRST_ISSUE_ID, DEMO_ISSUE_COUNT } from './demoSource';
import { instantOfLocal } from '../../domain/zoneOffsets';
import { seededRandom } from './seededRandom';

/**
 * A demo site: 42 people in nine zones (both hemispheres, +05:45, a person
 * with no zone), three months around the autumn clock changes, worklogs that
 * cross midnight, full-timers, part-timers, a contract change, a night-shift
 * rotation, public holidays and observances, vacations and sick days.
 */
export interface DemoSite {
  readonly people: readonly { readonly accountId: string; readonly displayName: string; readonly timeZone: string | null; readonly calendarId: string }[];
  readonly contracts: readonly Contract[];
  readonly calendars: readonly DemoCalendar[];
  readonly absences: readonly Absence[];
  readonly worklogs: readonly { id: string; authorId: string; issueId: string; started: number; seconds: number; updated: number }[];
}

export const DEMO_FIRST_DATE: LocalDate = '2026-09-01';
export const DEMO_ADMIN = '557058:demo-admin';

const OFFICES: readonly { zone: string | null; calendar: string; count: number; names: readonly string[] }[] = [
  { zone: 'Europe/Brussels', calendar: 'BE', count: 9, names: ['Anna', 'Bram', 'Chloé', 'Dries', 'Elise', 'Fien', 'Gert', 'Hanne', 'Ilse'] },
  { zone: 'America/New_York', calendar: 'US', count: 6, names: ['Jake', 'Kayla', 'Liam', 'Maya', 'Noah', 'Olivia'] },
  { zone: 'America/Sao_Paulo', calendar: 'BR', count: 5, names: ['Paulo', 'Queila', 'Rafael', 'Sofia', 'Tiago'] },
  { zone: 'America/Santiago', calendar: 'CL', count: 2, names: ['Ulises', 'Valentina'] },
  { zone: 'Australia/Sydney', calendar: 'AU-NSW', count: 6, names: ['Wade', 'Xanthe', 'Yusuf', 'Zoe', 'Archie', 'Bella'] },
  { zone: 'Pacific/Auckland', calendar: 'NZ', count: 3, names: ['Cody', 'Dana', 'Eru'] },
  { zone: 'Asia/Kathmandu', calendar: 'NP', count: 4, names: ['Farid', 'Gita', 'Hari', 'Isha'] },
  { zone: 'Asia/Kolkata', calendar: 'IN', count: 5, names: ['Jai', 'Kavya', 'Lakshmi', 'Manoj', 'Nisha'] },
  { zone: null, calendar: 'BE', count: 2, names: ['Otto (no zone in Jira)', 'Pia (no zone in Jira)'] },
];

/**
 * A demo calendar: imported from the offline provider (every demo country it knows, with the
 * region where the demo has one), or, for a country that provider has no data for, the holidays
 * an HR admin would enter by hand, by year.
 */
export type DemoCalendar =
  | { readonly id: string; readonly country: string; readonly region: string | null; readonly imported: true }
  | { readonly id: string; readonly country: string; readonly region: null; readonly imported: false; readonly byYear: Readonly<Record<number, readonly DemoHoliday[]>> };
export interface DemoHoliday {
  readonly date: LocalDate;
  readonly name: string;
  readonly type: Holiday['type'];
}

const imported = (id: string, country: string, region: string | null = null): DemoCalendar => ({ id, country, region, imported: true });
const nepalFestival = (dashami: LocalDate, laxmiPuja: LocalDate): DemoHoliday[] => [
  { date: dashami, name: 'Dashain (Vijaya Dashami)', type: 'public' },
  { date: laxmiPuja, name: 'Tihar (Laxmi Puja)', type: 'public' },
];

const CALENDARS: readonly DemoCalendar[] = [
  imported('BE', 'BE'),
  imported('US', 'US'),
  imported('BR', 'BR'),
  imported('CL', 'CL'),
  imported('AU-NSW', 'AU', 'AU-NSW'),
  imported('NZ', 'NZ'),
  // The offline holiday data has no Nepal: HR enters its two great festivals (lunar dates) by hand.
  { id: 'NP', country: 'NP', region: null, imported: false, byYear: { 2025: nepalFestival('2025-10-02', '2025-10-21'), 2026: nepalFestival('2026-10-20', '2026-11-08'), 2027: nepalFestival('2027-10-09', '2027-10-29') } },
  imported('IN', 'IN'),
];

const H = 3600;
const fullTime: Schedule = { kind: 'weekdays', secondsByWeekday: [8 * H, 8 * H, 8 * H, 8 * H, 8 * H, 0, 0] };
const nightRotation: Schedule = {
  kind: 'rotation',
  cycleStart: '2026-08-31',
  shifts: { early: { start: '06:00', end: '14:00', unpaidBreakMinutes: 30 }, night: { start: '22:00', end: '06:00', unpaidBreakMinutes: 30 } },
  weeks: [
    ['early', 'early', 'early', 'early', 'early', null, null],
    ['night', 'night', 'night', 'night', 'night', null, null],
  ],
  nightShifts: 'start-day',
};

/** The demo site built up to `today`, in one line for the start-up banner: its people, their zones and the dates its worklogs cover. */
export function describeDemoSite(site: DemoSite, today: LocalDate): string {
  const zones = new Set(site.people.flatMap((p) => (p.timeZone ? [p.timeZone] : [])));
  const noZone = site.people.filter((p) => p.timeZone === null).length;
  return `Demo data: ${site.people.length} people in ${zones.size} time zones (${noZone} with no zone set in Jira), worklogs from ${DEMO_FIRST_DATE} to ${addDays(today, -1)}`;
}

/** Builds the demo site up to (not including) `today`, deterministically. */
export function buildDemoSite(today: LocalDate, seed = 20_261_123): DemoSite {
  const random = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
  const people: DemoSite['people'][number][] = [];
  const contracts: Contract[] = [];
  const absences: Absence[] = [];
  const worklogs: DemoSite['worklogs'][number][] = [];
  let worklogId = 100_000;
  let n = 0;
  for (const office of OFFICES) {
    for (let i = 0; i < office.count; i++, n++) {
      const accountId = `557058:demo-${String(n + 1).padStart(2, '0')}`;
      const zone = office.zone ?? 'Europe/Brussels';
      people.push({ accountId, displayName: office.names[i]!, timeZone: office.zone, calendarId: office.calendar });
      const base = { personId: accountId, holidayCalendarId: office.calendar, timeZone: null, lastDate: null };
      if (n % 9 === 4) contracts.push({ ...base, id: `${accountId}-rotation`, firstDate: '2026-01-01', schedule: nightRotation, partTimeFactor: '1' });
      else if (n % 7 === 3) {
        // A contract change in mid-period: full time until 15 October, then 80 %.
        contracts.push({ ...base, id: `${accountId}-full`, firstDate: '2026-01-01', lastDate: '2026-10-14', schedule: fullTime, partTimeFactor: '1' });
        contracts.push({ ...base, id: `${accountId}-80`, firstDate: '2026-10-15', schedule: fullTime, partTimeFactor: '0.8' });
      } else if (n % 5 === 1) contracts.push({ ...base, id: `${accountId}-part`, firstDate: '2026-01-01', schedule: fullTime, partTimeFactor: pick(['0.5', '0.6', '0.8']) });
      else contracts.push({ ...base, id: `${accountId}-weekly`, firstDate: '2026-01-01', schedule: n % 2 ? fullTime : { kind: 'weekly', weeklySeconds: 38 * H, workingDays: [1, 2, 3, 4, 5] }, partTimeFactor: '1' });
      const factor = Number(contracts[contracts.length - 1]!.partTimeFactor);

      const vacationStart = addDays(DEMO_FIRST_DATE, 10 + Math.floor(random() * 60));
      absences.push({ id: `abs-${accountId}-v`, personId: accountId, type: 'vacation', firstDate: vacationStart, lastDate: addDays(vacationStart, Math.floor(random() * 5)), portion: { kind: 'whole' } });
      if (random() < 0.4) {
        const sick = addDays(DEMO_FIRST_DATE, Math.floor(random() * 80));
        const portion = random() < 0.5 ? 'whole' : 'half';
        // A person has one absence a day (absences/save refuses overlaps): no sick day during the vacation.
        const vacation = absences[absences.length - 1]!;
        if (sick < vacation.firstDate || sick > vacation.lastDate) absences.push({ id: `abs-${accountId}-s`, personId: accountId, type: 'sick', firstDate: sick, lastDate: sick, portion: { kind: portion } });
      }
      const away = (d: LocalDate) => absences.some((a) => a.personId === accountId && a.portion.kind === 'whole' && a.firstDate <= d && d <= a.lastDate);

      for (const date of datesFromTo(DEMO_FIRST_DATE, addDays(today, -1))) {
        const weekday = isoWeekday(date);
        if (weekday >= 6 ? random() > 0.05 : away(date) || random() < 0.04) continue;
        // Two to four worklogs a day, a little over or under the contract; now and then a late one across midnight.
        const target = 8 * H * factor * (0.85 + random() * 0.35);
        const pieces = 2 + Math.floor(random() * 3);
        let minute = 8 * 60 + Math.floor(random() * 90);
        for (let p = 0; p < pieces; p++) {
          const seconds = Math.round(target / pieces / 60) * 60;
          const lateNight = p === pieces - 1 && random() < 0.06;
          const startMinute = lateNight ? 23 * 60 + 15 : minute;
          const started = instantOfLocal(zone, toEpochDay(date) * MS_PER_DAY + startMinute * 60_000);
          worklogs.push({ id: String(worklogId++), authorId: accountId, issueId: String(DEMO_FIRST_ISSUE_ID + Math.floor(random() * DEMO_ISSUE_COUNT)), started, seconds, updated: started + seconds * 1000 });
          minute += seconds / 60 + 15 + Math.floor(random() * 45);
        }
      }
    }
  }
  return { people, contracts, calendars: CALENDARS, absences, worklogs };
}
