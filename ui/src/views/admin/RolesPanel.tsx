/**
 * Roles & teams: who holds HR admin and auditor (roles/get; roles/save is the Jira admin's), and the
 * teams with their leads and members (teams/list, teams/save, removing a team).
 */
import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import { Inline, Stack, Text } from '@atlaskit/primitives';
import { useState } from 'react';
import { useResolver } from '../../client/ClientContext';
import { ErrorState, LoadingState } from '../../states/States';
import { useAction } from '../../client/useAction';
import { ActionError, CheckboxField, Done, TextField } from './action';
import type { PanelProps } from './context';
import { nameOf, type Person } from './people';
import type { Team, Roles } from '../../client/adminAnswers';

export function RolesPanel({ identity, people, teams, onTeamsChanged }: PanelProps) {
  const roles = useResolver<Roles>('roles/get', {}, 'roles');
  const isJiraAdmin = identity.roles.has('jira-admin');
  const [draft, setDraft] = useState<Roles | null>(null);
  const save = useAction();
  const [saved, setSaved] = useState(false);
  const [editing, setEditing] = useState<Team | 'new' | null>(null);
  const current = draft ?? (roles.state === 'done' ? roles.data : null);
  const toggle = (role: keyof Roles, id: string, on: boolean) => {
    if (!current) return;
    setSaved(false);
    save.clear();
    setDraft({ ...current, [role]: { ...current[role], accounts: on ? [...current[role].accounts, id] : current[role].accounts.filter((x) => x !== id) } });
  };

  return (
    <Stack space="space.300">
      <section aria-labelledby="roles-heading">
        <Stack space="space.150">
          <Heading size="medium" as="h3" id="roles-heading">
            Roles
          </Heading>
          <Text as="p">{isJiraAdmin ? 'Tick who is an HR admin or an auditor, then save. Jira admins are Jira’s own; team leads come from the teams below.' : 'Only a Jira admin changes who holds these roles; you see them here.'}</Text>
          {roles.state === 'loading' ? <LoadingState what="the roles" /> : null}
          {roles.state === 'error' ? <ErrorState what="the roles" error={roles.error} onRetry={roles.reload} /> : null}
          {current ? (
            <>
              <table className="wt-table" data-testid="roles-table">
                <caption>App roles by person ({current.hrAdmins.groups.length + current.auditors.groups.length} Jira groups hold roles too)</caption>
                <thead>
                  <tr>
                    <th scope="col">Person</th>
                    <th scope="col">HR admin</th>
                    <th scope="col">Auditor</th>
                  </tr>
                </thead>
                <tbody>
                  {people.map((p) => (
                    <tr key={p.accountId}>
                      <th scope="row">{p.displayName}</th>
                      {(['hrAdmins', 'auditors'] as const).map((role) => (
                        <td key={role}>
                          {isJiraAdmin ? (
                            <CheckboxField label={`${role === 'hrAdmins' ? 'HR admin' : 'Auditor'}: ${p.displayName}`} checked={current[role].accounts.includes(p.accountId)} onChange={(on) => toggle(role, p.accountId, on)} hideLabel />
                          ) : current[role].accounts.includes(p.accountId) ? (
                            'Yes'
                          ) : (
                            ''
                          )}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
              {isJiraAdmin ? (
                <Inline space="space.100">
                  <Button
                    appearance="primary"
                    isDisabled={!draft || save.busy}
                    onClick={async () => {
                      // Based on the roles as loaded: a change another admin made since is refused, not overwritten.
                      if (draft && roles.state === 'done' && (await save.run('roles/save', { assignments: draft, basedOn: roles.data }))) {
                        setSaved(true);
                        setDraft(null);
                        roles.reload();
                      }
                    }}
                  >
                    Save roles
                  </Button>
                </Inline>
              ) : null}
              {saved ? <Done>Roles saved; they hold at once.</Done> : null}
              <ActionError error={save.error} what="save the roles" />
              {save.error?.code === 'CHANGED_SINCE_READ' ? (
                <Button onClick={() => (setDraft(null), save.clear(), roles.reload())}>Load the latest roles (your ticks are dropped)</Button>
              ) : null}
            </>
          ) : null}
        </Stack>
      </section>
      <section aria-labelledby="teams-heading" className="wt-section">
        <Stack space="space.150">
          <Inline spread="space-between" alignBlock="center">
            <Heading size="medium" as="h3" id="teams-heading">
              Teams
            </Heading>
            <Button onClick={() => setEditing('new')}>New team</Button>
          </Inline>
          <table className="wt-table" data-testid="teams-table">
            <caption>Teams: leads see their members' reports and balances</caption>
            <thead>
              <tr>
                <th scope="col">Team</th>
                <th scope="col">Leads</th>
                <th scope="col" className="wt-num">
                  Members
                </th>
                <th scope="col">
                  <span className="wt-visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {teams.map((t) => (
                <tr key={t.id}>
                  <th scope="row">{t.name}</th>
                  <td>{t.leads.map((l) => nameOf(people, l)).join(', ')}</td>
                  <td className="wt-num">{t.members.length}</td>
                  <td>
                    <Button appearance="subtle" onClick={() => setEditing(t)}>
                      Edit<span className="wt-visually-hidden"> {t.name}</span>
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {editing ? (
            <TeamForm
              key={editing === 'new' ? 'new' : editing.id}
              team={editing === 'new' ? null : editing}
              people={people}
              onDone={() => {
                setEditing(null);
                onTeamsChanged();
              }}
              onCancel={() => setEditing(null)}
            />
          ) : null}
        </Stack>
      </section>
    </Stack>
  );
}

function TeamForm({ team, people, onDone, onCancel }: { team: Team | null; people: readonly Person[]; onDone: () => void; onCancel: () => void }) {
  const [id, setId] = useState(team?.id ?? '');
  const [name, setName] = useState(team?.name ?? '');
  const [leads, setLeads] = useState<string[]>([...(team?.leads ?? [])]);
  const [members, setMembers] = useState<string[]>([...(team?.members ?? [])]);
  const save = useAction();
  const [confirmRemove, setConfirmRemove] = useState(false);
  // Characters as people count them (an emoji is one), as the server counts them.
  const nameLength = [...name.trim()].length;
  const problem = !/^[a-z0-9-]{1,40}$/.test(id) ? 'The id is 1–40 lower-case letters, digits and dashes.' : nameLength === 0 || nameLength > 100 ? 'Name the team (up to 100 characters).' : leads.length === 0 || leads.length > 20 ? 'Choose 1 to 20 leads.' : null;
  // The team as this form read it (null: a new one), so the server refuses to overwrite a change made since.
  const basedOn = team;
  const flip = (list: string[], set: (l: string[]) => void, pid: string, on: boolean) => set(on ? [...list, pid] : list.filter((x) => x !== pid));
  return (
    <form
      className="wt-box"
      aria-label={team ? `Edit ${team.name}` : 'New team'}
      onChange={save.clear}
      onSubmit={async (e) => {
        e.preventDefault();
        if (!problem && (await save.run('teams/save', { team: { id, name: name.trim(), leads, members }, basedOn }))) onDone();
      }}
    >
      <Stack space="space.150">
        <div className="wt-form">
          <TextField label="Id" value={id} onChange={team ? () => undefined : setId} hint={team ? 'an id never changes' : 'lower-case, e.g. brussels-office'} />
          <TextField label="Name" value={name} onChange={setName} />
        </div>
        <table className="wt-table">
          <caption>Leads and members</caption>
          <thead>
            <tr>
              <th scope="col">Person</th>
              <th scope="col">Lead</th>
              <th scope="col">Member</th>
            </tr>
          </thead>
          <tbody>
            {people.map((p) => (
              <tr key={p.accountId}>
                <th scope="row">{p.displayName}</th>
                <td>
                  <CheckboxField label={`Lead: ${p.displayName}`} checked={leads.includes(p.accountId)} onChange={(on) => flip(leads, setLeads, p.accountId, on)} hideLabel />
                </td>
                <td>
                  <CheckboxField label={`Member: ${p.displayName}`} checked={members.includes(p.accountId)} onChange={(on) => flip(members, setMembers, p.accountId, on)} hideLabel />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {problem ? <Text color="color.text.warning">{problem}</Text> : null}
        <Inline space="space.100">
          <Button type="submit" appearance="primary" isDisabled={problem !== null || save.busy}>
            Save team
          </Button>
          {team && !confirmRemove ? (
            <Button appearance="danger" isDisabled={save.busy} onClick={() => setConfirmRemove(true)} testId="team-remove">
              Remove team…
            </Button>
          ) : null}
          <Button onClick={onCancel}>Cancel</Button>
        </Inline>
        {team && confirmRemove ? (
          // Removing a team takes its leads' access to the members' reports away at once: asked twice.
          <section className="wt-box" aria-label={`Remove ${team.name}`} data-testid="team-remove-confirm">
            <Stack space="space.100">
              <Text as="p">{`Remove ${team.name}? Its leads no longer see its ${team.members.length} members' reports and balances. The removal is audited; the people and their data stay.`}</Text>
              <Inline space="space.100">
                <Button appearance="danger" isDisabled={save.busy} onClick={async () => (await save.run('teams/save', { remove: team.id, basedOn })) && onDone()} testId="team-remove-confirmed">
                  {`Remove ${team.name}`}
                </Button>
                <Button onClick={() => setConfirmRemove(false)}>Keep it</Button>
              </Inline>
            </Stack>
          </section>
        ) : null}
        <ActionError error={save.error} what="save the team" />
        {save.error?.code === 'CHANGED_SINCE_READ' ? <Button onClick={onDone}>Close and load the latest teams</Button> : null}
      </Stack>
    </form>
  );
}
