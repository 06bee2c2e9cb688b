/**
 * Turns argv into one POSIX shell line. The only way a command reaches a host: every argument
 * is single-quoted, so no character in it ($, `, ;, |, newline, ...) means anything to the
 * shell. Inside single quotes only `'` itself needs care: close, escaped quote, reopen.
 */
export function shellQuote(argv: readonly string[]): string {
  if (argv.length === 0) throw new TypeError('shellQuote: argv must hold at least the command name');
  return argv.map(quoteArgument).join(' ');
}

function quoteArgument(arg: string): string {
  // A NUL cannot travel in a C string: the shell would silently cut the argument there.
  if (arg.includes('\0')) throw new TypeError('shellQuote: an argument contains a NUL byte');
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
