/**
 * NOT BUILT YET — the next helper's work. The Audit view for auditors and Jira admins: the audit log (audit/list), verifying the chain (audit/verify, audit/checkpoint), snapshots and drift.
 * Replace this placeholder with the view; the shell (ui/src/shell/views.ts) already lists it for
 * the right roles. Until then it tells people plainly that it is not there yet.
 */
import { EmptyState } from '../../states/States';
import type { ViewProps } from '../../shell/views';

export function AuditView(_props: ViewProps) {
  return (
    <EmptyState title="Audit view: not available yet">
      This part of Worktime is not built yet. Until it is, My period shows your own time, and the resolvers in docs/resolvers.md answer everything else.
    </EmptyState>
  );
}
