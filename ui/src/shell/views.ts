/**
 * The app's views and who sees each. To add a view: write its component under ui/src/views/<name>/,
 * and point its entry below at it (`component`); the shell builds the navigation from this list,
 * in this order, showing a view only to the roles listed (`everyone` for all).
 */
import type { ComponentType } from 'react';
import type { Identity, Role } from './identity';
import { MyPeriodView } from '../views/myPeriod/MyPeriodView';
import { TeamView } from '../views/team/TeamView';
import { AdminView } from '../views/admin/AdminView';
import { AuditView } from '../views/audit/AuditView';

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
