import { describe, expect, it } from 'vitest';
import type { AuditEntry } from '../../../domain/auditChain';
import { invokeResolver, type ResolverDeps, type ResolverResult } from '../../../src/app/resolvers';
import { keys } from '../../../src/app/storageKeys';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore';
import { seededRandom } from '../../../src/local/seededRandom';
import { JitteryKvStore } from '../../support/jitteryKvStore';
import { revealedAudit } from '../../support/revealedAudit';
import { SimulatedQueues } from '../../support/simulatedQueue';

/**
 * Two admins saving the same whole value at once (a calendar year, the settings, a team, the roles, the
 * recuperation rules), on storage that delays every call at random so the two interleave at every step.
 * Whatever the interleaving, both changes are kept (or the later one is made on top of the earlier), and
 * the audit log tells the story storage ends with: each entry's "before" is the previous one's "after".
 */

const HR = 'acc-hr';
const HR2 = 'acc-hr2';
const ADMIN = 'acc-admin';
const ADMIN2 = 'acc-admin2';
const SEEDS = [1, 2, 3, 4, 5, 6];
/** The mutex's waits, a tenth as long, so a race costs milliseconds. */
const briefSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms / 10));

async function site(seed: number) {
  const now = Date.UTC(2026, 11, 2, 9);
  const clock = { now: () => now };
  const kv = new MemoryKvStore(clock);
  await kv.set(keys.settings, { siteTimeZone: 'Europe/Brussels' });
  await kv.set('cfg#roles', { hrAdmins: { accounts: [HR, HR2], groups: [] }, auditors: { accounts: [], groups: [] } });
  const random = seededRandom(seed);
  const queues = new SimulatedQueues();
  const view = () =>
    ({
      kv: new JitteryKvStore(kv, random),
      directory: { timeZones: async (ids: readonly string[]) => new Map(ids.map((id) => [id, 'Europe/Brussels'])) },
      permissions: { isJiraAdmin: async (id: string) => id === ADMIN || id === ADMIN2, groupIds: async () => [] as string[] },
      syncQueue: queues.queue('sync'),
      periodsQueue: queues.queue('periods'),
      clock,
      sleep: briefSleep,
    }) as ResolverDeps;
  const call = async <T = unknown>(caller: string, name: string, payload: unknown) => {
    const r = (await invokeResolver(view(), name, payload, caller)) as ResolverResult<T>;
    if (!r.ok) throw new Error(`${name} by ${caller} failed: ${r.error.code} ${r.error.message}`);
    return r.data;
  };
  const audits = async (action: string) => (await revealedAudit(kv)).filter((e) => e.action === action);
  const year2030 = async () => (await call<{ years: { holidays: { name: string }[] }[] }>(HR, 'holidays/calendar', { calendarId: 'co', years: [2030] })).years[0]!.holidays;
  return { kv, call, audits, year2030 };
}

/** Each entry's "before" is the "after" of the one before it: no entry describes a change from a value that was already gone. */
function chained(entries: readonly AuditEntry[], first: unknown) {
  let expected = first;
  for (const e of entries) {
    expect((e.details as { before: unknown }).before).toEqual(expected);
    expected = (e.details as { after: unknown }).after;
  }
  return expected;
}

const names = (holidays: readonly { name: string }[]) => holidays.map((h) => h.name).sort();

