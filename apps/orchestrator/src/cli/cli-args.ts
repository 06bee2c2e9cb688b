/** Error the CLIs print as one line before exiting with status 2 (usage) or 1. */
export class CliUsageError extends Error {
  public constructor(message: string) {
    super(message);
    this.name = 'CliUsageError';
  }
}

/** Parses `--name value` / `--name=value` pairs; refuses anything not in `known`. */
export function parseCliOptions(argv: readonly string[], known: readonly string[]): Map<string, string> {
  const options = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const match = /^--([a-z][a-z-]*)(?:=(.*))?$/.exec(arg);
    if (!match?.[1]) throw new CliUsageError(`unexpected argument "${arg}"`);
    const name = match[1];
    if (!known.includes(name)) throw new CliUsageError(`unknown option --${name}`);
    let value = match[2];
    if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new CliUsageError(`--${name} needs a value`);
      i++;
    }
    options.set(name, value);
  }
  return options;
}

/** Loads .env from the working directory when present, as `npm start` does. */
export function loadDotEnv(): void {
  try {
    process.loadEnvFile('.env');
  } catch {
    // No .env: the environment alone configures the command.
  }
}
