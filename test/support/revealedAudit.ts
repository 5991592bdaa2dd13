import type { AuditEntry } from '../../domain/auditChain';
import { listAudit } from '../../src/app/auditLog';
import { queryAll } from '../../src/app/queryAll';
import { ERASED_USER, PSEUDONYM_PATTERN, pseudonymsIn, revealPeople } from '../../src/app/pseudonyms';
import type { KvStore } from '../../src/ports';

/**
 * Every audit entry, oldest first, with each pseudonym shown as the account id it stands for (or
 * "erased user"): what an auditor reads in the UI, for tests that check who did what to whom.
 */
export async function revealedAudit(kv: KvStore): Promise<AuditEntry[]> {
  const entries = (await queryAll<AuditEntry>(kv, 'audit#')).map((r) => r.value);
  const people = await revealPeople(kv, pseudonymsIn(entries));
  const text = JSON.stringify(entries).replace(PSEUDONYM_PATTERN, (p) => people.get(p) ?? ERASED_USER);
  return JSON.parse(text) as AuditEntry[];
}

/** listAudit's page with its entries shown as revealedAudit shows them (newest first, as listAudit). */
export async function listRevealed(kv: KvStore, ...args: Parameters<typeof listAudit> extends [unknown, ...infer R] ? R : never) {
  return revealPage(await listAudit(kv, ...args));
}

/** An `audit/list` answer with its entries' pseudonyms replaced by whom its `people` says they are. */
export function revealPage<E, P extends { readonly entries: readonly E[]; readonly people: Readonly<Record<string, string>> }>(page: P): P {
  const text = JSON.stringify(page.entries).replace(PSEUDONYM_PATTERN, (p) => page.people[p] ?? ERASED_USER);
  return { ...page, entries: JSON.parse(text) as E[] };
}
