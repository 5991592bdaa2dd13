/**
 * Import: how the import of the site's worklogs is going (sync/progress, polled while it runs, with
 * a progress bar), the last reconcile, and starting a new import (sync/start-import).
 */
import Button from '@atlaskit/button/new';
import Heading from '@atlaskit/heading';
import SectionMessage from '@atlaskit/section-message';
import { Stack, Text } from '@atlaskit/primitives';
import { useEffect, useState } from 'react';
import { useResolver } from '../../client/ClientContext';
import { formatInstant } from '../../format/dates';
import { EmptyState, ErrorState, LoadingState, ProgressState } from '../../states/States';
import { useAction } from '../../client/useAction';
import { ActionError, Done } from './action';
import type { PanelProps } from './context';
import { nameOf } from './people';
import type { SyncProgress } from '../../client/adminAnswers';

const STATES: Record<string, string> = { queued: 'Queued', listing: 'Listing worklogs', handover: 'Paused at the platform limit; the next reconcile continues it', listed: 'Every worklog listed; ingesting', failed: 'Failed', done: 'Done' };

export function ImportPanel({ people, fmt, zone }: PanelProps) {
  const [tick, setTick] = useState(0);
  const progress = useResolver<SyncProgress>('sync/progress', {}, String(tick));
  const start = useAction();
  const [started, setStarted] = useState<string | null>(null);
  const running = progress.state === 'done' && progress.data.running === true;
  // Poll while an import runs (or was just started and is not yet seen).
  useEffect(() => {
    if (!running && !(started && progress.state === 'done' && progress.data.progress?.runId !== started)) return;
    const t = setTimeout(() => setTick((n) => n + 1), 1000);
    return () => clearTimeout(t);
  }, [running, started, progress]);
  const when = (ms: number) => formatInstant(ms, zone, fmt.locale);
  // Keep the last answer on screen while the next poll loads, so the bar does not flicker.
  const [last, setLast] = useState<SyncProgress | null>(null);
  useEffect(() => {
    if (progress.state === 'done') setLast(progress.data);
  }, [progress]);
  const p = progress.state === 'done' ? progress.data : last;

  return (
    <Stack space="space.200">
      <Heading size="medium" as="h3">
        Import
      </Heading>
      <Text as="p">The app imports every worklog of the site once, then follows changes as they happen and reconciles every few minutes. Start an import again to rebuild from Jira.</Text>
      {!p && progress.state === 'loading' ? <LoadingState what="the import's progress" /> : null}
      {progress.state === 'error' ? <ErrorState what="the import's progress" error={progress.error} onRetry={progress.reload} /> : null}
      {p?.state === 'never-run' ? <EmptyState title="No import yet">Start the first import: it reads every worklog of the site.</EmptyState> : null}
      {p && p.state !== 'never-run' ? (
        <div data-testid="import-progress">
          <Stack space="space.100">
            <Text as="p" testId="import-state">
              {STATES[p.state] ?? p.state}
              {p.progress ? ` — run ${p.progress.runId}, started ${when(p.progress.startedAt)}` : ''}
            </Text>
            <ProgressState label="Worklogs ingested" done={p.done ?? 0} total={p.total ?? null} />
            {p.errors ? <Text as="p" color="color.text.warning">{p.errors} batches failed and are retried{p.lastErrors?.length ? `: ${p.lastErrors.join('; ')}` : ''}.</Text> : null}
            {p.lastReconcile ? <Text as="p">Last reconcile {when(p.lastReconcile.updatedAt)}: {p.lastReconcile.listed} changed worklogs listed.</Text> : null}
          </Stack>
        </div>
      ) : null}
      {p && p.applyErrors.length > 0 ? (
        <SectionMessage appearance="warning" title="Changes that could not be stored">
          <ul>
            {p.applyErrors.map((e) => (
              <li key={`${e.personId}-${e.at}`}>
                {nameOf(people, e.personId)} ({when(e.at)}): {e.message}
              </li>
            ))}
          </ul>
        </SectionMessage>
      ) : null}
      <div>
        <Button
          appearance="primary"
          isDisabled={start.busy || running}
          testId="import-start"
          onClick={async () => {
            const answer = await start.run<{ runId: string }>('sync/start-import', {});
            if (answer) {
              setStarted(answer.runId);
              setTick((n) => n + 1);
            }
          }}
        >
          {running ? 'An import is running' : 'Start import'}
        </Button>
      </div>
      {started && p?.progress?.runId === started && p.state === 'done' ? <Done testId="import-finished">Import {started} finished: {p.done} worklogs ingested.</Done> : null}
      <ActionError error={start.error} what="start the import" />
    </Stack>
  );
}
