/** Plaintexts shorter than this are not searched for in text: they would mask ordinary words. */
const MIN_LENGTH = 4;
const MAX_REMEMBERED = 2000;
export const SCRUBBED = '***';

/**
 * The secrets this process has opened (see openSecret), most recent last, bounded. The last line
 * of defence: text that leaves the process for somewhere durable — a job's failure reason and
 * stack trace in Redis, shown by Bull Board — is scrubbed of them, whatever code built it. (The
 * first line is masking at the source: commands carry their secrets as masked arguments.)
 */
const opened = new Map<string, true>();

export function rememberOpenedSecret(plaintext: string): void {
  if (plaintext.length < MIN_LENGTH) return;
  opened.delete(plaintext);
  opened.set(plaintext, true);
  if (opened.size > MAX_REMEMBERED) {
    const oldest = opened.keys().next().value;
    if (oldest !== undefined) opened.delete(oldest);
  }
}

/** `text` with every secret this process opened replaced by `***` (also each line of a multi-line one). */
export function scrubOpenedSecrets(text: string): string {
  let out = text;
  for (const secret of opened.keys()) {
    if (out.includes(secret)) out = out.split(secret).join(SCRUBBED);
    if (secret.includes('\n'))
      for (const line of secret.split('\n'))
        if (line.trim().length >= 16 && out.includes(line)) out = out.split(line).join(SCRUBBED);
  }
  return out;
}
