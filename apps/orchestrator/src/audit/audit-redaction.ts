/** Keys whose values never enter the audit log, whatever object they appear in. */
const SECRET_KEY = /(password|passphrase|privatekey|private_key|secret|token$|tokenhash|enc$|authorization|cookie)/i;

/**
 * A JSON-safe copy of `value` without secrets. Views handed to the audit log already omit them;
 * this is the second line, so a view that grows a secret field later still cannot leak it.
 */
export function auditSafe(value: unknown, depth = 0): unknown {
  if (value === null || value === undefined) return null;
  if (depth > 8) return '[truncated]';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map((item) => auditSafe(item, depth + 1));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value as Record<string, unknown>)) {
      // hasPassword / hasPrivateKey say whether a secret is set, which the audit should show.
      if (SECRET_KEY.test(key) && !/^has[A-Z]/.test(key)) continue;
      out[key] = auditSafe(inner, depth + 1);
    }
    return out;
  }
  return value;
}
