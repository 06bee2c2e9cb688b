/**
 * Thrown by the pure parsers when output does not have the expected shape. The wrappers turn
 * it into `UnexpectedOutputError`, which adds the host and the command.
 */
export class OutputParseError extends Error {
  override readonly name: string = 'OutputParseError';
}
