import { QueueRateLimitedError, SourceRateLimitedError, type RetryRequest } from '../ports';

/**
 * Turns "wait" from the worklog source (Jira's 429) or from a queue (too many
 * events pushed this minute) into a retry of the event instead of a failure.
 * Everything the event did before is idempotent, so the retry may redo it.
 */
export async function retryOnRateLimit(work: () => Promise<void>): Promise<RetryRequest | undefined> {
  try {
    await work();
    return undefined;
  } catch (e) {
    if (e instanceof SourceRateLimitedError || e instanceof QueueRateLimitedError) return { retry: true, afterSeconds: Math.min(900, Math.max(1, e.retryAfterSeconds)), reason: 'rate-limited' };
    throw e;
  }
}
