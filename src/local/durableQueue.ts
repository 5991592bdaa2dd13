import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import type { Clock, EventQueue, QueuedEvent, RetryRequest } from '../ports';

/** A consumer: returns nothing when done, a RetryRequest to be called again later, or throws to be retried with backoff. */
export type Consumer = (body: Record<string, unknown>) => Promise<RetryRequest | undefined | void>;

interface Row {
  id: number;
  queue: string;
  body: string;
  concurrency_key: string | null;
  attempts: number;
}

export interface QueueStats {
  readonly pending: number;
  readonly inFlight: number;
  readonly dead: number;
  readonly delivered: number;
  readonly retried: number;
}

/** Forge's limits, enforced here too so that what works locally works in Forge. */
const MAX_EVENTS_PER_PUSH = 50;
const MAX_PUSH_BYTES = 200 * 1024;
const MAX_DELAY_SECONDS = 900;
/** After this many failed attempts an event is parked as dead (Forge drops events after 24 h of retries). */
const MAX_ATTEMPTS = 12;
/** An event whose consumer has not finished in this long is considered crashed and is delivered again. */
const LEASE_MS = 15 * 60_000;

/**
 * A durable queue in SQLite with at-least-once delivery: an event leaves the
 * table only after its consumer succeeds. Retries back off exponentially
 * (capped at 900 s) or wait as long as the consumer asked; events sharing a
 * concurrency key run one at a time; delays are honoured; events in flight
 * when the process stops are delivered again after a restart: each claim
 * names the process that made it, so that a new process can release at once
 * what a dead one held (releaseClaimsOfOtherOwners) instead of waiting out
 * the lease.
 */
export class DurableQueues {
  private readonly consumers = new Map<string, Consumer>();
  private readonly runningKeys = new Set<string>();
  private running = 0;
  private timer: NodeJS.Timeout | null = null;
  private stopped = true;
  private closed = false;
  private delivered = 0;
  private retried = 0;
  private readonly stmt;
  /** Who this process's claims belong to: one id per DurableQueues, so per boot of the runtime. */
  readonly owner: string;

  constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock = { now: () => Date.now() },
    private readonly options: { readonly parallelism?: number; readonly onError?: (queue: string, error: unknown) => void; readonly owner?: string } = {},
  ) {
    this.owner = options.owner ?? randomUUID();
    db.exec(`
      CREATE TABLE IF NOT EXISTS queue_event (
        id INTEGER PRIMARY KEY AUTOINCREMENT, queue TEXT NOT NULL, body TEXT NOT NULL, concurrency_key TEXT,
        available_at INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, locked_until INTEGER, claimed_by TEXT, last_error TEXT);
      CREATE INDEX IF NOT EXISTS queue_event_available ON queue_event (available_at);
      CREATE TABLE IF NOT EXISTS queue_dead (id INTEGER PRIMARY KEY, queue TEXT, body TEXT, attempts INTEGER, last_error TEXT, died_at INTEGER);
    `);
    this.stmt = {
      insert: db.prepare('INSERT INTO queue_event (queue, body, concurrency_key, available_at) VALUES (?, ?, ?, ?)'),
      candidates: db.prepare<[number, number], Row>(
        'SELECT id, queue, body, concurrency_key, attempts FROM queue_event WHERE available_at <= ? AND (locked_until IS NULL OR locked_until <= ?) ORDER BY available_at, id LIMIT 200',
      ),
      lock: db.prepare('UPDATE queue_event SET locked_until = ?, claimed_by = ?, attempts = attempts + 1 WHERE id = ?'),
      releaseOthers: db.prepare('UPDATE queue_event SET locked_until = NULL, claimed_by = NULL WHERE locked_until IS NOT NULL AND claimed_by IS NOT ?'),
      done: db.prepare('DELETE FROM queue_event WHERE id = ?'),
      later: db.prepare('UPDATE queue_event SET available_at = ?, locked_until = NULL, claimed_by = NULL, last_error = ? WHERE id = ?'),
      bury: db.prepare("INSERT INTO queue_dead (id, queue, body, attempts, last_error, died_at) SELECT id, queue, body, attempts, ?, ? FROM queue_event WHERE id = ?"),
      count: db.prepare<[], { pending: number; inFlight: number }>(
        'SELECT count(*) AS pending, coalesce(sum(CASE WHEN locked_until IS NOT NULL THEN 1 ELSE 0 END), 0) AS inFlight FROM queue_event',
      ),
      dead: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM queue_dead'),
      nextAvailable: db.prepare<[], { at: number | null }>('SELECT min(available_at) AS at FROM queue_event WHERE locked_until IS NULL'),
    };
  }

  /** The producer side of one named queue. */
  queue(name: string): EventQueue {
    return {
      push: async (events: readonly QueuedEvent[]) => {
        if (events.length === 0 || events.length > MAX_EVENTS_PER_PUSH) throw new Error(`a push holds 1 to ${MAX_EVENTS_PER_PUSH} events; got ${events.length}`);
        const bytes = Buffer.byteLength(JSON.stringify(events), 'utf8');
        if (bytes > MAX_PUSH_BYTES) throw new Error(`a push is limited to ${MAX_PUSH_BYTES} bytes; got ${bytes}`);
        for (const e of events) {
          const delay = e.delaySeconds ?? 0;
          if (!Number.isInteger(delay) || delay < 0 || delay > MAX_DELAY_SECONDS) throw new Error(`delaySeconds must be 0–${MAX_DELAY_SECONDS}; got ${delay}`);
        }
        const now = this.clock.now();
        this.db.transaction(() => {
          for (const e of events) this.stmt.insert.run(name, JSON.stringify(e.body), e.concurrencyKey ?? null, now + (e.delaySeconds ?? 0) * 1000);
        })();
        this.kick();
      },
    };
  }

  /**
   * Makes every event claimed by another owner deliverable again now, and
   * says how many there were. Call it at start-up, only when no other process
   * uses this database (the local runtime holds a lock on its data directory):
   * the claims of a live process would be delivered twice.
   */
  releaseClaimsOfOtherOwners(): number {
    return this.stmt.releaseOthers.run(this.owner).changes;
  }

  /** Registers the consumer of a queue. */
  consume(name: string, consumer: Consumer): void {
    this.consumers.set(name, consumer);
  }

  private backoffMs(attempts: number): number {
    return Math.min(MAX_DELAY_SECONDS, 2 ** Math.min(attempts, 10)) * 1000;
  }

  /** Starts as many deliveries as parallelism and concurrency keys allow; resolves when they are all started. */
  private dispatch(): Promise<void>[] {
    const started: Promise<void>[] = [];
    if (this.closed) return started;
    const parallelism = this.options.parallelism ?? 4;
    if (this.running >= parallelism) return started;
    const now = this.clock.now();
    for (const row of this.stmt.candidates.all(now, now)) {
      if (this.running >= parallelism) break;
      const consumer = this.consumers.get(row.queue);
      if (!consumer) continue;
      if (row.concurrency_key !== null && this.runningKeys.has(row.concurrency_key)) continue;
      this.stmt.lock.run(now + LEASE_MS, this.owner, row.id);
      if (row.concurrency_key !== null) this.runningKeys.add(row.concurrency_key);
      this.running++;
      started.push(this.deliver(row, consumer));
    }
    return started;
  }

  private async deliver(row: Row, consumer: Consumer): Promise<void> {
    try {
      const result = await consumer(JSON.parse(row.body) as Record<string, unknown>);
      if (result && result.retry) {
        this.retried++;
        this.stmt.later.run(this.clock.now() + Math.min(MAX_DELAY_SECONDS, result.afterSeconds) * 1000, `retry requested: ${result.reason}`, row.id);
      } else {
        this.delivered++;
        this.stmt.done.run(row.id);
      }
    } catch (error) {
      this.retried++;
      const message = error instanceof Error ? error.message : String(error);
      this.options.onError?.(row.queue, error);
      if (row.attempts + 1 >= MAX_ATTEMPTS) {
        this.db.transaction(() => {
          this.stmt.bury.run(message, this.clock.now(), row.id);
          this.stmt.done.run(row.id);
        })();
      } else {
        this.stmt.later.run(this.clock.now() + this.backoffMs(row.attempts + 1), message.slice(0, 500), row.id);
      }
    } finally {
      this.running--;
      if (row.concurrency_key !== null) this.runningKeys.delete(row.concurrency_key);
      this.kick();
    }
  }

  /** Delivers everything that is due now, and whatever that pushes, until nothing is due. For tests and benchmarks. */
  async drain(): Promise<void> {
    while (!this.closed) {
      const started = this.dispatch();
      if (started.length === 0 && this.running === 0) return;
      await Promise.race([...started, new Promise((r) => setTimeout(r, 1))]);
    }
  }

  /** Starts delivering in the background (the local runtime). */
  start(): void {
    this.stopped = false;
    this.kick();
  }

  /** Stops delivering for good (before the database is closed). */
  close(): void {
    this.closed = true;
    this.stop();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private kick(): void {
    if (this.stopped) return;
    this.dispatch();
    if (this.timer) clearTimeout(this.timer);
    const next = this.stmt.nextAvailable.get()?.at;
    const wait = next === null || next === undefined ? 1000 : Math.max(5, Math.min(1000, next - this.clock.now()));
    this.timer = setTimeout(() => this.kick(), wait);
    this.timer.unref();
  }

  stats(): QueueStats {
    const c = this.stmt.count.get()!;
    return { pending: c.pending, inFlight: c.inFlight, dead: this.stmt.dead.get()!.n, delivered: this.delivered, retried: this.retried };
  }
}
