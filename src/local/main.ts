import { handlePeriodsEvent, type PeriodsEvent } from '../app/lockJobs';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fromEpochDay, MS_PER_DAY } from '../../domain/localDate';
import type { ApplyEvent, IngestEvent } from '../app/events';
import { handleApplyEvent, handleIngestEvent, handleSyncEvent, type SyncEvent } from '../app/handleEvents';
import { keys } from '../app/storageKeys';
import { checkIndexedIssues } from '../app/checkIndexedIssues';
import type { Clock, Directory, IssueDirectory, IssueLookup, PeopleDirectory, Permissions, WorklogSource } from '../ports';
import { JiraClient } from '../sources/jiraClient';
import { fetchTransport } from '../sources/jiraTransport';
import { ConfigError, readConfig, readListenAddress, type LocalConfig } from './config';
import { lockDataDir } from './dataDirLock';
import { buildDemoSite, describeDemoSite } from './demoData';
import { DemoSource } from './demoSource';
import { DurableQueues } from './durableQueue';
import { probeJira } from './jiraProbe';
import { demoLockedMonth, DemoSetupError, loadDemoSite, lockDemoMonth, startDemoTrickle } from './loadDemo';
import { createLocalServer } from './server';
import { SqliteKvStore } from './sqliteKvStore';

/** Consumers get this long per event, like a Forge consumer with a 900 s timeout, less a margin. */
const SYNC_BUDGET_MS = 60_000;
/** The scheduled reconcile, as the Forge app's hourly trigger; more often locally so changes show. */
const RECONCILE_EVERY_MS = 5 * 60_000;
/** The start-up probe of a Jira site waits this long for an answer before it calls the site unreachable. */
const PROBE_TIMEOUT_MS = 10_000;
/** A stop lets requests under way finish for this long, then closes their connections (a stalled client must not hold Ctrl+C up). */
const STOP_GRACE_MS = 2_000;

interface Wiring {
  readonly source: WorklogSource;
  readonly directory: Directory;
  /** Finding people by name (people/search, people/names): the demo's accounts, or the Jira site's. */
  readonly peopleDirectory: PeopleDirectory;
  readonly permissions: Permissions;
  /** Which issues still exist, for the daily issue check; only a real Jira site deletes issues. */
  readonly issues?: IssueDirectory;
  /** Issue keys and summaries for the worklogs of a day. */
  readonly issueLookup: IssueLookup;
  readonly people: () => Promise<{ accountId: string; displayName: string; timeZone: string | null }[]>;
}

function jiraWiring(config: Extract<LocalConfig, { mode: 'jira' }>): Wiring {
  const client = new JiraClient(fetchTransport(config.jira.baseUrl, { email: config.jira.email, apiToken: config.jira.apiToken }), { maxInlineWaitSeconds: 10 });
  const source: WorklogSource = { byIds: (ids) => client.worklogsByIds(ids), updatedSince: (s) => client.updatedWorklogs(s), deletedSince: (s) => client.deletedWorklogs(s) };
  const known = new Map<string, { displayName: string; timeZone: string | null }>();
  const directory: Directory = {
    async timeZones(ids) {
      const users = await client.usersByIds(ids);
      for (const u of users) known.set(u.accountId, { displayName: u.displayName, timeZone: u.timeZone });
      return new Map(users.map((u) => [u.accountId, u.timeZone]));
    },
  };
  // Locally, who is an admin is configuration: the token's own rights say nothing about the acting account.
  const permissions: Permissions = { isJiraAdmin: async (id) => config.admins.includes(id), groupIds: async () => [] };
  const issues: IssueDirectory = { visibleIssues: (ids) => client.visibleIssues(ids), browsableBy: (accountId, ids) => client.browsableBy(accountId, ids) };
  const peopleDirectory: PeopleDirectory = { searchUsers: (query, page) => client.searchUsers(query, page), usersByIds: (ids) => client.usersByIds(ids) };
  // Locally every call acts as the API token's owner: people see the names of issues that account may browse.
  const issueLookup: IssueLookup = { issueSummaries: (ids) => client.issueSummaries(ids) };
  return { source, directory, peopleDirectory, permissions, issues, issueLookup, people: async () => [...known].map(([accountId, p]) => ({ accountId, ...p })) };
}

/** What a started runtime gives its caller: where it listens, what to tell the person who started it, how to stop it. */
export interface RunningLocal {
  readonly url: string;
  /** The start-up banner's lines after the address: what the runtime reads, and what it recovered. */
  readonly banner: readonly string[];
  readonly stop: () => Promise<void>;
  /**
   * Demo only: settles when the demo's last set-up step (locking last month, then a change that
   * drifts from it) is done, after the banner; rejects with a DemoSetupError naming the resolver
   * that failed. Resolves at once outside the demo, and when the runtime stops first.
   */
  readonly demoReady: Promise<void>;
}

