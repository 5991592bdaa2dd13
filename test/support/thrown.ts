import { DomainError } from '../../domain/errors';

/** The DomainError `f` throws; fails the test if it throws nothing or something else. */
export function thrown(f: () => unknown): DomainError {
  try {
    f();
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError, nothing was thrown');
}

/** The DomainError the promise rejects with; fails the test if it resolves or rejects with something else. */
export async function rejectedWith(p: Promise<unknown>): Promise<DomainError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected a DomainError, the call succeeded');
}

/** The code and message of the DomainError the promise rejects with, as plain data to compare whole. */
export async function refusalOf(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  const e = await rejectedWith(p);
  return { code: e.code, message: e.message };
}
