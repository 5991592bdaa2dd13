/**
 * Who is using the app and which views their roles open. The roles here only choose what to
 * show: every resolver checks the caller's roles again on the server (src/app/authorization.ts),
 * so a view shown by mistake still gets FORBIDDEN, never data.
 */
export type Role = 'jira-admin' | 'hr-admin' | 'auditor' | 'team-lead';

export interface Identity {
  readonly accountId: string;
  readonly displayName: string;
  readonly roles: ReadonlySet<Role>;
  /** The person's zone from Jira, or null when Jira gives none (reports then use the site's zone). */
  readonly timeZone: string | null;
}

/** The role names the local runtime's /api/people gives (src/local/server.ts ROLE_NAMES), to role ids. */
const ROLE_BY_NAME: Record<string, Role> = { 'Jira admin': 'jira-admin', 'HR admin': 'hr-admin', auditor: 'auditor', 'team lead': 'team-lead' };

export function rolesFromNames(names: readonly string[]): Set<Role> {
  return new Set(names.flatMap((n) => (ROLE_BY_NAME[n] ? [ROLE_BY_NAME[n]] : [])));
}

/** How a role reads in the interface. */
export const ROLE_LABELS: Record<Role, string> = { 'jira-admin': 'Jira admin', 'hr-admin': 'HR admin', auditor: 'Auditor', 'team-lead': 'Team lead' };
