/**
 * NOT BUILT YET — the next helper's work. The Team view for team leads, HR admins and auditors: the reports, balances and records of the people they may see (report/person, balance/person, record/person, periods/approve and periods/reject for team leads).
 * Replace this placeholder with the view; the shell (ui/src/shell/views.ts) already lists it for
 * the right roles. Until then it tells people plainly that it is not there yet.
 */
import { EmptyState } from '../../states/States';
import type { ViewProps } from '../../shell/views';

export function TeamView(_props: ViewProps) {
  return (
    <EmptyState title="Team view: not available yet">
      This part of Worktime is not built yet. Until it is, My period shows your own time, and the resolvers in docs/resolvers.md answer everything else.
    </EmptyState>
  );
}
