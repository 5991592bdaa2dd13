import { describe, expect, it } from 'vitest';
import { createResolverClient, ResolverError, UNREACHABLE } from '../../ui/src/client/resolverClient';

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
});
