import { NeedsAuthenticationError } from '@forge/api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkIssues, resolverHandler } from '../../../src/forge/index';
import { encodeWorklogRecord } from '../../../src/app/applyWorklogChanges';
import { keys } from '../../../src/app/storageKeys';
import { FakeForgeKvsService } from '../../support/fakeForgeKvsService';
import { FakeJira } from '../../support/fakeJira';

/**
 * The Forge handlers as the platform calls them: the real handler from
 * src/forge/index.ts, the real @forge/api and @forge/kvs packages, and behind
 * their `__forge_fetch__` the KVS service and a Jira site (loopback HTTP). The
 * proxy can be told to answer as Forge does when the user has not granted the
 * app access (the `forge-proxy-error: NEEDS_AUTHENTICATION_ERR` header), from
 * which @forge/api itself throws its NeedsAuthenticationError.
 */
const jira = new FakeJira();
let baseUrl = '';
let uninstall = () => undefined as void;
const proxy = { consentMissing: false, refusePublishes: 0, providers: [] as string[], queued: [] as { queueName: string; payload: { body: unknown }[] }[], actingUser: '', userConsentMissing: false };
let kvsService: FakeForgeKvsService;

beforeAll(async () => {
  baseUrl = await jira.listen();
  jira.users.set('acc-admin', { accountId: 'acc-admin', displayName: 'Admin', timeZone: 'Europe/Brussels' });
  jira.users.set('acc-me', { accountId: 'acc-me', displayName: 'Me', timeZone: 'Europe/Brussels' });
  jira.admins.add('acc-admin');
});
afterAll(async () => {
  uninstall();
  await jira.close();
});
beforeEach(() => {
  uninstall();
  kvsService = new FakeForgeKvsService(() => Date.UTC(2026, 10, 23));
  uninstall = kvsService.install();
  const g = globalThis as { __forge_fetch__?: (descriptor: { type: string; provider?: string; remote?: string }, path: string, init: RequestInit) => Promise<unknown> };
  const kvsFetch = g.__forge_fetch__!;
  g.__forge_fetch__ = async (descriptor, path, init) => {
    if (descriptor.type === 'fpp' && descriptor.remote === 'stargate' && path.startsWith('/webhook/queue/publish/')) {
      if (proxy.refusePublishes > 0) {
        proxy.refusePublishes--;
        return new Response('{"message":"rate limited"}', { status: 429 });
      }
      proxy.queued.push(JSON.parse(String(init.body)));
      return new Response('{}', { status: 201 });
    }
    if (descriptor.type !== 'fpp' || descriptor.remote !== 'jira') return kvsFetch(descriptor, path, init);
    proxy.providers.push(descriptor.provider ?? '?');
    if (proxy.consentMissing || (proxy.userConsentMissing && descriptor.provider === 'user')) return new Response('', { status: 401, headers: { 'forge-proxy-error': 'NEEDS_AUTHENTICATION_ERR' } });
    // asUser: Forge sends the invoking user's token; the stand-in is told who that is.
    if (descriptor.provider === 'user') return fetch(baseUrl + path, { ...init, headers: { ...(init.headers as Record<string, string>), 'x-fake-acting-user': proxy.actingUser } });
    return fetch(baseUrl + path, init);
  };
  proxy.consentMissing = false;
  proxy.userConsentMissing = false;
  proxy.refusePublishes = 0;
  proxy.providers = [];
  proxy.queued = [];
});

const call = (functionKey: string, payload: unknown, accountId: string) => {
  proxy.actingUser = accountId;
  return callAs(functionKey, payload, accountId);
};
const callAs = (functionKey: string, payload: unknown, accountId: string) =>
  (resolverHandler as (request: unknown, runtime: unknown) => Promise<unknown>)({ call: { functionKey, payload }, context: {} }, { principal: { accountId } });

describe('Forge resolvers', () => {
  it('establish a Jira admin as the app, without acting as the user', async () => {
    expect(await call('sync/progress', {}, 'acc-admin')).toMatchObject({ ok: true });
    expect(await call('sync/progress', {}, 'acc-me')).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(proxy.providers.length).toBeGreaterThan(0);
    expect(new Set(proxy.providers)).toEqual(new Set(['app']));
    expect(jira.permissionChecks).toContainEqual({ accountId: 'acc-admin', globalPermissions: ['ADMINISTER'] });
  });

  it('let @forge/api’s own NeedsAuthenticationError reach the platform, so Forge can ask for consent', async () => {
    proxy.consentMissing = true;
    const error = await call('report/mine', { period: { periodKey: '2026-11' } }, 'acc-me').then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(NeedsAuthenticationError);
    expect(error).toMatchObject({ name: 'NEEDS_AUTHENTICATION_ERR', status: 401 });
  });

  it('answer PERSON_NOT_FOUND for an account the site does not know', async () => {
    expect(await call('balance/person', { accountId: 'acc-ghost' }, 'acc-admin')).toMatchObject({ ok: false, error: { code: 'PERSON_NOT_FOUND' } });
    expect(await call('balance/mine', {}, 'acc-ghost')).toMatchObject({ ok: false, error: { code: 'PERSON_NOT_FOUND' } });
    expect(await call('balance/person', { accountId: 'acc-me' }, 'acc-admin')).toMatchObject({ ok: true, data: { personId: 'acc-me' } });
  });
});

