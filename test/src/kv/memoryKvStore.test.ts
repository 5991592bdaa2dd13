import { MemoryKvStore } from '../../../src/kv/memoryKvStore';
import { describeKvStoreConformance } from './kvConformance';

describeKvStoreConformance('MemoryKvStore', () => {
  let now = Date.UTC(2026, 10, 23);
  const store = new MemoryKvStore({ now: () => now });
  return { store, advance: (ms) => (now += ms) };
});
