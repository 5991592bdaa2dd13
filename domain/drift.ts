import { DomainError, ErrorCode } from './errors';

/**
 * Drift: how the worklogs in the source (Jira) differ now from the ones a
 * snapshot was locked with. A worklog is
 *
 * - **added** when its id is in the source but not in the snapshot,
 * - **deleted** when its id is in the snapshot but no longer in the source,
 * - **changed** when both have its id but `seconds`, `started` or `updated`
 *   differ (Jira moves `updated` on every edit, so an edit of another field
 *   shows up too; other fields are not compared),
 * - **unchanged** otherwise.
 *
 * `netSecondsDelta` is the change of logged time: the current total minus the
 * snapshot total. Every list is sorted by id, numeric-aware ('9' before '10').
 */

/** What drift compares of a worklog. `updated` may be absent (older data); absent equals absent. */
export interface DriftWorklog {
  readonly id: string;
  readonly seconds: number;
  readonly started: number;
  readonly updated?: number;
}

export interface DriftChange<W extends DriftWorklog = DriftWorklog> {
  readonly id: string;
  readonly before: W;
  readonly after: W;
  /** `after.seconds - before.seconds`. */
  readonly secondsDelta: number;
}

export interface WorklogDrift<W extends DriftWorklog = DriftWorklog> {
  readonly added: W[];
  readonly changed: DriftChange<W>[];
  readonly deleted: W[];
  /** How many worklogs are in both, identical in seconds, started and updated. */
  readonly unchanged: number;
  /** Current total seconds minus snapshot total seconds. */
  readonly netSecondsDelta: number;
}

const DIGITS = /^[0-9]+$/;

/**
 * A total order on ids that puts numeric ids in numeric order ('9' < '10' <
 * '100'), before any non-numeric id; non-numeric ids, and numeric ids of equal
 * value ('7' vs '007'), compare by UTF-16 code units.
 */
export function compareIdsNumericAware(a: string, b: string): number {
  const an = DIGITS.test(a);
  const bn = DIGITS.test(b);
  if (an !== bn) return an ? -1 : 1;
  if (an) {
    const as = a.replace(/^0+(?=.)/, '');
    const bs = b.replace(/^0+(?=.)/, '');
    if (as.length !== bs.length) return as.length - bs.length;
    if (as !== bs) return as < bs ? -1 : 1;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

function index<W extends DriftWorklog>(list: readonly W[], side: 'snapshot' | 'current'): Map<string, W> {
  if (!Array.isArray(list)) {
    throw new DomainError(ErrorCode.invalidWorklog, `drift: the ${side} worklogs must be a list; got ${typeof list}`, { side });
  }
  const byId = new Map<string, W>();
  list.forEach((w, i) => {
    const fail = (field: string, why: string, value: unknown): never => {
      throw new DomainError(
        ErrorCode.invalidWorklog,
        `drift: ${side} worklog #${i}${typeof w?.id === 'string' ? ` (id ${JSON.stringify(w.id)})` : ''}: ${field} ${why}; got ${JSON.stringify(value) ?? String(value)}`,
        { side, index: i, worklogId: w?.id, field },
      );
    };
    if (typeof w !== 'object' || w === null) fail('the worklog', 'must be an object', w);
    if (typeof w.id !== 'string' || w.id.length === 0) fail('id', 'must be a non-empty string', w.id);
    if (!Number.isSafeInteger(w.seconds) || w.seconds < 0) fail('seconds', 'must be a whole number of seconds, 0 or more', w.seconds);
    if (typeof w.started !== 'number' || !Number.isFinite(w.started)) fail('started', 'must be an instant (epoch ms)', w.started);
    if (w.updated !== undefined && (typeof w.updated !== 'number' || !Number.isFinite(w.updated))) {
      fail('updated', 'must be an instant (epoch ms) when given', w.updated);
    }
    const first = byId.get(w.id);
    if (first !== undefined) {
      throw new DomainError(
        ErrorCode.invalidWorklog,
        `drift: worklog id ${JSON.stringify(w.id)} appears more than once in the ${side} worklogs (again at #${i}); each worklog must appear once — remove the duplicate`,
        { side, worklogId: w.id, index: i },
      );
    }
    byId.set(w.id, w);
  });
  return byId;
}

const byId = (a: DriftWorklog, b: DriftWorklog): number => compareIdsNumericAware(a.id, b.id);

/**
 * Returns what was added, changed and deleted going from `snapshotWorklogs`
 * to `current`, each sorted by id (numeric-aware), with the number unchanged
 * and the net change in seconds; throws INVALID_WORKLOG naming the id when a
 * list holds an id twice or a worklog is unusable.
 */
export function computeDrift<W extends DriftWorklog>(snapshotWorklogs: readonly W[], current: readonly W[]): WorklogDrift<W> {
  const before = index(snapshotWorklogs, 'snapshot');
  const now = index(current, 'current');
  const added: W[] = [];
  const changed: DriftChange<W>[] = [];
  const deleted: W[] = [];
  let unchanged = 0;
  let netSecondsDelta = 0;
  for (const [id, old] of before) {
    const cur = now.get(id);
    if (cur === undefined) {
      deleted.push(old);
      netSecondsDelta -= old.seconds;
    } else if (cur.seconds !== old.seconds || cur.started !== old.started || cur.updated !== old.updated) {
      changed.push({ id, before: old, after: cur, secondsDelta: cur.seconds - old.seconds });
      netSecondsDelta += cur.seconds - old.seconds;
    } else {
      unchanged++;
    }
  }
  for (const [id, cur] of now) {
    if (!before.has(id)) {
      added.push(cur);
      netSecondsDelta += cur.seconds;
    }
  }
  added.sort(byId);
  deleted.sort(byId);
  changed.sort((a, b) => compareIdsNumericAware(a.id, b.id));
  return { added, changed, deleted, unchanged, netSecondsDelta };
}
