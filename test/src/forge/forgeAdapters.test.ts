import { Queue } from '@forge/events';
import { describe, expect, it } from 'vitest';
import { forgeJiraTransport } from '../../../src/forge/forgeJira';
import { forgeQueue } from '../../../src/forge/forgeQueue';
import { retryTrigger, toInvocation } from '../../../src/forge/invocation';
import { retryOnRateLimit } from '../../../src/app/retryOnRateLimit';
import { QueueRateLimitedError, SourceRateLimitedError } from '../../../src/ports';
import { JiraClient } from '../../../src/sources/jiraClient';

/** The real @forge/events Queue, with its HTTP client replaced by one that records the request. */
function recordingQueue(status = 201) {
  const requests: { path: string; body: { queueName: string; payload: unknown[] } }[] = [];
  const client = async (path: string, init: { body: string }) => {
    requests.push({ path, body: JSON.parse(init.body) });
    return { ok: status < 300, status, headers: { get: () => null }, text: async () => '', json: async () => ({}) };
  };
  return { requests, make: (key: string) => new Queue({ key }, client as never) };
}

describe('Forge queue adapter, through the real @forge/events Queue', () => {
  it('turns a concurrency key into concurrency { key, limit: 1 } and keeps delays', async () => {
    const { requests, make } = recordingQueue();
    await forgeQueue('apply', make).push([{ body: { kind: 'apply', personId: 'p' }, concurrencyKey: 'person-p', delaySeconds: 30 }, { body: { n: 2 } }]);
    expect(requests).toHaveLength(1);
    expect(requests[0]!.body.queueName).toBe('apply');
    expect(requests[0]!.body.payload).toEqual([
      { body: { kind: 'apply', personId: 'p' }, delayInSeconds: 30, concurrency: { key: 'person-p', limit: 1 } },
      { body: { n: 2 } },
    ]);
  });

  it('turns Forge’s 429 (500 events a minute) into QueueRateLimitedError, which consumers retry in 60 s', async () => {
    const { make } = recordingQueue(429);
    const push = forgeQueue('apply', make).push([{ body: { n: 1 } }]);
    await expect(push).rejects.toBeInstanceOf(QueueRateLimitedError);
    await expect(push).rejects.toMatchObject({ retryAfterSeconds: 60, queue: 'apply' });
    expect(await retryOnRateLimit(() => forgeQueue('apply', make).push([{ body: { n: 1 } }]))).toEqual({ retry: true, afterSeconds: 60, reason: 'rate-limited' });
  });

  it('lets any other refusal through as the package’s own error', async () => {
    const { make } = recordingQueue(500);
    const error = await forgeQueue('apply', make).push([{ body: { n: 1 } }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(QueueRateLimitedError);
  });

  it('is held to the platform’s own limits by the package’s validators', async () => {
    const { make } = recordingQueue();
    await expect(forgeQueue('apply', make).push(Array.from({ length: 51 }, () => ({ body: {} })))).rejects.toThrow(/50/);
    await expect(forgeQueue('apply', make).push([{ body: {}, delaySeconds: 901 }])).rejects.toThrow();
  });
});

describe('Forge Jira transport', () => {
  it('sends the client’s path as a trusted route, with method, JSON body and headers', async () => {
    const seen: { route: unknown; init: RequestInit }[] = [];
    const requester = () => ({
      requestJira: (async (route: unknown, init: RequestInit) => {
        seen.push({ route, init });
        return new Response(JSON.stringify([]), { status: 200, headers: { 'Content-Type': 'application/json' } });
      }) as never,
    });
    const client = new JiraClient(forgeJiraTransport(requester));
    await client.worklogsByIds([1, 2]);
    expect(String((seen[0]!.route as { value: string }).value)).toBe('/rest/api/3/worklog/list');
    expect(seen[0]!.init).toMatchObject({ method: 'POST', body: JSON.stringify({ ids: [1, 2] }), headers: { Accept: 'application/json', 'Content-Type': 'application/json' } });
  });
});

describe('Forge retries', () => {
  // InvocationError's constructor returns the plain object { _retry: true, retryOptions }.
  it('a consumer’s retry request becomes InvocationError with the wait clamped to 1–900 s', () => {
    expect(toInvocation(undefined)).toBeUndefined();
    expect(toInvocation({ retry: true, afterSeconds: 5000, reason: 'rate-limited' })).toEqual({ _retry: true, retryOptions: { retryAfter: 900, retryReason: 'FUNCTION_UPSTREAM_RATE_LIMITED' } });
    expect(toInvocation({ retry: true, afterSeconds: 0, reason: 'transient' })).toEqual({ _retry: true, retryOptions: { retryAfter: 1, retryReason: 'FUNCTION_RETRY_REQUEST' } });
  });

  it('a product trigger that fails asks for a retry instead of throwing (a thrown trigger is never retried)', async () => {
    const logged: string[] = [];
    const log = (m: string) => void logged.push(m);
    expect(await retryTrigger('worklog', async () => undefined, log)).toBeUndefined();
    expect(await retryTrigger('worklog', () => Promise.reject(new QueueRateLimitedError('apply')), log)).toEqual({
      _retry: true,
      retryOptions: { retryAfter: 60, retryReason: 'FUNCTION_UPSTREAM_RATE_LIMITED' },
    });
    expect(await retryTrigger('issue deleted', () => Promise.reject(new Error('KVS unavailable')), log)).toEqual({
      _retry: true,
      retryOptions: { retryAfter: 30, retryReason: 'FUNCTION_RETRY_REQUEST' },
    });
    expect(logged).toEqual(['worklog trigger failed; asking Forge to retry', 'issue deleted trigger failed; asking Forge to retry']);
  });

  it('Jira’s Retry-After carries over to the consumer’s retry', async () => {
    expect(await retryOnRateLimit(() => Promise.reject(new SourceRateLimitedError(17)))).toEqual({ retry: true, afterSeconds: 17, reason: 'rate-limited' });
    await expect(retryOnRateLimit(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });
});
