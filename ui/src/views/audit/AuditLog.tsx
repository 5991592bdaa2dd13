/**
 * The audit log, newest first, with filters (days, actor, action, target) and "Load older" paging.
 * Entries name people by pseudonym; the page's `people` map says which account each stands for (or
 * "erased user"), and the local runtime's names are added where known. An entry the last verification
 * found broken is marked.
 */
import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import Textfield from '@atlaskit/textfield';
import { Inline, Stack, Text } from '@atlaskit/primitives';
import { Fragment, useCallback, useEffect, useId, useRef, useState } from 'react';
import { asResolverError, useClient } from '../../client/ClientContext';
import type { ResolverError } from '../../client/resolverClient';
import { formatInstant } from '../../format/dates';
import { addDays } from '../../format/periods';
import { EmptyState, ErrorState, LoadingState } from '../../states/States';
import { whoIs, withPeopleNamed, type AuditEntry, type AuditPage } from './auditAnswers';
import { startOfLocalDay } from './zonedTime';

export interface LogFilters {
  readonly fromDate: string;
  readonly toDate: string;
  readonly actor: string;
  readonly action: string;
  readonly target: string;
}

const EMPTY: LogFilters = { fromDate: '', toDate: '', actor: '', action: '', target: '' };
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** How many pages one "Load older" follows when pages come back empty (the resolver scans at most 2,000 entries a call). */
const MAX_EMPTY_PAGES = 10;

/** The resolver's filters for the form's fields: days are whole days in `zone`, both included. */
export function auditFilters(f: LogFilters, zone: string): { filters: Record<string, unknown> } | { problem: string } {
  const filters: Record<string, unknown> = {};
  if (f.fromDate !== '' && !DATE.test(f.fromDate)) return { problem: 'Write the first day as YYYY-MM-DD.' };
  if (f.toDate !== '' && !DATE.test(f.toDate)) return { problem: 'Write the last day as YYYY-MM-DD.' };
  if (f.fromDate !== '' && f.toDate !== '' && f.toDate < f.fromDate) return { problem: 'The last day is before the first day: choose a last day on or after it.' };
  if (f.fromDate !== '') filters.from = startOfLocalDay(f.fromDate, zone);
  if (f.toDate !== '') filters.to = startOfLocalDay(addDays(f.toDate, 1), zone) - 1;
  for (const k of ['actor', 'action', 'target'] as const) if (f[k].trim() !== '') filters[k] = f[k].trim();
  return { filters };
}

