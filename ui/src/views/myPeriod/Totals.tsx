import { Text } from '@atlaskit/primitives';
import { useEffect } from 'react';
import type { ReportTotals } from '../../client/answers';
import type { Fmt } from './fmt';
import type { SoFar } from './soFar';

/** The period's totals, as a description list: each figure named, so a screen reader reads "Worked: 152 hr, 3 min". */
export function Totals({ totals, fmt, soFar = null }: { totals: ReportTotals; fmt: Fmt; soFar?: SoFar | null }) {
  // The first view is usable once its totals show: the browser tests print the time to this mark.
  useEffect(() => {
    if (performance.getEntriesByName('worktime:first-view').length === 0) performance.mark('worktime:first-view');
  }, []);
  const items: [string, string, string][] = [
    ['worked', 'Worked', fmt.duration(totals.workedSeconds)],
    ['expected', 'Expected', fmt.duration(totals.expectedSeconds)],
    ['delta', 'Difference', fmt.signed(totals.deltaSeconds)],
    ['overtime', 'Overtime', fmt.duration(totals.overtimeSeconds)],
    ['shortfall', 'Shortfall', fmt.duration(totals.shortfallSeconds)],
    ['holiday', 'Holidays', fmt.duration(totals.holidaySeconds)],
    ['absence', 'Absences', fmt.duration(totals.absenceSeconds)],
  ];
  return (
    <>
    <dl className="wt-totals" aria-label="Totals of the period">
      {items.map(([id, label, value]) => (
        <div key={id} className={`wt-total wt-total-${id}`}>
          <dt>{label}</dt>
          <dd data-testid={`total-${id}`}>{value}</dd>
        </div>
      ))}
    </dl>
    {soFar ? (
      <Text as="p" color="color.text.subtle" testId="total-so-far">
        {`The period has not ended: the totals above count its whole expected time. So far, through ${fmt.date(soFar.through)}: worked ${fmt.duration(soFar.workedSeconds)}, expected ${fmt.duration(soFar.expectedSeconds)}, difference ${fmt.signed(soFar.deltaSeconds)}.`}
      </Text>
    ) : null}
    </>
  );
}
