/** What a secret argument looks like in a command line, an error or a log. */
export const MASK = '***';

/**
 * `text` with every occurrence of each secret replaced by `***`. Secrets shorter than 4
 * characters are not searched for in free text (they would mask ordinary words); an argument
 * equal to one is still masked by `maskArgv`.
 */
export function maskSecrets(text: string, secrets: readonly string[] | undefined): string {
  if (secrets === undefined || secrets.length === 0) return text;
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join(MASK);
  return out;
}

/** argv with secret arguments (or secret parts of arguments) replaced by `***`, for display. */
export function maskArgv(argv: readonly string[], secrets: readonly string[] | undefined): string[] {
  if (secrets === undefined || secrets.length === 0) return [...argv];
  return argv.map((arg) => (secrets.includes(arg) ? MASK : maskSecrets(arg, secrets)));
}