export function AuditLog({ zone, names, brokenSeq, locale }: { zone: string; names: ReadonlyMap<string, string>; brokenSeq: number | null; locale: string | undefined }) {
  const client = useClient();
  const ids = { from: useId(), to: useId(), actor: useId(), action: useId(), target: useId() };
  const [form, setForm] = useState<LogFilters>(EMPTY);
  const [applied, setApplied] = useState<LogFilters>(EMPTY);
  const [entries, setEntries] = useState<AuditEntry[]>([]);
  const [people, setPeople] = useState<Record<string, string> | undefined>(undefined);
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const [state, setState] = useState<'loading' | 'more' | 'done' | 'error'>('loading');
  const [error, setError] = useState<ResolverError | null>(null);
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const generation = useRef(0);
  const checked = auditFilters(form, zone);

  const load = useCallback(
    async (filters: LogFilters, from: string | undefined, append: boolean) => {
      const mine = ++generation.current;
      const f = auditFilters(filters, zone);
      if ('problem' in f) return;
      setState(append ? 'more' : 'loading');
      setError(null);
      try {
        let next = from;
        const got: AuditEntry[] = [];
        const map: Record<string, string> = {};
        let sawMap = false;
        // A page may be empty while older entries remain: follow the cursor a little way before showing.
        for (let i = 0; i < MAX_EMPTY_PAGES; i++) {
          const page = await client.call<AuditPage>('audit/list', { filters: f.filters, limit: 50, ...(next !== undefined ? { cursor: next } : {}) });
          got.push(...page.entries);
          if (page.people) {
            sawMap = true;
            Object.assign(map, page.people);
          }
          next = page.nextCursor;
          if (got.length > 0 || next === undefined) break;
        }
        if (mine !== generation.current) return;
        setEntries((prev) => (append ? [...prev, ...got] : got));
        setPeople((prev) => (sawMap ? { ...(append ? prev : {}), ...map } : append ? prev : undefined));
        setCursor(next);
        setState('done');
      } catch (e) {
        if (mine !== generation.current) return;
        setError(asResolverError(e, 'audit/list'));
        setState('error');
      }
    },
    [client, zone],
  );

  useEffect(() => {
    void load(applied, undefined, false);
  }, [load, applied]);

  const set = (k: keyof LogFilters) => (e: React.ChangeEvent<HTMLInputElement>) => {
    const value = e.currentTarget.value;
    setForm((f) => ({ ...f, [k]: value }));
  };
  const toggle = (seq: number) =>
    setOpen((prev) => {
      const next = new Set(prev);
      if (!next.delete(seq)) next.add(seq);
      return next;
    });
  const filtered = Object.values(applied).some((v) => v !== '');

  return (
    <section aria-labelledby="log-heading" className="wt-section">
      <Stack space="space.150">
        <Heading size="medium" as="h2" id="log-heading">
          The log
        </Heading>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!('problem' in checked)) setApplied(form);
          }}
        >
          <Stack space="space.100">
            <Inline space="space.150" alignBlock="end" shouldWrap>
              <div className="wt-field">
                <label htmlFor={ids.from}>First day</label>
                <Textfield id={ids.from} type="date" value={form.fromDate} onChange={set('fromDate')} testId="log-from" />
              </div>
              <div className="wt-field">
                <label htmlFor={ids.to}>Last day</label>
                <Textfield id={ids.to} type="date" value={form.toDate} onChange={set('toDate')} testId="log-to" />
              </div>
              <div className="wt-field">
                <label htmlFor={ids.actor}>Actor (account id)</label>
                <Textfield id={ids.actor} value={form.actor} onChange={set('actor')} placeholder="557058:…" testId="log-actor" />
              </div>
              <div className="wt-field">
                <label htmlFor={ids.action}>Action</label>
                <Textfield id={ids.action} value={form.action} onChange={set('action')} placeholder="period.approve" testId="log-action" />
              </div>
              <div className="wt-field">
                <label htmlFor={ids.target}>Target</label>
                <Textfield id={ids.target} value={form.target} onChange={set('target')} placeholder="cfg#site" testId="log-target" />
              </div>
              <Button type="submit" appearance="primary" isDisabled={'problem' in checked} testId="log-apply">
                Apply filters
              </Button>
              <Button
                appearance="subtle"
                onClick={() => {
                  setForm(EMPTY);
                  setApplied(EMPTY);
                }}
              >
                Clear
              </Button>
            </Inline>
            {'problem' in checked ? (
              <Text as="p" color="color.text.warning">
                {checked.problem}
              </Text>
            ) : null}
            <Text as="p" color="color.text.subtle" size="small">
              Days and times are in {zone}. Action and target match exactly (for example period.approve, cfg#site).
            </Text>
          </Stack>
        </form>
        {state === 'loading' ? <LoadingState what="the audit log" /> : null}
        {state === 'error' && error ? <ErrorState what="the audit log" error={error} onRetry={() => void load(applied, entries.length > 0 ? cursor : undefined, entries.length > 0)} /> : null}
        {state !== 'loading' && entries.length === 0 && state !== 'error' ? (
          <EmptyState title={filtered ? 'No entry matches' : 'The log is empty'}>
            {filtered ? 'No audit entry matches these filters. Widen the days, or clear a filter.' : 'Nothing has been written yet: every administrative change (roles, teams, settings, contracts, approvals, locks) adds an entry here.'}
          </EmptyState>
        ) : null}
        {entries.length > 0 ? (
          <div className="wt-table-wrap">
            <table className="wt-table" data-testid="audit-table">
              <caption>
                {entries.length} {entries.length === 1 ? 'entry' : 'entries'}, newest first{cursor ? '; older ones load below' : ''}.
              </caption>
              <thead>
                <tr>
                  <th scope="col" className="wt-num">Seq</th>
                  <th scope="col">When</th>
                  <th scope="col">Actor</th>
                  <th scope="col">Action</th>
                  <th scope="col">Target</th>
                  <th scope="col"><span className="wt-visually-hidden">Details</span></th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => {
                  const isOpen = open.has(e.seq);
                  const broken = e.seq === brokenSeq;
                  return (
                    <Fragment key={e.seq}>
                      <tr data-seq={e.seq} className={broken ? 'wt-broken' : undefined}>
                        <th scope="row" className="wt-num">
                          {e.seq}
                          {broken ? <span className="wt-flag"> (broken)</span> : null}
                        </th>
                        <td>{formatInstant(e.at, zone, locale)}</td>
                        <td data-col="actor">{whoIs(e.actor, people, names)}</td>
                        <td>{e.action}</td>
                        <td className="wt-hash">{withPeopleNamed(e.target, people)}</td>
                        <td>
                          <button type="button" className="wt-link-button" aria-expanded={isOpen} aria-controls={isOpen ? `audit-detail-${e.seq}` : undefined} onClick={() => toggle(e.seq)}>
                            {isOpen ? 'Hide' : 'Show'} details<span className="wt-visually-hidden"> of entry {e.seq}</span>
                          </button>
                        </td>
                      </tr>
                      {isOpen ? (
                        <tr id={`audit-detail-${e.seq}`} className="wt-detail-row">
                          <td colSpan={6}>
                            <pre className="wt-details">{withPeopleNamed(JSON.stringify(e.details, null, 2), people)}</pre>
                            <Text as="p" size="small">
                              Hash <span className="wt-hash">{e.hash}</span>; previous <span className="wt-hash">{e.prevHash}</span>
                            </Text>
                          </td>
                        </tr>
                      ) : null}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : null}
        {cursor !== undefined && state !== 'loading' ? (
          <Inline space="space.100" alignBlock="center">
            <Button onClick={() => void load(applied, cursor, true)} isDisabled={state === 'more'} testId="load-older">
              {state === 'more' ? 'Loading older entries…' : 'Load older'}
            </Button>
          </Inline>
        ) : null}
      </Stack>
    </section>
  );
}