/** Starts the local runtime; resolves with a function that stops it. */
export async function startLocal(env: NodeJS.ProcessEnv = process.env, clock: Clock = { now: () => Date.now() }): Promise<RunningLocal> {
  const config = readConfig(env);
  const listen = readListenAddress(env);
  const banner: string[] = [];
  if (config.mode === 'jira') {
    const probe = fetchTransport(config.jira.baseUrl, { email: config.jira.email, apiToken: config.jira.apiToken }, (input, init) => fetch(input, { ...init, signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) }));
    const me = await probeJira(probe, config.jira.baseUrl);
    banner.push(`Reading Jira at ${config.jira.baseUrl} as ${me.displayName}.`);
  }
  mkdirSync(config.dataDir, { recursive: true });
  const unlockDataDir = lockDataDir(config.dataDir);
  const file = join(config.dataDir, config.mode === 'demo' ? 'demo.sqlite' : 'worktime.sqlite');
  // The demo starts fresh each time: its Jira stand-in lives in memory.
  if (config.mode === 'demo') for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  const kv = new SqliteKvStore(file, clock);
  const queues = new DurableQueues(kv.database, clock, { parallelism: 4, onError: (q, e) => console.error(`queue ${q}: ${(e as Error).message}`) });
  // This process holds the data directory, so whatever is still claimed was claimed by a run that has died.
  const released = queues.releaseClaimsOfOtherOwners();
  if (released > 0) banner.push(`Resumed ${released} queued event${released === 1 ? '' : 's'} the previous run had started and not finished.`);
  // Likewise the sync lease: no sync runs here yet, so a lease in storage is the dead run's; waiting out its 15 minutes would stall the import.
  if ((await kv.get(keys.syncLease)) !== undefined) {
    await kv.delete(keys.syncLease);
    banner.push('Released the sync lease the previous run held.');
  }
  const ingestQueue = queues.queue('ingest');
  const applyQueue = queues.queue('apply');
  const syncQueue = queues.queue('sync');
  const periodsQueue = queues.queue('periods');

  let wiring: Wiring;
  let stopTrickle = () => undefined as void;
  let demo: DemoSource | null = null;
  const today = fromEpochDay(Math.floor(clock.now() / MS_PER_DAY));
  if (config.mode === 'demo') {
    demo = new DemoSource(clock.now);
    const site = buildDemoSite(today);
    // The HR set-up goes through the resolvers, as people would enter it; a refusal stops the start.
    const setupDeps = { kv, directory: demo, permissions: demo, syncQueue, periodsQueue, clock };
    await loadDemoSite(setupDeps, demo, site, today).catch((e: unknown) => {
      queues.close();
      kv.close();
      unlockDataDir();
      throw e;
    });
    banner.push(`${describeDemoSite(site, today)}; a worklog is created, edited or deleted every ${formatPeriod(config.trickleMs)}.`);
    banner.push(`Once the import is in, ${demoLockedMonth(today)} is locked for the Brussels office, and then one of Elise's worklogs in it changes, so drift/get shows drift.`);
    const source = demo;
    wiring = {
      source,
      directory: source,
      peopleDirectory: source,
      permissions: source,
      issueLookup: source,
      people: async () => [...source.people].map(([accountId, p]) => ({ accountId, ...p })),
    };
  } else wiring = jiraWiring(config);

  const pipeline = { kv, source: wiring.source, applyQueue, clock };
  queues.consume('ingest', (body) => handleIngestEvent(pipeline, body as unknown as IngestEvent));
  queues.consume('apply', (body) => handleApplyEvent(pipeline, body as unknown as ApplyEvent));
  queues.consume('periods', (body) => handlePeriodsEvent({ kv, directory: wiring.directory, clock }, body as unknown as PeriodsEvent));
  queues.consume('sync', (body) => handleSyncEvent({ kv, source: wiring.source, ingestQueue, syncQueue, clock }, body as unknown as SyncEvent, SYNC_BUDGET_MS));
  queues.start();

  // The initial import (demo: load its three months through the pipeline), then a periodic reconcile.
  const firstRun = (await kv.get(keys.syncProgress)) === undefined;
  await syncQueue.push([{ body: { kind: 'sync', mode: firstRun ? 'import' : 'reconcile' } }]);
  const reconcile = setInterval(() => void syncQueue.push([{ body: { kind: 'sync', mode: 'reconcile' } }]).catch(() => undefined), RECONCILE_EVERY_MS);
  reconcile.unref();
  // The daily check that indexed issues still exist, as the Forge app's scheduled trigger.
  const issues = wiring.issues;
  const issueCheck = issues
    ? setInterval(() => {
        const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
        void checkIndexedIssues({ kv, issues, applyQueue, clock, sleep, log: (m, e) => console.error(m, e) }, clock.now() + SYNC_BUDGET_MS).catch((e) => console.error('issue check failed', e));
      }, 86_400_000)
    : undefined;
  issueCheck?.unref();
  if (demo && config.mode === 'demo') stopTrickle = startDemoTrickle({ kv, source: demo, ingestQueue, applyQueue, now: clock.now }, config.trickleMs);

  const server = createLocalServer({
    // Nager.Date is reached only when an admin chooses it as the holiday provider (the offline one is the default).
    deps: { kv, directory: wiring.directory, people: wiring.peopleDirectory, permissions: wiring.permissions, syncQueue, periodsQueue, nagerFetch: (url, init) => fetch(url, init), issueLookup: wiring.issueLookup, clock, log: (m, e) => console.error(m, e) },
    mode: config.mode === 'demo' ? 'demo data (a simulated Jira site, loaded through the real pipeline)' : `Jira site ${config.jira.baseUrl}`,
    people: wiring.people,
    status: () => ({ queue: queues.stats() }),
    // Requests may name the address the runtime listens on, besides localhost (127.0.0.1 and [::1] always pass).
    ...(/^(?:127\.0\.0\.1|localhost|::1)$/.test(listen.host) ? {} : { exposedAddress: listen.host }),
  });
  // Keep idle connections open longer than clients do (fetch keeps them about 4 s): a server that closes
  // one just as a client reuses it makes that request fail with ECONNRESET, most often under load.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  let stopping = false;
  const stopAll = () => {
    stopping = true;
    stopTrickle();
    clearInterval(reconcile);
    clearInterval(issueCheck);
    queues.close();
    kv.close();
    unlockDataDir();
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, listen.host, () => resolve());
  }).catch((e: unknown) => {
    stopAll();
    throw e;
  });
  // The demo's last step runs after the banner: the lock waits for the import to be in.
  const demoReady =
    demo === null
      ? Promise.resolve()
      : lockDemoMonth({ kv, directory: demo, permissions: demo, syncQueue, periodsQueue, clock, source: demo, ingestQueue, applyQueue, queuesIdle: () => queues.stats().pending + queues.stats().inFlight === 0, stopped: () => stopping }, today).catch((e: unknown) => {
          // A runtime stopping under the step closes the store it reads: that is no failure.
          if (!stopping) throw e;
        });
  demoReady.catch(() => undefined);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${listen.host === '127.0.0.1' || listen.host === 'localhost' ? 'localhost' : listen.host.includes(':') ? `[${listen.host}]` : listen.host}:${port}`;
  if (listen.exposed) banner.unshift(`Listening on ${listen.host}, beyond this computer, as WORKTIME_EXPOSE_TO_NETWORK allows: whoever reaches it can act as any account.`);
  return {
    url,
    banner,
    demoReady,
    stop: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const grace = setTimeout(() => server.closeAllConnections(), STOP_GRACE_MS);
      await closed;
      clearTimeout(grace);
      stopAll();
    },
  };
}



/** A period for people: "5 s", "1.5 s", "200 ms". */
function formatPeriod(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${ms / 1000} s`;
}

