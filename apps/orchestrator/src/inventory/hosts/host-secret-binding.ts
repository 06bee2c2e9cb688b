import { fingerprintsEqual, normaliseFingerprint } from '@nutfleet/esxi';

import { type Role } from '../../auth/role';
import {
  assertAdminWrites,
  movedTargetFields,
  secretAuditFields,
  secretsToDrop,
  writtenFields,
} from '../common/secret-binding';
import { type HostWriteInput } from './host-write';

/** Where a host's credentials are sent: changing any of these drops the ones not re-entered. */
export const HOST_TARGET_FIELDS = ['address', 'sshPort', 'hostKeyFingerprint'] as const;
const HOST_SECRETS = { password: 'credentialChange_pw', privateKey: 'credentialChange_key' } as const;

export interface HostTargetState {
  address: string;
  sshPort: number;
  hostKeyFingerprint: string | null;
  hasPassword: boolean;
  hasPrivateKey: boolean;
}

function samePrint(a: unknown, b: unknown): boolean {
  if (a === null || b === null) return a === b;
  try {
    return fingerprintsEqual(normaliseFingerprint(String(a)), normaliseFingerprint(String(b)));
  } catch {
    return a === b;
  }
}

function sameTargetValue(field: string, a: unknown, b: unknown): boolean {
  if (field === 'hostKeyFingerprint') return samePrint(a, b);
  if (field === 'address') return String(a).toLowerCase() === String(b).toLowerCase();
  return a === b;
}

/** Only admins store credentials or pin a host key by hand (403 naming the fields). */
export function assertMayWriteHostSecrets(role: Role | null | undefined, input: HostWriteInput, where = ''): void {
  assertAdminWrites(role ?? null, writtenFields({ ...input }, ['password', 'privateKey', 'hostKeyFingerprint']), where);
}

export interface HostSecretBinding {
  /** The change to write: the input, with the dropped credentials set to null. */
  input: HostWriteInput;
  /** Target fields that moved, and the credentials dropped because of it. */
  moved: string[];
  dropped: ('password' | 'privateKey')[];
  /** What the audit entry says about credentials. */
  audit: Record<string, string>;
}

/** Applies the binding rule to a change of an existing host (create has nothing to drop). */
export function bindHostSecrets(current: HostTargetState | null, input: HostWriteInput): HostSecretBinding {
  const moved =
    current === null ? [] : movedTargetFields({ ...current }, { ...input }, HOST_TARGET_FIELDS, sameTargetValue);
  const dropped =
    current === null
      ? []
      : secretsToDrop<'password' | 'privateKey'>(
          { password: current.hasPassword, privateKey: current.hasPrivateKey },
          { password: input.password, privateKey: input.privateKey },
          moved,
        );
  const cleared: HostWriteInput = { ...input };
  if (dropped.includes('password')) cleared.password = null;
  if (dropped.includes('privateKey')) cleared.privateKey = null;
  return { input: cleared, moved, dropped, audit: secretAuditFields({ ...input }, HOST_SECRETS, dropped, moved) };
}
