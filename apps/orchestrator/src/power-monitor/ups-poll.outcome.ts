/** A failed NUT request, classified for the comm-state machine (libs/power's monitor semantics). */
import {
  NutAccessDeniedError,
  NutDataStaleError,
  NutDriverNotConnectedError,
  NutError,
  NutNotConnectedError,
  NutServerError,
  NutTimeoutError,
  NutUnknownUpsError,
} from '@nutfleet/nut';
import { type PollFailure, type PollFailureKind } from '@nutfleet/power';

export { type PollFailure, type PollFailureKind, type PollOutcome, type PollSuccess } from '@nutfleet/power';

/**
 * Classifies a failed LIST VAR. When the session has no connection, the reason it lost (or
 * never got) one is the interesting part: e.g. an ACCESS-DENIED or a refused connection.
 */
export function classifyPollError(error: unknown, at: number): PollFailure {
  const root = error instanceof NutNotConnectedError && error.cause instanceof NutError ? error.cause : error;
  const message = root instanceof Error ? root.message : String(root);
  const fail = (kind: PollFailureKind, code: string): PollFailure => ({ ok: false, at, kind, code, message });
  if (root instanceof NutDataStaleError) return fail('stale', 'DATA-STALE');
  if (root instanceof NutUnknownUpsError) return fail('unknown-ups', 'UNKNOWN-UPS');
  if (root instanceof NutDriverNotConnectedError) return fail('driver-not-connected', 'DRIVER-NOT-CONNECTED');
  if (root instanceof NutAccessDeniedError) return fail('access-denied', 'ACCESS-DENIED');
  if (root instanceof NutServerError) return fail('error', root.code);
  if (root instanceof NutTimeoutError) return fail('timeout', 'TIMEOUT');
  if (error instanceof NutNotConnectedError || root instanceof NutError)
    return fail('server-unreachable', 'SERVER-UNREACHABLE');
  return fail('error', root instanceof Error ? root.name : 'ERROR');
}
