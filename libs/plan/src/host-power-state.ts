import { type StepState } from './step-state';

/**
 * A host's power state as nutfleet last established it. `off` is knowledge (a plan verified it
 * down, a wake did not bring it back), `unreachable` is an observation without that knowledge (SSH
 * could not be opened), `unknown` means nothing newer than the host's last boot says either way.
 * `unreachable` and `unknown` hosts are still planned: only `off` excuses a host from a shutdown.
 */
export const HOST_POWER_STATES = ['on', 'off', 'unreachable', 'unknown'] as const;
export type HostPowerStateName = (typeof HOST_POWER_STATES)[number];

/** The database enum's spelling of each state (`HostPowerState`). */
export const HOST_POWER_STATE_COLUMN = {
  on: 'ON',
  off: 'OFF',
  unreachable: 'UNREACHABLE',
  unknown: 'UNKNOWN',
} as const satisfies Record<HostPowerStateName, string>;
export type HostPowerStateColumn = (typeof HOST_POWER_STATE_COLUMN)[HostPowerStateName];

export function hostPowerStateOfColumn(column: string): HostPowerStateName {
  const found = HOST_POWER_STATES.find((s) => HOST_POWER_STATE_COLUMN[s] === column);
  return found ?? 'unknown';
}

/** The Host row's power columns, read back as one record. */
export interface HostPowerRecord {
  readonly state: HostPowerStateName;
  /** When the state (or what it rests on) was established; null for a host never observed. */
  readonly since: Date | null;
  /** What the state rests on, in words: `plan:<id>: …`, `discovery`, `operator:<who>: …`. */
  readonly source: string | null;
  readonly planId: string | null;
  /** An automatic shutdown took it down: the restart that ends the outage wakes it. */
  readonly wakeAfterOutage: boolean;
}

/** What nutfleet saw that bears on a host's power, with the instant it saw it. */
export type HostPowerObservation =
  | { readonly kind: 'powered-off'; readonly at: Date; readonly planId: string; readonly automatic: boolean }
  | { readonly kind: 'power-off-failed'; readonly at: Date; readonly planId: string; readonly error: string }
  | { readonly kind: 'woken'; readonly at: Date; readonly planId: string }
  | { readonly kind: 'wake-failed'; readonly at: Date; readonly planId: string; readonly error: string }
  | { readonly kind: 'discovered'; readonly at: Date }
  | { readonly kind: 'ssh-unreachable'; readonly at: Date; readonly error: string }
  | { readonly kind: 'ssh-answered'; readonly at: Date }
  | { readonly kind: 'returned'; readonly at: Date }
  | { readonly kind: 'left-off'; readonly at: Date; readonly by: string }
  | { readonly kind: 'wake-allowed'; readonly at: Date; readonly by: string };

/** Source prefix of an operator's decision (the automatic restart never wakes such a host). */
export const OPERATOR_POWER_SOURCE = 'operator:';
/** The words of an operator's "leave off" in a power source (the host view tests for them in SQL). */
export const LEFT_OFF_MARK = 'left off, not woken by nutfleet';

