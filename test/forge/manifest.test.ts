import { validate } from '@forge/manifest';
import { describe, expect, it } from 'vitest';


interface Manifest {
  permissions: { scopes: string[]; external: { fetch: { backend: { address: string; inScopeEUD?: boolean }[] } } };
  modules: { function: { key: string; handler: string; timeoutSeconds?: number }[] } & Record<string, { key: string; function?: string; resolver?: { function: string } }[]>;
  app: { runtime: { name: string } };
}

async function load(): Promise<Manifest> {
  const result = await validate(false, 'manifest.yml');
  return result.manifestObject!.typedContent as unknown as Manifest;
}

describe('manifest.yml', () => {
  it('passes @forge/manifest full validation offline, with no errors', async () => {
    const result = await validate(false, 'manifest.yml');
    const errors = (result.errors ?? []).filter((e) => e.level === 'error');
    expect(errors.map((e) => `${e.message} (line ${e.line})`)).toEqual([]);
  });

  it('asks for the three scopes and nothing broader', async () => {
    expect((await load()).permissions.scopes.sort()).toEqual(['read:jira-user', 'read:jira-work', 'storage:app']);
  });

  it('declares only the optional egress hosts, with Nager.Date outside EU data residency scope', async () => {
    const backend = (await load()).permissions.external.fetch.backend;
    expect(backend.map((b) => b.address).sort()).toEqual(['https://aod.eazybi.com', 'https://api.clockwork.report', 'https://api.tempo.io', 'https://date.nager.at']);
    expect(backend.find((b) => b.address === 'https://date.nager.at')!.inScopeEUD).toBe(false);
  });

  it('runs on nodejs22.x', async () => {
    expect((await load()).app.runtime.name).toBe('nodejs22.x');
  });

  it('every handler it names exists and is exported as a function', async () => {
    const manifest = await load();
    const handlers = await import('../../src/index.ts');
    for (const f of manifest.modules.function) {
      const [file, name] = f.handler.split('.') as [string, string];
      expect(file, f.key).toBe('index');
      expect(typeof (handlers as Record<string, unknown>)[name], `${f.key} → ${f.handler}`).toBe('function');
    }
  });

  it('every module points at a declared function, and consumers may run 900 s', async () => {
    const manifest = await load();
    const keys = new Set(manifest.modules.function.map((f) => f.key));
    for (const [kind, modules] of Object.entries(manifest.modules)) {
      if (kind === 'function') continue;
      for (const m of modules as { key: string; function?: string; resolver?: { function: string } }[]) expect(keys.has(m.function ?? m.resolver!.function), `${kind} ${m.key}`).toBe(true);
    }
    for (const f of manifest.modules.function.filter((f) => /ingest|apply|sync/.test(f.key))) expect(f.timeoutSeconds).toBe(900);
  });

  it('has a consumer for exactly the queues the app pushes to', async () => {
    const manifest = await load();
    const { QUEUE_KEYS } = await import('../../src/forge/index.ts');
    const consumed = (manifest.modules.consumer as unknown as { queue: string }[]).map((c) => c.queue).sort();
    expect(consumed).toEqual(Object.values(QUEUE_KEYS).sort());
  });
});
