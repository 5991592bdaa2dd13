import type { WorklogChange } from './applyWorklogChanges.ts';

/**
 * The bodies of the app's queue events. They carry ids and small worklog
 * records only, never reports, so they stay far below the 100 KB an event of
 * a long-running consumer may have.
 */
export type IngestEvent =
  /** Fetch these worklogs from the source and route each to its author's apply queue. */
  | {
      readonly kind: 'worklog-ids';
      readonly ids: readonly number[];
      /** Jira's updatedTime per id, when listed by a sync: ids already applied at that version are not fetched again. */
      readonly times?: readonly number[];
      readonly batch?: string;
    }
  /** These worklogs were deleted (at the given instants). */
  | { readonly kind: 'deleted'; readonly items: readonly { readonly id: number; readonly at: number }[]; readonly batch?: string }
  /** An issue was deleted: remove all of its worklogs. */
  | { readonly kind: 'issue-deleted'; readonly issueId: string; readonly at: number };

/** Changes for one person, applied with that person's concurrency key so buckets have one writer. */
export interface ApplyEvent {
  readonly kind: 'apply';
  readonly personId: string;
  readonly changes: readonly WorklogChange[];
}

export const personConcurrencyKey = (personId: string) => `person-${personId.replace(/[^a-zA-Z0-9-_]/g, '_')}`;
