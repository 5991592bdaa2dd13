/**
 * The interfaces the app needs from the world. Use cases in src/app/ see only
 * these; adapters implement them (Forge in src/forge/, local in src/local/,
 * in-memory in test/). Each runtime picks its adapters in one composition root.
 */

/** A JSON value as storage keeps it: anything JSON but `null`, which KVS refuses at the top level. */
export type Stored = NonNullable<unknown>;

export interface KvSetOptions {
  /** Refuse the write (KvConflictError) when the key already exists: create-only, as KVS's FAIL_IF_EXISTS. */
  readonly ifAbsent?: boolean;
  /** Forget the value after this many seconds (at most a year, as KVS). */
  readonly ttlSeconds?: number;
}

export interface KvPage<T> {
  readonly results: readonly { readonly key: string; readonly value: T }[];
  /** Opaque; pass it back with the same prefix and limit. Never store it (KVS cursors are not stable). */
  readonly nextCursor?: string;
}

export type KvOperation =
  | { readonly kind: 'set'; readonly key: string; readonly value: Stored; readonly ttlSeconds?: number }
  | { readonly kind: 'delete'; readonly key: string };

/**
 * Forge KVS semantics, which every adapter keeps: keys of 1–500 characters from
 * `[a-zA-Z0-9:._\s#-]`, values of at most 240 KiB of JSON, prefix queries in
 * ascending key order of at most 100 a page, batches and transactions of at
 * most 25 distinct keys.
 */
export interface KvStore {
  /** The value, or undefined when the key does not exist (never throws for a missing key). */
  get<T = unknown>(key: string): Promise<T | undefined>;
  /** Writes a value; with `ifAbsent`, throws KvConflictError instead of overwriting. */
  set(key: string, value: Stored, options?: KvSetOptions): Promise<void>;
  /** Deletes a key; succeeds whether or not it exists. */
  delete(key: string): Promise<void>;
  /** One page of keys that begin with `prefix`, in ascending key order. */
  query<T = unknown>(prefix: string, options?: { readonly limit?: number; readonly cursor?: string }): Promise<KvPage<T>>;
  /** Up to 25 distinct keys; missing keys are absent from the result. */
  getMany<T = unknown>(keys: readonly string[]): Promise<Map<string, T>>;
  /** Up to 25 operations on distinct keys, applied all or none. */
  transact(operations: readonly KvOperation[]): Promise<void>;
  /** Secrets live apart from data and cannot be queried. */
  getSecret(key: string): Promise<string | undefined>;
  setSecret(key: string, value: string): Promise<void>;
  deleteSecret(key: string): Promise<void>;
}

/** Thrown by a create-only write (`ifAbsent`) when the key already exists; part of the KvStore contract, so use cases can catch it. */
export class KvConflictError extends Error {
  /** KVS's code for the same refusal. */
  readonly code = 'KEY_ALREADY_EXISTS';
  constructor(readonly key: string) {
    super(`key ${JSON.stringify(key)} already exists and the write was create-only`);
    this.name = 'KvConflictError';
  }
}

/** An event to push: a small JSON body (ids, not data). */
export interface QueuedEvent {
  readonly body: { readonly [key: string]: unknown };
  /** Start no sooner than this (0–900 s, as Forge). */
  readonly delaySeconds?: number;
  /** Events with the same key run one at a time (per person, per period…). */
  readonly concurrencyKey?: string;
}

/** A queue with at-least-once delivery. */
export interface EventQueue {
  /** Pushes up to 50 events (≤ 200 KB together); all are accepted or the call throws. */
  push(events: readonly QueuedEvent[]): Promise<void>;
}

/** What a consumer returns to ask for a later retry instead of failing. */
export interface RetryRequest {
  readonly retry: true;
  readonly afterSeconds: number;
  readonly reason: 'rate-limited' | 'transient';
}

/** The clock, passed in so that nothing reads the time behind a test's back. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

/** A page of worklog ids that changed (or were deleted) since a point in time. */
export interface ChangedIdsPage {
  readonly ids: readonly number[];
  /** Change (or deletion) time per id, epoch ms. */
  readonly times: readonly number[];
  /** Everything up to this instant has been listed once the last page is read. */
  readonly until: number;
  readonly lastPage: boolean;
}

/** Where worklogs come from: Jira's REST API in both runtimes (Tempo and others later). */
export interface WorklogSource {
  /** The worklogs with these ids that the app may see; unknown, deleted and restricted ones are left out. At most 1000 ids. */
  byIds(ids: readonly number[]): Promise<import('../domain/worklog').Worklog[]>;
  /** Pages of ids updated since `since` (epoch ms). */
  updatedSince(since: number): AsyncIterable<ChangedIdsPage>;
  /** Pages of ids deleted since `since`. */
  deletedSince(since: number): AsyncIterable<ChangedIdsPage>;
}

