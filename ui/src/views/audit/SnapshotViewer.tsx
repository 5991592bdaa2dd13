/**
 * Locked snapshots: pick a person's period from snapshots/list (newest lock first, 50 a page, "Load more"
 * for the next), and snapshots/get shows its hash, the engine version that made it, whether recomputing
 * from its inputs still gives that hash, who locked it and when, and the locked report's figures.
 */
import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import Lozenge from '@atlaskit/lozenge';
import SectionMessage from '@atlaskit/section-message';
import Textfield from '@atlaskit/textfield';
import { Inline, Stack, Text } from '@atlaskit/primitives';
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { asResolverError, useClient, useResolver } from '../../client/ClientContext';
import type { ResolverError } from '../../client/resolverClient';
import { formatInstant } from '../../format/dates';
import { EmptyState, ErrorState, LoadingState } from '../../states/States';
import type { Fmt } from '../myPeriod/fmt';
import { Totals } from '../myPeriod/Totals';
import { whoIs, type SnapshotAnswer, type SnapshotListItem, type SnapshotListPage } from './auditAnswers';
import { CopyButton } from './CopyButton';

type Pick = { personId: string; periodKey: string; version: number };
type Filter = { personId: string; periodKey: string };

/** Snapshot versions a page; the cursor continues pages of this size. */
export const SNAPSHOT_PAGE = 50;
/** How many pages one load follows when pages come back empty (storage may say more follow when none do). */
const MAX_EMPTY_PAGES = 5;

