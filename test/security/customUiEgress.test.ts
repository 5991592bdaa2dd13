/**
 * The Custom UI may not call out: with no browser-side egress and no remotes in the manifest,
 * Forge's content security policy refuses any request the page makes to another origin. The
 * bundle still holds address strings from Atlaskit's unconfigured feature-flag and analytics
 * clients; docs/security.md lists each, and this test fails on one it does not name.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from '@forge/manifest';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildUiTargets, ROOT, UI_TARGETS, uiBuildFiles } from '../../bin/build-ui.mjs';
import { outsideHosts, section, tableRows } from './manifestEgress';

const doc = readFileSync(join(ROOT, 'docs/security.md'), 'utf8');

async function manifest(): Promise<Record<string, unknown>> {
  const result = await validate(false, join(ROOT, 'manifest.yml'));
  return result.manifestObject!.typedContent as unknown as Record<string, unknown>;
}

/** Every host named by an http(s) address in `text`. */
export function addressHosts(text: string): string[] {
  return [...new Set([...text.matchAll(/https?:\/\/([a-z0-9-]+(?:\.[a-z0-9-]+)*)/gi)].map((m) => m[1]!.toLowerCase()))].sort();
}

describe('the Custom UI cannot call an outside host', () => {
  it('the manifest declares no egress for the browser (no external.fetch.client, images, scripts, …) and no remotes', async () => {
    const m = await manifest();
    const browserSide = outsideHosts(m).filter((h) => h.declaredAs !== 'external.fetch.backend');
    expect(browserSide, 'egress the Custom UI could use: docs/security.md says the browser may not call out; change that page first').toEqual([]);
    expect(m.remotes, 'manifest.yml declares remotes').toBeUndefined();
    const fetch = ((m.permissions as { external?: { fetch?: Record<string, unknown> } }).external?.fetch ?? {});
    expect(Object.keys(fetch)).not.toContain('client');
  });

  it('the check would see a browser-side host and a remote', () => {
    const m = { permissions: { external: { fetch: { client: ['https://x.example.com'] } } }, remotes: [{ key: 'r', baseUrl: 'https://r.example.com' }] };
    expect(outsideHosts(m).map((h) => h.declaredAs)).toEqual(['external.fetch.client', 'remotes.r']);
  });

  it('finds the hosts of addresses in bundled text', () => {
    expect(addressHosts('a=`https://xp.atlassian.com/v1/rgstr`;b="http://www.w3.org/2000/svg";c=`https://X.statsigapi.net`;d="//cdn.example.com"')).toEqual(['www.w3.org', 'x.statsigapi.net', 'xp.atlassian.com']);
  });
});

describe('docs/security.md lists every remote address string in the built Custom UI', () => {
  beforeAll(async () => {
    await buildUiTargets({ targets: ['forge'], log: () => undefined }); // only when stale
  }, 120_000);

  it('each host named in the Forge build is in the "Remote addresses inside the built Custom UI" table', () => {
    const dir = join(ROOT, UI_TARGETS.forge.outDir);
    const files = uiBuildFiles(dir);
    expect(files.length).toBeGreaterThan(0);
    const inBundle = addressHosts(files.map((f) => readFileSync(join(dir, f.path), 'utf8')).join('\n'));
    const listed = tableRows(section(doc, 'Egress').slice(section(doc, 'Egress').indexOf('### Remote addresses inside the built Custom UI')))
      .flatMap((row) => [...(row[0] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!));
    expect(inBundle.filter((h) => !listed.includes(h)), 'hosts in static/app/build that docs/security.md does not list (say where each comes from and whether anything calls it)').toEqual([]);
  });
});
