import { performance } from 'node:perf_hooks';
import type { CountingKvStore, KvMeter } from '../../src/kv/countingKvStore';
import type { Directory, EventQueue, WorklogSource } from '../../src/ports';
import type { Usage } from './forgeCost';

/** Round trips Forge makes and the local runtime does not (milliseconds each; assumed, not measured). */
export interface Latency {
  readonly kvs: number;
  readonly push: number;
  readonly jira: number;
}

/** What one phase of a run used, as totals. */
export interface Measured {
  readonly label: string;
  /** What the figures are divided by (worklog events, reconcile runs, report opens). */
  readonly per: number;
  readonly perName: string;
  readonly kv: KvMeter;
  readonly handlerMs: number;
  readonly invocations: number;
  readonly pushes: number;
  readonly pushedEvents: number;
  readonly eventBytes: number;
  readonly jiraCalls: number;
  readonly logBytes: number;
}

/** Billed function seconds: measured handler time plus the assumed round trips. */
export function functionSeconds(m: Measured, latencyMs: Latency): number {
  return (m.handlerMs + (m.kv.reads + m.kv.writes) * latencyMs.kvs + m.pushes * latencyMs.push + m.jiraCalls * latencyMs.jira) / 1000;
}

/** Usage per unit (event, run, open) of a measured phase. */
export function usagePerUnit(m: Measured, latencyMs: Latency): Usage {
  return { functionSeconds: functionSeconds(m, latencyMs) / m.per, bytesRead: m.kv.bytesRead / m.per, bytesWritten: m.kv.bytesWritten / m.per, logBytes: m.logBytes / m.per };
}

/** Counts what the handlers cost while a phase runs: time inside them, queue pushes, Jira calls, console output. */
export class Meter {
  handlerMs = 0;
  invocations = 0;
  pushes = 0;
  pushedEvents = 0;
  eventBytes = 0;
  jiraCalls = 0;
  logBytes = 0;

  reset(): void {
    this.handlerMs = this.invocations = this.pushes = this.pushedEvents = this.eventBytes = this.jiraCalls = this.logBytes = 0;
  }

  /** A handler whose wall time (from call to settled promise) counts as one invocation. */
  timed<A extends unknown[], R>(handler: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
    return async (...args: A) => {
      this.invocations++;
      const start = performance.now();
      try {
        return await handler(...args);
      } finally {
        this.handlerMs += performance.now() - start;
      }
    };
  }

  queue(inner: EventQueue): EventQueue {
    return {
      push: (events) => {
        this.pushes++;
        this.pushedEvents += events.length;
        for (const e of events) this.eventBytes += Buffer.byteLength(JSON.stringify(e.body), 'utf8');
        return inner.push(events);
      },
    };
  }

  /** The source and directory, every Jira call counted (a listing page is one call). */
  source(inner: WorklogSource & Directory): WorklogSource & Directory {
    const meter = this;
    return {
      byIds: (ids) => {
        meter.jiraCalls++;
        return inner.byIds(ids);
      },
      timeZones: (ids) => {
        meter.jiraCalls++;
        return inner.timeZones(ids);
      },
      async *updatedSince(since) {
        for await (const page of inner.updatedSince(since)) {
          meter.jiraCalls++;
          yield page;
        }
      },
      async *deletedSince(since) {
        for await (const page of inner.deletedSince(since)) {
          meter.jiraCalls++;
          yield page;
        }
      },
    };
  }

  /** Runs `work` with console output counted (as Forge would log it) and still shown. */
  async capturingLogs<T>(work: () => Promise<T>): Promise<T> {
    const saved = { log: console.log, info: console.info, warn: console.warn, error: console.error };
    const count =
      (write: (...a: unknown[]) => void) =>
      (...a: unknown[]) => {
        this.logBytes += Buffer.byteLength(a.map((x) => (typeof x === 'string' ? x : x instanceof Error ? (x.stack ?? x.message) : JSON.stringify(x))).join(' ') + '\n', 'utf8');
        write(...a);
      };
    console.log = count(saved.log);
    console.info = count(saved.info);
    console.warn = count(saved.warn);
    console.error = count(saved.error);
    try {
      return await work();
    } finally {
      Object.assign(console, saved);
    }
  }

  result(label: string, kv: CountingKvStore, per: number, perName: string): Measured {
    return { label, per, perName, kv: kv.snapshot(), handlerMs: this.handlerMs, invocations: this.invocations, pushes: this.pushes, pushedEvents: this.pushedEvents, eventBytes: this.eventBytes, jiraCalls: this.jiraCalls, logBytes: this.logBytes };
  }
}

