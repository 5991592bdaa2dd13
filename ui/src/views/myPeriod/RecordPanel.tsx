import Heading from '@atlaskit/heading';
import SectionMessage from '@atlaskit/section-message';
import { Stack, Text } from '@atlaskit/primitives';
import type { WorkingTimeRecord } from '../../client/answers';
import type { Loaded } from '../../client/ClientContext';
import { EmptyState, ErrorState, LoadingState } from '../../states/States';
import type { Fmt } from './fmt';

const RULE_LABELS: Record<string, string> = { 'daily-rest': 'Daily rest', 'weekly-rest': 'Weekly rest', 'average-week': 'Average working week' };
const hhmm = (t: string | null) => (t === null ? '' : t.slice(0, 5));

/** The daily working-time record (record/mine) and what the EU Working Time Directive checks find. */
export function RecordPanel({ record, reload, fmt }: { record: Loaded<WorkingTimeRecord>; reload: () => void; fmt: Fmt }) {
  return (
    <section aria-labelledby="record-heading" className="wt-section">
      <Stack space="space.150">
        <Heading size="medium" as="h2" id="record-heading">
          Daily working-time record
        </Heading>
        {record.state === 'loading' ? <LoadingState what="your working-time record" /> : null}
        {record.state === 'error' ? <ErrorState what="your working-time record" error={record.error} onRetry={reload} /> : null}
        {record.state === 'done' ? (
          <>
            {record.data.findings.length > 0 ? (
              <SectionMessage appearance="warning" title={`Working Time Directive: ${record.data.findings.length} finding${record.data.findings.length === 1 ? '' : 's'}`}>
                <ul data-testid="wtd-findings">
                  {record.data.findings.map((f, i) => (
                    <li key={`${f.rule}-${f.date}-${i}`}>
                      <strong>{RULE_LABELS[f.rule] ?? f.rule}</strong>, {fmt.date(f.date)}: {f.message}
                    </li>
                  ))}
                </ul>
                <Text as="p">Talk to your team lead or HR if your hours leave too little rest.</Text>
              </SectionMessage>
            ) : (
              <Text as="p" testId="wtd-clear">
                The Working Time Directive checks (11 hours' daily rest, weekly rest, 48-hour average week) find nothing in this period.
              </Text>
            )}
            {record.data.days.some((d) => d.worked) ? (
              <div className="wt-table-wrap">
                <table className="wt-table" data-testid="record-table">
                  <caption>First in, last out and breaks ({record.data.timeZone})</caption>
                  <thead>
                    <tr>
                      <th scope="col">Day</th>
                      <th scope="col">First in</th>
                      <th scope="col">Last out</th>
                      <th scope="col" className="wt-num">Breaks</th>
                      <th scope="col" className="wt-num">Net</th>
                    </tr>
                  </thead>
                  <tbody>
                    {record.data.days
                      .filter((d) => d.worked)
                      .map((d) => (
                        <tr key={d.date}>
                          <th scope="row">{fmt.date(d.date)}</th>
                          <td>{hhmm(d.firstIn)}</td>
                          <td>{hhmm(d.lastOut)}</td>
                          <td className="wt-num">{fmt.duration(d.breaks.reduce((s, b) => s + b.seconds, 0))}</td>
                          <td className="wt-num">{fmt.duration(d.netSeconds)}</td>
                        </tr>
                      ))}
                  </tbody>
                </table>
              </div>
            ) : (
              <EmptyState title="No work logged in this period">Log work on Jira issues; it appears here within a minute.</EmptyState>
            )}
          </>
        ) : null}
      </Stack>
    </section>
  );
}
