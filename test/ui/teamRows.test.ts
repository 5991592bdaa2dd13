import { expect, it } from 'vitest';
import { ResolverError } from '../../ui/src/client/resolverClient';
import { failedToLoad, filterRows, needsAttention, type TeamRow } from '../../ui/src/views/team/teamRows';

const row = (over: Partial<TeamRow>): TeamRow => ({ accountId: 'a', label: 'A', report: null, status: null, error: null, missingDays: [], shortDays: [], ...over });

it('a report that could not be loaded is a failure, not a person with missing or short days', () => {
  const failed = row({ accountId: 'f', error: new ResolverError('RATE_LIMITED', 'try again', 'report/person') });
  const missing = row({ accountId: 'm', missingDays: ['2026-05-04'] });
  const short = row({ accountId: 's', shortDays: ['2026-05-05'] });
  const fine = row({ accountId: 'ok' });
  expect([failed, missing, short, fine].map(needsAttention)).toEqual([false, true, true, false]);
  expect([failed, missing, short, fine].map(failedToLoad)).toEqual([true, false, false, false]);
  expect(filterRows([failed, missing, short, fine], { text: '', attentionOnly: true, status: 'any' }).map((r) => r.accountId)).toEqual(['m', 's']);
});
