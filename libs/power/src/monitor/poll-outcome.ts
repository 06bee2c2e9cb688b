/** What one poll of one UPS gave, reduced to what the comm-state machine needs. */
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