describe('two admins saving the same value at once', () => {
  it('holidays/save: two admins add a day each to the same year: both days are kept, and each is audited once', async () => {
    for (const seed of SEEDS) {
      const { call, audits, year2030 } = await site(seed);
      await call(HR, 'holidays/save', { calendarId: 'co', country: 'BE' });
      await Promise.all([
        call(HR, 'holidays/save', { calendarId: 'co', year: 2030, edits: [{ kind: 'add', holiday: { date: '2030-03-02', name: 'Day A' } }] }),
        call(HR2, 'holidays/save', { calendarId: 'co', year: 2030, edits: [{ kind: 'add', holiday: { date: '2030-03-03', name: 'Day B' } }] }),
      ]);
      expect(names(await year2030()), `seed ${seed}`).toEqual(['Day A', 'Day B']);
      expect(await audits('holidays.save')).toHaveLength(2);
    }
  });

  it('holidays/save creating a new calendar twice at once: created once, audited once', async () => {
    for (const seed of SEEDS) {
      const { call, audits } = await site(seed);
      await Promise.all([call(HR, 'holidays/save', { calendarId: 'new', country: 'BE' }), call(HR2, 'holidays/save', { calendarId: 'new', country: 'BE' })]);
      expect(await audits('holidays.calendar'), `seed ${seed}`).toHaveLength(1);
    }
  });

  it('holidays/import racing a manual edit: the manual edit is kept, whichever lands first', async () => {
    for (const seed of SEEDS) {
      const { call, year2030 } = await site(seed);
      await call(HR, 'holidays/save', { calendarId: 'co', country: 'BE' });
      await Promise.all([
        call(HR, 'holidays/import', { calendarId: 'co', country: 'BE', years: [2030] }),
        call(HR2, 'holidays/save', { calendarId: 'co', year: 2030, edits: [{ kind: 'add', holiday: { date: '2030-03-04', name: 'Day C' } }] }),
      ]);
      const holidays = await year2030();
      expect(names(holidays), `seed ${seed}`).toContain('Day C');
      expect(holidays.length).toBeGreaterThan(5); // Belgium's public holidays were imported too
    }
  });

  it('settings/save: two admins change different settings: both changes are kept, and the second entry starts from the first', async () => {
    for (const seed of SEEDS) {
      const { call, audits } = await site(seed);
      await Promise.all([call(HR, 'settings/save', { changes: { approvalWorkflow: true } }), call(HR2, 'settings/save', { changes: { weekStart: 7 } })]);
      expect(await call(HR, 'settings/get', {}), `seed ${seed}`).toMatchObject({ approvalWorkflow: true, weekStart: 7 });
      expect(await audits('settings.save')).toHaveLength(2);
    }
  });

  it('settings/save: two admins set the same setting differently: storage holds the value the last audit entry says, from the first', async () => {
    for (const seed of SEEDS) {
      const { call, audits } = await site(seed);
      await Promise.all([call(HR, 'settings/save', { changes: { weekStart: 3 } }), call(HR2, 'settings/save', { changes: { weekStart: 7 } })]);
      const entries = await audits('settings.save');
      const last = chained(entries, { weekStart: 1 }) as { weekStart: number };
      expect((await call<{ weekStart: number }>(HR, 'settings/get', {})).weekStart, `seed ${seed}`).toBe(last.weekStart);
    }
  });

  it('teams/save: two admins each save the team with one more member: storage holds one of them, and replaying the audit log gives it', async () => {
    for (const seed of SEEDS) {
      const { kv, call, audits } = await site(seed);
      await call(ADMIN, 'teams/save', { team: { id: 't', name: 'T', leads: [HR], members: ['m1'] } });
      await Promise.all([
        call(ADMIN, 'teams/save', { team: { id: 't', name: 'T', leads: [HR], members: ['m1', 'm2'] } }),
        call(ADMIN2, 'teams/save', { team: { id: 't', name: 'T', leads: [HR], members: ['m1', 'm3'] } }),
      ]);
      const stored = (await kv.get<{ members: string[] }>('team#t'))!.members;
      let members: string[] = [];
      for (const e of await audits('team.save')) {
        const d = e.details as { members: { added: string[]; removed: string[] } };
        for (const m of d.members.removed) expect(members, `seed ${seed}: removes ${m}, which the team did not have`).toContain(m);
        members = [...members.filter((m) => !d.members.removed.includes(m)), ...d.members.added];
      }
      expect(members.sort(), `seed ${seed}`).toEqual([...stored].sort());
    }
  });

  it('roles/save: two Jira admins save different assignments: storage holds the last audited "after", and each entry starts from the one before', async () => {
    for (const seed of SEEDS) {
      const { kv, call, audits } = await site(seed);
      const initial = await kv.get('cfg#roles');
      const assign = (extra: string) => ({ assignments: { hrAdmins: { accounts: [HR, HR2, extra], groups: [] }, auditors: { accounts: [], groups: [] } } });
      await Promise.all([call(ADMIN, 'roles/save', assign('acc-x')), call(ADMIN2, 'roles/save', assign('acc-y'))]);
      const entries = await audits('roles.save');
      expect(entries).toHaveLength(2);
      expect(await kv.get('cfg#roles'), `seed ${seed}`).toEqual(chained(entries, initial));
    }
  });

  it('ledger/rules: two HR admins replace the rules: storage holds the last audited "after", and each entry starts from the one before', async () => {
    for (const seed of SEEDS) {
      const { kv, call, audits } = await site(seed);
      const initial = await call(HR, 'ledger/rules', {});
      await Promise.all([call(HR, 'ledger/rules', { rules: { expiryMonths: 6 } }), call(HR2, 'ledger/rules', { rules: { expiryMonths: 12 } })]);
      const entries = await audits('ledger.rules');
      expect(entries).toHaveLength(2);
      expect(await kv.get(keys.recuperationRules), `seed ${seed}`).toEqual(chained(entries, initial));
    }
  });
});
