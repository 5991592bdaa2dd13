/** A usage mistake on the command line: reported with the usage text, exit code 2. */
export class UsageError extends Error {}

export interface ParsedArgs {
  readonly command: string | undefined;
  readonly options: ReadonlyMap<string, string>;
}

/**
 * `command --name value --flag` → command and options. Every option takes a
 * value; an unknown option or a missing value is a usage error, never ignored.
 */
export function parseArgs(argv: readonly string[], allowed: readonly string[]): ParsedArgs {
  const [command, ...rest] = argv;
  const options = new Map<string, string>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') ? arg.slice(2, eq === -1 ? undefined : eq) : null;
    if (name === null || !allowed.includes(name)) throw new UsageError(`unknown argument ${JSON.stringify(arg)}`);
    const value = eq === -1 ? rest[++i] : arg.slice(eq + 1);
    if (value === undefined || (eq === -1 && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
    options.set(name, value);
  }
  return { command, options };
}
