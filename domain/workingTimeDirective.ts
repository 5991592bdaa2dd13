import { mergeIntervals, type Interval } from './internal/intervals';
import { wallTime } from './internal/wallClock';
import { DomainError, ErrorCode } from './errors';
import { fromEpochDay, MS_PER_DAY, type LocalDate } from './localDate';
import { dailyWorkingTimeRecord, localDays, worklogIntervals } from './workingTimeRecord';
import type { Worklog } from './worklog';
import { localEpochDayAt } from './zoneOffsets';

/**
 * The EU Working Time Directive (2003/88/EC) limits the engine checks, all
 * configurable because member states and collective agreements differ.
 */
export interface WorkingTimeRules {
  /** Art. 3: consecutive rest in every 24 hours (11 h). */
  readonly dailyRestSeconds: number;
  /** Art. 5: uninterrupted weekly rest (24 h), to which the daily rest is added when `weeklyRestAddsDailyRest`. */
  readonly weeklyRestSeconds: number;
  readonly weeklyRestAddsDailyRest: boolean;
  /** Art. 5: the period the weekly rest is owed in: 7 days, or 14 where two rests may be taken together. */
  readonly weeklyRestPeriodDays: number;
  /** Art. 6: the average working week may not exceed this (48 h)… */
  readonly maxAverageWeeklySeconds: number;
  /** Art. 16: …averaged over this many weeks (up to 4 months: 17). */
  readonly referencePeriodWeeks: number;
}

export const DEFAULT_WORKING_TIME_RULES: WorkingTimeRules = {
  dailyRestSeconds: 11 * 3600,
  weeklyRestSeconds: 24 * 3600,
  weeklyRestAddsDailyRest: true,
  weeklyRestPeriodDays: 7,
  maxAverageWeeklySeconds: 48 * 3600,
  referencePeriodWeeks: 17,
};

/** A finding: what rule, where, what was measured against what was required, in words an HR admin reads. */
export interface WorkingTimeFinding {
  readonly rule: 'daily-rest' | 'weekly-rest' | 'average-week';
  /** The local date the finding is reported on. */
  readonly date: LocalDate;
  /** The stretch of real time the finding is about. */
  readonly fromMs: number;
  readonly toMs: number;
  readonly measuredSeconds: number;
  /** For rest rules the minimum, for the average week the maximum. */
  readonly requiredSeconds: number;
  readonly message: string;
}

const h = (s: number) => `${Math.floor(s / 3600)} h${s % 3600 ? ` ${String(Math.round((s % 3600) / 60)).padStart(2, '0')} min` : ''}`;

/** Returns well-formed rules (defaults for what is missing) or throws INVALID_POLICY naming the field. */
export function validateWorkingTimeRules(input: unknown): WorkingTimeRules {
  const r = { ...DEFAULT_WORKING_TIME_RULES, ...((input ?? {}) as Partial<WorkingTimeRules>) };
  const check = (field: keyof WorkingTimeRules, ok: boolean, expected: string) => {
    if (!ok) throw new DomainError(ErrorCode.invalidPolicy, `working-time rules: ${field} must be ${expected}; got ${JSON.stringify(r[field])}`, { field });
  };
  const whole = (v: unknown, min: number, max: number) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;
  check('dailyRestSeconds', whole(r.dailyRestSeconds, 0, 24 * 3600), 'whole seconds from 0 to 86400');
  check('weeklyRestSeconds', whole(r.weeklyRestSeconds, 0, 7 * 86_400), 'whole seconds from 0 to 604800');
  check('weeklyRestAddsDailyRest', typeof r.weeklyRestAddsDailyRest === 'boolean', 'true or false');
  check('weeklyRestPeriodDays', r.weeklyRestPeriodDays === 7 || r.weeklyRestPeriodDays === 14, '7 or 14');
  check('maxAverageWeeklySeconds', whole(r.maxAverageWeeklySeconds, 3600, 7 * 86_400), 'whole seconds from 3600 to 604800');
  check('referencePeriodWeeks', whole(r.referencePeriodWeeks, 1, 52), 'a whole number of weeks from 1 to 52');
  return r;
}

/** Rest stretches between work blocks, with the checked range's edges as the outer limits. */
function rests(blocks: readonly Interval[], fromMs: number, toMs: number): Interval[] {
  const out: Interval[] = [];
  let cursor = fromMs;
  for (const [s, e] of blocks) {
    if (s > cursor) out.push([cursor, s]);
    cursor = Math.max(cursor, e);
  }
  if (toMs > cursor) out.push([cursor, toMs]);
  return out;
}

/**
 * Checks a person's worklogs in `zone` over [firstDate, lastDate] against the
 * directive and returns findings, not booleans: each says what rule, when,
 * what was measured and what was required. Real instants throughout.
 *
 * - Daily rest: for every 24 h starting when work starts, the longest rest
 *   inside those 24 h must reach the minimum (so a 14 h day fails even if a
 *   long rest follows: the 24 h from its start hold only 10 h of rest).
 * - Weekly rest: in each 7- (or 14-) day period from `firstDate`, some rest
 *   touching the period must last the weekly minimum (24 h + 11 h by
 *   default; for 14 days, twice the weekly rest).
 * - Average week: over every run of `referencePeriodWeeks` weeks from
 *   `firstDate` that lies inside the range, net time worked divided by the
 *   weeks must not exceed the maximum; consecutive failing runs are reported
 *   once, at the worst.
 * Time outside the range counts as rest: the range's edges never create findings.
 */