/** The `npm start` entry: clear messages for configuration mistakes, no stack traces; exit status 1 when it cannot start. */
export async function runFromCommandLine(): Promise<void> {
  try {
    const { url, banner, stop, demoReady } = await startLocal();
    console.log(`Worktime engine is running at ${url}`);
    for (const line of banner) console.log(line);
    console.log('Press Ctrl+C to stop.');
    // Close the database and free the data directory; events still in flight are resumed at the next start.
    const onSignal = () => void stop().finally(() => process.exit(0));
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    demoReady.catch((e: unknown) => {
      console.error(`worktime: ${e instanceof DemoSetupError ? e.message : `demo set-up failed: ${(e as Error).message}`}`);
      void stop().finally(() => process.exit(1));
    });
  } catch (e) {
    if (e instanceof ConfigError || e instanceof DemoSetupError) console.error(`worktime: ${e.message}`);
    else if ((e as NodeJS.ErrnoException).code === 'EADDRNOTAVAIL') console.error(`worktime: ${process.env.WORKTIME_HOST} is not an address of this computer; set WORKTIME_HOST to one of its addresses, or unset it to stay on 127.0.0.1`);
    else if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') console.error(`worktime: port ${process.env.PORT ?? 8080} is already in use; set PORT to another port (for example PORT=8081 npm start)`);
    else console.error(`worktime: could not start: ${(e as Error).message}`);
    // Exit now: a half-open connection to Jira must not keep a runtime that failed to start alive.
    process.exit(1);
  }
}
