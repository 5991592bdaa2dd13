import { SourceRateLimitedError, type RetryRequest } from '../ports.ts';

/** Turns "the source asks us to wait" into a retry of the event instead of a failure. */
export async function retryOnRateLimit(work: () => Promise<void>): Promise<RetryRequest | undefined> {
  try {
    await work();
    return undefined;
  } catch (e) {
    if (e instanceof SourceRateLimitedError) return { retry: true, afterSeconds: Math.min(900, Math.max(1, e.retryAfterSeconds)), reason: 'rate-limited' };
    throw e;
  }
}
