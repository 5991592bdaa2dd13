/**
 * Periods & locking: a month's approval and lock state for a team (or everyone), locking as a job
 * with a progress bar (periods/lock, then periods/job), unlocking with a reason, and for a locked
 * period its snapshot versions (snapshots/list) and drift since the lock (drift/get).
 */
import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import Lozenge from '@atlaskit/lozenge';
import { Inline, Stack, Text } from '@atlaskit/primitives';
import { useEffect, useMemo, useState } from 'react';
import { asResolverError, useClient, useResolver, type Loaded } from '../../client/ClientContext';
import { formatInstant, formatMonth } from '../../format/dates';
import { addDays, addMonths, monthKeyOf } from '../../format/periods';
import { EmptyState, ErrorState, LoadingState, ProgressState } from '../../states/States';
import { useAction } from '../../client/useAction';
import { mapBounded } from '../../client/boundedMap';
import { Pager, pageOf } from './Pager';
import { ActionError, CheckboxField, Done, SelectField, TextField } from './action';
import type { PanelProps } from './context';
import { nameOf, type Person } from './people';
import type { Status, PeriodState, Drift, Job, Snapshot, SnapshotVersions } from '../../client/adminAnswers';

interface Row {
  readonly person: Person;
  readonly state: PeriodState | null;
  readonly drift: Drift | null;
  readonly error: string | null;
}
export const STATUS_LOZENGE: Record<Status, { label: string; appearance: 'default' | 'inprogress' | 'success' | 'removed' | 'moved' }> = {
  open: { label: 'Open', appearance: 'default' },
  submitted: { label: 'Submitted', appearance: 'inprogress' },
  approved: { label: 'Approved', appearance: 'success' },
  rejected: { label: 'Sent back', appearance: 'removed' },
  locked: { label: 'Locked', appearance: 'moved' },
};

/**
 * The running lock job, kept in this tab's session storage so a reload (or coming back to the
 * panel) follows it again instead of forgetting that a lock is under way.
 */
const rememberedJob = {
  key: 'worktime.lockJob',
  read(): { jobId: string; total: number; progress: null } | null {
    try {
      const v = JSON.parse(window.sessionStorage.getItem(this.key) ?? 'null') as { jobId?: unknown; total?: unknown } | null;
      return v && typeof v.jobId === 'string' && typeof v.total === 'number' ? { jobId: v.jobId, total: v.total, progress: null } : null;
    } catch {
      return null; // storage off (a sandboxed frame): nothing remembered
    }
  },
  keep(job: { jobId: string; total: number }): void {
    try {
      window.sessionStorage.setItem(this.key, JSON.stringify({ jobId: job.jobId, total: job.total }));
    } catch {
      /* not remembered */
    }
  },
  forget(): void {
    try {
      window.sessionStorage.removeItem(this.key);
    } catch {
      /* nothing to forget */
    }
  },
};

/** Resolver calls in flight at once while a page of people loads. */
const ROW_CONCURRENCY = 4;

const driftChanges = (d: Drift) => d.added.length + d.changed.length + d.deleted.length;

/** Each person's state for the period, and the drift of those locked; a failure stays on its row. */
function useRows(people: readonly Person[], periodKey: string, version: number): Loaded<Row[]> {
  const client = useClient();
  const [rows, setRows] = useState<Loaded<Row[]>>({ state: 'loading' });
  const ids = people.map((p) => p.accountId).join(',');
  useEffect(() => {
    let current = true;
    setRows({ state: 'loading' });
    // A few at a time: a page of people is 25 to 50 calls, which must not all go at once.
    void mapBounded(people, ROW_CONCURRENCY, async (person): Promise<Row> => {
      try {
        const state = await client.call<PeriodState>('periods/status', { personId: person.accountId, periodKey });
        const drift = state.status === 'locked' ? await client.call<Drift>('drift/get', { personId: person.accountId, periodKey }) : null;
        return { person, state, drift, error: null };
      } catch (e) {
        return { person, state: null, drift: null, error: asResolverError(e, 'periods/status').message };
      }
    }).then((settled) => current && setRows({ state: 'done', data: settled.map((r, i) => (r.ok ? r.value : { person: people[i]!, state: null, drift: null, error: String(r.error) })) }));
    return () => {
      current = false;
    };
  }, [client, ids, periodKey, version]);
  return rows;
}

