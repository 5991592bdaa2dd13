import { describe, expect, it } from 'vitest';
import { createResolverClient, PREFETCH_TTL_MS, ResolverError, UNREACHABLE } from '../../ui/src/client/resolverClient';

describe('the resolver client', () => {
  it('gives the data of an ok envelope, and calls the transport with the name and payload', async () => {
    const calls: unknown[] = [];
    const client = createResolverClient(async (name, payload) => (calls.push([name, payload]), { ok: true, data: { balanceSeconds: 60 } }));
    expect(await client.call('balance/mine')).toEqual({ balanceSeconds: 60 });
    expect(calls).toEqual([['balance/mine', {}]]);
  });

  it("throws one error type carrying the resolver's code, message and issues", async () => {
    const client = createResolverClient(async () => ({ ok: false, error: { code: 'INVALID_PERIOD', message: 'period 2026-13 is not a month', issues: ['period: …'] } }));
    const error = await client.call('report/mine', { period: { periodKey: '2026-13' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResolverError);
    expect(error).toMatchObject({ code: 'INVALID_PERIOD', message: 'period 2026-13 is not a month', resolver: 'report/mine', issues: ['period: …'] });
  });

  it('turns a call that never reached a resolver, or an answer that is no envelope, into UNREACHABLE with what to do', async () => {
    const down = createResolverClient(async () => {
      throw new TypeError('Failed to fetch');
    });
    await expect(down.call('settings/get')).rejects.toMatchObject({ code: UNREACHABLE, message: expect.stringContaining('Check your connection') });
    const odd = createResolverClient(async () => ({ html: '<h1>502</h1>' }) as never);
    await expect(odd.call('settings/get')).rejects.toMatchObject({ code: UNREACHABLE });
  });

  it('answers a call from a prefetch with the same name and payload, once and only while fresh; another payload calls again', async () => {
    const calls: string[] = [];
    let clock = 0;
    let n = 0;
    const client = createResolverClient(async (name, payload) => (calls.push(`${name} ${JSON.stringify(payload)}`), { ok: true, data: ++n }), () => clock);
    client.prefetch('report/mine', { period: { periodKey: '2026-05' } });
    expect(calls).toHaveLength(1); // started at once
    expect(await client.call('report/mine', { period: { periodKey: '2026-05' } })).toBe(1);
    expect(calls).toHaveLength(1); // taken from the prefetch
    expect(await client.call('report/mine', { period: { periodKey: '2026-05' } })).toBe(2); // taken once: a reload asks again
    expect(await client.call('report/mine', { period: { periodKey: '2026-06' } })).toBe(3);
    client.prefetch('settings/get');
    clock += PREFETCH_TTL_MS + 1;
    expect(await client.call('settings/get')).toBe(5); // too old: asked again
    client.prefetch('balance/mine');
    client.clearPrefetched();
    expect(await client.call('balance/mine')).toBe(7);
    expect(calls).toHaveLength(7);
  });

  it('a prefetch that fails fails the call that takes it, and is not an unhandled rejection', async () => {
    const client = createResolverClient(async () => ({ ok: false, error: { code: 'FORBIDDEN', message: 'not yours' } }));
    client.prefetch('ledger/history', { accountId: 'x' });
    await new Promise((r) => setTimeout(r, 5));
    await expect(client.call('ledger/history', { accountId: 'x' })).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });
});
