import { type EpochMs } from '../time';

/**
 * Stable codes of the fleet readiness checks: API clients, metrics labels and notifications
 * key on them, so a code is never renamed (add a new one instead). Order = display order.
 */
export const READINESS_CHECK_CODES = [
  'SSH_AUTH',
  'ESXI_ANSWERS',
  'VIB_IN_SYNC',
  'HOST_UPSC',
  'VM_TOOLS',
  'AUTOSTART',
  'WOL_MAC',
  'WOL_PROVEN',
  'RUNTIME_MARGIN',
  'NUT_LOGIN',
  'FSD_CLEAR',
] as const;

export type ReadinessCheckCode = (typeof READINESS_CHECK_CODES)[number];

/** The outcome of one check on one host, as stored and as served by `GET /fleet/readiness`. */
export interface ReadinessCheckResult {
  readonly code: ReadinessCheckCode;
  readonly ok: boolean;
  /** What was seen, in words an administrator can act on; never a secret. */
  readonly message: string;
  readonly checkedAt: EpochMs;
}

export function isReadinessCheckCode(value: string): value is ReadinessCheckCode {
  return (READINESS_CHECK_CODES as readonly string[]).includes(value);
}
