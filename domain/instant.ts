import { DateTime } from 'luxon';
import { DomainError, ErrorCode } from './errors.ts';

// Jira writes "2026-03-29T01:30:00.000+0000"; ISO 8601 writes "+00:00" or "Z".
const INSTANT_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

/**
 * An instant (epoch ms) from Jira's timestamp format, an ISO 8601 timestamp
 * with an explicit offset, or epoch milliseconds. A timestamp without an
 * offset is refused: it names no instant until a zone is chosen.
 */
export function parseInstant(value: unknown, field = 'started', code: string = ErrorCode.invalidWorklog): number {
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 8.64e15) return value;
  if (typeof value === 'string' && INSTANT_PATTERN.test(value)) {
    const parsed = DateTime.fromISO(value, { setZone: true });
    if (parsed.isValid) return parsed.toMillis();
  }
  throw new DomainError(
    code,
    `${field} must be a timestamp with an offset, such as "2026-03-29T01:30:00.000+0000" (Jira) or "2026-03-29T03:30:00+02:00", or epoch milliseconds; got ${JSON.stringify(value)}`,
    { field, value },
  );
}
