import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RESOLVER_ACCESS } from '../../src/app/authorization';
import { resolverSchemas } from '../../src/app/resolverSchemas';

const root = join(import.meta.dirname, '../..');
const tableNames = Object.keys(RESOLVER_ACCESS).sort();

/**
 * Every resolver the app answers has a row in the access table (RESOLVER_ACCESS): one that had a
 * schema and a handler but no row would not be checked the way the review document says.
 */
describe('the access table covers every resolver', () => {
  it('every resolver with a payload schema has a row, and every row a schema', () => {
    const schemaNames = Object.keys(resolverSchemas).sort();
    expect(schemaNames.filter((n) => !tableNames.includes(n)), 'resolvers with a schema and no row in RESOLVER_ACCESS').toEqual([]);
    expect(tableNames.filter((n) => !schemaNames.includes(n)), 'rows in RESOLVER_ACCESS with no payload schema').toEqual([]);
  });

  it('every resolver handler in src/app/resolvers.ts has a row', () => {
    const source = readFileSync(join(root, 'src/app/resolvers.ts'), 'utf8');
    const block = /const handlers[^=]*=\s*\{([\s\S]*?)\n\};/.exec(source)?.[1];
    expect(block, 'the handlers object in src/app/resolvers.ts').toBeDefined();
    const handlerNames = [...block!.matchAll(/^\s{2}'([a-z]+\/[a-z-]+)':/gm)].map((m) => m[1]!).sort();
    expect(handlerNames.length).toBeGreaterThan(10);
    expect(handlerNames).toEqual(tableNames);
  });

  it('the Forge resolver function registers the table rows and nothing else', () => {
    const source = readFileSync(join(root, 'src/forge/index.ts'), 'utf8');
    expect(source).toMatch(/for \(const name of Object\.keys\(RESOLVER_ACCESS\)\)/);
    expect(source.match(/resolvers\[[^\]]+\]\s*=/g)).toEqual(['resolvers[name] =']);
  });

  it.each(tableNames)('%s refuses a payload with a field it does not know', (name) => {
    const schema = resolverSchemas[name as keyof typeof resolverSchemas];
    const result = schema.safeParse({ unexpectedField: 1 });
    expect(result.success).toBe(false);
    expect(result.error!.issues.some((i) => i.code === 'unrecognized_keys'), `${name} accepts unknown fields`).toBe(true);
  });
});
