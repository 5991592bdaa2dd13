import { assignWorklogsToDays, DAY_POLICIES, type DayPolicy } from '../../domain/dayAssignment';
import { DomainError } from '../../domain/errors';
import { parseLocalDate } from '../../domain/localDate';
import { rangePeriod } from '../../domain/period';
import { computePeriodReport } from '../../domain/periodReport';
import { ROUNDING_POLICIES, type RoundingPolicy } from '../../domain/rounding';
import { parseArgs, UsageError } from './args';
import { parseCliInput, readJsonFile } from './input';
import { formatReportText } from './textReport';

const USAGE = `usage:
  worktime days   --input FILE [--policy start-day|split]
  worktime report --input FILE --from YYYY-MM-DD --to YYYY-MM-DD
                  [--policy start-day|split] [--format json|text]
                  [--rounding ${ROUNDING_POLICIES.join('|')}]

The input format is described in docs/cli.md.`;

type Out = { stdout: (s: string) => void; stderr: (s: string) => void };
const processOut: Out = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s) };

/** `--policy`, checked; undefined when not given (the file's `dayPolicy`, else start-day, applies). */
function policyOption(options: ReadonlyMap<string, string>): DayPolicy | undefined {
  const value = options.get('policy');
  if (value !== undefined && !DAY_POLICIES.includes(value as DayPolicy)) {
    throw new UsageError(`--policy must be one of ${DAY_POLICIES.join(', ')}; got ${JSON.stringify(value)}`);
  }
  return value as DayPolicy | undefined;
}

function roundingOption(options: ReadonlyMap<string, string>): RoundingPolicy {
  const value = options.get('rounding') ?? 'nearest-minute';
  if (!ROUNDING_POLICIES.includes(value as RoundingPolicy)) {
    throw new UsageError(`--rounding must be one of ${ROUNDING_POLICIES.join(', ')}; got ${JSON.stringify(value)}`);
  }
  return value as RoundingPolicy;
}

function requireOption(options: ReadonlyMap<string, string>, name: string): string {
  const value = options.get(name);
  if (value === undefined) throw new UsageError(`--${name} is required`);
  return value;
}

/** Runs `parse` on a command-line value, turning the domain's refusal into a usage error (exit 2). */
function usage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    if (e instanceof DomainError) throw new UsageError(e.message);
    throw e;
  }
}

const OPTIONS: Readonly<Record<string, readonly string[]>> = {
  days: ['input', 'policy'],
  report: ['input', 'policy', 'from', 'to', 'format', 'rounding'],
};

function days(options: ReadonlyMap<string, string>, out: Out): void {
  const file = requireOption(options, 'input');
  const policy = policyOption(options);
  const input = parseCliInput(readJsonFile(file));
  const result = assignWorklogsToDays({
    worklogs: input.worklogs,
    people: input.people,
    siteTimeZone: input.siteTimeZone,
    policy: policy ?? input.dayPolicy ?? 'start-day',
    contracts: input.contracts,
  });
  out.stdout(`${JSON.stringify(result.days, null, 2)}\n`);
  for (const z of result.zones.filter((z) => z.defaulted)) {
    out.stderr(`note: ${z.personId} has no time zone; counted in the site zone ${z.timeZone}\n`);
  }
}

function report(options: ReadonlyMap<string, string>, out: Out): void {
  // Every command-line mistake is found before the input file is read.
  const file = requireOption(options, 'input');
  const from = usage(() => parseLocalDate(requireOption(options, 'from'), '--from'));
  const to = usage(() => parseLocalDate(requireOption(options, 'to'), '--to'));
  if (from > to) throw new UsageError(`--from ${from} is after --to ${to}; give the first date of the period first`);
  const period = usage(() => rangePeriod(from, to));
  const format = options.get('format') ?? 'json';
  if (format !== 'json' && format !== 'text') throw new UsageError(`--format must be json or text; got ${JSON.stringify(format)}`);
  const rounding = roundingOption(options);
  const policyGiven = policyOption(options);
  const input = parseCliInput(readJsonFile(file));
  const policy = policyGiven ?? input.dayPolicy ?? 'start-day';
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
    const command = argv[0];
    if (command === 'help' || command === '--help') {
      out.stdout(`${USAGE}\n`);
      return 0;
    }
    if (command === undefined) throw new UsageError('give a command: days or report');
    if (!Object.hasOwn(OPTIONS, command)) throw new UsageError(`unknown command ${JSON.stringify(command)}`);
    const { options } = parseArgs(argv, OPTIONS[command]!);
    if (command === 'days') days(options, out);
    else report(options, out);
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
