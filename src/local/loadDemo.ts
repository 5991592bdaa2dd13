import { addDays, fromEpochDay, MS_PER_DAY, type LocalDate } from '../../domain/localDate';
import { invokeResolver, type ResolverDeps } from '../app/resolvers';
import { onWorklogEvent } from '../app/onWorklogEvent';
import type { EventQueue, KvStore } from '../ports';
import { DEMO_ADMIN, type DemoSite } from './demoData';
import { DEMO_FIRST_ISSUE_ID, DEMO_ISSUE_COUNT, type DemoSource } from './demoSource';
import { seededRandom } from './seededRandom';

/** The demo's HR admin: the README's `557058:demo-01`, who enters everything an HR admin would. */
export const DEMO_HR_ADMIN = '557058:demo-01';
export const DEMO_AUDITOR = '557058:demo-02';
export const DEMO_TEAM_LEAD = '557058:demo-03';
export const DEMO_TEAM_ID = 'brussels-office';
/**
 * Accounts the demo's Jira has that the app knows nothing about (no worklogs, contract, team or
 * role), so that finding people works as in Jira: two new hires to find and set up (one with no
 * zone in Jira), an app's bot and a deactivated account, which people/search leaves out.
 */
export const DEMO_OTHER_ACCOUNTS = [
  { accountId: '557058:demo-new-01', displayName: 'Ruth Newhire', timeZone: 'Europe/Brussels', active: true, accountType: 'atlassian' },
  { accountId: '557058:demo-new-02', displayName: 'Sam Newhire', timeZone: null, active: true, accountType: 'atlassian' },
  { accountId: '557058:demo-app-01', displayName: 'Newsletter automation', timeZone: null, active: true, accountType: 'app' },
  { accountId: '557058:demo-gone-01', displayName: 'Nils Newhire-Left', timeZone: 'Europe/Brussels', active: false, accountType: 'atlassian' },
] as const;
/** The locked person whose worklog the demo then changes, so drift/get has something to show: Elise, the README's employee. */
export const DEMO_DRIFT_PERSON = '557058:demo-05';
/** How much the demo lengthens that worklog. */
export const DEMO_DRIFT_SECONDS = 1800;

/** A demo set-up step a resolver refused: the message names the resolver and its error, in one line. */
export class DemoSetupError extends Error {}

type Call = <T = unknown>(name: string, payload: unknown, caller: string) => Promise<T>;

/** Calls a resolver as a person would; a refusal is a DemoSetupError, never a half-built demo. */
function resolverCall(deps: ResolverDeps): Call {
  return async <T>(name: string, payload: unknown, caller: string) => {
    const answer = await invokeResolver(deps, name, payload, caller);
    if (!answer.ok) {
      const issues = answer.error.issues?.length && !answer.error.issues.every((i) => answer.error.message.includes(i)) ? ` (${answer.error.issues.join('; ')})` : '';
      throw new DemoSetupError(`demo set-up: ${name} failed: ${answer.error.code}: ${answer.error.message}${issues}`.replace(/\s*\n\s*/g, ' '));
    }
    return answer.data as T;
  };
}

/**
 * Puts the demo's people and worklogs in the demo source (its Jira stand-in), then enters its HR
 * set-up through the resolvers, as the Jira admin and the HR admin would: roles, the Brussels
 * office team, settings, holiday calendars for last, this and next year, contracts and absences.
 */
