/**
 * NOT BUILT YET — the next helper's work. The Admin view for HR admins and Jira admins: contracts, absences, holiday calendars and imports (with a progress bar), balance adjustments and payouts, locking and unlocking, roles, teams and settings.
 * Replace this placeholder with the view; the shell (ui/src/shell/views.ts) already lists it for
 * the right roles. Until then it tells people plainly that it is not there yet.
 */
import { EmptyState } from '../../states/States';
import type { ViewProps } from '../../shell/views';

export function AdminView(_props: ViewProps) {
  return (
    <EmptyState title="Admin view: not available yet">
      This part of Worktime is not built yet. Until it is, My period shows your own time, and the resolvers in docs/resolvers.md answer everything else.
    </EmptyState>
  );
}
