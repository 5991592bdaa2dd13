/**
 * The one error type the domain throws. `code` is stable across process
 * boundaries (resolver → UI, CLI → shell), where `instanceof` does not survive;
 * `message` says what was given, why it is wrong and, where useful, what to do.
 * `details` carries the data a caller needs to point at the offending record.
 */
export class DomainError extends Error {
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'DomainError';
    this.code = code;
    this.details = details;
  }
}

/** Stable codes, so callers branch on a name rather than on message text. */
export const ErrorCode = {
  invalidInput: 'INVALID_INPUT',
  invalidDate: 'INVALID_DATE',
  invalidZone: 'INVALID_ZONE',
  invalidRange: 'INVALID_RANGE',
  invalidWorklog: 'INVALID_WORKLOG',
  invalidContract: 'INVALID_CONTRACT',
  contractOverlap: 'CONTRACT_OVERLAP',
  invalidHoliday: 'INVALID_HOLIDAY',
  invalidAbsence: 'INVALID_ABSENCE',
  invalidPeriod: 'INVALID_PERIOD',
  invalidLedgerEntry: 'INVALID_LEDGER_ENTRY',
  invalidPolicy: 'INVALID_POLICY',
  invalidSnapshot: 'INVALID_SNAPSHOT',
  invalidAuditEntry: 'INVALID_AUDIT_ENTRY',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];
