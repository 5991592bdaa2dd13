/**
 * The app's views and who sees each. To add a view: write its component under ui/src/views/<name>/,
 * export it by name, and point its entry below at it with lazy(() => import(…)) like TeamView; the
 * shell builds the navigation from this list, in this order, showing a view only to the roles
 * listed (`everyone` for all), and shows a loading state while a view's chunk arrives.
 */
import { lazy, type ComponentType } from 'react';
import type { Identity, Role } from './identity';
import { MyPeriodView } from '../views/myPeriod/MyPeriodView';

// Views other than the first load when opened (a chunk each), so the first view stays quick to show.
const TeamView = lazy(() => import('../views/team/TeamView').then((m) => ({ default: m.TeamView })));
const AdminView = lazy(() => import('../views/admin/AdminView').then((m) => ({ default: m.AdminView })));
const AuditView = lazy(() => import('../views/audit/AuditView').then((m) => ({ default: m.AuditView })));

/** What every view receives from the shell. */
export interface ViewProps {
  readonly identity: Identity;
}

export interface ViewDefinition {
  readonly id: 'my-period' | 'team' | 'admin' | 'audit';
  readonly label: string;
  readonly roles: 'everyone' | readonly Role[];
  readonly component: ComponentType<ViewProps>;
}

export const VIEWS: readonly ViewDefinition[] = [
  { id: 'my-period', label: 'My period', roles: 'everyone', component: MyPeriodView },
  { id: 'team', label: 'Team', roles: ['team-lead', 'hr-admin', 'auditor'], component: TeamView },
  { id: 'admin', label: 'Admin', roles: ['hr-admin', 'jira-admin'], component: AdminView },
  { id: 'audit', label: 'Audit', roles: ['auditor', 'jira-admin'], component: AuditView },
];

/** The views a person's roles open, in navigation order. */
export function viewsFor(identity: Identity): ViewDefinition[] {
  return VIEWS.filter((v) => v.roles === 'everyone' || v.roles.some((r) => identity.roles.has(r)));
}