describe('Forge worklogs/mine: issue names asked as the user', () => {
  const indexDay = () => {
    // Two worklogs of acc-me on 2026-11-23 (Brussels): one on an issue everyone may browse, one on an issue only acc-admin may.
    jira.issues.set(10, { id: 10, restrictedTo: null, summary: 'Release 4.2' });
    jira.issues.set(20, { id: 20, restrictedTo: new Set(['acc-admin']), summary: 'Salary review' });
    for (const [id, issueId, hour] of [['101', '10', 8], ['102', '20', 10]] as const) {
      const started = Date.UTC(2026, 10, 23, hour);
      kvsService.data.set(keys.worklog(id), { value: encodeWorklogRecord({ id, personId: 'acc-me', issueId, source: 'jira', updated: 1, deleted: false, started, seconds: 3600 }), expiresAt: null });
    }
    kvsService.data.set(keys.day('acc-me', '2026-11-23'), { value: { '101': [Date.UTC(2026, 10, 23, 8), 3600, 1], '102': [Date.UTC(2026, 10, 23, 10), 3600, 1] }, expiresAt: null });
  };

  it('names only the issues Jira lets the caller browse, through asUser', async () => {
    indexDay();
    jira.actingUsers.length = 0;
    const mine = (await call('worklogs/mine', { date: '2026-11-23' }, 'acc-me')) as { ok: true; data: { timeZone: string; worklogs: { worklogId: string; issueKey: string | null; issueSummary: string | null; startedLocal: string }[] } };
    expect(mine).toMatchObject({ ok: true, data: { timeZone: 'Europe/Brussels', issueDetails: 'complete' } });
    expect(mine.data.worklogs.map((w) => [w.worklogId, w.startedLocal, w.issueKey, w.issueSummary])).toEqual([
      ['101', '2026-11-23T09:00:00', 'FAKE-10', 'Release 4.2'],
      ['102', '2026-11-23T11:00:00', null, null],
    ]);
    expect(proxy.providers).toContain('user');
    expect(jira.actingUsers).toEqual(['acc-me']);
    const admin = (await call('worklogs/person', { accountId: 'acc-me', date: '2026-11-23' }, 'acc-admin')) as { ok: true; data: { worklogs: { issueKey: string | null }[] } };
    expect(admin.data.worklogs.map((w) => w.issueKey)).toEqual(['FAKE-10', 'FAKE-20']);
  });

  it('lets Forge ask a user who has not yet allowed the app to act for them', async () => {
    indexDay();
    proxy.userConsentMissing = true;
    const error = await call('worklogs/mine', { date: '2026-11-23' }, 'acc-me').then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(NeedsAuthenticationError);
  });
});

describe('Forge scheduled issue check', () => {
  const stored = (id: string, issueId: string) => ({ value: encodeWorklogRecord({ id, personId: 'acc-me', issueId, source: 'jira', updated: 1, deleted: false, started: Date.UTC(2026, 10, 2), seconds: 3600 }), expiresAt: null });
  const indexed = () => {
    jira.issues.set(10, { id: 10, restrictedTo: null });
    kvsService.data.set(keys.issueWorklog(10, 101), { value: 1, expiresAt: null });
    kvsService.data.set(keys.worklog(101), stored('101', '10'));
    kvsService.data.set(keys.issueWorklog(20, 201), { value: 1, expiresAt: null }); // issue 20 was deleted; its trigger was lost
    kvsService.data.set(keys.worklog(201), stored('201', '20'));
  };

  it('removes, through the apply queue, the worklogs of an indexed issue Jira no longer has', async () => {
    indexed();

    expect(await checkIssues()).toEqual({ statusCode: 204 });
    expect(kvsService.data.has(keys.issueTombstone(20))).toBe(true);
    expect(kvsService.data.has(keys.issueTombstone(10))).toBe(false);
    expect(proxy.queued.map((q) => q.queueName)).toEqual(['apply']);
    expect(proxy.queued[0]!.payload[0]!.body).toMatchObject({ kind: 'apply', people: [{ personId: 'acc-me', changes: [{ kind: 'delete', id: '201' }] }] });
    expect(kvsService.data.get(keys.issueCheck)?.value).toMatchObject({ status: 'done', checked: 2, gone: 1, removed: 1 });
  });

  it('a refusal of the queue (HTTP 429) with less budget left than a minute ends the run with its decision kept; the next run pushes the removal', async () => {
    indexed();
    proxy.refusePublishes = 1; // outside Forge the budget is 30 s: no time to wait the minute out
    expect(await checkIssues()).toEqual({ statusCode: 204 });
    expect(proxy.queued).toEqual([]);
    expect(kvsService.data.has(keys.issueTombstone(20))).toBe(true);
    expect(kvsService.data.get(keys.issueCheck)?.value).toMatchObject({ status: 'rate-limited', after: null, gone: 0, removed: 0 });
    expect(await checkIssues()).toEqual({ statusCode: 204 });
    expect(proxy.queued[0]!.payload[0]!.body).toMatchObject({ kind: 'apply', people: [{ personId: 'acc-me', changes: [{ kind: 'delete', id: '201' }] }] });
    expect(kvsService.data.get(keys.issueCheck)?.value).toMatchObject({ status: 'done', checked: 2, gone: 1, removed: 1 });
  });
});
