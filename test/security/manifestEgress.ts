/**
 * Every way a Forge manifest can let the app reach an outside host, and every relaxation of the
 * Custom UI's content security policy, read from a parsed manifest (field names from
 * @forge/manifest's schema, out/schema/manifest.d.ts: `Permissions`, `External`, `RemotesSchema`).
 * docs/security.md must list each one; `securityDocProblems` says where it does not.
 */

/** One outside host the manifest declares. `declaredAs` is where: `external.fetch.backend`, `remotes.<key>`, … */
export interface OutsideHost {
  readonly declaredAs: string;
  readonly address: string;
  readonly inScopeEUD?: boolean;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);

/** The addresses of remote `key` (its baseUrl, a string or one per region, and an admin-configurable pattern). */
function remoteHosts(remote: Json, declaredAs: string): OutsideHost[] {
  const inScopeEUD = isObject(remote.storage) && typeof remote.storage.inScopeEUD === 'boolean' ? remote.storage.inScopeEUD : undefined;
  const eud = inScopeEUD === undefined ? {} : { inScopeEUD };
  const out: OutsideHost[] = [];
  const baseUrl = remote.baseUrl;
  if (typeof baseUrl === 'string') out.push({ declaredAs, address: baseUrl, ...eud });
  else if (isObject(baseUrl)) for (const url of Object.values(baseUrl)) out.push({ declaredAs, address: String(url), ...eud });
  if (isObject(remote.configurable)) {
    const patterns = asArray(remote.configurable.supportedPatterns).map(String);
    for (const pattern of patterns.length > 0 ? patterns : ['(any host an admin configures)']) out.push({ declaredAs: `${declaredAs}.configurable`, address: pattern, ...eud });
  }
  if (out.length === 0) out.push({ declaredAs, address: '(no baseUrl)', ...eud });
  return out;
}

/**
 * Every outside host `manifest` declares: each kind under `permissions.external` (fetch backend and
 * client, fonts, frames, navigation, images, media, scripts, styles, and any kind Forge adds later),
 * as an address, an egress permission or a reference to a remote; admin-configurable egress; and
 * every `remotes` entry.
 */
export function outsideHosts(manifest: unknown): OutsideHost[] {
  const root = isObject(manifest) ? manifest : {};
  const remotes = asArray(root.remotes).filter(isObject);
  const byKey = new Map(remotes.map((r) => [String(r.key), r]));
  const out: OutsideHost[] = [];
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) {
      for (const item of value) {
        if (typeof item === 'string') out.push({ declaredAs: path, address: item });
        else if (isObject(item) && typeof item.address === 'string') out.push({ declaredAs: path, address: item.address, ...(typeof item.inScopeEUD === 'boolean' ? { inScopeEUD: item.inScopeEUD } : {}) });
        else if (isObject(item) && typeof item.remote === 'string') {
          const remote = byKey.get(item.remote);
          out.push(...(remote ? remoteHosts(remote, path) : [{ declaredAs: path, address: `(remote ${item.remote}, not defined)` }]));
        } else out.push({ declaredAs: path, address: JSON.stringify(item) });
      }
    } else if (isObject(value)) {
      for (const [key, inner] of Object.entries(value)) {
        if (path === 'external' && key === 'configurable') {
          if (isObject(inner) && inner.enabled === true) out.push({ declaredAs: 'external.configurable', address: '(any host an admin configures)' });
        } else walk(inner, `${path}.${key}`);
      }
    } else if (value !== undefined) out.push({ declaredAs: path, address: String(value) });
  };
  const permissions = isObject(root.permissions) ? root.permissions : {};
  walk(permissions.external, 'external');
  for (const remote of remotes) out.push(...remoteHosts(remote, `remotes.${String(remote.key)}`));
  return out;
}

/**
 * Every relaxation of the Custom UI's content security policy and sandbox: `content.styles:
 * unsafe-inline`, `content.scripts: …`, `sandbox: …`.
 */
export function contentRelaxations(manifest: unknown): string[] {
  const permissions = isObject(manifest) && isObject(manifest.permissions) ? manifest.permissions : {};
  const out: string[] = [];
  if (isObject(permissions.content)) {
    for (const [kind, values] of Object.entries(permissions.content)) for (const value of asArray(values)) out.push(`content.${kind}: ${String(value)}`);
  }
  for (const value of asArray(permissions.sandbox)) out.push(`sandbox: ${String(value)}`);
  return out;
}

/** The text of the `## title` section of `doc`. */
export function section(doc: string, title: string): string {
  const start = doc.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`docs/security.md has no "## ${title}" section`);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
}

/** The cells of each body row of the first table in `text`. */
export function tableRows(text: string): string[][] {
  const all = text.split('\n');
  const first = all.findIndex((l) => l.startsWith('|'));
  if (first < 0) return [];
  const end = all.findIndex((l, i) => i > first && !l.startsWith('|'));
  const lines = all.slice(first, end < 0 ? undefined : end);
  return lines.slice(2).map((l) => l.replace(/^\||\|$/g, '').split(' | ').map((c) => c.trim()));
}

const codes = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);

/**
 * Where docs/security.md and the manifest disagree about egress and the content security policy:
 * the "Egress" table's rows are (host with `inScopeEUD: …` when declared, `declaredAs`, …), the
 * "Content security policy" table's first cell is a relaxation. Both directions count.
 */
export function securityDocProblems(manifest: unknown, doc: string): string[] {
  const problems: string[] = [];
  const key = (declaredAs: string, address: string) => `${declaredAs} ${address}`;
  const documented = new Map<string, { declaredAs: string; address: string; eud: string | undefined }>();
  for (const row of tableRows(section(doc, 'Egress'))) {
    const [address, eud] = [codes(row[0] ?? '')[0], /inScopeEUD: (true|false)/.exec(row[0] ?? '')?.[1]];
    const declaredAs = codes(row[1] ?? '')[0];
    if (address === undefined || declaredAs === undefined) problems.push(`docs/security.md, Egress: a row needs the host in backticks, then where the manifest declares it in backticks: ${row.join(' | ')}`);
    else documented.set(key(declaredAs, address), { declaredAs, address, eud });
  }
  const declared = outsideHosts(manifest);
  for (const host of declared) {
    const k = key(host.declaredAs, host.address);
    if (!documented.has(k)) problems.push(`manifest.yml declares ${host.address} under ${host.declaredAs}, which docs/security.md does not list under Egress; list it (host, where it is declared, feature, what leaves, when)`);
    else if (host.inScopeEUD !== undefined && documented.get(k)?.eud !== String(host.inScopeEUD)) problems.push(`${host.address} (${host.declaredAs}): manifest.yml says inScopeEUD: ${host.inScopeEUD}, docs/security.md says ${documented.get(k)?.eud ?? 'nothing'}`);
  }
  const declaredKeys = new Set(declared.map((h) => key(h.declaredAs, h.address)));
  for (const [k, d] of documented) if (!declaredKeys.has(k)) problems.push(`docs/security.md lists egress to ${d.address} under ${d.declaredAs}, which manifest.yml does not declare`);

  const listed = tableRows(section(doc, 'Content security policy')).map((row) => codes(row[0] ?? '')[0]);
  const relaxed = contentRelaxations(manifest);
  for (const r of relaxed) if (!listed.includes(r)) problems.push(`manifest.yml relaxes the Custom UI's content security policy with ${r}, which docs/security.md does not list under "Content security policy" with the reason`);
  for (const r of listed) if (r !== undefined && !relaxed.includes(r)) problems.push(`docs/security.md lists the relaxation ${r}, which manifest.yml does not make`);
  return problems;
}
