/**
 * The comm-state machine of one UPS: what the power monitor records from its polls, and what
 * the replay runs a timeline through. A failed poll does not make a UPS lost; `commLossReportMs`
 * without a good poll does, and the COMM_LOST it records carries the last good poll. DEADTIME
 * itself is the policy's, counted by the decision engine from that last good poll: this delay
 * only decides when the loss is reported, never adds to it. Pure: the monitor feeds it poll
 * outcomes and records what it returns.
 */
import { type PollFailure, type PollOutcome, waitingFailure } from './poll-outcome';

export type CommState = 'UNKNOWN' | 'OK' | 'LOST';

export interface UpsMonitorState {
  commState: CommState;
  /** Last `ups.status` read (as sent, whitespace normalised), null when never read. */
  status: string | null;
  variables: Readonly<Record<string, string>> | null;
  /** Our last good poll, epoch ms; null until this monitor has had one. */
  lastGoodAt: number | null;
  /** First failed poll of the current failure streak, epoch ms. */
  failingSince: number | null;
  /** upsd answered DATA-STALE and no good poll came since. */
  stale: boolean;
  /** Why the UPS can't be read (shown to operators), null when it can. */
  error: string | null;
}

export type UpsChangeType = 'STATUS_CHANGE' | 'COMM_LOST' | 'COMM_RESTORED' | 'STALE_DATA';

export interface UpsChange {
  type: UpsChangeType;
  /** Status after the change (for COMM_LOST: the last known one). */
  status: string | null;
  previousStatus: string | null;
  data: Record<string, string | number | boolean | null | string[]>;
}

export interface UpsTransition {
  state: UpsMonitorState;
  changes: UpsChange[];
  /** Status, comm state, staleness or error changed: the Ups row must be written now. */
  significant: boolean;
}

/** State for a UPS this monitor has not polled yet, seeded with what the database remembers. */
export function initialUpsState(stored: {
  status: string | null;
  commState: CommState;
  commError: string | null;
}): UpsMonitorState {
  return {
    commState: stored.commState,
    status: stored.status,
    variables: null,
    lastGoodAt: null,
    failingSince: null,
    stale: false,
    error: stored.commError,
  };
}

/** Status flags as a set: upsd's token order is not meaningful. */
export function statusKey(status: string | null): string {
  if (status === null) return '';
  return [...new Set(status.trim().toUpperCase().split(/\s+/))]
    .filter((t) => t !== '')
    .sort()
    .join(' ');
}

function normaliseStatus(raw: string): string {
  return raw.trim().split(/\s+/).join(' ');
}

function flagDiff(before: string | null, after: string | null): { added: string[]; removed: string[] } {
  const a = new Set(
    statusKey(before)
      .split(' ')
      .filter((t) => t !== ''),
  );
  const b = new Set(
    statusKey(after)
      .split(' ')
      .filter((t) => t !== ''),
  );
  return { added: [...b].filter((t) => !a.has(t)), removed: [...a].filter((t) => !b.has(t)) };
}

/** The variables a decision reads, kept with each status change (the history is rebuilt from them). */
export const DECISION_VARIABLES = [
  'battery.charge',
  'battery.charge.low',
  'battery.runtime',
  'input.voltage',
  'ups.load',
] as const;

function readingData(variables: Readonly<Record<string, string>>): UpsChange['data'] {
  return Object.fromEntries(DECISION_VARIABLES.map((name) => [name, variables[name] ?? null]));
}

/** Applies one poll outcome taken at `outcome.at`. */
export function applyPollOutcome(
  previous: UpsMonitorState,
  outcome: PollOutcome,
  commLossReportMs: number,
): UpsTransition {
  if (outcome.ok) {
    const raw = outcome.variables['ups.status'];
    if (raw !== undefined && statusKey(raw) === 'WAIT') {
      return applyFailure(previous, waitingFailure(outcome.at), commLossReportMs);
    }
    return applySuccess(previous, outcome.at, outcome.variables, raw === undefined ? null : normaliseStatus(raw));
  }
  return applyFailure(previous, outcome, commLossReportMs);
}

function applySuccess(
  previous: UpsMonitorState,
  at: number,
  variables: Readonly<Record<string, string>>,
  status: string | null,
): UpsTransition {
  const changes: UpsChange[] = [];
  if (previous.commState === 'LOST') {
    changes.push({
      type: 'COMM_RESTORED',
      status,
      previousStatus: previous.status,
      data: {
        lostError: previous.error,
        silentForMs: previous.failingSince === null ? null : at - previous.failingSince,
      },
    });
  }
  if (previous.stale) {
    changes.push({ type: 'STALE_DATA', status, previousStatus: previous.status, data: { stale: false } });
  }
  if (statusKey(status) !== statusKey(previous.status) || (previous.status === null && status !== null)) {
    const { added, removed } = flagDiff(previous.status, status);
    changes.push({
      type: 'STATUS_CHANGE',
      status,
      previousStatus: previous.status,
      data: { ...readingData(variables), flagsAdded: added, flagsRemoved: removed },
    });
  }
  const state: UpsMonitorState = {
    commState: 'OK',
    status,
    variables,
    lastGoodAt: at,
    failingSince: null,
    stale: false,
    error: null,
  };
  const significant =
    changes.length > 0 ||
    previous.commState !== 'OK' ||
    previous.error !== null ||
    statusKey(previous.status) !== statusKey(status);
  return { state, changes, significant };
}

function applyFailure(previous: UpsMonitorState, failure: PollFailure, commLossReportMs: number): UpsTransition {
  const changes: UpsChange[] = [];
  const failingSince = previous.failingSince ?? failure.at;
  // The silence runs from the last good poll we saw; a monitor that never had one (start,
  // takeover) counts from its first failure rather than from a possibly old database value.
  const silentSince = previous.lastGoodAt ?? failingSince;
  let commState = previous.commState;
  let stale = previous.stale;
  let error = previous.error;

  if (failure.kind === 'stale' && !previous.stale) {
    stale = true;
    error = failure.code;
    changes.push({
      type: 'STALE_DATA',
      status: previous.status,
      previousStatus: previous.status,
      data: { stale: true, message: failure.message },
    });
  }
  if (commState !== 'LOST' && failure.at - silentSince >= commLossReportMs) {
    commState = 'LOST';
    error = failure.code;
    changes.push({
      type: 'COMM_LOST',
      status: previous.status,
      previousStatus: previous.status,
      data: {
        error: failure.code,
        message: failure.message,
        lastGoodAt: previous.lastGoodAt === null ? null : new Date(previous.lastGoodAt).toISOString(),
        reportedAfterMs: commLossReportMs,
      },
    });
  } else if (commState === 'LOST' || commState === 'UNKNOWN') {
    // Already lost (or never read): keep the reason current, e.g. refused → UNKNOWN-UPS.
    error = failure.code;
  }
  const state: UpsMonitorState = { ...previous, commState, stale, error, failingSince };
  const significant = changes.length > 0 || error !== previous.error || commState !== previous.commState;
  return { state, changes, significant };
}