/** Error texts are kept short in the source (the plan step keeps the whole text). */
function brief(error: string): string {
  const line = error.split('\n')[0] ?? '';
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

/**
 * The operator's "leave off" decision in a record's source (`operator:<who>: left off, …`), to be
 * carried into the next source: only the host being up again after it was down ends it.
 */
function leftOffDecision(current: HostPowerRecord): string | undefined {
  const source = current.source ?? '';
  const end = source.indexOf(LEFT_OFF_MARK);
  if (end < 0) return undefined;
  const start = source.lastIndexOf(OPERATOR_POWER_SOURCE, end);
  return source.slice(Math.max(start, 0), end + LEFT_OFF_MARK.length);
}

/** `source`, followed by the operator's "leave off" decision the current record carries, if any. */
function keepingDecision(current: HostPowerRecord, source: string): string {
  const decision = leftOffDecision(current);
  return decision === undefined ? source : `${source}; ${decision}`;
}

/**
 * The host's power record after an observation, or undefined when it changes nothing. An
 * observation older than what the record rests on never overwrites it (a late job, a slow
 * worker); an `off` is knowledge and outlives SSH failures (a host known off is expected not to
 * answer) until something newer says the host is up again. An operator's "leave off" survives
 * every observation but those saying the host is up again after being down (woken, returned, or
 * discovered while known off): a failed SSH connection or power-off must not turn it into a host
 * the next restart wakes.
 */
export function nextHostPowerState(
  current: HostPowerRecord,
  observation: HostPowerObservation,
): HostPowerRecord | undefined {
  if (current.since !== null && observation.at.getTime() < current.since.getTime()) return undefined;
  const at = observation.at;
  switch (observation.kind) {
    case 'powered-off': {
      const leftOff = isLeftOff(current);
      return {
        state: 'off',
        since: at,
        source: keepingDecision(current, `plan:${observation.planId}: powered off, verified down`),
        planId: observation.planId,
        // Only nutfleet's own automatic shutdown owes the host a wake; an operator's plan does
        // not, and a host an operator left off keeps that decision through the shutdown.
        wakeAfterOutage: observation.automatic && !leftOff,
      };
    }
    case 'power-off-failed':
      return {
        state: 'unknown',
        since: at,
        source: keepingDecision(
          current,
          `plan:${observation.planId}: power-off not verified: ${brief(observation.error)}`,
        ),
        planId: observation.planId,
        wakeAfterOutage: current.wakeAfterOutage,
      };
    case 'woken':
      return {
        state: 'on',
        since: at,
        source: `plan:${observation.planId}: woken, ESXi answers`,
        planId: observation.planId,
        wakeAfterOutage: false,
      };
    case 'wake-failed':
      return {
        state: 'off',
        since: at,
        source: keepingDecision(
          current,
          `plan:${observation.planId}: not back after Wake-on-LAN: ${brief(observation.error)}`,
        ),
        planId: observation.planId,
        // Still owed: the next restart tries again.
        wakeAfterOutage: current.wakeAfterOutage,
      };
    case 'discovered':
      return {
        state: 'on',
        since: at,
        // A host known off that discovery reaches is up again; one that was on keeps the decision.
        source:
          current.state === 'off'
            ? 'discovery: SSH and ESXi answered'
            : keepingDecision(current, 'discovery: SSH and ESXi answered'),
        planId: null,
        wakeAfterOutage: false,
      };
    case 'ssh-unreachable':
      if (current.state === 'off' || current.state === 'unreachable') return undefined;
      return {
        state: 'unreachable',
        since: at,
        source: keepingDecision(current, `SSH: ${brief(observation.error)}`),
        planId: null,
        wakeAfterOutage: current.wakeAfterOutage,
      };
    case 'ssh-answered':
      // A host known off that answers came back by itself: the probe of such hosts says so.
      if (current.state === 'on' || current.state === 'off') return undefined;
      return {
        state: 'on',
        since: at,
        source: keepingDecision(current, 'SSH answered'),
        planId: null,
        wakeAfterOutage: current.wakeAfterOutage,
      };
    case 'returned':
      if (current.state === 'on') return undefined;
      return {
        state: 'on',
        since: at,
        source: 'returned by itself: SSH answered',
        planId: null,
        wakeAfterOutage: false,
      };
    case 'left-off':
      // The state stays what it is (it may still be on: it will not be woken once down).
      return {
        ...current,
        since: current.since ?? at,
        source: `${OPERATOR_POWER_SOURCE}${observation.by}: ${LEFT_OFF_MARK}`,
        wakeAfterOutage: false,
      };
    case 'wake-allowed':
      if (!isLeftOff(current)) return undefined;
      return {
        ...current,
        since: current.since ?? at,
        source: `${OPERATOR_POWER_SOURCE}${observation.by}: may be woken again`,
        wakeAfterOutage: current.state === 'off',
      };
  }
}

/** An operator said this host stays off: no restart wakes it (until an operator allows it again). */
export function isLeftOff(record: Pick<HostPowerRecord, 'source'>): boolean {
  return (record.source ?? '').includes(LEFT_OFF_MARK);
}

/**
 * What a finished plan step says of its host's power: a shutdown's verified power-off, a
 * restart's verification (ESXi answers) or its failed wake / SSH wait. Dry runs and VM steps say
 * nothing about the host.
 */
export function observationOfStep(step: {
  readonly planId: string;
  readonly planMode: 'ARMED' | 'DRY_RUN';
  readonly automatic: boolean;
  readonly action: string;
  readonly state: Extract<StepState, 'SUCCEEDED' | 'FAILED' | 'SKIPPED'>;
  readonly error: string | null;
  readonly at: Date;
}): HostPowerObservation | undefined {
  if (step.planMode !== 'ARMED' || step.state === 'SKIPPED') return undefined;
  const { planId, at } = step;
  const error = step.error ?? 'failed';
  switch (step.action) {
    case 'host-power-off':
      return step.state === 'SUCCEEDED'
        ? { kind: 'powered-off', at, planId, automatic: step.automatic }
        : { kind: 'power-off-failed', at, planId, error };
    case 'verify-esxi':
      return step.state === 'SUCCEEDED' ? { kind: 'woken', at, planId } : undefined;
    case 'wake':
    case 'wait-ssh':
      return step.state === 'FAILED' ? { kind: 'wake-failed', at, planId, error } : undefined;
    default:
      return undefined;
  }
}
