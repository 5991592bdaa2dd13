import { describe, expect, it } from 'vitest';
import { monthPeriod } from '../../../domain/period';
import { listRevealed } from '../../support/revealedAudit';
import { contractEndSchema, contractSaveSchema, endContract, listContracts, saveContract, type ContractSaveInput } from '../../../src/app/contracts';
import { loadReport } from '../../../src/app/loadReport';
import { queryAll } from '../../../src/app/queryAll';
import { keys } from '../../../src/app/storageKeys';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore';
import type { KvStore } from '../../../src/ports';
import { refusalOf } from '../../support/thrown';

const NOW = Date.UTC(2026, 11, 1, 9);
const clock = { now: () => NOW };
const HR = '557058:hr-admin';
const fullTime = { kind: 'weekdays' as const, secondsByWeekday: [28800, 28800, 28800, 28800, 28800, 0, 0] };

function site() {
  const kv = new MemoryKvStore(clock);
  return { kv, deps: { kv, clock } };
}

const contract = (over: Partial<ContractSaveInput> = {}): ContractSaveInput => ({ personId: 'acc-a', firstDate: '2026-01-01', schedule: fullTime, ...over });

/** A contract as a caller sends it back in `basedOn` (JSON: any object with an id). */
const asRead = (c: object) => c as { id: string; [field: string]: unknown };

/** Every stored key and value, to show a refused call changed nothing. */
const everything = async (kv: KvStore) => JSON.stringify(await queryAll(kv, ''));