/** People as Jira knows them; only what the engine needs. */
export interface Directory {
  /** Time zones by account id (null when Jira gives none); unknown accounts are left out. */
  timeZones(accountIds: readonly string[]): Promise<Map<string, string | null>>;
}

/** A Jira account as user search and bulk lookups give it. */
export interface DirectoryUser {
  readonly accountId: string;
  readonly displayName: string;
  /** Null when Jira gives none (the person's profile visibility hides it, or it was never set). */
  readonly timeZone: string | null;
  readonly active: boolean;
  /** 'atlassian' for a person; 'app' for an app's bot account, 'customer' for a service desk customer. */
  readonly accountType: string;
}

/**
 * Finding people to give a contract, an absence or a role to. The app asks as itself, and answers
 * only people a caller may pick (src/app/people.ts); this port hands over what Jira lists.
 */
export interface PeopleDirectory {
  /**
   * One page of the accounts whose name (or email) begins with `query`, as Jira lists them: apps,
   * customers and inactive accounts included. Jira looks only at its first 1000 matches.
   */
  searchUsers(query: string, page: { readonly startAt: number; readonly maxResults: number }): Promise<readonly DirectoryUser[]>;
  /** The accounts with these ids that Jira knows, in no particular order; unknown ids are left out. */
  usersByIds(accountIds: readonly string[]): Promise<readonly DirectoryUser[]>;
}

/** A queue refused a push because the installation pushed too many events this minute (Forge: 500 a minute). */
export class QueueRateLimitedError extends Error {
  /** Forge gives no Retry-After for this; a minute is when the window has moved on. */
  readonly retryAfterSeconds = 60;
  constructor(readonly queue: string) {
    super(`the ${queue} queue refused events: too many pushed this minute; retry in 60 s`);
    this.name = 'QueueRateLimitedError';
  }
}

/** A source (Jira, Tempo…) asked us to wait longer than the caller may: the work must be retried later. */
export class SourceRateLimitedError extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`the worklog source is rate limiting this app; retry in ${retryAfterSeconds} s`);
    this.name = 'SourceRateLimitedError';
  }
}

/**
 * What Jira says about the person calling a resolver (from the trusted
 * resolver context), asked as the app. Each throws when Jira cannot answer:
 * a failed lookup is never taken for "no".
 */
export interface Permissions {
  /** True when the account has Jira's global ADMINISTER permission. */
  isJiraAdmin(accountId: string): Promise<boolean>;
  /** Ids of the Jira groups the account belongs to (ids, not names: names change). */
  groupIds(accountId: string): Promise<readonly string[]>;
}

/**
 * Which issues still exist. Jira answers "deleted" and "hidden from you" alike
 * (left out, or 404), so two viewers are asked; see src/app/checkIndexedIssues.ts.
 * Issue ids are decimal strings.
 */
export interface IssueDirectory {
  /**
   * Of these issues, those Jira returns to the app (`visible`) and those it could not answer for
   * (`undecided`: Jira's per-issue errors). Any other id is deleted or hidden from the app.
   */
  visibleIssues(issueIds: readonly string[]): Promise<{ readonly visible: ReadonlySet<string>; readonly undecided: ReadonlySet<string> }>;
  /** Of these issues, those the person may browse, asked as the app; Jira leaves out ids of issues that do not exist. */
  browsableBy(accountId: string, issueIds: readonly string[]): Promise<ReadonlySet<string>>;
}

/** An issue's key and summary, as Jira shows them to the person asking. */
export interface IssueSummary {
  readonly key: string;
  readonly summary: string;
}

/**
 * Issue keys and summaries for people to read, asked as the user calling (Forge: asUser), so that
 * nobody learns the key or summary of an issue Jira hides from them. Issue ids are decimal strings.
 */
export interface IssueLookup {
  /**
   * The issues among these ids the user may see, by id; ids of issues that do not exist, that the
   * user may not see or that Jira could not load are left out. Any number of ids: the adapter asks
   * Jira for at most 100 a request.
   */
  issueSummaries(issueIds: readonly string[]): Promise<ReadonlyMap<string, IssueSummary>>;
}

const REACHES_PLATFORM = Symbol.for('worktime.reachesPlatform');

/**
 * Marks an adapter's error that the platform itself must see, such as
 * Forge's NeedsAuthenticationError (the platform then asks the user for
 * consent): use cases rethrow it unchanged instead of answering with an error
 * code. The error keeps its class and identity.
 */
export function reachPlatform<E extends object>(error: E): E {
  Object.defineProperty(error, REACHES_PLATFORM, { value: true, enumerable: false });
  return error;
}

export function reachesPlatform(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { [REACHES_PLATFORM]?: boolean })[REACHES_PLATFORM] === true;
}
