import { type ClaimedStepRow } from '@nutfleet/plan';

import { type HostAccessRow } from '../hosts/host-connector';

/**
 * A step this worker has just claimed (→ RUNNING), with what running it needs, all read by the
 * claim's own statement: the plan's kind and mode and the host's access row (null when the step
 * has no host, or the host was deleted).
 */
export type ClaimedStep = ClaimedStepRow<HostAccessRow>;

/** What to give HostSessions.withHost: the row the claim read, else the id (read again, or a clear "not found"). */
export function stepHost(step: Pick<ClaimedStep, 'host' | 'hostId'>): HostAccessRow | string {
  return step.host ?? step.hostId ?? '';
}