describe('saving contracts', () => {
  it('creates a contract with an id from its first date, stored under its key, and audits who did it', async () => {
    const { kv, deps } = site();
    const saved = await saveContract(deps, HR, contract());
    expect(saved).toMatchObject({ created: true, changed: true, contract: { id: 'c-20260101', personId: 'acc-a', lastDate: null, partTimeFactor: '1' } });
    expect(await kv.get(keys.contract('acc-a', '2026-01-01'))).toEqual(saved.contract);
    expect(await listContracts(kv, 'acc-a')).toEqual([saved.contract]);
    const { entries } = await listRevealed(kv);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: HR, action: 'contract.save', target: 'contract#acc-a#20260101', at: NOW, details: { personId: 'acc-a', contractId: 'c-20260101', before: null } });
    expect((entries[0]!.details as { after: { firstDate: string } }).after.firstDate).toBe('2026-01-01');
  });

  it('a retried create returns the contract already saved: no second contract, no second audit entry', async () => {
    const { kv, deps } = site();
    await saveContract(deps, HR, contract());
    const again = await saveContract(deps, HR, contract());
    expect(again).toMatchObject({ created: false, changed: false, contract: { id: 'c-20260101' } });
    expect(await listContracts(kv, 'acc-a')).toHaveLength(1);
    expect((await listRevealed(kv)).entries).toHaveLength(1);
  });

  it('a contract read back with its fields in another order is still the same contract: saving it again writes nothing', async () => {
    const { kv, deps } = site();
    const { contract: saved } = await saveContract(deps, HR, contract());
    const reordered = Object.fromEntries(Object.entries(saved).reverse());
    await kv.set(keys.contract('acc-a', '2026-01-01'), reordered);
    expect((await saveContract(deps, HR, contract({ id: saved.id }))).changed).toBe(false);
    expect((await listRevealed(kv)).entries).toHaveLength(1);
  });

  it('a change based on a contract someone has changed since is refused, naming the contract, and writes nothing', async () => {
    const { kv, deps } = site();
    const { contract: read } = await saveContract(deps, HR, contract());
    await saveContract(deps, '557058:other-hr', contract({ id: read.id, partTimeFactor: '0.5' }));
    const before = await everything(kv);
    const e = await refusalOf(saveContract(deps, HR, contract({ id: read.id, timeZone: 'Europe/Brussels', basedOn: asRead(read) })));
    expect(e).toMatchObject({ code: 'CHANGED_SINCE_READ', message: "The contract from 2026-01-01 was changed since you opened it. Reload, then make your change again; nothing was saved." });
    expect(await everything(kv)).toEqual(before);
    // Based on what is stored (even with its fields in another order), it goes through.
    const now = (await listContracts(kv, 'acc-a'))[0]!;
    const reordered = Object.fromEntries(Object.entries(now).reverse()) as typeof now;
    expect((await saveContract(deps, HR, contract({ id: read.id, partTimeFactor: '0.5', timeZone: 'Europe/Brussels', basedOn: asRead(reordered) }))).changed).toBe(true);
  });

  it('a change audits only the fields that changed, before and after', async () => {
    const { kv, deps } = site();
    await saveContract(deps, HR, contract());
    await saveContract(deps, HR, contract({ id: 'c-20260101', partTimeFactor: '0.8' }));
    const [latest] = (await listRevealed(kv)).entries;
    expect(latest!.details).toEqual({ personId: 'acc-a', contractId: 'c-20260101', before: { partTimeFactor: '1' }, after: { partTimeFactor: '0.8' } });
    expect((await listContracts(kv, 'acc-a'))[0]!.partTimeFactor).toBe('0.8');
  });

  it('a save that moves the first date moves the key: the old key is gone', async () => {
    const { kv, deps } = site();
    await saveContract(deps, HR, contract());
    await saveContract(deps, HR, contract({ id: 'c-20260101', firstDate: '2026-02-01' }));
    expect(await kv.get(keys.contract('acc-a', '2026-01-01'))).toBeUndefined();
    expect(await kv.get(keys.contract('acc-a', '2026-02-01'))).toMatchObject({ id: 'c-20260101', firstDate: '2026-02-01' });
    const [latest] = (await listRevealed(kv)).entries;
    expect(latest).toMatchObject({ target: 'contract#acc-a#20260201', details: { movedFrom: 'contract#acc-a#20260101', before: { firstDate: '2026-01-01' }, after: { firstDate: '2026-02-01' } } });
    // A new contract from the old date gets the next free id, not the moved contract's.
    const next = await saveContract(deps, HR, contract({ firstDate: '2025-01-01', lastDate: '2025-12-31' }));
    expect(next.contract.id).toBe('c-20250101');
  });

  it.each([
    [
      'a new contract inside an open one',
      [contract()],
      contract({ firstDate: '2026-03-01' }),
      'contract "c-20260301" (2026-03-01 – open-ended) of person acc-a overlaps contract "c-20260101" (2026-01-01 – open-ended) from 2026-03-01 on; end "c-20260101" first (contracts/end with lastDate 2026-02-28), then save again. Nothing was saved.',
    ],
    [
      'a new contract that starts inside an ended one',
      [contract({ lastDate: '2026-06-30' })],
      contract({ firstDate: '2026-06-01' }),
      'contract "c-20260601" (2026-06-01 – open-ended) of person acc-a overlaps contract "c-20260101" (2026-01-01 – 2026-06-30) from 2026-06-01 to 2026-06-30; end "c-20260101" on 2026-05-31 first (contracts/save with its id and lastDate 2026-05-31), or start "c-20260601" on 2026-07-01 or later. Nothing was saved.',
    ],
    [
      'an open contract that runs into a later one',
      [contract({ firstDate: '2026-07-01' })],
      contract({ firstDate: '2026-01-01' }),
      'contract "c-20260101" (2026-01-01 – open-ended) of person acc-a overlaps contract "c-20260701" (2026-07-01 – open-ended) from 2026-07-01 on; give "c-20260101" a lastDate of 2026-06-30 or earlier, or move "c-20260701" first. Nothing was saved.',
    ],
    [
      'a second contract from the same day',
      [contract()],
      contract({ partTimeFactor: '0.5', lastDate: '2026-03-31' }),
      'contract "c-20260101-2" (2026-01-01 – 2026-03-31) of person acc-a overlaps contract "c-20260101" (2026-01-01 – open-ended) from 2026-01-01 to 2026-03-31; both start on 2026-01-01: to change "c-20260101", save it with its id "c-20260101" instead of adding another contract. Nothing was saved.',
    ],
  ])('refuses %s, naming both contracts and what to do, and changes nothing', async (_, existing, input, message) => {
    const { kv, deps } = site();
    for (const c of existing) await saveContract(deps, HR, c);
    const before = await everything(kv);
    expect(await refusalOf(saveContract(deps, HR, input))).toEqual({ code: 'CONTRACT_OVERLAP', message });
    expect(await everything(kv)).toBe(before);
  });

  it('refuses a change that would move a contract onto another, and changes nothing', async () => {
    const { kv, deps } = site();
    await saveContract(deps, HR, contract({ lastDate: '2026-05-31' }));
    await saveContract(deps, HR, contract({ firstDate: '2026-06-01' }));
    const before = await everything(kv);
    const { code, message } = await refusalOf(saveContract(deps, HR, contract({ id: 'c-20260601', firstDate: '2026-05-01' })));
    expect(code).toBe('CONTRACT_OVERLAP');
    expect(message).toContain('"c-20260601" (2026-05-01 – open-ended)');
    expect(message).toContain('"c-20260101" (2026-01-01 – 2026-05-31)');
    expect(await everything(kv)).toBe(before);
  });

  it('refuses a malformed contract with the domain message, before anything is read or written', async () => {
    const { kv, deps } = site();
    const before = await everything(kv);
    expect(await refusalOf(saveContract(deps, HR, contract({ partTimeFactor: '80%' })))).toEqual({
      code: 'INVALID_CONTRACT',
      message: 'contract "(new)": partTimeFactor must be a decimal string greater than 0 and at most 1 with at most 6 decimals, such as "0.8" (in quotes, so it stays exact); got "80%"',
    });
    expect(await everything(kv)).toBe(before);
  });

  it('the save payload schema is strict and checks dates and account ids', () => {
    expect(contractSaveSchema.safeParse({ ...contract(), extra: 1 }).success).toBe(false);
    expect(contractSaveSchema.safeParse(contract({ firstDate: '2026-02-30' })).success).toBe(false);
    expect(contractSaveSchema.safeParse(contract({ personId: 'not an id' })).success).toBe(false);
    expect(contractSaveSchema.safeParse(contract()).success).toBe(true);
    expect(contractEndSchema.safeParse({ personId: 'acc-a', contractId: 'c-1', lastDate: '2026-11-30' }).success).toBe(true);
  });
});

