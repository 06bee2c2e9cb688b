import { CommandFailedError, UnexpectedOutputError } from './esxi-errors';
import { OutputParseError } from './parsing/output-parse-error';
import { type CommandResult } from './ssh/esxi-host';
import { type ExecOptions } from './ssh/ssh-connection';

/** What the typed wrappers need from a host: `EsxiHost` fits, and so does a test double. */
export interface CommandTarget {
  readonly label: string;
  exec(argv: readonly string[], options?: ExecOptions): Promise<CommandResult>;
}

/** Runs argv and throws `CommandFailedError` on a non-zero exit. */
export async function runChecked(
  host: CommandTarget,
  argv: readonly string[],
  options?: ExecOptions,
): Promise<CommandResult> {
  return assertSuccess(host, await host.exec(argv, options));
}

export function assertSuccess(host: CommandTarget, result: CommandResult): CommandResult {
  if (result.code !== 0) {
    throw new CommandFailedError(
      result.code,
      result.stdout,
      result.stderr,
      { host: host.label, command: result.command },
      firstLine(result.stderr || result.stdout),
    );
  }
  return result;
}

/** Applies a pure parser; a shape error becomes `UnexpectedOutputError` naming host and command. */
export function parseResult<T>(host: CommandTarget, result: CommandResult, parse: (text: string) => T): T {
  try {
    return parse(result.stdout);
  } catch (err) {
    if (err instanceof OutputParseError)
      throw new UnexpectedOutputError(result.stdout, { host: host.label, command: result.command, cause: err });
    throw err;
  }
}

function firstLine(text: string): string {
  return text.trim().split(/\r?\n/)[0] ?? '';
}
