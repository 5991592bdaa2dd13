import fc from 'fast-check';
import { validateContract, type Contract } from '../../domain/contract';
import { addDays, fromEpochDay, MS_PER_DAY, toEpochDay } from '../../domain/localDate';
import type { Worklog } from '../../domain/worklog';
import { zoneArb } from './zones';

const NOTHING_EXPECTED = { kind: 'weekdays', secondsByWeekday: [0, 0, 0, 0, 0, 0, 0] };

/** A person's contracts one after another (with gaps or not), each overriding the zone or not; the last may be open-ended. */
export interface ZoneOverrideScenario {
  readonly personZone: string;
  readonly contracts: Contract[];
  /** Worklogs by person "p" starting within two days of the contracts' span, millisecond precision. */
  readonly worklogs: Worklog[];
}

const contractChainArb = fc
  .record({
    firstDay: fc.integer({ min: toEpochDay('2015-01-03'), max: toEpochDay('2030-12-20') }),
    links: fc.array(
      fc.record({
        gapDays: fc.constantFrom(0, 0, 1, 2),
        lengthDays: fc.integer({ min: 1, max: 4 }),
        timeZone: fc.option(zoneArb, { freq: 3 }),
      }),
      { minLength: 1, maxLength: 3 },
    ),
    openEnded: fc.boolean(),
  })
  .map(({ firstDay, links, openEnded }) => {
    let day = firstDay;
    const contracts = links.map((link, i) => {
      const first = fromEpochDay(day + link.gapDays);
      const last = addDays(first, link.lengthDays - 1);
      day = toEpochDay(last) + 1;
      return validateContract({
        id: `c${i}`,
        personId: 'p',
        firstDate: first,
        lastDate: openEnded && i === links.length - 1 ? null : last,
        schedule: NOTHING_EXPECTED,
        timeZone: link.timeZone,
      });
    });
    return { contracts, fromDay: firstDay, toDay: day };
  });

export const zoneOverrideScenarioArb = (maxWorklogs = 8): fc.Arbitrary<ZoneOverrideScenario> =>
  fc.tuple(zoneArb, contractChainArb).chain(([personZone, { contracts, fromDay, toDay }]) =>
    fc
      .uniqueArray(
        fc.record({
          id: fc.integer({ min: 1, max: 1e9 }).map(String),
          authorId: fc.constant('p'),
          started: fc.integer({ min: (fromDay - 2) * MS_PER_DAY, max: (toDay + 2) * MS_PER_DAY }),
          seconds: fc.oneof(fc.integer({ min: 0, max: 8 * 3600 }), fc.integer({ min: 0, max: 40 * 3600 })),
        }),
        { selector: (w) => w.id, maxLength: maxWorklogs },
      )
      .map((worklogs) => ({ personZone, contracts, worklogs })),
  );