describe('ending contracts', () => {
  it('ends an open contract and audits the new last day', async () => {
    const { kv, deps } = site();
    await saveContract(deps, HR, contract());
    const ended = await endContract(deps, HR, { personId: 'acc-a', contractId: 'c-20260101', lastDate: '2026-11-14' });
    expect(ended).toMatchObject({ changed: true, contract: { lastDate: '2026-11-14' } });
    expect(await kv.get(keys.contract('acc-a', '2026-01-01'))).toMatchObject({ lastDate: '2026-11-14' });
    const [latest] = (await listRevealed(kv)).entries;
    expect(latest).toMatchObject({ actor: HR, action: 'contract.end', target: 'contract#acc-a#20260101', details: { before: { lastDate: null }, after: { lastDate: '2026-11-14' } } });
    // The same end again is a retry: nothing more is written.
    expect((await endContract(deps, HR, { personId: 'acc-a', contractId: 'c-20260101', lastDate: '2026-11-14' })).changed).toBe(false);
    expect((await listRevealed(kv)).entries).toHaveLength(2);
  });

  it.each([
    [{ contractId: 'c-20260101', lastDate: '2025-12-31' }, 'INVALID_CONTRACT', 'contract "c-20260101" (2026-01-01 – open-ended) of person acc-a cannot end on 2025-12-31, before it starts; give a lastDate on or after 2026-01-01. Nothing was changed.'],
    [{ contractId: 'c-20260101', lastDate: '2026-11-31' }, 'INVALID_DATE', 'lastDate must be a date written YYYY-MM-DD, such as 2026-11-30; got "2026-11-31"'],
    [{ contractId: 'c-2027', lastDate: '2026-11-30' }, 'CONTRACT_NOT_FOUND', 'person acc-a has no contract "c-2027"; the person\'s contracts are "c-20260101" (2026-01-01 – open-ended). Nothing was changed.'],
  ])('refuses %j clearly and changes nothing', async (end, code, message) => {
    const { kv, deps } = site();
    await saveContract(deps, HR, contract());
    const before = await everything(kv);
    expect(await refusalOf(endContract(deps, HR, { personId: 'acc-a', ...end }))).toEqual({ code, message });
    expect(await everything(kv)).toBe(before);
  });

  it('refuses to end a contract that already ends on another day, pointing to contracts/save', async () => {
    const { kv, deps } = site();
    await saveContract(deps, HR, contract({ lastDate: '2026-06-30' }));
    const before = await everything(kv);
    const { message } = await refusalOf(endContract(deps, HR, { personId: 'acc-a', contractId: 'c-20260101', lastDate: '2026-05-31' }));
    expect(message).toBe(
      'contract "c-20260101" (2026-01-01 – 2026-06-30) of person acc-a already ends on 2026-06-30; to end it on 2026-05-31 instead, save it (contracts/save with id "c-20260101" and lastDate 2026-05-31). Nothing was changed.',
    );
    expect(await everything(kv)).toBe(before);
  });
});

describe('a contract change in mid-period, as reports see it', () => {
  it('splits the month at the change: full time to the 14th, half time from the 15th', async () => {
    const { kv, deps } = site();
    await kv.set(keys.settings, { siteTimeZone: 'UTC' });
    await saveContract(deps, HR, contract());
    await endContract(deps, HR, { personId: 'acc-a', contractId: 'c-20260101', lastDate: '2026-11-14' });
    await saveContract(deps, HR, contract({ firstDate: '2026-11-15', partTimeFactor: '0.5' }));
    const directory = { timeZones: async (ids: readonly string[]) => new Map(ids.map((id) => [id, 'UTC'])) };
    const report = await loadReport({ kv, directory, clock }, 'acc-a', monthPeriod(2026, 11));
    // 2–13 November: 10 weekdays of 8 h; 16–30 November: 11 weekdays of 4 h.
    expect(report.segments).toEqual([
      { contractId: 'c-20260101', firstDate: '2026-11-01', lastDate: '2026-11-14', workedSeconds: 0, expectedSeconds: 10 * 28800 },
      { contractId: 'c-20261115', firstDate: '2026-11-15', lastDate: '2026-11-30', workedSeconds: 0, expectedSeconds: 11 * 14400 },
    ]);
    expect(report.totals.expectedSeconds).toBe(10 * 28800 + 11 * 14400);
  });
});
