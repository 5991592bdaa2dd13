import { describe, expect, it } from 'vitest';
import { applyConcurrencyKey } from '../../../src/app/events';
import { onIssueDeleted, onWorklogEvent } from '../../../src/app/onWorklogEvent';
import { keys } from '../../../src/app/storageKeys';
import { MemoryKvStore } from '../../../src/kv/memoryKvStore';
import { SimulatedQueues } from '../../support/simulatedQueue';

function setup() {
  const kv = new MemoryKvStore();
  const queues = new SimulatedQueues();
  return { kv, queues, deps: { kv, ingestQueue: queues.queue('ingest'), applyQueue: queues.queue('apply') } };
}

const worklog = {
  id: '10001',
  issueId: '10010',
  author: { accountId: '557058:f58131cb' },
  started: '2026-03-29T01:30:00.000+0000',
  timeSpentSeconds: 3600,
  updated: '2026-03-29T02:00:00.000+0000',
  comment: { type: 'doc', version: 1, content: [] },
};

describe('worklog trigger', () => {
  it('a complete payload goes straight to the author’s apply queue, with their concurrency key and no comment', async () => {
    const { deps, queues } = setup();
    expect(await onWorklogEvent(deps, { eventType: 'avi:jira:created:worklog', worklog }, 0)).toBe('applied-from-payload');
    expect(queues.pending).toHaveLength(1);
    expect(queues.pending[0]!.queue).toBe('apply');
    expect(queues.pending[0]!.event.concurrencyKey).toBe(applyConcurrencyKey('557058:f58131cb'));
    expect(queues.pending[0]!.event.body).toEqual({
      kind: 'apply',
      people: [
        {
          personId: '557058:f58131cb',
          changes: [{ kind: 'upsert', worklog: { id: '10001', source: 'jira', authorId: '557058:f58131cb', issueId: '10010', started: Date.parse('2026-03-29T01:30:00Z'), seconds: 3600, updated: Date.parse('2026-03-29T02:00:00Z') } }],
        },
      ],
    });
  });

  it.each([
    ['a restricted worklog', { ...worklog, visibility: { type: 'group', value: 'hr' } }],
    ['a payload without started', { ...worklog, started: undefined }],
    ['a payload with a malformed started', { ...worklog, started: 'yesterday' }],
    ['negative seconds', { ...worklog, timeSpentSeconds: -1 }],
    ['no author', { ...worklog, author: {} }],
  ])('%s is queued by id for fetching instead', async (_what, w) => {
    const { deps, queues } = setup();
    expect(await onWorklogEvent(deps, { eventType: 'avi:jira:updated:worklog', worklog: w }, 0)).toBe('queued-for-fetch');
    // With the version when the payload has one, so a fetch that finds the worklog hidden keeps older versions out.
    const times = typeof w.updated === 'string' ? { times: [Date.parse('2026-03-29T02:00:00Z')] } : {};
    expect(queues.pending.map((d) => [d.queue, d.event.body])).toEqual([['ingest', { kind: 'worklog-ids', ids: [10001], ...times }]]);
  });

  it.each([
    ['an unknown event type', { eventType: 'avi:jira:created:issue', worklog }],
    ['no worklog', { eventType: 'avi:jira:created:worklog' }],
    ['a non-numeric id', { eventType: 'avi:jira:created:worklog', worklog: { ...worklog, id: '../admin' } }],
    ['no payload at all', null],
  ])('%s is ignored and nothing is queued', async (_what, payload) => {
    const { deps, queues, kv } = setup();
    expect(await onWorklogEvent(deps, payload as never, 0)).toBe('ignored');
    expect(queues.pending).toEqual([]);
    expect((await kv.query('')).results).toEqual([]);
  });

  it('a deletion writes its tombstone, then queues the removal for the author', async () => {
    const { deps, queues, kv } = setup();
    expect(await onWorklogEvent(deps, { eventType: 'avi:jira:deleted:worklog', worklog }, 1234)).toBe('deleted');
    expect(await kv.get(keys.tombstone('10001'))).toEqual({ at: 1234 });
    expect(queues.pending[0]!.event.body).toEqual({ kind: 'apply', people: [{ personId: '557058:f58131cb', changes: [{ kind: 'delete', id: '10001', at: 1234 }] }] });
    // The same deletion delivered again keeps the first tombstone.
    await onWorklogEvent(deps, { eventType: 'avi:jira:deleted:worklog', worklog }, 9999);
    expect(await kv.get(keys.tombstone('10001'))).toEqual({ at: 1234 });
  });

  it('an issue deletion queues the removal of its worklogs', async () => {
    const { deps, queues } = setup();
    expect(await onIssueDeleted(deps, { issue: { id: '10010' } }, 5)).toBe('deleted');
    expect(queues.pending[0]!.event.body).toEqual({ kind: 'issue-deleted', issueId: '10010', at: 5 });
    expect(await onIssueDeleted(deps, { issue: {} }, 5)).toBe('ignored');
  });
});
