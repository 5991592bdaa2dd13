import { afterAll, describe, expect, it } from 'vitest';
import { ForgeKvStore } from '../../../src/forge/forgeKvStore';
import { FakeForgeKvsService } from '../../support/fakeForgeKvsService';
import { describeKvStoreConformance } from '../kv/kvConformance';

let now = Date.UTC(2026, 10, 23);
let service = new FakeForgeKvsService(() => now);
let uninstall = service.install();
afterAll(() => uninstall());

describeKvStoreConformance('ForgeKvStore through the real @forge/kvs package', () => {
  uninstall();
  service = new FakeForgeKvsService(() => now);
  uninstall = service.install();
  return { store: new ForgeKvStore(), advance: (ms) => (now += ms) };
});

describe('ForgeKvStore translation', () => {
  it('uses one batch request for getMany and one transaction request for transact', async () => {
    const store = new ForgeKvStore();
    service.requests.length = 0;
    await store.getMany(['a', 'b', 'c']);
    await store.transact([{ kind: 'set', key: 'a', value: 1, ttlSeconds: 60 }, { kind: 'delete', key: 'b' }]);
    expect(service.requests).toEqual(['/api/v1/batch/get', '/api/v1/transaction']);
    expect(service.data.get('a')!.expiresAt).toBe(now + 60_000);
  });

  it('checks a key before any request is made', async () => {
    const store = new ForgeKvStore();
    service.requests.length = 0;
    await expect(store.get('no/slashes')).rejects.toMatchObject({ code: 'INVALID_KEY' });
    expect(service.requests).toEqual([]);
  });
});
