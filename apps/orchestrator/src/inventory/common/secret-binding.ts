import { type Role } from '../../auth/role';
import { ApiError } from '../../http/api-error';

/**
 * A stored secret is bound to the target it was given for. Moving the target (a host's address,
 * SSH port or pinned key; a NUT server's host, port or TLS settings) drops the secrets the same
 * change does not re-enter, so nobody can aim a stored password at a server of their own.
 * Writing a secret — and pinning a host key by hand — is for admins; operators use the trust
 * flow for keys and may only clear secrets.
 */

/** The fields of `change` that set `current` to something else (`equal` decides per field). */
export function movedTargetFields<K extends string>(
  current: Readonly<Record<K, unknown>>,
  change: Readonly<Partial<Record<K, unknown>>>,
  fields: readonly K[],
  equal: (field: K, a: unknown, b: unknown) => boolean = (_f, a, b) => a === b,
): K[] {
  return fields.filter((field) => change[field] !== undefined && !equal(field, current[field], change[field]));
}

/** The stored secrets to drop: all that are set, unless the change sets (or clears) them itself. */
export function secretsToDrop<S extends string>(
  stored: Readonly<Record<S, boolean>>,
  change: Readonly<Partial<Record<S, unknown>>>,
  moved: readonly string[],
): S[] {
  if (moved.length === 0) return [];
  return (Object.keys(stored) as S[]).filter((secret) => stored[secret] && change[secret] === undefined);
}

/** Names of `fields` that `change` sets to a value (null, a clear, is not a write). */
export function writtenFields(change: Readonly<Record<string, unknown>>, fields: readonly string[]): string[] {
  return fields.filter((field) => change[field] !== undefined && change[field] !== null);
}

/** 403 unless `role` is admin, when the change writes any of `fields` (`where`: e.g. the import rows). */
export function assertAdminWrites(role: Role | null, written: readonly string[], where = '', advice = ''): void {
  if (written.length === 0 || role === 'admin') return;
  const trustFlow = written.includes('hostKeyFingerprint')
    ? '; operators fetch and accept a host key with POST /hosts/{id}/trust and /trust/accept'
    : '';
  throw new ApiError(403, `storing ${written.join(', ')}${where} needs the admin role${advice}${trustFlow}`);
}

/** Audit fields saying which secrets a change set, cleared, or dropped because the target moved. */
export function secretAuditFields(
  change: Readonly<Record<string, unknown>>,
  secrets: Readonly<Record<string, string>>,
  dropped: readonly string[],
  moved: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, key] of Object.entries(secrets)) {
    if (change[field] !== undefined) out[key] = change[field] === null ? 'cleared' : 'set';
    else if (dropped.includes(field)) out[key] = `cleared: ${moved.join(', ')} changed`;
  }
  return out;
}
