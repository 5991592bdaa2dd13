import { InvocationError, InvocationErrorCode } from '@forge/events';
import { QueueRateLimitedError, type RetryRequest } from '../ports';

/** A consumer's retry request as Forge's InvocationError (retryAfter 1–900 s). */
export function toInvocation(result: RetryRequest | undefined) {
  if (!result) return undefined;
  return new InvocationError({
    retryAfter: Math.min(900, Math.max(1, result.afterSeconds)),
    retryReason: result.reason === 'rate-limited' ? InvocationErrorCode.FUNCTION_UPSTREAM_RATE_LIMITED : InvocationErrorCode.FUNCTION_RETRY_REQUEST,
  });
}

/**
 * Runs a product trigger's work. Forge does not retry a product trigger that
 * throws, only one that returns an InvocationError (at most 4 times), so a
 * failure (a refused push, a storage error) is logged and turned into one.
 */
export async function retryTrigger(what: string, work: () => Promise<unknown>, log: (message: string, error: unknown) => void = console.error) {
  try {
    await work();
    return undefined;
  } catch (e) {
    log(`${what} trigger failed; asking Forge to retry`, e);
    const rateLimited = e instanceof QueueRateLimitedError;
    return toInvocation({ retry: true, afterSeconds: rateLimited ? e.retryAfterSeconds : 30, reason: rateLimited ? 'rate-limited' : 'transient' });
  }
}
