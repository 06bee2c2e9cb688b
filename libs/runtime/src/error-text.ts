/**
 * The one-line text of anything thrown, for logs, step errors and job failures. Errors carry
 * their own message (secret arguments are masked where they are built); anything else is
 * stringified.
 */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
