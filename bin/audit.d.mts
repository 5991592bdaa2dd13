// Types for audit.mjs, which the tests import (test/security/audit.test.ts).

export const BLOCKING_SEVERITIES: readonly string[];

/** The audit exceptions docs/dependencies.md documents, as advisory id → why it does not apply. */
export function readExceptions(markdown: string): Map<string, string>;

/** What `npm audit --omit=dev --json`'s output means, and the lines that say it. */
export function auditVerdict(stdout: string, stderr: string, exceptions: ReadonlyMap<string, string>): { outcome: 'pass' | 'fail' | 'unreachable' | 'unreadable'; lines: string[] };
