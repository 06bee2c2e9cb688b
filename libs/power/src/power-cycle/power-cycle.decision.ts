import { type EpochMs, formatInstant } from '../time';
import { type UpsId } from '../ups-observation';
import { type PowerCycleSettings } from './power-cycle.types';

/** A host fed by the UPS, as the plan sees it. */
export interface PowerCycleHost {
  readonly hostId: string;
  readonly name: string;
  /** False when the plan leaves this host running (or it is not in the plan at all). */
  readonly inPlan: boolean;
  /** `down`: its power-off step finished and it was seen down. */
  readonly state: 'down' | 'not-down';
  /** When its power-off should have finished (step deadline). */
  readonly deadlineAt?: EpochMs;
  /** Last SSH probe after the deadline: true = it still answers; absent = not probed yet. */
  readonly sshAnswers?: boolean;
}

export interface PowerCycleDecisionInput {
  readonly upsId: UpsId;
  readonly settings: PowerCycleSettings;
  readonly hosts: readonly PowerCycleHost[];
  /** The UPS also feeds loads nutfleet does not manage (from the inventory). */
  readonly feedsUnmanagedLoads: boolean;
  /** The last `ups.status` tokens, or null when there is no current reading. */
  readonly status: readonly string[] | null;
  /** When the command was sent in this outage, if it was. */
  readonly sentAt: EpochMs | null;
  readonly dryRun: boolean;
  readonly now: EpochMs;
}

export type PowerCycleReasonCode =
  | 'NOT_CONFIGURED'
  | 'ALREADY_SENT'
  | 'NO_HOST_IN_PLAN'
  | 'DRY_RUN'
  | 'FEEDS_HOSTS_LEFT_RUNNING'
  | 'FEEDS_UNMANAGED_LOADS'
  | 'OVERRIDDEN'
  | 'NO_READING'
  | 'FSD_LATCHED'
  | 'INPUT_NOT_ON_LINE'
  | 'HOST_SHUTTING_DOWN'
  | 'HOST_PAST_DEADLINE_ANSWERS_SSH'
  | 'HOST_PAST_DEADLINE_UNPROBED'
  | 'HOST_PAST_DEADLINE_SILENT'
  | 'ALL_HOSTS_DOWN';

export interface PowerCycleReason {
  readonly code: PowerCycleReasonCode;
  readonly message: string;
  readonly hostId?: string;
}

/**
 * - `send`: send the commands now.
 * - `wait`: not now; decide again when a host's state changes, after the SSH probes in
 *   `probeSshHostIds`, or at `recheckAt`. `holdingHostIds` name the hosts that hold it.
 * - `never`: not in this outage (not configured, already sent, dry run, unsafe for other loads).
 */
export type PowerCycleDecision =
  | { readonly verdict: 'send'; readonly reasons: readonly PowerCycleReason[] }
  | {
      readonly verdict: 'wait';
      readonly reasons: readonly PowerCycleReason[];
      readonly holdingHostIds: readonly string[];
      readonly probeSshHostIds: readonly string[];
      readonly recheckAt?: EpochMs;
    }
  | { readonly verdict: 'never'; readonly reasons: readonly PowerCycleReason[] };

function never(code: PowerCycleReasonCode, message: string): PowerCycleDecision {
  return { verdict: 'never', reasons: [{ code, message }] };
}

/**
 * May the power-cycle command be sent to this UPS now? Pure: every rule that keeps a cycle from
 * cutting a running load is here, and every "no" says why.
 */