export function SnapshotViewer({ zone, names, fmt }: { zone: string; names: ReadonlyMap<string, string>; fmt: Fmt }) {
  const client = useClient();
  const personFieldId = useId();
  const periodFieldId = useId();
  const [form, setForm] = useState<Filter>({ personId: '', periodKey: '' });
  const [asked, setAsked] = useState<Filter>({ personId: '', periodKey: '' });
  const [rows, setRows] = useState<SnapshotListItem[]>([]);
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [state, setState] = useState<'loading' | 'more' | 'done' | 'error'>('loading');
  const [error, setError] = useState<ResolverError | null>(null);
  const [picked, setPicked] = useState<Pick | null>(null);
  const generation = useRef(0);
  const filtered = asked.personId !== '' || asked.periodKey !== '';

  const load = useCallback(
    async (filter: Filter, from: string | undefined, append: boolean) => {
      const mine = ++generation.current;
      setState(append ? 'more' : 'loading');
      setError(null);
      const payload = { ...(filter.personId ? { personId: filter.personId } : {}), ...(filter.periodKey ? { periodKey: filter.periodKey } : {}), limit: SNAPSHOT_PAGE };
      try {
        let next = from;
        const got: SnapshotListItem[] = [];
        for (let i = 0; i < MAX_EMPTY_PAGES; i++) {
          const page = await client.call<SnapshotListPage>('snapshots/list', { ...payload, ...(next !== undefined ? { cursor: next } : {}) });
          got.push(...page.snapshots);
          next = page.nextCursor;
          if (got.length > 0 || next === undefined) break;
        }
        if (mine !== generation.current) return;
        setRows((prev) => (append ? [...prev, ...got] : got));
        setCursor(next);
        setState('done');
      } catch (e) {
        if (mine !== generation.current) return;
        setError(asResolverError(e, 'snapshots/list'));
        setState('error');
      }
    },
    [client],
  );

  useEffect(() => {
    void load(asked, undefined, false);
  }, [load, asked]);

  return (
    <section aria-labelledby="snapshots-heading" className="wt-section">
      <Stack space="space.150">
        <Heading size="medium" as="h2" id="snapshots-heading">
          Snapshots
        </Heading>
        <Text as="p">Locking a period seals its report and everything it was computed from into a snapshot with a SHA-256 hash. Choose one to see it checked.</Text>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            setAsked({ personId: form.personId.trim(), periodKey: form.periodKey.trim() });
            setPicked(null);
          }}
        >
          <Inline space="space.150" alignBlock="end" shouldWrap>
            <div className="wt-field">
              <label htmlFor={personFieldId}>Person (account id, optional)</label>
              <Textfield id={personFieldId} value={form.personId} onChange={(e) => {
                  const personId = e.currentTarget.value; // read now: React clears currentTarget after the handler
                  setForm((f) => ({ ...f, personId }));
                }} placeholder="557058:…" testId="snapshot-person" />
            </div>
            <div className="wt-field">
              <label htmlFor={periodFieldId}>Period key (optional)</label>
              <Textfield id={periodFieldId} value={form.periodKey} onChange={(e) => {
                  const periodKey = e.currentTarget.value;
                  setForm((f) => ({ ...f, periodKey }));
                }} placeholder="2026-11" testId="snapshot-period" />
            </div>
            <Button type="submit" appearance="primary" testId="snapshot-list">
              List snapshots
            </Button>
          </Inline>
        </form>
        {state === 'loading' ? <LoadingState what="the snapshots" /> : null}
        {state === 'error' && error ? <ErrorState what="the snapshots" error={error} onRetry={() => void load(asked, rows.length > 0 ? cursor : undefined, rows.length > 0)} /> : null}
        {state === 'done' && rows.length === 0 ? (
          <EmptyState title={filtered ? 'No snapshot matches' : 'No period is locked yet'}>
            {filtered ? 'Nothing locked matches this person and period. Clear a field, or check the period key (2026-11, 2026-W47).' : 'Snapshots appear when HR locks a period (Admin → Lock periods).'}
          </EmptyState>
        ) : null}
        {state !== 'loading' && rows.length > 0 ? (
          <div className="wt-table-wrap">
            <table className="wt-table" data-testid="snapshot-table">
              <caption>
                {rows.length} snapshot {rows.length === 1 ? 'version' : 'versions'}, newest lock first{cursor ? '; more load below' : ''}.
              </caption>
              <thead>
                <tr>
                  <th scope="col">Person</th>
                  <th scope="col">Period</th>
                  <th scope="col" className="wt-num">Version</th>
                  <th scope="col">Locked</th>
                  <th scope="col">Hash</th>
                  <th scope="col"><span className="wt-visually-hidden">Open</span></th>
                </tr>
              </thead>
              <tbody>
                {rows.map((s) => {
                  const isPicked = picked?.personId === s.personId && picked.periodKey === s.periodKey && picked.version === s.version;
                  return (
                    <tr key={`${s.personId}|${s.periodKey}|${s.version}`} data-snapshot={`${s.personId}|${s.periodKey}|${s.version}`}>
                      <th scope="row">{whoIs(s.personId, undefined, names)}</th>
                      <td>{s.periodKey}</td>
                      <td className="wt-num">
                        {s.version}
                        {s.current ? null : <span className="wt-visually-hidden"> (superseded)</span>}
                        {s.current ? null : <Text color="color.text.subtle"> superseded</Text>}
                      </td>
                      <td>{formatInstant(s.lockedAt, zone, fmt.locale)}</td>
                      <td className="wt-hash">{s.hash.slice(0, 12)}…</td>
                      <td>
                        <button type="button" className="wt-link-button" aria-pressed={isPicked} onClick={() => setPicked({ personId: s.personId, periodKey: s.periodKey, version: s.version })} data-testid="open-snapshot">
                          View<span className="wt-visually-hidden"> {s.periodKey} version {s.version} of {s.personId}</span>
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : null}
        {cursor !== undefined && state !== 'loading' && state !== 'error' ? (
          <Inline space="space.100" alignBlock="center">
            <Button onClick={() => void load(asked, cursor, true)} isDisabled={state === 'more'} testId="load-more-snapshots">
              {state === 'more' ? 'Loading more snapshots…' : 'Load more'}
            </Button>
          </Inline>
        ) : null}
        {picked ? <SnapshotDetail pick={picked} zone={zone} names={names} fmt={fmt} /> : null}
      </Stack>
    </section>
  );
}

function SnapshotDetail({ pick, zone, names, fmt }: { pick: Pick; zone: string; names: ReadonlyMap<string, string>; fmt: Fmt }) {
  const snap = useResolver<SnapshotAnswer>('snapshots/get', pick, `${pick.personId}|${pick.periodKey}|${pick.version}`);
  const what = `snapshot version ${pick.version} of ${pick.periodKey}`;
  if (snap.state === 'loading') return <LoadingState what={what} />;
  if (snap.state === 'error') return <ErrorState what={what} error={snap.error} onRetry={snap.reload} />;
  const { snapshot, manifest, verification, people } = snap.data;
  return (
    <section aria-labelledby="snapshot-detail-heading" data-testid="snapshot-detail">
      <Stack space="space.150">
        <Heading size="small" as="h3" id="snapshot-detail-heading">
          {whoIs(pick.personId, people, names)}: {snapshot.report.period.label}, version {manifest.version}
        </Heading>
        {verification.ok ? (
          <SectionMessage appearance="success" title="Verified">
            <Text as="p">Its parts match the manifest, and recomputing the report from its inputs gives the sealed hash.</Text>
          </SectionMessage>
        ) : (
          <SectionMessage appearance="warning" title={`Not verified: ${verification.reason}`}>
            <Text as="p">{verification.message}</Text>
            <Text as="p">
              Expected <span className="wt-hash">{verification.expected}</span>, found <span className="wt-hash">{verification.found}</span>.
            </Text>
          </SectionMessage>
        )}
        <dl className="wt-facts">
          <dt>Hash (SHA-256)</dt>
          <dd>
            <span className="wt-hash" data-testid="snapshot-hash">{snapshot.hash}</span> <CopyButton text={snapshot.hash} what="hash" />
          </dd>
          <dt>Engine version</dt>
          <dd data-testid="snapshot-engine">{snapshot.engineVersion}</dd>
          <dt>Locked by</dt>
          <dd data-testid="snapshot-locked-by">{whoIs(manifest.lockedBy, people, names)}</dd>
          <dt>Locked at</dt>
          <dd>{formatInstant(manifest.lockedAt, zone, fmt.locale)} ({zone})</dd>
          <dt>Stored as</dt>
          <dd>
            {manifest.partCount} {manifest.partCount === 1 ? 'part' : 'parts'}, {manifest.bytes.toLocaleString(fmt.locale)} bytes{manifest.jobId ? `, by lock job ${manifest.jobId}` : ''}
          </dd>
          <dt>Status</dt>
          <dd>
            <Lozenge appearance="moved">Locked</Lozenge>
          </dd>
        </dl>
        <Totals totals={snapshot.report.totals} fmt={fmt} />
      </Stack>
    </section>
  );
}
