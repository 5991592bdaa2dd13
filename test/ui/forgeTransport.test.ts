import { expect, it } from 'vitest';

it("turns the bridge's own refusal past 500 calls in 25 s into RATE_LIMITED with what to do, not 'check your connection'", async () => {
  // The frame's bridge as Jira provides it, answering every invoke; @forge/bridge counts the calls itself.
  (globalThis as unknown as { __bridge: unknown }).__bridge = { callBridge: async () => ({ ok: true, data: 'fine' }) };
  const { forgeTransport } = await import('../../ui/forge/forgeTransport');
  for (let i = 0; i < 500; i++) expect(await forgeTransport('settings/get', {})).toEqual({ ok: true, data: 'fine' });
  const refused = await forgeTransport('settings/get', {});
  expect(refused).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', message: expect.stringContaining('Wait half a minute') } });
});
