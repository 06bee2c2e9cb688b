/** What one poll of one UPS gave, reduced to what the comm-state machine needs. */
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

export interface PollSuccess {
  ok: true;
  /** Our clock when the reply arrived, epoch ms. */
  at: number;
  variables: Readonly<Record<string, string>>;
}

/**
 * Why a poll failed. `stale` is upsd's DATA-STALE (the driver stopped updating for MAXAGE),
 * `waiting` is upsd's `WAIT` placeholder before a driver's first dump.
 */
export type PollFailureKind =
  | 'stale'
  | 'waiting'
  | 'unknown-ups'
  | 'driver-not-connected'
  | 'access-denied'
  | 'server-unreachable'
  | 'timeout'
  | 'error';

export interface PollFailure {
  ok: false;
  at: number;
  kind: PollFailureKind;
  /** Short code shown to operators: the NUT ERR code (`UNKNOWN-UPS`) or the error class. */
  code: string;
  /** One line, never holding a secret (NUT errors redact PASSWORD arguments). */
  message: string;
}

export type PollOutcome = PollSuccess | PollFailure;

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

/** A `ups.status` of only `WAIT` is upsd's placeholder, not a reading. */
export function waitingFailure(at: number): PollFailure {
  return {
    ok: false,
    at,
    kind: 'waiting',
    code: 'WAIT',
    message: 'upsd has no data from the driver yet (status WAIT)',
  };
}
