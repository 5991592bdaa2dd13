import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { periodFromKey } from '../../domain/period';
import { RESOLVER_ACCESS, ROLES, type ResolverKey, type Role } from '../../src/app/authorization';
import { periodSchema, resolverSchemas } from '../../src/app/resolverSchemas';
import { HTTP_STATUS } from '../../src/local/server';

/** docs/resolvers.md must stay true as resolvers are added: these checks fail when it does not. */
const doc = readFileSync(join(import.meta.dirname, '../../docs/resolvers.md'), 'utf8');

/** The text of each `## \`name\`` section, by name. */
function sections(): Map<string, string> {
  const out = new Map<string, string>();
  const parts = doc.split(/^## /m).slice(1);
  for (const part of parts) {
    const m = /^`([^`]+)`\n/.exec(part);
    if (m) out.set(m[1]!, part);
  }
  return out;
}

const ROLE_WORDS: Record<Role, string> = { 'jira-admin': 'Jira admin', 'hr-admin': 'HR admin', auditor: 'auditor', 'team-lead': 'team lead' };
const resolvers = Object.keys(RESOLVER_ACCESS) as ResolverKey[];

describe('docs/resolvers.md', () => {
  it('has a section for every resolver in RESOLVER_ACCESS, and none for a resolver that does not exist', () => {
    const documented = [...sections().keys()];
    for (const name of resolvers) expect(documented, `docs/resolvers.md has no "## \`${name}\`" section`).toContain(name);
    for (const name of documented) expect(resolvers, `docs/resolvers.md documents ${name}, which RESOLVER_ACCESS does not have`).toContain(name);
  });

  it.each(resolvers)('%s: names exactly the roles the access table allows', (name) => {
    const section = sections().get(name) ?? '';
    const allowed = /\*\*Allowed:\*\*([^\n]*(?:\n(?!\n)[^\n]*)*)/.exec(section)?.[1] ?? '';
    expect(allowed, `${name} has no **Allowed:** paragraph`).not.toBe('');
    const rule = RESOLVER_ACCESS[name];
    for (const role of ROLES.filter((r) => r !== 'team-lead')) {
      expect(allowed.includes(ROLE_WORDS[role]), `${name}: the doc ${allowed.includes(ROLE_WORDS[role]) ? 'names' : 'does not name'} ${ROLE_WORDS[role]}`).toBe((rule.roles as readonly Role[]).includes(role));
    }
    // "team lead": about their members (teamLead), or as a role of its own (teams/list).
    expect(allowed.includes('team lead'), `${name}: team lead`).toBe(rule.teamLead || (rule.roles as readonly Role[]).includes('team-lead'));
    expect(allowed.includes('themself'), `${name}: any user about themself`).toBe(rule.self);
  });

  it.each(resolvers)('%s: describes every payload field', (name) => {
    const payload = /\*\*Payload:\*\*([^\n]*(?:\n(?!\n)[^\n]*)*)/.exec(sections().get(name) ?? '')?.[1] ?? '';
    expect(payload, `${name} has no **Payload:** paragraph`).not.toBe('');
    for (const field of Object.keys(resolverSchemas[name].shape)) expect(payload, `${name}: payload field ${field}`).toContain(`"${field}"`);
  });

  it('gives every period form that the schema and periodFromKey accept, and the examples are valid', () => {
    const table = doc.slice(doc.indexOf('## Periods'), doc.indexOf('## Roles'));
    const examples = [...table.matchAll(/`(\{ "(?:periodKey|from)"[^`]*\})`/g)].map((m) => JSON.parse(m[1]!) as unknown);
    expect(examples).toHaveLength(5);
    for (const example of examples) {
      const parsed = periodSchema.parse(example);
      if ('periodKey' in parsed) expect(() => periodFromKey(parsed.periodKey)).not.toThrow();
    }
    const kinds = examples.map((e) => ('periodKey' in (e as object) ? periodFromKey((e as { periodKey: string }).periodKey).kind : 'range'));
    expect(new Set(kinds)).toEqual(new Set(['month', 'week', 'range']));
    expect(periodFromKey('2026-W47')).toMatchObject({ firstDate: '2026-11-16', lastDate: '2026-11-22' });
    expect(periodFromKey('wk7-20261122')).toMatchObject({ firstDate: '2026-11-22', lastDate: '2026-11-28' });
  });

  it('lists the HTTP status the local runtime answers for every error code, and no other', () => {
    const rows = [...doc.matchAll(/^\| `([A-Z_]+)` \| (\d{3}) \|/gm)].map((m) => [m[1]!, Number(m[2])] as const);
    expect(Object.fromEntries(rows)).toEqual(HTTP_STATUS);
  });

  it('names in each section only error codes from the table', () => {
    const codes = new Set(Object.keys(HTTP_STATUS));
    for (const [name, section] of sections()) {
      const errors = /\*\*Errors:\*\*([^\n]*(?:\n(?!\n)[^\n]*)*)/.exec(section)?.[1] ?? '';
      expect(errors, `${name} has no **Errors:** paragraph`).not.toBe('');
      for (const m of errors.matchAll(/`([A-Z_]+)`/g)) expect(codes, `${name}: ${m[1]}`).toContain(m[1]);
    }
  });
});
