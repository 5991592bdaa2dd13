/** A usage mistake on the command line: reported with the usage text, exit code 2. */
export class UsageError extends Error {}

export interface ParsedArgs {
  readonly command: string | undefined;
  readonly options: ReadonlyMap<string, string>;
}

/**
 * `command --name value --name=value` → command and options. Every option
 * takes a value; an option the command does not take, a missing or empty
 * value, or an option given twice is a usage error, never ignored or
 * overridden (which of two `--to` did the user mean?).
 */
export function parseArgs(argv: readonly string[], allowed: readonly string[]): ParsedArgs {
  const [command, ...rest] = argv;
  const options = new Map<string, string>();
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') ? arg.slice(2, eq === -1 ? undefined : eq) : null;
    if (name === null || !allowed.includes(name)) {
      throw new UsageError(
        name !== null && allowed.length > 0
          ? `${command} does not take --${name}; it takes ${allowed.map((a) => `--${a}`).join(', ')}`
          : `unknown argument ${JSON.stringify(arg)}`,
      );
    }
    const value = eq === -1 ? rest[++i] : arg.slice(eq + 1);
    if (value === undefined || value === '' || (eq === -1 && value.startsWith('--'))) throw new UsageError(`--${name} needs a value`);
    if (options.has(name)) throw new UsageError(`--${name} is given twice (${JSON.stringify(options.get(name))} and ${JSON.stringify(value)}); give it once`);
    options.set(name, value);
  }
  return { command, options };
}