export async function loadDemoSite(deps: ResolverDeps, source: DemoSource, site: DemoSite, today: LocalDate): Promise<void> {
  for (const p of site.people) source.people.set(p.accountId, { displayName: p.displayName, timeZone: p.timeZone });
  source.people.set(DEMO_ADMIN, { displayName: 'Demo Jira admin', timeZone: 'Europe/Brussels' });
  for (const a of DEMO_OTHER_ACCOUNTS) source.otherAccounts.set(a.accountId, a);
  source.admins.add(DEMO_ADMIN);
  for (const w of site.worklogs) source.worklogs.set(w.id, { ...w });

  const call = resolverCall(deps);
  // The roles the README names: only a Jira admin gives them.
  await call('roles/save', { assignments: { hrAdmins: { accounts: [DEMO_HR_ADMIN], groups: [] }, auditors: { accounts: [DEMO_AUDITOR], groups: [] } } }, DEMO_ADMIN);
  const office = site.people.filter((p) => p.timeZone === 'Europe/Brussels').map((p) => p.accountId);
  await call('teams/save', { team: { id: DEMO_TEAM_ID, name: 'Brussels office', leads: [DEMO_TEAM_LEAD], members: office } }, DEMO_HR_ADMIN);
  await call('settings/save', { changes: { siteTimeZone: 'Europe/Brussels', dayPolicy: 'start-day', countedHolidayTypes: ['public'], weekStart: 1, holidayProvider: 'offline' } }, DEMO_HR_ADMIN);

  const year = Number(today.slice(0, 4));
  const years = [year - 1, year, year + 1];
  for (const cal of site.calendars) {
    if (cal.imported) {
      await call('holidays/import', { calendarId: cal.id, country: cal.country, ...(cal.region ? { region: cal.region } : {}), years }, DEMO_HR_ADMIN);
      continue;
    }
    await call('holidays/save', { calendarId: cal.id, country: cal.country, region: cal.region }, DEMO_HR_ADMIN);
    for (const y of years) {
      const holidays = cal.byYear[y];
      if (holidays?.length) await call('holidays/save', { calendarId: cal.id, year: y, edits: holidays.map((holiday) => ({ kind: 'add', holiday })) }, DEMO_HR_ADMIN);
    }
  }

  // Without an id: the resolver names each new contract after its first day, as it does for HR.
  for (const { id: _id, ...contract } of site.contracts) await call('contracts/save', contract, DEMO_HR_ADMIN);

  // Absences in bulk: one call for everyone with the same type, portion and dates.
  const groups = new Map<string, { people: string[]; ranges: [{ from: LocalDate; to: LocalDate }]; type: string; portion: unknown }>();
  for (const a of site.absences) {
    const key = JSON.stringify([a.type, a.portion, a.firstDate, a.lastDate]);
    const group = groups.get(key) ?? { people: [], ranges: [{ from: a.firstDate, to: a.lastDate }], type: a.type, portion: a.portion };
    group.people.push(a.personId);
    groups.set(key, group);
  }
  for (const group of groups.values()) await call('absences/save', group, DEMO_HR_ADMIN);
}

/** The month before the one `today` is in: ended, so it can be locked. */
export function demoLockedMonth(today: LocalDate): string {
  return addDays(`${today.slice(0, 7)}-01` as LocalDate, -1).slice(0, 7);
}

/**
 * Once the import has been ingested and applied, the HR admin locks last month for the Brussels
 * office (a job the `periods` queue runs); when every lock holds, one of Elise's worklogs in that
 * month is lengthened in the demo source and announced as Jira would, so drift/get shows drift.
 * Resolves when that change is announced; rejects with a DemoSetupError if a step fails; stops
 * quietly (resolves) once `stopped()` says the runtime is stopping.
 */
