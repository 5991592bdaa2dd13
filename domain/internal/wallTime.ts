import { DomainError, ErrorCode } from '../errors';

const HH_MM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Milliseconds since local midnight of a wall time `HH:mm`, or throws naming the field. */
export function parseWallTime(value: unknown, field: string, code: string = ErrorCode.invalidContract): number {
  const m = typeof value === 'string' ? HH_MM.exec(value) : null;
  if (!m) {
    throw new DomainError(code, `${field} must be a wall time HH:mm between 00:00 and 23:59 (for example "22:00"); got ${JSON.stringify(value)}`, {
      field,
      value,
    });
  }
  return (Number(m[1]) * 60 + Number(m[2])) * 60_000;
}
