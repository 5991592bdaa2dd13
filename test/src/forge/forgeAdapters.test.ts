import { Queue } from '@forge/events';
import { describe, expect, it } from 'vitest';
import { forgeJiraTransport } from '../../../src/forge/forgeJira.ts';
import { forgeQueue } from '../../../src/forge/forgeQueue.ts';
import { JiraClient } from '../../../src/sources/jiraClient.ts';

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
