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
