import { assignWorklogsToDays, DAY_POLICIES, type DayPolicy } from '../../domain/dayAssignment.ts';
import { DomainError } from '../../domain/errors.ts';
import { parseLocalDate } from '../../domain/localDate.ts';
import { rangePeriod } from '../../domain/period.ts';
import { computePeriodReport } from '../../domain/periodReport.ts';
import { parseRoundingPolicy, ROUNDING_POLICIES } from '../../domain/rounding.ts';
import { parseArgs, UsageError } from './args.ts';
import { parseCliInput, readJsonFile } from './input.ts';
import { formatReportText } from './textReport.ts';

const USAGE = `usage:
  worktime days   --input FILE [--policy start-day|split]
  worktime report --input FILE --from YYYY-MM-DD --to YYYY-MM-DD
                  [--policy start-day|split] [--format json|text]
                  [--rounding ${ROUNDING_POLICIES.join('|')}]

The input format is described in docs/cli.md.`;

type Out = { stdout: (s: string) => void; stderr: (s: string) => void };
const processOut: Out = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) };

function policyOption(value: string | undefined, fallback: DayPolicy): DayPolicy {
  if (value === undefined) return fallback;
  if (!DAY_POLICIES.includes(value as DayPolicy)) throw new UsageError(`--policy must be one of ${DAY_POLICIES.join(', ')}; got ${JSON.stringify(value)}`);
  return value as DayPolicy;
}

function requireOption(options: ReadonlyMap<string, string>, name: string): string {
  const value = options.get(name);
  if (value === undefined) throw new UsageError(`--${name} is required`);
  return value;
}

function days(options: ReadonlyMap<string, string>, out: Out): void {
  const input = parseCliInput(readJsonFile(requireOption(options, 'input')));
  const result = assignWorklogsToDays({
    worklogs: input.worklogs,
    people: input.people,
    siteTimeZone: input.siteTimeZone,
    policy: policyOption(options.get('policy'), input.dayPolicy ?? 'start-day'),
  });
  out.stdout(`${JSON.stringify(result.days, null, 2)}\n`);
  for (const z of result.zones.filter((z) => z.defaulted)) {
    out.stderr(`note: ${z.personId} has no time zone; counted in the site zone ${z.timeZone}\n`);
  }
}

function report(options: ReadonlyMap<string, string>, out: Out): void {
  const from = parseLocalDate(requireOption(options, 'from'), '--from');
  const to = parseLocalDate(requireOption(options, 'to'), '--to');
  const format = options.get('format') ?? 'json';
  if (format !== 'json' && format !== 'text') throw new UsageError(`--format must be json or text; got ${JSON.stringify(format)}`);
  const rounding = parseRoundingPolicy(options.get('rounding') ?? 'nearest-minute');
  const input = parseCliInput(readJsonFile(requireOption(options, 'input')));
  const period = rangePeriod(from, to);
  const policy = policyOption(options.get('policy'), input.dayPolicy ?? 'start-day');
  const reports = input.people.map((person) =>
    computePeriodReport({
      person: { id: person.id, timeZone: person.timeZone },
      siteTimeZone: input.siteTimeZone,
      period,
      worklogs: input.worklogs.filter((w) => w.authorId === person.id),
      contracts: input.contracts,
      holidayCalendars: input.holidayCalendars,
      ...(input.countedHolidayTypes ? { countedHolidayTypes: input.countedHolidayTypes } : {}),
      absences: input.absences,
      openingBalanceSeconds: person.openingBalanceSeconds,
      dayPolicy: policy,
      ...(person.recuperationRules ? { recuperationRules: person.recuperationRules } : {}),
    }),
  );
  if (format === 'json') out.stdout(`${JSON.stringify(reports, null, 2)}\n`);
  else out.stdout(`${reports.map((r) => formatReportText(r, rounding)).join('\n\n')}\n`);
}

/** Runs the CLI; returns the exit code (0 ok, 1 bad input data, 2 bad usage). Never throws for expected errors. */
export async function main(argv: readonly string[], out: Out = processOut): Promise<number> {
  try {
    const { command, options } = parseArgs(argv, ['input', 'policy', 'from', 'to', 'format', 'rounding']);
    if (command === 'days') days(options, out);
    else if (command === 'report') report(options, out);
    else if (command === undefined || command === 'help' || command === '--help') {
      out.stdout(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    } else throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      out.stderr(`worktime: ${e.message}\n\n${USAGE}\n`);
      return 2;
    }
    if (e instanceof DomainError) {
      out.stderr(`worktime: ${e.message} [${e.code}]\n`);
      return 1;
    }
    throw e;
  }
}
