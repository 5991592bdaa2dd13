/**
 * The Forge app's composition root: it only wires adapters to use cases and
 * exports the handlers the manifest names, grouped by kind.
 */
import { handlePeriodsEvent, type PeriodsEvent } from '../app/lockJobs';
import { fetch as forgeFetch, getAppContext } from '@forge/api';
import type { HttpFetch } from '../holidays/nagerDate';
import type { AsyncEvent } from '@forge/events';
import { makeResolver, type ResolverFunction } from '@forge/resolver';
import type { ApplyEvent, IngestEvent } from '../app/events';
import { handleApplyEvent, handleIngestEvent, handleSyncEvent, type SyncEvent } from '../app/handleEvents';
import { onIssueDeleted, onWorklogEvent, type WorklogEventPayload } from '../app/onWorklogEvent';
import { RESOLVER_ACCESS } from '../app/authorization';
import { checkIndexedIssues } from '../app/checkIndexedIssues';
import { invokeResolver } from '../app/resolvers';
import type { Clock } from '../ports';
import { handleEraseEvent, reportPersonalData, type EraseEvent } from '../app/privacy';
import { retryTrigger, toInvocation } from './invocation';
import { forgePersonalDataReporter } from './forgePrivacy';
import { forgeJira, forgeUserIssues } from './forgeJira';
import { ForgeKvStore } from './forgeKvStore';
import { forgeQueue } from './forgeQueue';

export const QUEUE_KEYS = { ingest: 'ingest', apply: 'apply', sync: 'sync', periods: 'periods' } as const;

const clock: Clock = { now: () => Date.now() };
const kv = new ForgeKvStore();
const ingestQueue = forgeQueue(QUEUE_KEYS.ingest);
const applyQueue = forgeQueue(QUEUE_KEYS.apply);
const syncQueue = forgeQueue(QUEUE_KEYS.sync);
const periodsQueue = forgeQueue(QUEUE_KEYS.periods);

/** Milliseconds this invocation may still use, less a margin to save state and push a continuation. */
function budgetMs(marginMs = 20_000): number {
  try {
    return Math.max(1_000, getAppContext().invocationRemainingTimeInMillis() - marginMs);
  } catch {
    return 30_000;
  }
}

// ── Product triggers (25 s): validate and push, nothing else. A thrown error is not retried for a
// product trigger, so a failure (a refused push, a storage error) asks for a retry instead: at most
// 4 times; after that the hourly reconcile still finds a worklog's change.
export async function onWorklog(event: WorklogEventPayload) {
  return retryTrigger('worklog', () => onWorklogEvent({ kv, ingestQueue, applyQueue }, event, clock.now()));
}

export async function onIssueDelete(event: { issue?: { id?: unknown } }) {
  return retryTrigger('issue deleted', () => onIssueDeleted({ ingestQueue }, event, clock.now()));
}

// ── Consumers (up to 900 s).
export async function ingestConsumer(event: AsyncEvent) {
  const source = forgeJira(10);
  return toInvocation(await handleIngestEvent({ kv, source, applyQueue, clock }, event.body as unknown as IngestEvent));
}

export async function applyConsumer(event: AsyncEvent) {
  const source = forgeJira(10);
  return toInvocation(await handleApplyEvent({ kv, clock }, event.body as unknown as ApplyEvent));
}

/** Nager.Date through Forge's fetch, which the manifest's egress permits for date.nager.at only. */
const nagerFetch: HttpFetch = async (url, init) => (await forgeFetch(url, init)) as unknown as Awaited<ReturnType<HttpFetch>>;

/** Lock jobs: each event locks up to ten people's period (src/app/lockJobs.ts). */
export async function periodsConsumer(event: AsyncEvent) {
  const body = event.body as unknown as PeriodsEvent | EraseEvent;
  // Erasures of closed accounts share the queue (src/app/privacy.ts).
  if (body.kind === 'erase') {
    await handleEraseEvent({ kv, clock, queue: periodsQueue }, body, clock.now() + budgetMs());
    return undefined;
  }
  const jira = forgeJira(10);
  return toInvocation(await handlePeriodsEvent({ kv, directory: jira, clock }, body));
}

