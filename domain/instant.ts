import { DomainError, ErrorCode } from './errors';
import { epochDayOf, isLocalDate, MS_PER_DAY } from './localDate';

// Jira writes "2026-03-29T01:30:00.000+0000"; ISO 8601 writes "+00:00" or "Z".
const INSTANT_PATTERN = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):?(\d{2}))$/;

/** No zone has ever been further from UTC than ±14:00 (Kiribati's Line Islands); more is a typo. */
const MAX_OFFSET_MINUTES = 14 * 60;

/**
 * An instant (epoch ms) from Jira's timestamp format, an ISO 8601 timestamp
 * with an explicit offset, or epoch milliseconds. A timestamp without an
 * offset is refused: it names no instant until a zone is chosen. So are
 * 24:00 (ISO's end of day: write 00:00 of the next day), a second 60, and an
 * offset beyond ±14:00. Digits beyond the millisecond are dropped.
 */
export function parseInstant(value: unknown, field = 'started', code: string = ErrorCode.invalidWorklog): number {
  if (typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < 8.64e15) return value;
  const read = typeof value === 'string' ? readTimestamp(value) : '';
  if (typeof read === 'number') return read;
  throw new DomainError(
    code,
    `${field} must be a timestamp with an offset, such as "2026-03-29T01:30:00.000+0000" (Jira) or "2026-03-29T03:30:00+02:00", or epoch milliseconds${read ? ` (${read})` : ''}; got ${JSON.stringify(value)}`,
    { field, value },
  );
}

/** Epoch ms of a timestamp, or what is wrong with it ('' when it is not in the accepted form at all). */
function readTimestamp(value: string): number | string {
  const m = INSTANT_PATTERN.exec(value);
  if (!m) return '';
  const [date, hh, mm, ss = '00', fraction = '', sign, offH = '00', offM = '00'] = m.slice(1) as [string, string, string, string?, string?, string?, string?, string?];
  if (!isLocalDate(date)) return `${date} is not a calendar date`;
  if (Number(hh) > 23) return hh === '24' ? '24:00 is not a time of day; write 00:00 of the next day' : `hour ${hh} is beyond 23`;
  if (Number(mm) > 59) return `minute ${mm} is beyond 59`;
  if (Number(ss) > 59) return `second ${ss} is beyond 59`;
  if (Number(offM) > 59) return `offset minute ${offM} is beyond 59`;
  const offsetMinutes = Number(offH) * 60 + Number(offM);
  if (offsetMinutes > MAX_OFFSET_MINUTES) return `offset ${sign}${offH}:${offM} is beyond ±14:00, further from UTC than any zone`;
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const secondOfDay = (Number(hh) * 60 + Number(mm)) * 60 + Number(ss);
  const ms = Number(fraction.padEnd(3, '0').slice(0, 3));
  return epochDayOf(year, month, day) * MS_PER_DAY + secondOfDay * 1000 + ms - (sign === '-' ? -1 : 1) * offsetMinutes * 60_000;
}
