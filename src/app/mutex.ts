import { randomUUID } from 'node:crypto';
import { DomainError } from '../../domain/errors';
import { KvConflictError, type Clock, type KvStore } from '../ports';
import { keys } from './storageKeys';

/**
 * Mutual exclusion for check-then-write changes, kept in KVS (which has no compare-and-set):
 *
 *   withMutex(deps, name, { what, holdMs?, waitMs? }, fn)   runs fn while holding `mutex#<name>`
 *
 * Taking it is a create-only write of `{ token, what, expiresAt }`. A holder that died leaves its
 * value; once `expiresAt` has passed (read from the value: KVS purges expired keys up to 48 h late)
 * exactly one waiter takes it over, through a create-only claim (takeOverOnce). A caller that cannot
 * take it within `waitMs` gets MUTEX_BUSY naming what holds it, and nothing was written. Work that is
 * safe to overlap with itself (a lock job's step, retried or delivered twice) names itself as `owner`
 * and takes over its own earlier holder at once.
 *
 * `holdMs` must be longer than fn can run (a resolver's 25 s, one lock step); a holder that outlives it
 * may overlap the next one, so fn should keep its writes to the end.
 */
export interface MutexDeps {
  readonly kv: KvStore;
  readonly clock: Clock;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface MutexOptions {
  /** What the holder does, for the message a waiter that gives up gets ("saving contracts of …"). */
  readonly what: string;
  /** How long a holder may keep it before others may take it over. Default 60 s. */
  readonly holdMs?: number;
  /** How long to wait for it. Default 10 s. */
  readonly waitMs?: number;
  /**
   * The work's own id (a lock job's), when the same work may run again after a crash or as a duplicate
   * delivery and is safe to overlap with itself: a holder with the same owner is taken over at once
   * instead of waited for until it expires.
   */
  readonly owner?: string;
}

interface Holder {
  readonly token: string;
  readonly what: string;
  readonly expiresAt: number;
  readonly owner?: string;
}

const DEFAULT_HOLD_MS = 60_000;
const DEFAULT_WAIT_MS = 10_000;
/** A claimant that has not taken over after this long died in between; the next generation of claim may try. */
const CLAIM_GRACE_MS = 60_000;
const MAX_CLAIM_GENERATIONS = 10;
/** The longest a waiter sleeps between looks. */
const MAX_PAUSE_MS = 200;
/** Looks that found the mutex gone right after it refused the write, before giving up. */
const MAX_VANISHED = 20;
const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Lets exactly one contender take over a given stale holder: the one whose create-only claim (generation
 * 0, 1, …) lands. A claimant that died before taking over leaves its claim; after CLAIM_GRACE_MS the next
 * generation may be claimed. Shared by this mutex and the sync lease (src/app/syncWorklogs.ts).
 */
export async function takeOverOnce(kv: KvStore, claimKey: (generation: number) => string, token: string, now: number, ttlSeconds: number): Promise<boolean> {
  for (let generation = 0; generation < MAX_CLAIM_GENERATIONS; generation++) {
    const key = claimKey(generation);
    try {
      await kv.set(key, { by: token, at: now }, { ifAbsent: true, ttlSeconds });
      return true;
    } catch (e) {
      if (!(e instanceof KvConflictError)) throw e;
    }
    const claim = await kv.get<{ by: string; at: number }>(key);
    if (claim?.by === token) return true;
    if (claim && now - claim.at < CLAIM_GRACE_MS) return false;
  }
  return true;
}

const claimKeySafe = (s: string) => s.replace(/[^a-zA-Z0-9:._-]/g, '_').slice(0, 120);

async function acquire(deps: MutexDeps, name: string, me: Omit<Holder, 'expiresAt'>, holdMs: number, waitMs: number): Promise<void> {
  const { kv, clock } = deps;
  const sleep = deps.sleep ?? realSleep;
  const key = keys.mutex(name);
  const ttlSeconds = Math.ceil(holdMs / 1000) + 60;
  let waited = 0;
  for (let attempt = 0; ; attempt++) {
    const now = clock.now();
    try {
      await kv.set(key, { ...me, expiresAt: now + holdMs }, { ifAbsent: true, ttlSeconds });
      return;
    } catch (e) {
      if (!(e instanceof KvConflictError)) throw e;
    }
    const held = await kv.get<Holder>(key);
    if (held === undefined) {
      // Released in between: try again, but not forever should the store keep saying both "exists" and "absent".
      if (attempt >= MAX_VANISHED) throw busy('a holder that storage reports as both present and absent', undefined);
      continue;
    }
    const sameWork = me.owner !== undefined && held.owner === me.owner;
    if (sameWork || (held.expiresAt <= now && (await takeOverOnce(kv, (g) => keys.mutexClaim(name, claimKeySafe(held.token), g), me.token, now, ttlSeconds)))) {
      await kv.set(key, { ...me, expiresAt: now + holdMs }, { ttlSeconds });
      return;
    }
    if (waited >= waitMs) throw busy(held.what, held.expiresAt);
    // Short waits first: most holders finish within a few storage round trips; never long, so a freed mutex is soon seen.
    const pause = Math.min(25 * 2 ** attempt, MAX_PAUSE_MS, waitMs - waited);
    await sleep(pause);
    waited += pause;
  }
}

function busy(what: string, expiresAt: number | undefined): DomainError {
  const until = expiresAt === undefined ? '' : ` If it stopped half way, it is given up at ${new Date(expiresAt).toISOString()}.`;
  return new DomainError('MUTEX_BUSY', `another change is being saved (${what}); nothing was written: try again in a few seconds.${until}`, {
    what,
    ...(expiresAt === undefined ? {} : { expiresAt }),
  });
}

async function release(kv: KvStore, name: string, token: string): Promise<void> {
  try {
    const held = await kv.get<Holder>(keys.mutex(name));
    if (held?.token === token) await kv.delete(keys.mutex(name));
  } catch {
    // It expires by itself (holdMs); what fn did stands.
  }
}

/** Runs `fn` while no other withMutex of the same name runs (see the module comment for the limits). */
export async function withMutex<T>(deps: MutexDeps, name: string, options: MutexOptions, fn: () => Promise<T>): Promise<T> {
  const token = randomUUID();
  await acquire(deps, name, { token, what: options.what, ...(options.owner === undefined ? {} : { owner: options.owner }) }, options.holdMs ?? DEFAULT_HOLD_MS, options.waitMs ?? DEFAULT_WAIT_MS);
  try {
    return await fn();
  } finally {
    await release(deps.kv, name, token);
  }
}

/** The mutex every change to one person's ledger and period states takes: locks, unlocks, workflow steps, adjustments, payouts. */
export const personLedgerMutex = (personId: string) => `ledger#${personId}`;
