import { DomainError, ErrorCode } from './errors';

/**
 * A worklog as the engine sees it: who, when (an instant), how long. Comments
 * are never stored. `updated` orders versions of the same worklog.
 */
export interface Worklog {
  readonly id: string;
  readonly source?: string;
  readonly authorId: string;
  readonly issueId?: string;
  /** Start instant, epoch ms. */
  readonly started: number;
  /** Elapsed duration, whole seconds ≥ 0. */
  readonly seconds: number;
  /** Last change, epoch ms. */
  readonly updated?: number;
}

/** A ten-year worklog is certainly a typo; Jira itself caps a worklog far lower. */
export const MAX_WORKLOG_SECONDS = 10 * 365 * 86_400;

/** Throws INVALID_WORKLOG naming the worklog and field when `w` is not a usable worklog. */
export function assertValidWorklog(w: Worklog, index?: number): void {
  const where = `worklog ${JSON.stringify(w?.id ?? null)}${index === undefined ? '' : ` (#${index})`}`;
  const fail = (field: string, why: string, value: unknown): never => {
    throw new DomainError(ErrorCode.invalidWorklog, `${where}: ${field} ${why}; got ${JSON.stringify(value)}`, {
      worklogId: w?.id,
      index,
      field,
      value,
    });
  };
  if (typeof w?.id !== 'string' || w.id.length === 0) fail('id', 'must be a non-empty string', w?.id);
  if (typeof w.authorId !== 'string' || w.authorId.length === 0) fail('authorId', 'must be a non-empty string', w.authorId);
  if (typeof w.started !== 'number' || !Number.isFinite(w.started)) fail('started', 'must be an instant (epoch ms)', w.started);
  if (!Number.isInteger(w.seconds) || w.seconds < 0) fail('seconds', 'must be a whole number of seconds, 0 or more', w.seconds);
  if (w.seconds > MAX_WORKLOG_SECONDS) fail('seconds', `must be at most ${MAX_WORKLOG_SECONDS} (ten years)`, w.seconds);
  if (w.updated !== undefined && (typeof w.updated !== 'number' || !Number.isFinite(w.updated))) {
    fail('updated', 'must be an instant (epoch ms) when given', w.updated);
  }
}