// ── Scheduled trigger, weekly: report the people the app stores data about; erase closed accounts.
export async function reportPersonalDataWeekly(): Promise<{ statusCode: number }> {
  const deadline = clock.now() + budgetMs();
  const outcome = await reportPersonalData({ kv, clock, reporter: forgePersonalDataReporter(deadline), eraseQueue: periodsQueue }, deadline);
  console.log(`personal data report: ${outcome.reported} reported, ${outcome.closed} closed (erasure queued), ${outcome.updated} updated${outcome.complete ? '' : '; stopped at the time limit'}`);
  return { statusCode: 204 };
}

export async function syncConsumer(event: AsyncEvent) {
  const source = forgeJira(10);
  return toInvocation(await handleSyncEvent({ kv, source, ingestQueue, syncQueue, clock }, event.body as unknown as SyncEvent, budgetMs()));
}

// ── Scheduled trigger: never retried and may run twice; the sync's lease makes that harmless.
export async function reconcile(): Promise<{ statusCode: number }> {
  const source = forgeJira(5);
  await handleSyncEvent({ kv, source, ingestQueue, syncQueue, clock }, { kind: 'sync', mode: 'reconcile' }, budgetMs());
  return { statusCode: 204 };
}

// ── Scheduled trigger, daily: indexed issues that no longer exist (a deletion whose trigger was lost).
// Daily because such a loss is rare (five failed attempts) and each pass costs Jira points (about 101
// per 100 issues); a pass bigger than one run's budget continues from its watermark the next day.
// Jira's short 429s are waited out (up to 60 s); a longer one ends the run, and the next continues.
// The apply queue's refusals (500 events a minute) are waited out within the budget.
export async function checkIssues(): Promise<{ statusCode: number }> {
  const jira = forgeJira(60);
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  const outcome = await checkIndexedIssues({ kv, issues: jira, applyQueue, clock, sleep, log: (m, e) => console.error(m, e) }, clock.now() + budgetMs());
  if (outcome.status !== 'skipped') {
    console.log(`issue check ${outcome.status}: ${outcome.checked} checked, ${outcome.gone} gone (${outcome.removed} worklog removals pushed), ${outcome.restricted} restricted, ${outcome.undecided} undecided`);
  }
  return { statusCode: 204 };
}

// ── Web trigger: the read-only REST API. It answers 404 until an admin enables it (a later release).
export async function restApi(): Promise<{ statusCode: number; headers: Record<string, string[]>; body: string }> {
  return {
    statusCode: 404,
    headers: { 'Content-Type': ['application/json'] },
    body: JSON.stringify({ error: { code: 'NOT_ENABLED', message: 'The Worktime REST API is not enabled on this site.' } }),
  };
}

// ── Resolvers: the caller is Forge's trusted context.accountId, never the payload.
// makeResolver rather than `new Resolver()`: @forge/resolver is CommonJS, and under this package's
// ESM rules (the bundle's too) its default import is the whole module, not the class.
const resolvers: Record<string, ResolverFunction> = {};
for (const name of Object.keys(RESOLVER_ACCESS)) {
  resolvers[name] = async ({ payload, context }) => {
    const jira = forgeJira(2);
    // A platform error (NeedsAuthenticationError) is thrown on by invokeResolver, so that Forge asks for consent.
    return invokeResolver(
      { kv, directory: jira, people: jira, permissions: jira, syncQueue, periodsQueue, nagerFetch, issueLookup: forgeUserIssues(2), clock, log: (m, e) => console.error(m, e) },
      name,
      payload,
      typeof context?.accountId === 'string' ? context.accountId : undefined,
    );
  };
}
export const resolverHandler = makeResolver(resolvers);