export async function lockDemoMonth(
  deps: ResolverDeps & { source: DemoSource; ingestQueue: EventQueue; applyQueue: EventQueue; queuesIdle: () => boolean; stopped: () => boolean },
  today: LocalDate,
): Promise<void> {
  const call = resolverCall(deps);
  const pause = () => new Promise<void>((resolve) => setTimeout(resolve, 100));
  // The import is done when every listed worklog is ingested and nothing is left in the queues for the changes to be applied.
  while (!deps.stopped()) {
    const progress = await call<{ state: string }>('sync/progress', {}, DEMO_HR_ADMIN);
    if (progress.state === 'failed') throw new DemoSetupError('demo set-up: the import of the demo worklogs failed; sync/progress says why');
    if (progress.state === 'done' && deps.queuesIdle()) break;
    await pause();
  }
  if (deps.stopped()) return;
  const periodKey = demoLockedMonth(today);
  const { jobId } = await call<{ jobId: string }>('periods/lock', { periodKey, teamId: DEMO_TEAM_ID }, DEMO_HR_ADMIN);
  for (;;) {
    if (deps.stopped()) return;
    const job = await call<{ state: string; failed: number; failures: { personId: string; code?: string; message?: string }[] }>('periods/job', { jobId }, DEMO_HR_ADMIN);
    if (job.state === 'done') {
      const failure = job.failures[0];
      if (failure) throw new DemoSetupError(`demo set-up: periods/lock of ${periodKey} failed for ${job.failed} people, first ${failure.personId}: ${failure.code ?? ''}: ${failure.message ?? ''}`);
      break;
    }
    await pause();
  }
  // The drift: a worklog of Elise's in the locked month, 30 minutes longer, as if she corrected it after the lock.
  const inMonth = (ms: number) => fromEpochDay(Math.floor(ms / MS_PER_DAY)).startsWith(periodKey);
  const worklog = [...deps.source.worklogs.values()].find((w) => w.authorId === DEMO_DRIFT_PERSON && inMonth(w.started - 86_400_000) && inMonth(w.started + 86_400_000));
  if (!worklog) throw new DemoSetupError(`demo set-up: ${DEMO_DRIFT_PERSON} has no worklog in ${periodKey} to change for the drift`);
  const changed = { ...worklog, seconds: worklog.seconds + DEMO_DRIFT_SECONDS, updated: deps.clock.now() };
  deps.source.worklogs.set(changed.id, changed);
  await announce({ kv: deps.kv, ingestQueue: deps.ingestQueue, applyQueue: deps.applyQueue }, 'updated', changed, deps.clock.now());
}

const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

/** Tells the app about a worklog change the way Jira's product events do, through the same trigger code the Forge app runs. */
function announce(
  deps: { kv: KvStore; ingestQueue: EventQueue; applyQueue: EventQueue },
  type: 'created' | 'updated' | 'deleted',
  w: { id: string; issueId?: string; authorId: string; started: number; seconds: number; updated: number },
  now: number,
) {
  return onWorklogEvent(
    deps,
    { eventType: `avi:jira:${type}:worklog`, worklog: { id: w.id, issueId: w.issueId, author: { accountId: w.authorId }, started: iso(w.started), timeSpentSeconds: w.seconds, updated: iso(w.updated) } },
    now,
  );
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
  const announceNow = (type: 'created' | 'updated' | 'deleted', w: { id: string; issueId?: string; authorId: string; started: number; seconds: number; updated: number }) => announce(deps, type, w, deps.now());
  const tick = async () => {
    const now = deps.now();
    const roll = random();
    const recent = [...deps.source.worklogs.values()].filter((w) => w.updated > now - 7 * 86_400_000);
    if (roll < 0.6 || recent.length === 0) {
      const w = { id: String(nextId++), authorId: people[Math.floor(random() * people.length)]!, issueId: String(DEMO_FIRST_ISSUE_ID + Math.floor(random() * DEMO_ISSUE_COUNT)), started: now - Math.floor(random() * 4 * 3_600_000), seconds: 900 + Math.floor(random() * 12) * 900, updated: now };
      deps.source.worklogs.set(w.id, w);
      await announceNow('created', w);
    } else if (roll < 0.9) {
      const w = { ...recent[Math.floor(random() * recent.length)]!, seconds: 900 + Math.floor(random() * 16) * 900, updated: now };
      deps.source.worklogs.set(w.id, w);
      await announceNow('updated', w);
    } else {
      const w = recent[Math.floor(random() * recent.length)]!;
      deps.source.worklogs.delete(w.id);
      deps.source.deleted.set(w.id, now);
      await announceNow('deleted', { ...w, updated: now });
    }
  };
  const timer = setInterval(() => void tick().catch((e) => console.error('demo trickle:', (e as Error).message)), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
