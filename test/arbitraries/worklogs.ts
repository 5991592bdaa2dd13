import fc from 'fast-check';
import type { Worklog } from '../../domain/worklog';
import { instantArb } from './zones';

export const PERSON_IDS = ['a1', 'b2', 'c3', 'd4'] as const;

/** Worklogs of up to 30 h, second precision, by a handful of authors. */
export const worklogArb = (ids: readonly string[] = PERSON_IDS): fc.Arbitrary<Worklog> =>
  fc.record({
    id: fc.integer({ min: 10_000, max: 99_999_999 }).map(String),
    authorId: fc.constantFrom(...ids),
    started: instantArb,
    seconds: fc.oneof(fc.integer({ min: 0, max: 8 * 3600 }), fc.integer({ min: 0, max: 30 * 3600 })),
    updated: instantArb,
  });

export const worklogsArb = (ids: readonly string[] = PERSON_IDS, maxLength = 40): fc.Arbitrary<Worklog[]> =>
  fc.uniqueArray(worklogArb(ids), { selector: (w) => w.id, maxLength });
