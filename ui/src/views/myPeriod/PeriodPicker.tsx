/**
 * Choose the period: a month, an ISO week, or a custom range of days (both included).
 * Month and week step with Previous/Next; a range is applied with "Show".
 */
import Button from '@atlaskit/button/new';
import { Inline, Stack, Text } from '@atlaskit/primitives';
import { lazy, Suspense, useId, useState } from 'react';
import { formatLocalDate, formatMonth } from '../../format/dates';
import { addMonths, addWeeks, isoWeekKeyOf, isoWeekMonday, addDays, monthKeyOf, rangeProblem, type PeriodChoice } from '../../format/periods';

// The date pickers (a calendar and a select) load only when a custom range is chosen.
const DatePicker = lazy(() => import('@atlaskit/datetime-picker').then((m) => ({ default: m.DatePicker })));

const KINDS: { kind: PeriodChoice['kind']; label: string }[] = [
  { kind: 'month', label: 'Month' },
  { kind: 'week', label: 'Week' },
  { kind: 'range', label: 'Custom range' },
];

export function periodLabel(choice: PeriodChoice, locale: string | undefined): string {
  if (choice.kind === 'month') return formatMonth(choice.key, locale);
  if (choice.kind === 'week') {
    const monday = isoWeekMonday(choice.key);
    return `Week ${Number(choice.key.slice(6))}: ${formatLocalDate(monday, locale)} – ${formatLocalDate(addDays(monday, 6), locale)}`;
  }
  return `${formatLocalDate(choice.from, locale)} – ${formatLocalDate(choice.to, locale)}`;
}

export function PeriodPicker({ choice, today, locale, onChange }: { choice: PeriodChoice; today: string; locale: string | undefined; onChange: (c: PeriodChoice) => void }) {
  const groupId = useId();
  const fromId = useId();
  const toId = useId();
  const [from, setFrom] = useState(choice.kind === 'range' ? choice.from : addDays(today, -13));
  const [to, setTo] = useState(choice.kind === 'range' ? choice.to : today);
  const problem = rangeProblem(from, to);

  const switchKind = (kind: PeriodChoice['kind']) => {
    if (kind === choice.kind) return;
    if (kind === 'month') onChange({ kind, key: monthKeyOf(today) });
    else if (kind === 'week') onChange({ kind, key: isoWeekKeyOf(today) });
    else if (!problem) onChange({ kind, from, to });
    else onChange({ kind, from: addDays(today, -13), to: today });
  };
  const step = (by: number) => {
    if (choice.kind === 'month') onChange({ kind: 'month', key: addMonths(choice.key, by) });
    if (choice.kind === 'week') onChange({ kind: 'week', key: addWeeks(choice.key, by) });
  };
  const unit = choice.kind === 'month' ? 'month' : 'week';

  return (
    <Stack space="space.150">
      <div role="radiogroup" aria-labelledby={groupId} className="wt-segmented">
        <span id={groupId} className="wt-visually-hidden">
          Period kind
        </span>
        {KINDS.map((k) => (
          <button key={k.kind} type="button" role="radio" aria-checked={choice.kind === k.kind} className="wt-segment" onClick={() => switchKind(k.kind)}>
            {k.label}
          </button>
        ))}
      </div>
      {choice.kind !== 'range' ? (
        <Inline space="space.100" alignBlock="center" shouldWrap>
          <Button onClick={() => step(-1)} testId="period-previous">
            Previous {unit}
          </Button>
          <Text weight="bold" testId="period-label">
            <span aria-live="polite">{periodLabel(choice, locale)}</span>
          </Text>
          <Button onClick={() => step(1)} testId="period-next">
            Next {unit}
          </Button>
          <Button appearance="subtle" onClick={() => onChange(choice.kind === 'month' ? { kind: 'month', key: monthKeyOf(today) } : { kind: 'week', key: isoWeekKeyOf(today) })}>
            This {unit}
          </Button>
        </Inline>
      ) : (
        <Suspense fallback={<Text>Loading the date pickers…</Text>}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!problem) onChange({ kind: 'range', from, to });
          }}
        >
          <Inline space="space.150" alignBlock="end" shouldWrap>
            <div className="wt-field wt-date">
              <label htmlFor={fromId}>First day</label>
              <DatePicker id={fromId} value={from} onChange={setFrom} locale={locale ?? 'en-GB'} dateFormat="YYYY-MM-DD" placeholder="YYYY-MM-DD" />
            </div>
            <div className="wt-field wt-date">
              <label htmlFor={toId}>Last day</label>
              <DatePicker id={toId} value={to} onChange={setTo} locale={locale ?? 'en-GB'} dateFormat="YYYY-MM-DD" placeholder="YYYY-MM-DD" />
            </div>
            <Button type="submit" appearance="primary" isDisabled={problem !== null}>
              Show
            </Button>
          </Inline>
          {problem ? (
            <Text as="p" color="color.text.warning">
              {problem}
            </Text>
          ) : null}
        </form>
        </Suspense>
      )}
    </Stack>
  );
}