export function decidePowerCycle(input: PowerCycleDecisionInput): PowerCycleDecision {
  const { settings, upsId } = input;
  if (settings.action === 'none') return never('NOT_CONFIGURED', `${upsId}: no power-cycle action is configured`);
  if (input.sentAt !== null)
    return never('ALREADY_SENT', `${upsId}: ${settings.action} was already sent at ${formatInstant(input.sentAt)}`);

  if (!input.hosts.some((host) => host.inPlan))
    return never('NO_HOST_IN_PLAN', `${upsId} feeds no host of this plan: nothing tells when its load is down`);

  const reasons: PowerCycleReason[] = [];
  const leftRunning = input.hosts.filter((host) => !host.inPlan);
  if (leftRunning.length > 0 || input.feedsUnmanagedLoads) {
    const what = [
      ...(leftRunning.length > 0
        ? [`hosts the plan leaves running (${leftRunning.map((host) => host.name).join(', ')})`]
        : []),
      ...(input.feedsUnmanagedLoads ? ['loads nutfleet does not manage'] : []),
    ].join(' and ');
    if (!settings.allowWithUnmanagedLoads) {
      return never(
        leftRunning.length > 0 ? 'FEEDS_HOSTS_LEFT_RUNNING' : 'FEEDS_UNMANAGED_LOADS',
        `${upsId} also feeds ${what}: the cycle would cut them (an admin may allow it for this UPS)`,
      );
    }
    reasons.push({ code: 'OVERRIDDEN', message: `${upsId} also feeds ${what}; an admin allowed the cycle anyway` });
  }
  if (input.dryRun) return never('DRY_RUN', `${upsId}: dry run, ${settings.action} is not sent`);

  const holding: PowerCycleReason[] = [];
  const probe: string[] = [];
  const deadlines: EpochMs[] = [];
  for (const host of input.hosts.filter((h) => h.inPlan)) {
    if (host.state === 'down') continue;
    const pastDeadline = host.deadlineAt !== undefined && input.now >= host.deadlineAt;
    if (!pastDeadline) {
      if (host.deadlineAt !== undefined) deadlines.push(host.deadlineAt);
      holding.push({
        code: 'HOST_SHUTTING_DOWN',
        hostId: host.hostId,
        message: `${host.name} is not down yet${host.deadlineAt === undefined ? '' : ` (deadline ${formatInstant(host.deadlineAt)})`}`,
      });
    } else if (host.sshAnswers === false) {
      reasons.push({
        code: 'HOST_PAST_DEADLINE_SILENT',
        hostId: host.hostId,
        message: `${host.name} is past its deadline and no longer answers over SSH: counted as down`,
      });
    } else if (host.sshAnswers === true) {
      holding.push({
        code: 'HOST_PAST_DEADLINE_ANSWERS_SSH',
        hostId: host.hostId,
        message: `${host.name} is past its deadline but still answers over SSH: it holds the power cycle of ${upsId}`,
      });
    } else {
      probe.push(host.hostId);
      holding.push({
        code: 'HOST_PAST_DEADLINE_UNPROBED',
        hostId: host.hostId,
        message: `${host.name} is past its deadline: SSH must show it is gone before ${upsId} is cycled`,
      });
    }
  }

  const status = input.status;
  const upsHolds: PowerCycleReason[] = [];
  if (status === null) upsHolds.push({ code: 'NO_READING', message: `${upsId} has no current reading` });
  else {
    if (status.includes('FSD'))
      upsHolds.push({
        code: 'FSD_LATCHED',
        message: `${upsId} shows a latched FSD: the NUT server may be cutting power itself; no cycle until it is cleared`,
      });
    if (settings.action === 'load.off.delay+load.on.delay' && !(status.includes('OL') && !status.includes('OB'))) {
      upsHolds.push({
        code: 'INPUT_NOT_ON_LINE',
        message: `${upsId} is not on line: load.off.delay+load.on.delay would bring the load back on battery`,
      });
    }
  }

  if (holding.length > 0 || upsHolds.length > 0) {
    const recheckAt = deadlines.length > 0 ? Math.min(...deadlines) : undefined;
    return {
      verdict: 'wait',
      reasons: [...reasons, ...holding, ...upsHolds],
      holdingHostIds: holding.flatMap((reason) => (reason.hostId === undefined ? [] : [reason.hostId])),
      probeSshHostIds: probe,
      ...(recheckAt === undefined ? {} : { recheckAt }),
    };
  }
  return {
    verdict: 'send',
    reasons: [
      ...reasons,
      { code: 'ALL_HOSTS_DOWN', message: `every host ${upsId} feeds is down: ${settings.action} may be sent` },
    ],
  };
}
