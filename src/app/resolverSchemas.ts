import { z } from 'zod';
import { isLocalDate } from '../../domain/localDate';

/** The longest period a resolver reports on in one call: a year and a day. */
export const MAX_RESOLVER_PERIOD_DAYS = 366;

const localDate = z.string().refine(isLocalDate, { message: 'must be a date written YYYY-MM-DD' });
const accountId = z.string().min(1).max(128).regex(/^[A-Za-z0-9:_-]+$/, { message: 'must be a Jira account id' });

/** A period is named by its key (2026-11, 2026-W47, …) or given as a range of dates. */
export const periodSchema = z.union([
  z.strictObject({ periodKey: z.string().min(1).max(40) }),
  z.strictObject({ from: localDate, to: localDate }),
]);

/** Every resolver's payload, strict: unknown fields are refused, not ignored. */
export const resolverSchemas = {
  'report/mine': z.strictObject({ period: periodSchema }),
  'balance/mine': z.strictObject({}),
  'report/person': z.strictObject({ accountId, period: periodSchema }),
  'balance/person': z.strictObject({ accountId }),
  'sync/progress': z.strictObject({}),
  'sync/start-import': z.strictObject({}),
} as const;

export type ResolverPayloads = { [K in keyof typeof resolverSchemas]: z.infer<(typeof resolverSchemas)[K]> };