export function PeriodsPanel({ people, teams, fmt, zone, today }: PanelProps) {
  const client = useClient();
  const [month, setMonth] = useState(addMonths(monthKeyOf(today), -1));
  const [scope, setScope] = useState(teams[0]?.id ?? 'everyone');
  const [version, setVersion] = useState(0);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [detailOf, setDetailOf] = useState<string | null>(null);
  const [unlockOf, setUnlockOf] = useState<string | null>(null);
  const [job, setJob] = useState<{ jobId: string; total: number; progress: Job | null } | null>(() => rememberedJob.read());
  const lock = useAction();

  const team = teams.find((t) => t.id === scope);
  const inScope = useMemo(() => (team ? people.filter((p) => team.members.includes(p.accountId)) : people), [people, team]);
  const [pageAsked, setPage] = useState(0);
  const shown = pageOf(inScope, pageAsked);
  const rows = useRows(shown.items, month, version);

  // Follow a running lock job until it is done, then read the states again.
  useEffect(() => {
    if (!job || job.progress?.state === 'done') return;
    let current = true;
    const timer = setInterval(() => {
      client.call<Job>('periods/job', { jobId: job.jobId }).then(
        (progress) => {
          if (!current) return;
          setJob((j) => (j && j.jobId === job.jobId ? { ...j, progress } : j));
          if (progress.state === 'done') {
            rememberedJob.forget();
            setVersion((v) => v + 1);
          }
        },
        (e: unknown) => {
          // A job the server no longer knows (kept a day) is nothing to follow; other failures are retried by the next tick.
          if (current && asResolverError(e, 'periods/job').code === 'NOT_FOUND') {
            rememberedJob.forget();
            setJob(null);
          }
        },
      );
    }, 400);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [client, job?.jobId, job?.progress?.state]);

  const startLock = async (payload: { people?: string[]; teamId?: string }) => {
    const started = await lock.run<{ jobId: string; total: number }>('periods/lock', { periodKey: month, ...payload });
    if (started) {
      setJob({ ...started, progress: null });
      rememberedJob.keep(started);
      setSelected(new Set());
    }
  };
  const toggle = (id: string) => {
    lock.clear();
    setSelected((prev) => {
      const next = new Set(prev);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  };
  const running = job !== null && job.progress?.state !== 'done';
  // A month can be locked once it has ended (in the admin's zone: the server checks each person's).
  const lastDay = addDays(`${addMonths(month, 1)}-01`, -1);
  const notEnded = monthKeyOf(today) <= month ? `${formatMonth(month, fmt.locale)} ends on ${fmt.date(lastDay)}: lock it from ${fmt.date(`${addMonths(month, 1)}-01`)}.` : null;

  return (
    <Stack space="space.200">
      <Heading size="medium" as="h3">
        Periods &amp; locking
      </Heading>
      <Text as="p">Lock a month once it has ended: each person's report is frozen in a snapshot and its overtime or shortfall goes to their balance. Worklogs changed later show as drift; unlock (with a reason) and lock again to take them in as a new version.</Text>
      <div className="wt-form" onChange={lock.clear}>
        <TextField label="Month" type="month" value={month} onChange={(v) => /^\d{4}-\d{2}$/.test(v) && setMonth(v)} testId="periods-month" />
        <SelectField label="People" value={scope} onChange={(v) => (setScope(v), setPage(0))} testId="periods-scope" options={[...teams.map((t) => ({ value: t.id, label: t.name })), { value: 'everyone', label: 'Everyone' }]} />
        <Button onClick={() => void startLock({ people: [...selected] })} isDisabled={selected.size === 0 || lock.busy || running || notEnded !== null} testId="lock-selected">
          {`Lock ${formatMonth(month, fmt.locale)} for ${selected.size} selected`}
        </Button>
        {team ? (
          <Button appearance="primary" onClick={() => void startLock({ teamId: team.id })} isDisabled={lock.busy || running || notEnded !== null} testId="lock-team">
            {`Lock for all of ${team.name}`}
          </Button>
        ) : null}
      </div>
      {notEnded ? (
        <Text as="p" color="color.text.subtle" testId="lock-not-ended">
          {notEnded}
        </Text>
      ) : null}
      <ActionError error={lock.error} what="start the lock" />
      {job ? <LockProgress job={job} people={people} /> : null}

      {rows.state === 'loading' ? <LoadingState what={`the state of ${formatMonth(month, fmt.locale)}`} /> : null}
      {rows.state === 'done' && rows.data.length === 0 ? <EmptyState title="Nobody to show">This team has no members. Add members under Roles &amp; teams, or choose Everyone.</EmptyState> : null}
      <Pager total={inScope.length} page={shown.page} onPage={setPage} what="People" testId="periods-pager" />
      {rows.state === 'done' && rows.data.length > 0 ? (
        <div className="wt-table-wrap">
          <table className="wt-table" data-testid="periods-table">
            <caption>{formatMonth(month, fmt.locale)}: state per person</caption>
            <thead>
              <tr>
                <th scope="col">
                  <span className="wt-visually-hidden">Select</span>
                </th>
                <th scope="col">Person</th>
                <th scope="col">State</th>
                <th scope="col" className="wt-num">
                  Version
                </th>
                <th scope="col">Drift since the lock</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {rows.data.map((r) => (
                <tr key={r.person.accountId} data-person={r.person.accountId}>
                  <td>
                    <CheckboxField label={`Select ${r.person.displayName}`} checked={selected.has(r.person.accountId)} onChange={() => toggle(r.person.accountId)} hideLabel />
                  </td>
                  <th scope="row">{r.person.displayName}</th>
                  <td data-testid="period-state">
                    {r.state ? <Lozenge appearance={STATUS_LOZENGE[r.state.status].appearance}>{STATUS_LOZENGE[r.state.status].label}</Lozenge> : <Text color="color.text.danger">{r.error}</Text>}
                  </td>
                  <td className="wt-num">{r.state && r.state.version > 0 ? r.state.version : ''}</td>
                  <td>
                    {r.drift && driftChanges(r.drift) > 0 ? (
                      <button type="button" className="wt-badge" data-testid="drift-badge" onClick={() => setDetailOf(r.person.accountId)}>
                        Drift {fmt.signed(r.drift.netSecondsDelta)}
                        <span className="wt-visually-hidden"> for {r.person.displayName}: show the detail</span>
                      </button>
                    ) : r.drift ? (
                      <span className="wt-badge wt-badge-calm">No drift</span>
                    ) : null}
                  </td>
                  <td>
                    <Inline space="space.050">
                      {r.state?.status === 'locked' ? (
                        <>
                          <Button appearance="subtle" onClick={() => setDetailOf(r.person.accountId)}>
                            Versions<span className="wt-visually-hidden"> of {r.person.displayName}</span>
                          </Button>
                          <Button appearance="subtle" onClick={() => setUnlockOf(r.person.accountId)} testId="unlock-open">
                            Unlock<span className="wt-visually-hidden"> {r.person.displayName}</span>
                          </Button>
                        </>
                      ) : null}
                    </Inline>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {unlockOf ? (
        <UnlockForm
          person={{ accountId: unlockOf, displayName: nameOf(people, unlockOf) }}
          periodKey={month}
          onClose={() => setUnlockOf(null)}
          onUnlocked={() => {
            if (detailOf === unlockOf) setDetailOf(null); // an open period has no drift to show
            setVersion((v) => v + 1);
          }}
        />
      ) : null}
      {detailOf ? <SnapshotDetail person={{ accountId: detailOf, displayName: nameOf(people, detailOf) }} periodKey={month} people={people} fmt={fmt} zone={zone} onClose={() => setDetailOf(null)} version={version} /> : null}
    </Stack>
  );
}

function LockProgress({ job, people }: { job: { jobId: string; total: number; progress: Job | null }; people: readonly Person[] }) {
  const p = job.progress;
  if (!p || p.state !== 'done') return <div data-testid="lock-progress"><ProgressState label="Locking" done={p?.done ?? 0} total={job.total} /></div>;
  return (
    <Stack space="space.100">
      <Done testId="lock-result">
        Lock finished: {p.locked} locked, {p.failed} not locked, of {p.total}.
      </Done>
      {p.failures.length > 0 ? (
        <ul aria-label="Not locked">
          {p.failures.map((f) => (
            <li key={f.personId}>
              {nameOf(people, f.personId)}: {f.message ?? f.code}
            </li>
          ))}
        </ul>
      ) : null}
    </Stack>
  );
}

function UnlockForm({ person, periodKey, onClose, onUnlocked }: { person: Person; periodKey: string; onClose: () => void; onUnlocked: () => void }) {
  const [reason, setReason] = useState('');
  const unlock = useAction();
  const length = reason.trim().length;
  const problem = length < 3 ? 'Give a reason of at least 3 characters: it is kept in the period history and the audit log.' : length > 500 ? 'Keep the reason to 500 characters.' : null;
  return (
    <section className="wt-box" aria-label={`Unlock ${person.displayName}'s ${periodKey}`}>
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          if (problem) return;
          if (await unlock.run('periods/unlock', { personId: person.accountId, periodKey, reason: reason.trim() })) {
            onUnlocked();
            onClose();
          }
        }}
      >
        <Stack space="space.100">
          <Heading size="small" as="h4">
            Unlock {person.displayName}'s {periodKey}
          </Heading>
          <Text as="p">The snapshot stays readable; the report counts the worklogs as they are again until you lock it anew.</Text>
          {/* Opening the form puts the cursor where the next thing to do is: the reason. */}
          <TextField label="Reason (3–500 characters)" value={reason} onChange={(v) => (unlock.clear(), setReason(v))} testId="unlock-reason" width="32rem" autoFocus />
          {reason !== '' && problem ? <Text color="color.text.warning">{problem}</Text> : null}
          <Inline space="space.100">
            <Button type="submit" appearance="warning" isDisabled={problem !== null || unlock.busy} testId="unlock-confirm">
              Unlock
            </Button>
            <Button onClick={onClose}>Cancel</Button>
          </Inline>
          <ActionError error={unlock.error} what="unlock" />
        </Stack>
      </form>
    </section>
  );
}

function SnapshotDetail({ person, periodKey, people, fmt, zone, onClose, version }: { person: Person; periodKey: string; people: readonly Person[]; fmt: PanelProps['fmt']; zone: string; onClose: () => void; version: number }) {
  const key = `${person.accountId}|${periodKey}|${version}`;
  const snapshots = useResolver<SnapshotVersions>('snapshots/list', { personId: person.accountId, periodKey, limit: 100 }, key);
  const drift = useResolver<Drift>('drift/get', { personId: person.accountId, periodKey }, key);
  const when = (ms: number) => formatInstant(ms, zone, fmt.locale);
  return (
    <section className="wt-box" aria-labelledby="snapshot-detail-heading" data-testid="snapshot-detail">
      <Stack space="space.150">
        <Inline spread="space-between" alignBlock="center">
          <Heading size="small" as="h4" id="snapshot-detail-heading">
            {person.displayName}, {periodKey}: versions and drift
          </Heading>
          <Button onClick={onClose}>Close</Button>
        </Inline>
        {snapshots.state === 'loading' ? <LoadingState what="the snapshot versions" /> : null}
        {snapshots.state === 'error' ? <ErrorState what="the snapshot versions" error={snapshots.error} onRetry={snapshots.reload} /> : null}
        {snapshots.state === 'done' ? (
          snapshots.data.snapshots.length === 0 ? (
            <EmptyState title="Never locked">This period has no snapshot yet. Lock it to make version 1.</EmptyState>
          ) : (
            <table className="wt-table" data-testid="snapshot-versions">
              <caption>Snapshot versions, newest first{snapshots.data.nextCursor ? ` (the ${snapshots.data.snapshots.length} newest)` : ''}</caption>
              <thead>
                <tr>
                  <th scope="col">Version</th>
                  <th scope="col">Locked</th>
                  <th scope="col">By</th>
                  <th scope="col">SHA-256</th>
                  <th scope="col">Engine</th>
                </tr>
              </thead>
              <tbody>
                {snapshots.data.snapshots.map((s) => (
                  <tr key={s.version}>
                    <th scope="row">
                      {s.version}
                      {s.current ? ' (current)' : ''}
                    </th>
                    <td>{when(s.lockedAt)}</td>
                    <td>{nameOf(people, s.lockedBy)}</td>
                    <td className="wt-mono" title={s.hash}>
                      {s.hash.slice(0, 16)}…
                    </td>
                    <td>{s.engineVersion}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        ) : null}
        {drift.state === 'loading' ? <LoadingState what="the drift" /> : null}
        {drift.state === 'error' ? drift.error.code === 'NOT_LOCKED' ? <Text as="p">The period is not locked now, so there is no drift: its report counts the worklogs as they are.</Text> : <ErrorState what="the drift" error={drift.error} onRetry={drift.reload} /> : null}
        {drift.state === 'done' ? <DriftDetail drift={drift.data} fmt={fmt} when={when} /> : null}
      </Stack>
    </section>
  );
}

function DriftDetail({ drift, fmt, when }: { drift: Drift; fmt: PanelProps['fmt']; when: (ms: number) => string }) {
  const lines = [
    ...drift.added.map((w) => ({ id: w.id, what: 'Added', started: w.started, detail: fmt.duration(w.seconds), delta: w.seconds })),
    ...drift.changed.map((c) => ({ id: c.id, what: 'Changed', started: c.after.started, detail: `${fmt.duration(c.before.seconds)} → ${fmt.duration(c.after.seconds)}`, delta: c.secondsDelta })),
    ...drift.deleted.map((w) => ({ id: w.id, what: 'Deleted', started: w.started, detail: fmt.duration(w.seconds), delta: -w.seconds })),
  ];
  return (
    <Stack space="space.100">
      <Text as="p" testId="drift-summary">
        Version {drift.version} locked {fmt.duration(drift.lockedWorkedSeconds)} worked; the worklogs now differ by <strong data-testid="drift-net">{fmt.signed(drift.netSecondsDelta)}</strong>. The locked numbers do not change: unlock and lock again to take the changes in.
      </Text>
      {lines.length === 0 ? (
        <Text as="p">No worklog changed since the lock.</Text>
      ) : (
        <table className="wt-table" data-testid="drift-table">
          <caption>Worklogs changed since the lock</caption>
          <thead>
            <tr>
              <th scope="col">Worklog</th>
              <th scope="col">Change</th>
              <th scope="col">Started</th>
              <th scope="col">Time</th>
              <th scope="col" className="wt-num">
                Difference
              </th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l) => (
              <tr key={`${l.what}-${l.id}`}>
                <th scope="row">{l.id}</th>
                <td>{l.what}</td>
                <td>{when(l.started)}</td>
                <td>{l.detail}</td>
                <td className="wt-num">{fmt.signed(l.delta)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Stack>
  );
}