export function checkWorkingTimeDirective(
  worklogs: readonly Worklog[],
  zone: string,
  options: { readonly firstDate: LocalDate; readonly lastDate: LocalDate; readonly rules?: Partial<WorkingTimeRules> },
): { readonly findings: readonly WorkingTimeFinding[] } {
  const rules = validateWorkingTimeRules(options.rules ?? {});
  const days = localDays(zone, options.firstDate, options.lastDate);
  const rangeStart = days[0]!.startMs;
  const rangeEnd = days[days.length - 1]!.endMs;
  const blocks = mergeIntervals(worklogIntervals(worklogs)).map(([s, e]): Interval => [Math.max(s, rangeStart), Math.min(e, rangeEnd)]).filter(([s, e]) => e > s);
  const findings: WorkingTimeFinding[] = [];
  const dateAt = (ms: number) => fromEpochDay(localEpochDayAt(zone, ms));
  const at = (ms: number) => `${dateAt(ms)} ${wallTime(zone, ms).slice(0, 5)}`;

  // Daily rest.
  const reported = new Set<string>();
  for (const [start] of blocks) {
    const windowEnd = start + MS_PER_DAY;
    const inside = blocks.filter(([s, e]) => e > start && s < windowEnd).map(([s, e]): Interval => [Math.max(s, start), Math.min(e, windowEnd)]);
    const restsInside = rests(inside, start, windowEnd);
    const longest = restsInside.reduce<Interval>((best, r) => (r[1] - r[0] > best[1] - best[0] ? r : best), [start, start]);
    const measured = Math.round((longest[1] - longest[0]) / 1000);
    // A window reaching past the range would judge time we know nothing about: skip it.
    if (windowEnd > rangeEnd || measured >= rules.dailyRestSeconds) continue;
    const key = `${longest[0]}-${longest[1]}`;
    if (reported.has(key)) continue;
    reported.add(key);
    findings.push({
      rule: 'daily-rest',
      date: dateAt(start),
      fromMs: longest[0],
      toMs: longest[1],
      measuredSeconds: measured,
      requiredSeconds: rules.dailyRestSeconds,
      message: `In the 24 hours from ${at(start)}, the longest rest was ${h(measured)} (${at(longest[0])} to ${at(longest[1])}); at least ${h(rules.dailyRestSeconds)} in a row are required.`,
    });
  }

  // Weekly rest.
  const allRests = rests(blocks, rangeStart, rangeEnd);
  const period = rules.weeklyRestPeriodDays;
  const needed = (rules.weeklyRestSeconds + (rules.weeklyRestAddsDailyRest ? rules.dailyRestSeconds : 0)) * (period / 7);
  for (let i = 0; i + period <= days.length; i += period) {
    const from = days[i]!.startMs;
    const to = days[i + period - 1]!.endMs;
    const touching = allRests.filter(([s, e]) => e > from && s < to);
    const longest = touching.reduce<Interval>((best, r) => (r[1] - r[0] > best[1] - best[0] ? r : best), [from, from]);
    const measured = Math.round((longest[1] - longest[0]) / 1000);
    if (measured >= needed) continue;
    findings.push({
      rule: 'weekly-rest',
      date: days[i]!.date,
      fromMs: from,
      toMs: to,
      measuredSeconds: measured,
      requiredSeconds: needed,
      message: `In the ${period} days from ${days[i]!.date} to ${days[i + period - 1]!.date}, the longest uninterrupted rest was ${h(measured)}; at least ${h(needed)} are required.`,
    });
  }

  // Average week over the reference period.
  const net = dailyWorkingTimeRecord(worklogs, zone, options.firstDate, options.lastDate).map((d) => d.netSeconds);
  const windowDays = rules.referencePeriodWeeks * 7;
  let run: WorkingTimeFinding | null = null;
  for (let i = 0; i + windowDays <= days.length; i += 7) {
    const total = net.slice(i, i + windowDays).reduce((a, b) => a + b, 0);
    const average = Math.round(total / rules.referencePeriodWeeks);
    if (average <= rules.maxAverageWeeklySeconds) {
      if (run) findings.push(run);
      run = null;
      continue;
    }
    const finding: WorkingTimeFinding = {
      rule: 'average-week',
      date: days[i + windowDays - 1]!.date,
      fromMs: days[i]!.startMs,
      toMs: days[i + windowDays - 1]!.endMs,
      measuredSeconds: average,
      requiredSeconds: rules.maxAverageWeeklySeconds,
      message: `Over the ${rules.referencePeriodWeeks} weeks from ${days[i]!.date} to ${days[i + windowDays - 1]!.date}, the average week was ${h(average)}; the maximum is ${h(rules.maxAverageWeeklySeconds)}.`,
    };
    if (!run || finding.measuredSeconds > run.measuredSeconds) run = finding;
  }
  if (run) findings.push(run);
  return { findings };
}
